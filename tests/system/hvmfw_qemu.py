# SPDX-License-Identifier: MIT
"""hvmfw system-test library: run QEMU with the test guest and parse what
the firmware and the guest reported.  Python 3 standard library only.

Inputs it understands:
  * the firmware log (debugcon at 0xE9, and lines of COM1 before the kernel),
    lines containing "[hvmfw]":
        [hvmfw] acpi: <SIG> @ 0x<addr> len <n>
        [hvmfw] e820: [mem 0x%016x-0x%016x] <type>
  * the guest console (COM1) written by tests/system/guest-init.sh:
        ===HVMFW-SECTION <name>=== ... ===HVMFW-SECTION-END <name>===
        ===HVMFW-ACPI <name> <size> <md5>=== od lines ===HVMFW-ACPI-END <name>===
        ===HVMFW-BEGIN=== / ===HVMFW-END===
"""
import glob
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time

# ---------------------------------------------------------------------------
# Guest and QEMU runner
# ---------------------------------------------------------------------------

DEFAULT_APPEND = "console=ttyS0 panic=-1"


def find_guest(guest_dir):
    """Return (kernel, initrd) paths, or None if the guest is not there."""
    if not guest_dir or not os.path.isdir(guest_dir):
        return None
    kernel = os.path.join(guest_dir, "vmlinuz")
    if not os.path.isfile(kernel):
        ks = sorted(glob.glob(os.path.join(guest_dir, "vmlinuz-*")))
        if not ks:
            return None
        kernel = ks[-1]
    initrd = os.path.join(guest_dir, "initramfs.cpio.gz")
    if not os.path.isfile(initrd):
        return None
    return kernel, initrd


class RunResult:
    def __init__(self):
        self.cmd = []
        self.returncode = None      # None when QEMU had to be killed
        self.timed_out = False
        self.elapsed = 0.0
        self.timeout = 0
        self.serial = ""
        self.debugcon = ""
        self.stderr = ""
        self.start_error = None     # QEMU could not be started at all
        self.qmp_log = []           # QMP exchange of the steps (run_qemu steps=)
        self.steps_left = []        # markers of steps that never ran


def qemu_command(machine, smp, kernel, initrd, serial_path, debugcon_path,
                 rom=None, mem=512, append=DEFAULT_APPEND, extra=(), qemu="qemu-system-x86_64",
                 accel="tcg"):
    cmd = [qemu,
           "-machine", machine, "-accel", accel, "-m", str(mem), "-smp", str(smp),
           "-nodefaults", "-display", "none", "-vga", "none", "-no-reboot",
           "-kernel", kernel, "-initrd", initrd, "-append", append,
           "-chardev", "file,id=hvmfwdbg,path=" + debugcon_path,
           "-device", "isa-debugcon,iobase=0xe9,chardev=hvmfwdbg",
           "-serial", "file:" + serial_path]
    if rom:
        cmd += ["-bios", rom]
    cmd += list(extra)
    return cmd


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace").replace("\r", "")
    except OSError:
        return ""


class Qmp:
    """A QMP client on a unix socket: cmd() sends one command, returns its reply."""

    def __init__(self, path, log, timeout=30):
        self.log = log
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.f = self.sock.makefile("rw")
        self._read()                        # the greeting
        self.cmd("qmp_capabilities")

    def _read(self):
        line = self.f.readline()
        if not line:
            raise OSError("QMP connection closed")
        self.log.append("<- " + line.strip())
        return json.loads(line)

    def cmd(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.log.append("-> " + json.dumps(msg))
        self.f.write(json.dumps(msg) + "\n")
        self.f.flush()
        while True:
            r = self._read()
            if "return" in r or "error" in r:   # events in between are logged only
                return r

    def close(self):
        self.sock.close()


def _run_steps(p, r, serial_path, qmp_path, steps, deadline):
    """Wait for QEMU to exit; meanwhile, when the guest console shows a step's
    marker, run that step's function with a Qmp client (each step once, in order)."""
    qmp, pending = None, list(steps)
    try:
        while p.poll() is None and time.monotonic() < deadline:
            if pending and pending[0][0] in _read(serial_path):
                marker, fn = pending.pop(0)
                if qmp is None:
                    qmp = Qmp(qmp_path, r.qmp_log)
                r.qmp_log.append("step " + marker)
                fn(qmp)
                continue
            time.sleep(0.2)
    except (OSError, ValueError) as e:
        r.qmp_log.append("QMP failed: %s" % e)
    finally:
        if qmp:
            qmp.close()
    r.steps_left = [m for m, _ in pending]
    if p.poll() is None:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
    return p.poll()


def run_qemu(log_dir, machine, smp, kernel, initrd, rom=None, mem=512,
             append=DEFAULT_APPEND, extra=(), timeout=120, qemu="qemu-system-x86_64",
             steps=()):
    """Boot once; every file lands in log_dir (which is emptied first).
    steps: (marker, fn) pairs; fn(Qmp) runs once the guest console shows the
    marker (hot-plug tests). The QMP exchange is kept in qmp.log."""
    if os.path.isdir(log_dir):
        shutil.rmtree(log_dir)
    os.makedirs(log_dir)
    serial_path = os.path.join(log_dir, "serial.log")
    debugcon_path = os.path.join(log_dir, "debugcon.log")
    stderr_path = os.path.join(log_dir, "qemu-stderr.log")
    qmp_path = os.path.join(log_dir, "qmp.sock")
    r = RunResult()
    r.timeout = timeout
    if steps:
        extra = list(extra) + ["-qmp", "unix:%s,server=on,wait=off" % qmp_path]
    r.cmd = qemu_command(machine, smp, kernel, initrd, serial_path, debugcon_path,
                         rom=rom, mem=mem, append=append, extra=extra, qemu=qemu)
    with open(os.path.join(log_dir, "qemu-cmd.txt"), "w") as f:
        f.write(" ".join(_shell_quote(a) for a in r.cmd) + "\n")
    t0 = time.monotonic()
    try:
        with open(stderr_path, "wb") as err:
            p = subprocess.Popen(r.cmd, stdin=subprocess.DEVNULL, stdout=err,
                                 stderr=subprocess.STDOUT, start_new_session=True)
            try:
                if steps:
                    r.returncode = _run_steps(p, r, serial_path, qmp_path, steps, t0 + timeout)
                    if r.returncode is None:
                        raise subprocess.TimeoutExpired(r.cmd, timeout)
                else:
                    r.returncode = p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                r.timed_out = True
                _kill(p)
    except OSError as e:
        r.start_error = str(e)
    if steps:
        with open(os.path.join(log_dir, "qmp.log"), "w") as f:
            f.write("\n".join(r.qmp_log) + "\n")
    r.elapsed = time.monotonic() - t0
    r.serial = _read(serial_path)
    r.debugcon = _read(debugcon_path)
    r.stderr = _read(stderr_path)
    with open(os.path.join(log_dir, "run.txt"), "w") as f:
        f.write("returncode %s\ntimed_out %s\nelapsed %.2f\n"
                % (r.returncode, r.timed_out, r.elapsed))
    return r


def vcpu_halted(monitor_path):
    """Ask QEMU's HMP monitor (a unix socket) for the registers: True when the
    vCPU is stopped in HLT (QEMU shows HLT=1)."""
    try:
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(5)
        s.connect(monitor_path)
        s.sendall(b"info registers\n")
        out, end = b"", time.time() + 5
        while time.time() < end and b"EFER=" not in out:
            out += s.recv(4096)
        s.close()
    except OSError:
        return False
    return b"HLT=1" in out


def _kill(p):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(p.pid, sig)
        except OSError:
            pass
        try:
            p.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            continue


def _shell_quote(s):
    if re.fullmatch(r"[A-Za-z0-9_./:=,+-]+", s):
        return s
    return "'" + s.replace("'", "'\\''") + "'"


def tail(text, n=25):
    lines = text.rstrip("\n").split("\n") if text else []
    return "\n".join(lines[-n:])


# ---------------------------------------------------------------------------
# Guest report parser
# ---------------------------------------------------------------------------

class GuestReport:
    def __init__(self):
        self.began = False
        self.ended = False
        self.sections = {}          # name -> text
        self.acpi = {}              # name -> dict(size, md5, data(bytes or None), error)
        self.console_before = ""    # console text before ===HVMFW-BEGIN=== (boot log)
        self.console_after = ""     # console text after ===HVMFW-END=== (power-off)


_SEC_RE = re.compile(r"^===HVMFW-SECTION (\S+)===$")
_SEC_END_RE = re.compile(r"^===HVMFW-SECTION-END (\S+)===$")
_ACPI_RE = re.compile(r"^===HVMFW-ACPI (\S+) (\d+) ([0-9a-f]{32})===$")
_ACPI_END_RE = re.compile(r"^===HVMFW-ACPI-END (\S+)===$")
_HEX_RE = re.compile(r"^(?: [0-9a-f]{2})+$")


def parse_guest(serial):
    """Split the console text into the sections written by guest-init.sh."""
    g = GuestReport()
    lines = serial.replace("\r", "").split("\n")
    before, after = [], []
    cur = None          # (kind, name, list)
    acpi_meta = None
    for line in lines:
        s = line.rstrip()
        if s == "===HVMFW-BEGIN===":
            g.began = True
            continue
        if s == "===HVMFW-END===":
            g.ended = True
            cur = None
            continue
        if not g.began:
            before.append(line)
            continue
        if g.ended:
            after.append(line)
            continue
        m = _SEC_RE.match(s)
        if m:
            cur = ("sec", m.group(1), [])
            continue
        m = _SEC_END_RE.match(s)
        if m:
            if cur and cur[0] == "sec" and cur[1] == m.group(1):
                g.sections[cur[1]] = "\n".join(cur[2]) + ("\n" if cur[2] else "")
            cur = None
            continue
        m = _ACPI_RE.match(s)
        if m:
            cur = ("acpi", m.group(1), [])
            acpi_meta = (int(m.group(2)), m.group(3))
            continue
        m = _ACPI_END_RE.match(s)
        if m:
            if cur and cur[0] == "acpi" and cur[1] == m.group(1):
                size, md5 = acpi_meta
                data = bytes(int(b, 16) for l in cur[2] for b in l.split())
                err = None
                if len(data) != size:
                    err = "rebuilt %d bytes, guest said %d" % (len(data), size)
                elif hashlib.md5(data).hexdigest() != md5:
                    err = "md5 of rebuilt bytes differs from the guest's"
                g.acpi[cur[1]] = {"size": size, "md5": md5, "data": data, "error": err}
            cur = None
            continue
        if cur is None:
            continue
        if cur[0] == "acpi":
            # only od lines; anything else is a stray kernel message
            if _HEX_RE.match(s):
                cur[2].append(s)
        else:
            cur[2].append(line)
    # a section cut off by the end of the log is kept as far as it got
    if cur and cur[0] == "sec" and cur[1] not in g.sections:
        g.sections[cur[1]] = "\n".join(cur[2])
    g.console_before = "\n".join(before)
    g.console_after = "\n".join(after)
    return g


# ---------------------------------------------------------------------------
# Firmware log
# ---------------------------------------------------------------------------

def firmware_lines(debugcon, serial):
    """The firmware's own lines: from debugcon if it has any, else COM1."""
    for text in (debugcon, serial):
        lines = [l for l in text.split("\n") if "[hvmfw]" in l]
        if lines:
            return lines
    return []


_FW_ACPI_RE = re.compile(r"acpi: (\w{4}) @ 0x([0-9a-fA-F]+) len (\d+)")
_FW_E820_RE = re.compile(r"e820: \[mem 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\] (.+?)\s*$")


def parse_fw_acpi(fw_lines):
    """[(sig, addr, length)] in log order, duplicates removed."""
    out = []
    for l in fw_lines:
        m = _FW_ACPI_RE.search(l)
        if m:
            t = (m.group(1), int(m.group(2), 16), int(m.group(3)))
            if t not in out:
                out.append(t)
    return out


_FW_RSDP_RE = re.compile(r"acpi: RSDP @ 0x([0-9a-fA-F]+)")


def parse_fw_rsdp(fw_lines):
    """Address from the firmware's 'acpi: RSDP @ 0x...' line (any suffix), or None."""
    addr = None
    for l in fw_lines:
        m = _FW_RSDP_RE.search(l)
        if m:
            addr = int(m.group(1), 16)
    return addr


def parse_fw_e820(fw_lines):
    """The firmware's e820: the last unbroken run of e820 lines in its log
    (so a firmware that prints an early and a final map is compared by the
    final one).  [(start, end_inclusive, type)]"""
    blocks, cur = [], []
    for l in fw_lines:
        m = _FW_E820_RE.search(l)
        if m:
            cur.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3)))
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return blocks[-1] if blocks else []


# ---------------------------------------------------------------------------
# Kernel log
# ---------------------------------------------------------------------------

_K_E820_RE = re.compile(r"BIOS-e820: \[mem 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\] (.+?)\s*$")
_K_ACPI_RE = re.compile(r"ACPI: (\S{4}) 0x([0-9A-Fa-f]+) ([0-9A-Fa-f]+)(?:\s|$)")


def parse_kernel_e820(dmesg):
    out = []
    for l in dmesg.split("\n"):
        m = _K_E820_RE.search(l)
        if m:
            out.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3)))
    return out


def parse_kernel_acpi(dmesg):
    """[(sig, addr, length)] from the kernel's table list (includes RSDP)."""
    out = []
    for l in dmesg.split("\n"):
        m = _K_ACPI_RE.search(l)
        if m:
            t = (m.group(1), int(m.group(2), 16), int(m.group(3), 16))
            if t not in out:
                out.append(t)
    return out


def normalize_e820(entries):
    """Sort and merge overlapping or adjacent ranges of the same type."""
    out = []
    for s, e, t in sorted(entries, key=lambda x: (x[0], x[1])):
        if out and out[-1][2] == t and s <= out[-1][1] + 1:
            ps, pe, pt = out[-1]
            out[-1] = (ps, max(pe, e), pt)
        else:
            out.append((s, e, t))
    return out


def fmt_e820(entries):
    return "\n".join("    [mem 0x%016x-0x%016x] %s" % e for e in entries) or "    (none)"


_ACPI_ERR_RE = re.compile(r"ACPI (?:BIOS )?(?:Error|Warning)")


def acpi_error_lines(dmesg):
    return [l for l in dmesg.split("\n") if _ACPI_ERR_RE.search(l)]


_CONFLICT_RE = re.compile(r"conflict|can't claim|BAR \d+.*failed|no space", re.IGNORECASE)


def resource_conflict_lines(dmesg):
    return [l for l in dmesg.split("\n") if _CONFLICT_RE.search(l)]


_SMP_RE = re.compile(r"smp: Brought up (\d+) nodes?, (\d+) CPUs?")


def smp_brought_up(dmesg):
    m = None
    for m in _SMP_RE.finditer(dmesg):
        pass
    return int(m.group(2)) if m else None


# ---------------------------------------------------------------------------
# /proc/iomem
# ---------------------------------------------------------------------------

class Res:
    def __init__(self, start, end, name, depth):
        self.start, self.end, self.name, self.depth = start, end, name, depth
        self.children = []

    def __repr__(self):
        return "%08x-%08x : %s" % (self.start, self.end, self.name)


_IOMEM_RE = re.compile(r"^( *)([0-9a-fA-F]+)-([0-9a-fA-F]+) : (.*)$")


def parse_iomem(text):
    """Parse /proc/iomem (or /proc/ioports) into a tree; returns the root."""
    root = Res(0, (1 << 64) - 1, "<root>", -1)
    stack = [root]
    for line in text.split("\n"):
        m = _IOMEM_RE.match(line.rstrip())
        if not m:
            continue
        depth = len(m.group(1)) // 2
        r = Res(int(m.group(2), 16), int(m.group(3), 16), m.group(4), depth)
        while stack[-1].depth >= depth:
            stack.pop()
        stack[-1].children.append(r)
        stack.append(r)
    return root


def resource_problems(root):
    """Overlapping siblings, children outside their parent, end < start."""
    probs = []

    def walk(node):
        kids = sorted(node.children, key=lambda r: (r.start, r.end))
        for k in kids:
            if k.end < k.start:
                probs.append("end before start: %r" % k)
            if node.depth >= 0 and (k.start < node.start or k.end > node.end):
                probs.append("%r lies outside its parent %r" % (k, node))
        for a, b in zip(kids, kids[1:]):
            if b.start <= a.end:
                probs.append("siblings overlap: %r and %r (under %r)" % (a, b, node))
        for k in kids:
            walk(k)

    walk(root)
    return probs


def count_resources(root):
    n = 0
    stack = [root]
    while stack:
        x = stack.pop()
        n += len(x.children)
        stack.extend(x.children)
    return n


# ---------------------------------------------------------------------------
# PCI section
# ---------------------------------------------------------------------------

# Enumeration lines: what the BARs held when Linux first read them, i.e. what
# the firmware programmed. 6.1.1xx and later: "pci 0000:00:03.0: BAR 0 [mem
# 0xfeba0000-0xfebbffff]"; older: "pci 0000:00:03.0: reg 0x10: [mem ...]".
# Lines with a suffix (": assigned", "can't assign") are later events.
_ENUM_BAR_RE = re.compile(
    r"pci (\S+): (?:BAR (\d+) |reg 0x([0-9a-f]+): )\[(mem|io)\s+0x([0-9a-f]+)-0x([0-9a-f]+)[^\]]*\]\s*$")


def parse_enum_bars(dmesg):
    """[(bdf, bar_index, 'mem'|'io', start, end)] for BARs 0-5 as enumerated."""
    out = []
    for l in dmesg.split("\n"):
        m = _ENUM_BAR_RE.search(l.rstrip())
        if not m:
            continue
        if m.group(2) is not None:
            idx = int(m.group(2))
        else:
            off = int(m.group(3), 16)
            if off < 0x10 or off > 0x24:
                continue        # ROM BAR (0x30) or a bridge's
            idx = (off - 0x10) // 4
        if idx > 5:
            continue
        t = (m.group(1), idx, m.group(4), int(m.group(5), 16), int(m.group(6), 16))
        if t not in out:
            out.append(t)
    return out


def parse_pci(text):
    devs = {}
    cur = None
    for line in text.split("\n"):
        s = line.strip()
        if s.startswith("device ") and not line.startswith(" "):
            cur = {"bdf": s.split()[1], "resources": []}
            devs[cur["bdf"]] = cur
        elif cur is not None and s:
            k, _, v = s.partition(" ")
            if k == "resource":
                parts = v.split()
                if len(parts) == 4:
                    cur["resources"].append((int(parts[0]),) + tuple(int(x, 16) for x in parts[1:]))
            elif k in ("vendor", "device", "class"):
                cur[k] = int(v, 16) if v else None
            elif k == "config_size":
                cur[k] = int(v) if v.isdigit() else None
            else:
                cur[k] = v
    return devs


# ---------------------------------------------------------------------------
# ACPI tables
# ---------------------------------------------------------------------------

def acpi_checksum_ok(name, data):
    """FACS has no checksum; every other table sums to 0 over its length."""
    if name.startswith("FACS"):
        return True
    return sum(data) & 0xFF == 0


# iasl -d prints these for bad checksums, invalid names, broken AML
_IASL_BAD_RE = re.compile(r"\b(?:Error|Warning|Exception)\b|does not contain a valid|too long for file")


def iasl_disassemble(tables, out_dir, iasl="iasl"):
    """Disassemble each table with `iasl -d`; DSDT/SSDTs get the others as
    externals (-e).  Returns {name: (ok, output)}."""
    os.makedirs(out_dir, exist_ok=True)
    paths = {}
    for name, t in tables.items():
        fn = name.replace("/", "_")
        p = os.path.join(out_dir, fn + ".dat")
        with open(p, "wb") as f:
            f.write(t["data"])
        paths[name] = p
    aml = [n for n in paths if n.split("/")[-1].startswith(("DSDT", "SSDT"))]
    res = {}
    for name, p in paths.items():
        cmd = [iasl]
        others = [paths[o] for o in aml if o != name]
        if name in aml and others:
            cmd += ["-e"] + others
        cmd += ["-d", p]
        dsl = os.path.splitext(p)[0] + ".dsl"
        if os.path.exists(dsl):
            os.remove(dsl)
        try:
            cp = subprocess.run(cmd, cwd=out_dir, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, timeout=60)
            full = cp.stdout.decode("utf-8", "replace")
            bad = [l.strip() for l in full.split("\n") if _IASL_BAD_RE.search(l)]
            ok = cp.returncode == 0 and os.path.isfile(dsl) and not bad
            out = "ok"
            if not ok:
                out = ("exit status %d; " % cp.returncode
                       + ("; ".join(bad[:5]) if bad else full.strip().split("\n")[0]))
        except (OSError, subprocess.TimeoutExpired) as e:
            full, out, ok = str(e), str(e), False
        with open(os.path.splitext(p)[0] + ".iasl.txt", "w") as f:
            f.write(" ".join(cmd) + "\n" + full)
        res[name] = (ok, out)
    return res


# ---------------------------------------------------------------------------
# Named checks
# ---------------------------------------------------------------------------

class Fail(Exception):
    pass


class Skip(Exception):
    pass


class Checks:
    """Runs named checks; each prints one PASS/FAIL/SKIP line."""

    def __init__(self, title, log_path=None):
        self.title = title
        self.results = []       # (name, status, message)
        self.log_path = log_path

    def run(self, name, fn):
        try:
            msg = fn()
            status = "PASS"
        except Fail as e:
            status, msg = "FAIL", str(e)
        except Skip as e:
            status, msg = "SKIP", str(e)
        except Exception as e:  # a bug in a check is a failure, never a pass
            status, msg = "FAIL", "check raised %s: %s" % (type(e).__name__, e)
        self.results.append((name, status, msg))
        line = "%s %s" % (status, name)
        if msg:
            first, _, rest = str(msg).partition("\n")
            line += ": " + first
            if rest:
                line += "\n" + "\n".join("    " + l for l in rest.split("\n"))
        print(line, flush=True)
        return status

    def count(self, status):
        return sum(1 for r in self.results if r[1] == status)

    def finish(self):
        summary = "%s: checks %d PASS, %d FAIL, %d SKIP" % (
            self.title, self.count("PASS"), self.count("FAIL"), self.count("SKIP"))
        print(summary, flush=True)
        if self.log_path:
            with open(self.log_path, "w") as f:
                for name, status, msg in self.results:
                    f.write("%s %s%s\n" % (status, name, (": " + msg) if msg else ""))
                f.write(summary + "\n")
        return 1 if self.count("FAIL") else 0


# ---------------------------------------------------------------------------
# PCI topology: the firmware's plan table and what the guest made of it
# ---------------------------------------------------------------------------

# "[hvmfw] pci: 07:01.0 8086:100e BAR0     mem32      0x0000020000 0x00000000f4800000 moved"
# res is BARn, ROM, win-io, win-mem or win-pref; placement moved, pinned or REFUSED.
_FW_PLAN_RE = re.compile(
    r"pci: ([0-9a-f]{2}):([0-9a-f]{2})\.([0-7]) ([0-9a-f]{4}):([0-9a-f]{4}) "
    r"(BAR[0-5]|ROM|win-io|win-mem|win-pref)\s+(\S+)\s+0x([0-9a-f]+) 0x([0-9a-f]+) "
    r"(moved|pinned|REFUSED)\s*$")
# "[hvmfw] pci: 00:08.0 1b36:000c bus 08-0b hot-plug reserve-cap"
_FW_BRIDGE_RE = re.compile(
    r"pci: ([0-9a-f]{2}):([0-9a-f]{2})\.([0-7]) ([0-9a-f]{4}):([0-9a-f]{4}) "
    r"bus ([0-9a-f]{2})-([0-9a-f]{2})((?: \S+)*)\s*$")
_FW_PCI_SUM_RE = re.compile(
    r"pci: (\d+) functions, (\d+) bridges, buses ([0-9a-f]{2})-([0-9a-f]{2}), "
    r"(\d+) refused, (\d+) dropped")
# "[hvmfw] pci: hole 0xf0000000-0xffffffff (256 MiB), mmio_hole=256 holds all 32-bit demand"
_FW_PCI_HOLE_RE = re.compile(r"pci: hole 0x([0-9a-f]+)[-,]")
# "[hvmfw] pci: mem32 0x..+0x.., mem64 0x..+0x.., io 0x..+0x.., ecam 0x..+0x..[, ...]"
_FW_PCI_WIN_RE = re.compile(
    r"pci: (?:hole 0x[0-9a-f]+, )?mem32 0x([0-9a-f]+)\+0x([0-9a-f]+), "
    r"mem64 0x([0-9a-f]+)\+0x([0-9a-f]+), io 0x([0-9a-f]+)\+0x([0-9a-f]+), "
    r"ecam 0x([0-9a-f]+)\+0x([0-9a-f]+)")
# Refusal lines of the enumerator (src/pci/assign.c, size.c):
#   "pci: BB:DD.F VVVV:DDDD BAR0 (0x1000 bytes) refused: <reason>; memory decode left off"
#   "pci: BB:DD.F VVVV:DDDD ROM0 (0x10000 bytes) refused: <reason>; ROM decode left off"
#   "pci: BB:DD.F VVVV:DDDD memory window (0x200000 bytes) refused: <reason>; closed, ..."
#   "pci: BB:DD.F VVVV:DDDD BAR0 (0x1000 bytes) refused: pin at 0x...: <reason>; placed as a movable BAR"
_FW_REFUSAL_RE = re.compile(
    r"pci: ([0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) ([0-9a-f]{4}:[0-9a-f]{4}) "
    r"(BAR[0-5]|ROM\d*|I/O window|memory window|prefetchable window) "
    r"\(0x([0-9a-f]+) bytes\) refused: ([^;]+)")


def _fw_bdf(m, first=1):
    return "0000:%s:%s.%s" % (m.group(first), m.group(first + 1), m.group(first + 2))


def parse_fw_plan(fw_lines):
    """The firmware's PCI plan table: [dict(bdf '0000:BB:DD.F', id (vendor, device),
    res 'BARn'|'ROM'|'win-io'|'win-mem'|'win-pref', type, size, addr, placement)].
    Only the last table in the log counts."""
    tables, cur = [], None
    for l in fw_lines:
        if re.search(r"pci: device\s+res\s+type", l):
            cur = []
            tables.append(cur)
            continue
        m = _FW_PLAN_RE.search(l)
        if m:
            if cur is None:
                cur = []
                tables.append(cur)
            cur.append({"bdf": _fw_bdf(m), "id": (int(m.group(4), 16), int(m.group(5), 16)),
                        "res": m.group(6), "type": m.group(7), "size": int(m.group(8), 16),
                        "addr": int(m.group(9), 16), "placement": m.group(10)})
    return tables[-1] if tables else []


def parse_fw_bridges(fw_lines):
    """{bdf: dict(id, secondary, subordinate, flags set)} from 'bus XX-YY' lines."""
    out = {}
    for l in fw_lines:
        m = _FW_BRIDGE_RE.search(l)
        if m:
            out[_fw_bdf(m)] = {"id": (int(m.group(4), 16), int(m.group(5), 16)),
                               "secondary": int(m.group(6), 16),
                               "subordinate": int(m.group(7), 16),
                               "flags": set(m.group(8).split())}
    return out


def parse_fw_pci_summary(fw_lines):
    """dict(functions, bridges, bus_first, bus_last, refused, dropped, and from the
    hole line: hole, mem32, mem32_len, mem64, mem64_len, io, io_len, ecam, ecam_len),
    keys missing when the line is not there."""
    out = {}
    for l in fw_lines:
        m = _FW_PCI_SUM_RE.search(l)
        if m:
            out.update(functions=int(m.group(1)), bridges=int(m.group(2)),
                       bus_first=int(m.group(3), 16), bus_last=int(m.group(4), 16),
                       refused=int(m.group(5)), dropped=int(m.group(6)))
        m = _FW_PCI_HOLE_RE.search(l)
        if m:
            out.update(hole=int(m.group(1), 16))
        m = _FW_PCI_WIN_RE.search(l)
        if m:
            v = [int(x, 16) for x in m.groups()]
            out.update(mem32=v[0], mem32_len=v[1], mem64=v[2], mem64_len=v[3],
                       io=v[4], io_len=v[5], ecam=v[6], ecam_len=v[7])
    return out


def parse_fw_refusals(fw_lines):
    """[dict(bdf, id 'vvvv:dddd', what 'BAR0'|'ROM0'|'memory window'|..., size, reason, line)]"""
    out = []
    for l in fw_lines:
        m = _FW_REFUSAL_RE.search(l)
        if m:
            out.append({"bdf": "0000:" + m.group(1), "id": m.group(2), "what": m.group(3),
                        "size": int(m.group(4), 16), "reason": m.group(5).strip(),
                        "line": l.strip()})
    return out


def parse_pci_tree(text):
    """{bdf: [bdf of the root-bus ancestor, ..., bdf]} from the pci-tree section
    ('0000:05:00.0 /sys/devices/pci0000:00/0000:00:06.0/.../0000:05:00.0')."""
    out = {}
    for line in text.split("\n"):
        parts = line.split()
        if len(parts) != 2:
            continue
        chain = [c for c in parts[1].split("/")
                 if re.fullmatch(r"[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]", c)]
        if chain:
            out[parts[0]] = chain
    return out


_K_BRIDGE_BUS_RE = re.compile(r"pci (\S+): PCI bridge to \[bus ([0-9a-f]{2})(?:-([0-9a-f]{2}))?\]")


def parse_kernel_bridge_buses(dmesg):
    """{bdf: (secondary, subordinate)} from the kernel's first 'PCI bridge to [bus ..]'."""
    out = {}
    for l in dmesg.split("\n"):
        m = _K_BRIDGE_BUS_RE.search(l)
        if m and m.group(1) not in out:
            sec = int(m.group(2), 16)
            out[m.group(1)] = (sec, int(m.group(3), 16) if m.group(3) else sec)
    return out


# What Linux prints when it (re)assigns, sizes, releases or rejects PCI
# resources itself. Reading a BAR ("BAR 0 [mem ...]", "reg 0x10: [mem ...]")
# and listing windows ("bridge window [mem ...]") are not in here.
_K_PCI_LINE_RE = re.compile(r"\b(?:pci|pci_bus) [0-9a-f]{4}:[0-9a-f]{2}(?::[0-9a-f]{2}\.[0-7])?: ")
_K_PCI_CHANGE_RE = re.compile(
    r"assign|no space|can't claim|not claimed|failed|conflict|add_size|disabling bridge window|"
    r"released|releasing|reconfigur|invalid|clipped|truncat|hidden|busn_res|can't (?:allocate|handle)|"
    r"error updating|no compatible bridge window", re.IGNORECASE)
_K_PCI_GLOBAL_RE = re.compile(r"pci=realloc|PCI device resources are unassigned|"
                              r"Some PCI device resources", re.IGNORECASE)


def kernel_pci_changes(dmesg):
    """Kernel log lines saying Linux assigned, moved, sized, released or could not
    claim a PCI resource (BAR, ROM, bridge window, bus number) itself."""
    out = []
    for l in dmesg.split("\n"):
        if (_K_PCI_LINE_RE.search(l) and _K_PCI_CHANGE_RE.search(l)) or _K_PCI_GLOBAL_RE.search(l):
            out.append(l.strip())
    return out


# sysfs resource flags (include/linux/ioport.h)
IORESOURCE_IO = 0x00000100
IORESOURCE_MEM = 0x00000200
IORESOURCE_PREFETCH = 0x00002000
IORESOURCE_MEM_64 = 0x00100000


def guest_resource(dev, res):
    """The guest's (start, end, flags) for 'BARn', 'ROM', 'win-io', 'win-mem' or
    'win-pref' of a parse_pci() device, or None. Bridge windows are told apart by
    their flags (their index depends on CONFIG_PCI_IOV: 7-9 or 13-15)."""
    rs = {i: (s, e, f) for i, s, e, f in dev.get("resources", [])}
    if res.startswith("BAR"):
        return rs.get(int(res[3:]))
    if res == "ROM":
        return rs.get(6)
    for i in sorted(rs):
        if i < 7:
            continue
        s, e, f = rs[i]
        if res == "win-io" and f & IORESOURCE_IO:
            return rs[i]
        if res == "win-mem" and f & IORESOURCE_MEM and not f & IORESOURCE_PREFETCH:
            return rs[i]
        if res == "win-pref" and f & IORESOURCE_MEM and f & IORESOURCE_PREFETCH:
            return rs[i]
    return None


def guest_resources(dev):
    """[(name, start, end, flags)] for every non-empty BAR, ROM and bridge window."""
    out = []
    for i, s, e, f in dev.get("resources", []):
        if i <= 5:
            name = "BAR%d" % i
        elif i == 6:
            name = "ROM"
        elif f & IORESOURCE_IO:
            name = "win-io"
        elif f & IORESOURCE_PREFETCH:
            name = "win-pref"
        elif f & IORESOURCE_MEM:
            name = "win-mem"
        else:
            continue
        out.append((name, s, e, f))
    return out


def parse_pci_rom(text):
    """{bdf: dict(before (s, e, f), after (s, e, f), bytes, size)} and 'dmesg' lines,
    from the pci-rom section."""
    out, extra = {}, []
    for line in text.split("\n"):
        k, _, rest = line.partition(" ")
        if k == "dmesg":
            extra.append(rest)
            continue
        bdf, _, v = rest.partition(" ")
        if not bdf:
            continue
        d = out.setdefault(bdf, {})
        if k in ("before", "after"):
            p = v.split()
            d[k] = tuple(int(x, 16) for x in p) if len(p) == 3 else None
        elif k == "bytes":
            try:
                d[k] = bytes(int(x, 16) for x in v.split())
            except ValueError:
                d[k] = None
                d["error"] = v.strip()
        elif k == "size":
            d[k] = int(v) if v.strip().isdigit() else None
    return out, extra
