#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check the firmware images' shape.

hvmfw.elf (the image Xen loads): ELFCLASS32, EM_386, ET_EXEC; program headers
are only PT_LOAD (PT_GNU_STACK tolerated); the lowest PT_LOAD p_paddr is page
aligned and equals the expected load address; the entry point lies inside a
loaded segment; no PT_INTERP, no PT_DYNAMIC/.dynamic, no PT_NOTE and no
.note.Xen section (hvmfw is loaded as a plain ELF, not a PV kernel).
All read with readelf.

hvmfw.rom (the QEMU -bios image): a non-zero multiple of 64 KiB whose last 16
bytes (the reset vector at 0xFFFFFFF0) start with a jump (0xE9, 0xEA, 0xEB,
optionally after a 0x66 operand-size prefix).

Prints one PASS/FAIL line per check; exit 1 if any failed.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys


class Fail(Exception):
    pass


def readelf(readelf_bin, *args):
    cp = subprocess.run([readelf_bin, "-W"] + list(args), stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT, env=dict(os.environ, LC_ALL="C"))
    out = cp.stdout.decode("utf-8", "replace")
    if cp.returncode != 0:
        raise Fail("readelf %s failed: %s" % (" ".join(args), out.strip()[:300]))
    return out


def header_field(hdr, name):
    m = re.search(r"^\s*%s:\s*(.+?)\s*$" % re.escape(name), hdr, re.M)
    if not m:
        raise Fail("readelf -h shows no %r" % name)
    return m.group(1)


_PH_RE = re.compile(r"^\s+([A-Z_]+|LOOS\+\w+|<unknown>:?\s*\w+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+"
                    r"0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+([RWE ]+?)\s+0x([0-9a-f]+)\s*$")


def program_headers(text):
    """[(type, offset, vaddr, paddr, filesz, memsz, flags, align)]"""
    out = []
    for line in text.split("\n"):
        m = _PH_RE.match(line)
        if m:
            g = m.groups()
            out.append((g[0], int(g[1], 16), int(g[2], 16), int(g[3], 16), int(g[4], 16),
                        int(g[5], 16), g[6].strip(), int(g[7], 16)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--elf", help="hvmfw.elf")
    ap.add_argument("--rom", help="hvmfw.rom")
    ap.add_argument("--load-addr", type=lambda x: int(x, 0), default=0x100000,
                    help="expected lowest p_paddr (default 0x100000)")
    ap.add_argument("--readelf", default=shutil.which("readelf") or "readelf")
    a = ap.parse_args()
    if not a.elf and not a.rom:
        ap.error("give --elf and/or --rom")

    results = []

    def check(name, fn):
        try:
            msg = fn()
            status = "PASS"
        except Fail as e:
            status, msg = "FAIL", str(e)
        except Exception as e:  # a broken check is a failure, never a pass
            status, msg = "FAIL", "check raised %s: %s" % (type(e).__name__, e)
        results.append(status)
        print("%s %s%s" % (status, name, (": " + msg) if msg else ""), flush=True)

    if a.elf:
        state = {}

        def c_readable():
            if not os.path.isfile(a.elf):
                raise Fail("%s does not exist" % a.elf)
            state["h"] = readelf(a.readelf, "-h", a.elf)
            state["l"] = readelf(a.readelf, "-l", a.elf)
            state["S"] = readelf(a.readelf, "-S", a.elf)
            state["n"] = readelf(a.readelf, "-n", a.elf)
            state["ph"] = program_headers(state["l"])
            return a.elf
        check("elf-readable", c_readable)

        def need():
            if "ph" not in state:
                raise Fail("ELF not readable (see elf-readable)")

        def c_header():
            need()
            h = state["h"]
            problems = []
            cls = header_field(h, "Class")
            if cls != "ELF32":
                problems.append("class %s, want ELF32" % cls)
            mach = header_field(h, "Machine")
            if mach != "Intel 80386":
                problems.append("machine %r, want Intel 80386 (EM_386)" % mach)
            typ = header_field(h, "Type")
            if not typ.startswith("EXEC"):
                problems.append("type %r, want EXEC" % typ)
            data = header_field(h, "Data")
            if "little endian" not in data:
                problems.append("data %r, want little endian" % data)
            if problems:
                raise Fail("; ".join(problems))
            return "ELF32 EM_386 EXEC"
        check("elf-header", c_header)

        def c_segments():
            need()
            ph = state["ph"]
            m = re.search(r"There are (\d+) program headers", state["l"])
            if m and int(m.group(1)) != len(ph):
                raise Fail("parsed %d of %s program headers" % (len(ph), m.group(1)))
            if not m and "There are no program headers" in state["l"]:
                raise Fail("no program headers")
            loads = [p for p in ph if p[0] == "LOAD"]
            others = [p[0] for p in ph if p[0] not in ("LOAD", "GNU_STACK")]
            if not loads:
                raise Fail("no PT_LOAD segment")
            if others:
                raise Fail("program headers other than PT_LOAD: %s" % ", ".join(others))
            low = min(p[3] for p in loads)
            if low & 0xFFF:
                raise Fail("lowest p_paddr 0x%x is not page aligned" % low)
            if low != a.load_addr:
                raise Fail("lowest p_paddr 0x%x, expected 0x%x" % (low, a.load_addr))
            for p in loads:
                if p[4] > p[5]:
                    raise Fail("PT_LOAD at 0x%x has filesz 0x%x > memsz 0x%x" % (p[3], p[4], p[5]))
            return "%d PT_LOAD, lowest p_paddr 0x%x" % (len(loads), low)
        check("elf-segments", c_segments)

        def c_entry():
            need()
            entry = int(header_field(state["h"], "Entry point address"), 16)
            loads = [p for p in state["ph"] if p[0] == "LOAD"]
            inside = [p for p in loads if p[2] <= entry < p[2] + p[5]]
            if not inside:
                raise Fail("entry 0x%x is outside every PT_LOAD (%s)" % (entry, ", ".join(
                    "0x%x-0x%x" % (p[2], p[2] + p[5]) for p in loads)))
            if "E" not in inside[0][6]:
                raise Fail("entry 0x%x is in a segment without execute permission" % entry)
            return "entry 0x%x" % entry
        check("elf-entry", c_entry)

        def c_no_dynamic():
            need()
            bad = [p[0] for p in state["ph"] if p[0] in ("INTERP", "DYNAMIC")]
            secs = re.findall(r"\]\s+(\.\S+)\s", state["S"])
            bad += [s for s in secs if s in (".interp", ".dynamic", ".dynsym", ".dynstr",
                                              ".rel.dyn", ".rela.dyn")]
            if bad:
                raise Fail("dynamic-linking parts present: %s" % ", ".join(bad))
            return None
        check("elf-static", c_no_dynamic)

        def c_no_xen_notes():
            need()
            bad = [p[0] for p in state["ph"] if p[0] == "NOTE"]
            secs = re.findall(r"\]\s+(\.\S+)\s", state["S"])
            bad += [s for s in secs if s.startswith(".note")]
            if re.search(r"^\s*Xen\s", state["n"], re.M):
                bad.append("Xen note (readelf -n)")
            if bad:
                raise Fail("notes present (must load as a plain ELF): %s" % ", ".join(bad))
            return None
        check("elf-no-xen-notes", c_no_xen_notes)

    if a.rom:
        def c_rom():
            if not os.path.isfile(a.rom):
                raise Fail("%s does not exist" % a.rom)
            size = os.path.getsize(a.rom)
            if size == 0 or size % 65536:
                raise Fail("size %d is not a non-zero multiple of 64 KiB" % size)
            with open(a.rom, "rb") as f:
                f.seek(size - 16)
                vec = f.read(16)
            op = vec[1] if vec[0] == 0x66 else vec[0]
            if op not in (0xE9, 0xEA, 0xEB):
                raise Fail("reset vector (last 16 bytes) starts with %s, not a jump"
                           % vec[:4].hex(" "))
            return "%d KiB, reset vector %s" % (size // 1024, vec[:5].hex(" "))
        check("rom-shape", c_rom)

    failed = results.count("FAIL")
    print("image: checks %d PASS, %d FAIL" % (results.count("PASS"), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
