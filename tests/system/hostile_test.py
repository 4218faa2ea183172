#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hostile input on QEMU (issue #12): every boot ends with the guest booted
or with one clean fatal line naming the input, never a hang (QEMU must exit
before the timeout: hvmfw powers the machine off after a PANIC).

  --scenario hostile-kernel  Debian's kernel with its setup header patched:
      kernel_alignment 0 and 3, init_size near 4 GiB, boot protocol 2.00
      (each refused by name), and pref_address above 4 GiB (the kernel
      must still boot, placed below 4 GiB);
  --scenario hostile-config  fw_cfg opt/org.hvmfw/ values hvmfw cannot
      use: each refused with one line naming the key, and the guest boots.
  --scenario hostile-e820  memory maps QEMU cannot be made to give: gdb (on
      QEMU's gdbstub, a hardware breakpoint at hvmfw's fw_cfg_read_file)
      replaces what fw_cfg etc/e820 returns, as a hostile fw_cfg would
      deliver it. 113 entries with 55 reserved pages inside RAM: the guest
      boots and its kernel sees every one of them reserved; 200 entries
      (more than hvmfw reads), overlapping entries of different types and an
      entry running past 2^64: one PANIC line each, naming the input.

Logs: LOGS/<boot>/ (serial.log, debugcon.log, qemu-cmd.txt).
"""
import argparse
import os
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hvmfw_qemu as hq  # noqa: E402

# Setup header offsets (the Linux x86 boot protocol).
HDR = {"version": (0x206, "<H"), "initrd_addr_max": (0x22C, "<I"),
       "kernel_alignment": (0x230, "<I"), "pref_address": (0x258, "<Q"),
       "init_size": (0x260, "<I")}


def patched_kernel(src, dst, **fields):
    data = bytearray(open(src, "rb").read())
    if data[0x202:0x206] != b"HdrS":
        raise hq.Fail("%s is not a bzImage" % src)
    for name, value in fields.items():
        off, fmt = HDR[name]
        struct.pack_into(fmt, data, off, value)
    with open(dst, "wb") as f:
        f.write(data)
    return dst


def kernel_boots():
    # (boot name, header fields, expected PANIC text or None: the guest boots)
    return [
        ("align-0", {"kernel_alignment": 0}, "kernel_alignment is 0"),
        ("align-3", {"kernel_alignment": 3}, "kernel_alignment 0x3 is not a power of two"),
        ("init-size", {"init_size": 0xFFFFF000}, "init_size 0xfffff000"),
        ("protocol-2.00", {"version": 0x0200}, "boot protocol 2.00 is too old"),
        ("pref-above-4g", {"pref_address": 0x100000000}, None),
    ]


# fw_cfg values hvmfw must refuse: (key, value, words the refusal must carry)
CONFIG = [
    ("pins", "zz:zz.z/bar9=0x1 00:1f.0/bar0=0x1001 00:03.0/bar7=0xf0000000",
     ["bad PCI address", "address is not 16-byte aligned", "BAR must be bar0..bar5 or rom"]),
    ("log-level", "loud", ["expected error, warn, info or debug"]),
    ("hole-min", "5\0junk", ["expected a 1 MiB-aligned address below 4 GiB"]),
]
LONG_KEY = ("pins", "A" * 2000, ["value longer than 1023 bytes"])


def boot(args, name, kernel, initrd, extra=(), timeout=None):
    r = hq.run_qemu(os.path.join(args.logs, name), "q35", 1, kernel, initrd, rom=args.rom,
                    extra=extra, timeout=timeout or args.timeout)
    print("--- %s: exit %s, %.1f s%s" % (name, r.returncode, r.elapsed,
                                          ", TIMED OUT" if r.timed_out else ""))
    return r


def fw_lines(r):
    return [l for l in (r.debugcon + "\n" + r.serial).splitlines() if "[hvmfw]" in l or
            "PANIC" in l]


def check_panic(failures, name, r, text):
    panic = [l for l in fw_lines(r) if "PANIC" in l]
    if r.timed_out:
        failures.append("%s: QEMU still running after %d s and its vCPU not halted (a hang, "
                        "not a clean stop)" % (name, r.timeout))
    if not any(text in l for l in panic):
        failures.append("%s: no PANIC line with %r; PANIC lines: %r" % (name, text, panic))
    if "Linux version" in r.serial:
        failures.append("%s: the refused kernel ran" % name)


def check_booted(failures, name, r):
    if r.timed_out or "===HVMFW-END===" not in r.serial:
        failures.append("%s: the guest did not boot to the end of its init (exit %s%s); "
                        "serial tail:\n%s" % (name, r.returncode,
                                               ", timed out" if r.timed_out else "",
                                               hq.tail(r.serial)))
    panic = [l for l in fw_lines(r) if "PANIC" in l]
    if panic:
        failures.append("%s: unexpected PANIC: %r" % (name, panic))


def hostile_kernel(args, kernel, initrd, failures):
    os.makedirs(args.logs, exist_ok=True)
    for name, fields, text in kernel_boots():
        k = patched_kernel(kernel, os.path.join(args.logs, "bzImage-" + name), **fields)
        r = boot(args, name, k, initrd, timeout=args.timeout if text is None else 60)
        if text is None:
            check_booted(failures, name, r)
            placed = [l for l in fw_lines(r) if "linux: protocol" in l]
            if not placed:
                failures.append("%s: no 'linux: protocol ... at 0x...' line" % name)
            else:
                addr = int(placed[0].split(" at 0x")[1].split()[0], 16)
                if addr >= 1 << 32 or addr < 16 << 20:
                    failures.append("%s: kernel placed at 0x%x" % (name, addr))
        else:
            check_panic(failures, name, r, text)


def hostile_config(args, kernel, initrd, failures):
    os.makedirs(args.logs, exist_ok=True)
    extra = []
    for key, value, _ in CONFIG + [LONG_KEY]:
        path = os.path.join(args.logs, "value-" + key + ("-long" if len(value) > 1000 else ""))
        with open(path, "wb") as f:
            f.write(value.encode())
        if (key, value) != (LONG_KEY[0], LONG_KEY[1]):
            extra += ["-fw_cfg", "name=opt/org.hvmfw/%s,file=%s" % (key, path)]
    r = boot(args, "bad-values", kernel, initrd, extra=extra)
    check_booted(failures, "bad-values", r)
    lines = fw_lines(r)
    for key, value, words in CONFIG:
        refused = [l for l in lines if "config: refused %s" % key in l]
        for w in words:
            if not any(w in l for l in refused):
                failures.append("bad-values: no 'config: refused %s' line with %r; refusals: %r"
                                % (key, w, refused))
    # One value too long for hvmfw's buffer: refused by length, nothing else lost.
    path = os.path.join(args.logs, "value-pins-long")
    r = boot(args, "long-value", kernel, initrd,
             extra=["-fw_cfg", "name=opt/org.hvmfw/pins,file=" + path])
    check_booted(failures, "long-value", r)
    if not any("config: refused pins" in l and LONG_KEY[2][0] in l for l in fw_lines(r)):
        failures.append("long-value: the 2000-byte pins value was not refused by length")


# ---------------------------------------------------------------- hostile-e820

MiB = 1 << 20
RAM_MIB = 512


def e820_entry(addr, size, typ):
    return struct.pack("<QQI", addr, size, typ)


def fragmented_map(pieces):
    """RAM as QEMU has it, with the last page of each of `pieces` MiB from 16 MiB on
    reserved: 2 * pieces + 4 entries. Returns (blob, reserved ranges)."""
    out = [e820_entry(0, 0x9FC00, 1), e820_entry(0x100000, 15 * MiB, 1)]
    rsv, base = [], 16 * MiB
    for _ in range(pieces):
        out += [e820_entry(base, MiB - 0x1000, 1), e820_entry(base + MiB - 0x1000, 0x1000, 2)]
        rsv.append((base + MiB - 0x1000, base + MiB - 1))
        base += MiB
    out += [e820_entry(base, RAM_MIB * MiB - base, 1), e820_entry(0xFFFC0000, 0x40000, 2)]
    return b"".join(out), rsv


GDB_SCRIPT = r"""
import gdb, struct
blob = open(%(blob)r, 'rb').read()
inf = gdb.selected_inferior()
gdb.execute('hbreak fw_cfg_read_file')
while True:
    gdb.execute('continue')
    esp = int(gdb.parse_and_eval('$esp')) & 0xffffffff
    name_p, buf, room = struct.unpack('<III', inf.read_memory(esp + 4, 12).tobytes())
    if inf.read_memory(name_p, 9).tobytes() == b'etc/e820\0':
        break
ret = struct.unpack('<I', inf.read_memory(esp, 4).tobytes())[0]
gdb.execute('delete')
gdb.execute('hbreak *%%#x' %% ret)
gdb.execute('continue')
# What fw_cfg_read_file would have done with a file this long: room bytes copied,
# the file's whole size returned.
inf.write_memory(buf, blob[:room])
gdb.execute('set $eax = %%d' %% len(blob))
gdb.execute('delete')
print('HVMFW-INJECTED %%d bytes at %%#x (room %%d)' %% (len(blob), buf, room))
gdb.execute('detach')
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def boot_injected(args, name, kernel, initrd, blob, timeout):
    """Boot with fw_cfg etc/e820 replaced by blob (through gdb); a RunResult."""
    d = os.path.join(args.logs, name)
    os.makedirs(d, exist_ok=True)
    blob_path, script = os.path.join(d, "e820.bin"), os.path.join(d, "inject.py")
    with open(blob_path, "wb") as f:
        f.write(blob)
    with open(script, "w") as f:
        f.write(GDB_SCRIPT % {"blob": blob_path})
    port = free_port()
    r = hq.RunResult()
    serial, debugcon = os.path.join(d, "serial.log"), os.path.join(d, "debugcon.log")
    monitor = os.path.join(d, "monitor.sock")
    for p in (serial, debugcon, monitor):
        if os.path.exists(p):
            os.unlink(p)
    r.cmd = hq.qemu_command("q35", 1, kernel, initrd, serial, debugcon, rom=args.rom,
                            mem=RAM_MIB, extra=["-gdb", "tcp:127.0.0.1:%d" % port, "-S",
                                                "-monitor", "unix:%s,server,nowait" % monitor])
    t0 = time.monotonic()
    q = subprocess.Popen(r.cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.STDOUT, start_new_session=True)
    gdb = subprocess.run(["gdb", "-batch", "-nx", "-ex", "set architecture i386:x86-64",
                          "-ex", "file " + args.elf, "-ex", "target remote 127.0.0.1:%d" % port,
                          "-x", script], capture_output=True, text=True, timeout=120)
    with open(os.path.join(d, "gdb.log"), "w") as f:
        f.write(gdb.stdout + gdb.stderr)
    # Until QEMU exits, or hvmfw says it stops the guest (before the chipset is
    # known it cannot power off: it halts), or the time is up.
    r.halted = False
    while q.poll() is None and time.monotonic() - t0 < timeout:
        if "PANIC: stopping the guest" in hq._read(debugcon):
            time.sleep(1)
            r.halted = hq.vcpu_halted(monitor)
            break
        time.sleep(0.5)
    if q.poll() is None:
        r.timed_out = not r.halted
        hq._kill(q)
    r.returncode = q.returncode
    r.timeout = timeout
    r.elapsed = time.monotonic() - t0
    r.serial, r.debugcon = hq._read(serial), hq._read(debugcon)
    if "HVMFW-INJECTED" not in gdb.stdout:
        raise hq.Fail("%s: gdb did not replace etc/e820 (see %s/gdb.log)" % (name, d))
    print("--- %s: exit %s, %.1f s%s" % (name, r.returncode, r.elapsed,
                                          ", TIMED OUT" if r.timed_out else ""))
    return r


def hostile_e820(args, kernel, initrd, failures):
    os.makedirs(args.logs, exist_ok=True)
    blob, rsv = fragmented_map(55)
    r = boot_injected(args, "e820-113-entries", kernel, initrd, blob, args.timeout)
    check_booted(failures, "e820-113-entries", r)
    kmap = hq.parse_kernel_e820(r.serial)
    if not kmap:
        failures.append("e820-113-entries: no BIOS-e820 lines in the kernel log")
    lost = [(s, e) for s, e in rsv if not any(ks <= s and e <= ke and t == "reserved"
                                                for ks, ke, t in kmap)]
    if lost:
        failures.append("e820-113-entries: %d of %d reserved pages are not reserved in the "
                        "kernel's map, first %s" % (len(lost), len(rsv),
                                                     ["0x%x-0x%x" % x for x in lost[:3]]))
    # Nothing the map did not call RAM became RAM.
    ram = [(s, e) for s, e, t in hq.normalize_e820(
        [(s, s + n - 1, t) for s, n, t in (struct.unpack("<QQI", blob[i:i + 20])
                                           for i in range(0, len(blob), 20)) if t == 1])]
    invented = [(s, e) for s, e, t in kmap if t == "usable" and
                not any(rs <= s and e <= re_ for rs, re_ in ram)]
    if invented:
        failures.append("e820-113-entries: the kernel was given RAM that was not RAM: %s"
                        % ["0x%x-0x%x" % x for x in invented[:3]])

    too_many, _ = fragmented_map(98)
    r = boot_injected(args, "e820-200-entries", kernel, initrd, too_many, 60)
    check_panic(failures, "e820-200-entries", r, "fw_cfg etc/e820 has 200 entries, more than the 128")

    overlap = (e820_entry(0, 0x9FC00, 1) + e820_entry(0x100000, (RAM_MIB - 1) * MiB, 1) +
               e820_entry(256 * MiB, 0x1000, 2))
    r = boot_injected(args, "e820-overlap", kernel, initrd, overlap, 60)
    check_panic(failures, "e820-overlap", r, "overlapping ranges of different types")

    wrap = (e820_entry(0, 0x9FC00, 1) + e820_entry(0x100000, (RAM_MIB - 1) * MiB, 1) +
            e820_entry(0xFFFFFFFFFFFFF000, 0x2000, 2))
    r = boot_injected(args, "e820-wrap", kernel, initrd, wrap, 60)
    check_panic(failures, "e820-wrap", r, "runs past the top of the address space")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", required=True,
                    choices=["hostile-kernel", "hostile-config", "hostile-e820"])
    ap.add_argument("--rom", required=True)
    ap.add_argument("--elf", help="hvmfw.elf (symbols for gdb; hostile-e820)")
    ap.add_argument("--guest", required=True)
    ap.add_argument("--logs", required=True)
    ap.add_argument("--timeout", type=float, default=150)
    args = ap.parse_args()
    g = hq.find_guest(args.guest)
    if not g:
        print("SKIP: no guest in %s (tools/fetch-guest.sh)" % args.guest)
        sys.exit(77)
    kernel, initrd = g
    failures = []
    try:
        if args.scenario == "hostile-kernel":
            hostile_kernel(args, kernel, initrd, failures)
        elif args.scenario == "hostile-config":
            hostile_config(args, kernel, initrd, failures)
        else:
            hostile_e820(args, kernel, initrd, failures)
    except hq.Fail as e:
        failures.append(str(e))
    for f in failures:
        print("FAIL " + f)
    if failures:
        sys.exit(1)
    print("PASS %s" % args.scenario)


if __name__ == "__main__":
    main()
