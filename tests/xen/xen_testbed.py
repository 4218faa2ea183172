#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""hvmfw Xen test bed: boot real Xen 4.17 (Debian's packages) nested in QEMU
(TCG), and in that one Xen boot run every guest of the plan one after another
with `xl create`: Debian's hvmloader (the baseline) and hvmfw
(`firmware="/path/hvmfw.elf"`), with a passed-through PCI device, with a BAR
too large for the hole, and with OVMF. Then check what each guest reported.

Steps:
  1. tests/xen/build-env.sh BUILD   (cached in BUILD/xen; exit 77 when it fails)
  2. the guest kernel + initramfs from tools/fetch-guest.sh BUILD (BUILD/guest)
  3. BUILD/xen/share/: hvmfw.elf, guest, xl.cfg files, plan.txt, dom0-run.sh;
     shared into dom0 with virtio-9p (mount tag "xentb")
  4. the outer QEMU; dom0's init runs dom0-run.sh from the share, which writes
     the per-guest logs to share/out/<guest>/ and powers Xen off
  5. named checks (PASS/FAIL/SKIP lines), a hvmloader vs hvmfw comparison,
     a timing summary

Exit status: 0 every check that ran passed, 1 a check failed, 77 the
environment cannot be built or run here (the reason is printed).

Logs: BUILD/xen/logs/ (xen-console.log with host time stamps, checks.txt,
comparison.txt, timing.txt, one folder per guest).
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SRC, "tests", "system"))
import hvmfw_qemu as hq  # noqa: E402  (the system tests' parsers)
from hvmfw_qemu import Fail, Skip  # noqa: E402
import mkinitramfs  # noqa: E402  (its newc writer builds the initramfs overlay)
import hotplug_test  # noqa: E402  (the hotplug-cpu section and MADT parsers)

SKIP_RC = 77
SHARE_IN_DOM0 = "/mnt/host"
EDU_HOST_BDF = "0000:00:05.0"     # where the outer QEMU puts edu (addr=0x5)
EDU_VSLOT = "6"                   # guest slot for it: never 00:02.0
EDU_ID = 0x010000ED
GUEST_CMDLINE = "console=hvc0 panic=-1"
BIGBAR_VRAM_MIB = 256
BIGBAR_MMIO_HOLE_MIB = 256
# The 256 MiB BAR is naturally aligned below Xen's reserved 0xFC000000: it can
# only start at 0xE0000000, i.e. mmio_hole=512.
BIGBAR_FITS_MIB = 512
# The pin the harness self-test's canned logs use (a firmware-friendly address).
EDU_PIN_ADDR = 0xF3000000
EDU_PIN = "00:%02x.0/bar0=0x%x" % (int(EDU_VSLOT, 16), EDU_PIN_ADDR)
# hvmfw-pin's report of a BAR it pinned: host BDF, guest BDF, BAR, host address
PIN_ROW = re.compile(r"^(\S+) -> (\S+) (bar\d|rom)\s+0x([0-9a-f]+) size 0x([0-9a-f]+)\S*"
                     r"(?: 64-bit)?(?: pref)?: pinned$", re.M)
# Low RAM hvmfw cannot work in (it needs 32 MiB): 24 MiB minus 8 MiB of VRAM.
FATAL_MEMORY_MIB = 24
# The whole test (environment, both boots if needed) within meson's 3600 s.
BUDGET_S = 3400

XEN_CMDLINE = ("console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M dom0_max_vcpus=1 "
               "dom0_vcpus_pin "
               "smap=0 loglvl=all guest_loglvl=all console_timestamps=boot conring_size=4M")
# clocksource=xen: TCG's TSC drifts; dom0's watchdog otherwise switches away
# from tsc in the middle of the run
DOM0_CMDLINE = ("root=/dev/vda rw console=hvc0 earlyprintk=xen clocksource=xen "
                "init=/sbin/xentb-init")


class Guest:
    def __init__(self, name, fw, role, pci=False, bigbar=False, ovmf=False, fatal=None,
                 first=90, stall=200, hard=420, memory=512, vcpus=2, hvmfw_keys=None,
                 maxvcpus=None, vcpu_set=None, pci_attach=False, host_pin=False):
        self.name, self.fw, self.role = name, fw, role
        # host_pin: created paused, dom0's hvmfw-pin reads edu's host BAR (given a
        # new address by dom0's kernel first: see write_plan) and writes the
        # pins, then unpauses
        self.host_pin = host_pin
        # maxvcpus= above vcpus=; vcpu_set: dom0 runs `xl vcpu-set NAME <n>` once the
        # guest waits for a CPU (hvmfw.wait=cpu, tests/system/guest-init.sh)
        self.maxvcpus, self.vcpu_set = maxvcpus, vcpu_set
        # pci_attach: edu is not in the config; dom0 runs `xl pci-attach` once the
        # guest waits for a PCI device (hvmfw.wait=pci), `xl pci-detach` once it
        # waits for it to go
        self.pci_attach = pci_attach
        # hvmfw's own configuration, written to the domain's xenstore hvmfw/<key>
        self.hvmfw_keys = hvmfw_keys or {}
        self.pci, self.bigbar, self.ovmf = pci, bigbar, ovmf
        # fatal: a pattern the firmware's last PANIC line must match; the
        # domain must then end as crashed, at once
        self.fatal = fatal
        # dom0 destroys the domain when it has printed nothing anywhere after
        # `first` s, when its output stopped growing for `stall` s (SeaBIOS's
        # linuxboot copies the kernel silently: 30-80 s here), or at `hard` s
        self.first, self.stall, self.hard = first, stall, hard
        self.memory, self.vcpus = memory, vcpus


# Order: the stock firmware first (the first xl create after boot is a few
# seconds slower), then each hvmfw case next to its baseline.
GUESTS = [
    Guest("hvmloader", "hvmloader", "(a) baseline: Debian's hvmloader + SeaBIOS, direct kernel boot"),
    Guest("hvmfw", "hvmfw", "(b) hvmfw as firmware=, direct kernel boot"),
    Guest("hvmloader-edu", "hvmloader", "baseline for (c): hvmloader with edu passed through",
          pci=True),
    Guest("hvmfw-edu", "hvmfw", "(c) hvmfw with edu passed through, its BAR0 pinned at its "
          "host address by dom0's hvmfw-pin", pci=True, host_pin=True),
    Guest("hvmfw-bigbar", "hvmfw", "(d) hvmfw with a %d MiB 32-bit BAR, mmio_hole=%d"
          % (BIGBAR_VRAM_MIB, BIGBAR_MMIO_HOLE_MIB), bigbar=True,
          memory=512 + BIGBAR_VRAM_MIB),
    Guest("hvmfw-fatal", "hvmfw", "(f) hvmfw on a guest too small for it (memory=%d): a "
          "fatal error names the reason and ends the domain as crashed" % FATAL_MEMORY_MIB,
          fatal=r"PANIC: only 0x[0-9a-f]+ bytes of low RAM; hvmfw needs at least 32 MiB",
          memory=FATAL_MEMORY_MIB, first=60, stall=60, hard=90),
    Guest("hvmfw-vcpus", "hvmfw", "(g) hvmfw with vcpus=1, maxvcpus=2: one CPU online at "
          "boot, the second added by xl vcpu-set while the guest runs", vcpus=1, maxvcpus=2,
          vcpu_set=2),
    Guest("hvmfw-pci-attach", "hvmfw", "(h) hvmfw: edu given to the running guest with xl "
          "pci-attach, then taken away with xl pci-detach", pci_attach=True),
    # hvmfw first here: the outer QEMU often dies while OVMF runs (Known limits)
    Guest("hvmfw-ovmf", "hvmfw", "(e) hvmfw + Debian's OVMF", ovmf=True, stall=75, hard=150),
    Guest("hvmloader-ovmf", "hvmloader", "baseline for (e): hvmloader + Debian's OVMF",
          ovmf=True, stall=75, hard=150),
]


def say(*a):
    print(*a, flush=True)


# ---------------------------------------------------------------------------
# Environment and share
# ---------------------------------------------------------------------------

def build_env(build, log_dir):
    """Run build-env.sh; returns (ok, seconds, message)."""
    t0 = time.monotonic()
    cp = subprocess.run(["bash", os.path.join(HERE, "build-env.sh"), build],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = cp.stdout.decode("utf-8", "replace")
    with open(os.path.join(log_dir, "build-env.out"), "w") as f:
        f.write(out)
    sys.stdout.write(out)
    return cp.returncode == 0, time.monotonic() - t0, out.strip().split("\n")[-1] if out else ""


def ensure_guest(build):
    g = hq.find_guest(os.path.join(build, "guest"))
    if g:
        return g, None
    cp = subprocess.run(["bash", os.path.join(SRC, "tools", "fetch-guest.sh"), build],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    g = hq.find_guest(os.path.join(build, "guest"))
    if not g:
        return None, cp.stdout.decode("utf-8", "replace").strip()
    return g, None


def write_overlay_initramfs(base_initrd, out):
    """The system tests' initramfs with tests/xen/guest/xentb-guest-init.sh as
    /init and their guest-init.sh as /hvmfw-init (a second gzip'd cpio member
    appended: the kernel unpacks both, later files win)."""
    import gzip
    a = mkinitramfs.Newc()
    with open(os.path.join(HERE, "guest", "xentb-guest-init.sh"), "rb") as f:
        a.add("init", mkinitramfs.S_REG_X, f.read())
    with open(os.path.join(SRC, "tests", "system", "guest-init.sh"), "rb") as f:
        a.add("hvmfw-init", mkinitramfs.S_REG_X, f.read())
    with open(base_initrd, "rb") as f:
        base = f.read()
    tmp = out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(base)
        with gzip.GzipFile(filename="", fileobj=f, mode="wb", mtime=0) as g:
            g.write(a.finish())
    os.replace(tmp, out)


def subst(text, vals):
    for k, v in vals.items():
        text = text.replace("@%s@" % k, str(v))
    left = re.findall(r"@[A-Z_]+@", "\n".join(
        l for l in text.split("\n") if not l.lstrip().startswith("#")))
    if left:
        raise RuntimeError("unfilled template variables: %s" % ", ".join(sorted(set(left))))
    return text


def guest_cfg(g):
    parts = ["base"]
    if g.fw == "hvmfw":
        parts.append("hvmfw")
    if g.pci:
        parts.append("edu")
    if g.bigbar:
        parts.append("bigbar")
    if g.ovmf:
        parts.append("ovmf")
    if g.maxvcpus:
        parts.append("maxvcpus")
    if g.pci_attach:
        parts.append("attach")
    waits = (["cpu"] if g.vcpu_set else []) + (["pci"] if g.pci_attach else [])
    cmdline = GUEST_CMDLINE + (" hvmfw.wait=" + ",".join(waits) if waits else "")
    vals = {"NAME": g.name, "SHARE": SHARE_IN_DOM0, "MEMORY": g.memory, "VCPUS": g.vcpus,
            "EDU_BDF": EDU_HOST_BDF, "EDU_VSLOT": EDU_VSLOT, "VRAM": BIGBAR_VRAM_MIB,
            "MMIO_HOLE": BIGBAR_MMIO_HOLE_MIB, "CMDLINE": cmdline, "MAXVCPUS": g.maxvcpus}
    text = ""
    for p in parts:
        with open(os.path.join(HERE, "cfg", p + ".cfg.in")) as f:
            text += subst(f.read(), vals) + "\n"
    return text


def write_plan(share, guests):
    """cfg/<guest>.cfg and plan.txt: the guests dom0 runs, in order."""
    with open(os.path.join(share, "plan.txt"), "w") as plan:
        for g in guests:
            with open(os.path.join(share, "cfg", g.name + ".cfg"), "w") as f:
                f.write(guest_cfg(g))
            flags = ""
            if g.pci or g.pci_attach:
                # SeaBIOS (outer) puts edu in 0xfc000000-4G, Xen's fixed range in every
                # guest: dom0's kernel moves it lower, as a host could have it
                flags = "newbar=%s " % EDU_HOST_BDF
            flags += ("pci=" + EDU_HOST_BDF) if g.pci else ""
            if g.host_pin:
                flags += " hvmfwpin"
            for k, v in sorted(g.hvmfw_keys.items()):
                flags += " hvmfw=%s=%s" % (k, v)
            if g.vcpu_set:
                flags += " vcpuset=%d" % g.vcpu_set
            if g.pci_attach:
                flags += " pciattach=%s@%s" % (EDU_HOST_BDF, EDU_VSLOT)
            plan.write("%s %d %d %d %s\n" % (g.name, g.first, g.stall, g.hard, flags))


# QEMU 7.2's TCG SVM: a CR8 write of the nested guest with a virtual interrupt
# pending calls cpu_interrupt() without the iothread lock (OVMF does that).
KNOWN_QEMU_ABORT = "tcg_handle_interrupt: assertion failed: (qemu_mutex_iothread_locked())"
INTERRUPTED = {}    # guest name -> how the outer QEMU died while it ran
NOT_STARTED = {}    # guest name -> how the outer QEMU died before it was created


def outer_crash_message(outer):
    tail = [l for _, l in outer.lines[-5:] if l.strip()]
    return "exit %s: %s" % (outer.returncode, tail[-1].strip() if tail else "no message")


def outer_crashed(outer):
    """The emulator itself died (a signal, e.g. a TCG assertion), as opposed
    to Xen, dom0 or a guest misbehaving: those end in a power-off or a kill."""
    return (not outer.killed and not outer.start_error and outer.returncode is not None
            and outer.returncode < 0)


def prepare_share(share, firmware, kernel, initrd, guests, pin_tool=None):
    if os.path.isdir(share):
        shutil.rmtree(share)
    for d in ("guest", "cfg", "out"):
        os.makedirs(os.path.join(share, d))
    shutil.copy(os.path.join(HERE, "dom0", "dom0-run.sh"), os.path.join(share, "dom0-run.sh"))
    if firmware:
        shutil.copy(firmware, os.path.join(share, "hvmfw.elf"))
    if pin_tool:
        shutil.copy(pin_tool, os.path.join(share, "hvmfw-pin"))
    shutil.copy(kernel, os.path.join(share, "guest", "vmlinuz"))
    write_overlay_initramfs(initrd, os.path.join(share, "guest", "initramfs-xentb.cpio.gz"))
    write_plan(share, guests)
    # qemu-dm in dom0 writes the guests' logs here (as root through 9p)
    os.chmod(os.path.join(share, "out"), 0o777)


# ---------------------------------------------------------------------------
# The outer QEMU
# ---------------------------------------------------------------------------

def outer_qemu_cmd(env, share, iommu=True):
    """iommu: an emulated VT-d (and edu) for pass-through; without it, QEMU
    7.2's TCG has so far never hit the assertion that OVMF guests trigger."""
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-machine", "q35,kernel-irqchip=split",
            "-cpu", "max,-x2apic", "-m", "3G", "-smp", "2", "-no-reboot",
            "-display", "none", "-vga", "none", "-nodefaults",
            "-kernel", os.path.join(env, "xen.elf"), "-append", XEN_CMDLINE,
            "-initrd", "%s %s,%s" % (os.path.join(env, "vmlinuz"),
                                     DOM0_CMDLINE.replace(",", ",,"),
                                     os.path.join(env, "initrd.img")),
            "-device", "intel-iommu,intremap=on",
            "-drive", "file=%s,if=none,id=root,format=raw,snapshot=on"
            % os.path.join(env, "rootfs.img"),
            "-device", "virtio-blk-pci,drive=root,addr=0x3",
            "-fsdev", "local,id=xentb,path=%s,security_model=none" % share,
            "-device", "virtio-9p-pci,fsdev=xentb,mount_tag=xentb,addr=0x4",
            "-device", "edu,addr=0x5",
            "-serial", "stdio", "-monitor", "none"]
    if not iommu:
        i = cmd.index("intel-iommu,intremap=on")
        del cmd[i - 1:i + 1]
        i = cmd.index("edu,addr=0x5")
        del cmd[i - 1:i + 1]
    return cmd


class Outer:
    def __init__(self):
        self.lines = []          # (host seconds since start, text)
        self.returncode = None
        self.killed = None       # why it was killed, or None
        self.elapsed = 0.0
        self.start_error = None


def run_outer(cmd, log_dir, timeout, done_grace=40, quiet_limit=300,
              console="xen-console.log"):
    """Run the outer QEMU, time-stamping its console lines. Killed after
    `timeout` s, `done_grace` s after dom0 finished, or when the console has
    been silent for `quiet_limit` s (dom0 prints a heartbeat every 30 s)."""
    o = Outer()
    raw = open(os.path.join(log_dir, console), "w")
    with open(os.path.join(log_dir, "outer-qemu-cmd.txt"), "w") as f:
        f.write(" ".join(hq._shell_quote(a) for a in cmd) + "\n")
    t0 = time.monotonic()
    try:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as e:
        o.start_error = str(e)
        raw.close()
        return o
    done_at = [None]

    def reader():
        for b in iter(p.stdout.readline, b""):
            t = time.monotonic() - t0
            s = b.decode("utf-8", "replace").rstrip("\r\n").replace("\r", "")
            o.lines.append((t, s))
            raw.write("[+%8.3f] %s\n" % (t, s))
            raw.flush()
            if "===XENTB-DONE===" in s or "===XENTB-DOM0-POWEROFF===" in s:
                if done_at[0] is None:
                    done_at[0] = time.monotonic()
    th = threading.Thread(target=reader, daemon=True)
    th.start()
    while True:
        try:
            o.returncode = p.wait(timeout=1)
            break
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        last = o.lines[-1][0] if o.lines else 0.0
        if now - t0 - last > quiet_limit:
            o.killed = "no output on Xen's console for %d s (Xen or dom0 hung)" % quiet_limit
        elif now - t0 > timeout:
            o.killed = "overall limit of %d s reached" % timeout
        elif done_at[0] is not None and now - done_at[0] > done_grace:
            o.killed = "dom0 finished but Xen did not power the machine off within %d s" % done_grace
        if o.killed:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(p.pid, sig)
                except OSError:
                    pass
                try:
                    p.wait(timeout=5)
                    break
                except subprocess.TimeoutExpired:
                    continue
            break
    th.join(timeout=5)
    o.elapsed = time.monotonic() - t0
    raw.close()
    return o


# ---------------------------------------------------------------------------
# Parsing Xen's console and the guests' logs
# ---------------------------------------------------------------------------

# A guest's port-0xE9 line on Xen's console, as the outer COM1 and `xl dmesg`
# show it with console_timestamps=boot: "(d1) [   73.191000] HVM Loader"
_GUEST_LINE_RE = re.compile(r"^(?:\(XEN\) )?(?:\[\s*\d+\.\d+\] )?\(d(\d+)\) ?(?:\[\s*(\d+\.\d+)\] ?)?(.*)$")


def guest_fw_lines(text, domid=None):
    """[(xen_ts or None, text)] of the "(dN) ..." lines (port 0xE9 output) in
    Xen console text; only domain domid if given."""
    out = []
    for line in text.split("\n"):
        m = _GUEST_LINE_RE.match(line.rstrip("\r"))
        if not m:
            continue
        if domid is not None and int(m.group(1)) != int(domid):
            continue
        out.append((float(m.group(2)) if m.group(2) else None, m.group(3)))
    return out


def read(path):
    return hq._read(path)


def read_kv(path):
    kv = {}
    for line in read(path).split("\n"):
        k, _, v = line.partition(" ")
        if k:
            kv[k] = v.strip()
    return kv


def host_marks(outer):
    """Host time stamps of the dom0 markers and of each domain's first and
    last firmware line on Xen's console."""
    marks = {"create": {}, "end": {}, "domid": {}, "first": {}, "xen_started": None,
             "done": None, "dom0_up": None}
    for t, s in outer.lines:
        m = re.search(r"===XENTB-CREATE (\S+)===", s)
        if m:
            marks["create"][m.group(1)] = t
            continue
        m = re.search(r"===XENTB-END (\S+) ended=(\S+)===", s)
        if m:
            marks["end"][m.group(1)] = t
            continue
        m = re.search(r"===XENTB-DOMID (\S+) (\d+)===", s)
        if m:
            marks["domid"][m.group(1)] = int(m.group(2))
            continue
        if "===XENTB-XEN-STARTED" in s and marks["xen_started"] is None:
            marks["xen_started"] = t
        if "xentb-init: dom0 up" in s and marks["dom0_up"] is None:
            marks["dom0_up"] = t
        if "===XENTB-DONE===" in s and marks["done"] is None:
            marks["done"] = t
        g = _GUEST_LINE_RE.match(s)
        if g:
            marks["first"].setdefault(int(g.group(1)), t)
    return marks


# hvmloader's e820 dump: "[00]: 00000000:00000000 - 00000000:0009e000: RAM"
_HVML_E820_RE = re.compile(
    r"\[\d+\]: ([0-9a-fA-F]{8}):([0-9a-fA-F]{8}) - ([0-9a-fA-F]{8}):([0-9a-fA-F]{8}): (\w+)")
_HVML_TYPES = {"RAM": "usable", "RESERVED": "reserved", "ACPI": "ACPI data", "NVS": "ACPI NVS"}


def parse_hvmloader_e820(lines):
    """hvmloader prints [start, end) ranges; return [(start, end_inclusive, type)]
    of its last E820 table dump."""
    blocks, cur = [], []
    for l in lines:
        m = _HVML_E820_RE.search(l)
        if m:
            s = int(m.group(1) + m.group(2), 16)
            e = int(m.group(3) + m.group(4), 16)
            cur.append((s, e - 1, _HVML_TYPES.get(m.group(5), m.group(5))))
        elif cur and "HOLE" not in l:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return blocks[-1] if blocks else []


# SeaBIOS's e820 dump (the map it hands to the OS when hvmloader chains to it):
#   "e820 map has 7 items:" then "  0: 0000000000000000 - 000000000009fc00 = 1 RAM"
_SEABIOS_E820_RE = re.compile(r"^\s*\d+: ([0-9a-fA-F]{16}) - ([0-9a-fA-F]{16}) = (\d+)")
_SEABIOS_TYPES = {1: "usable", 2: "reserved", 3: "ACPI data", 4: "ACPI NVS", 5: "unusable"}


def parse_seabios_e820(lines):
    """[(start, end_inclusive, type)] of SeaBIOS's last 'e820 map has N items' dump."""
    blocks, cur, want = [], None, 0
    for l in lines:
        m = re.search(r"e820 map has (\d+) items", l)
        if m:
            cur, want = [], int(m.group(1))
            blocks.append(cur)
            continue
        if cur is not None and len(cur) < want:
            m = _SEABIOS_E820_RE.match(l)
            if m:
                t = int(m.group(3))
                cur.append((int(m.group(1), 16), int(m.group(2), 16) - 1,
                            _SEABIOS_TYPES.get(t, "type %d" % t)))
            else:
                cur = None
    return blocks[-1] if blocks else []


# What SeaBIOS may change in the map it is given (it rebuilds the legacy area
# below 1 MiB and reserves a page or so at the top of low RAM for itself, e.g.
# its Xen hypercall page); anything else is a difference that matters.
SEABIOS_MAX_TAKEN = 64 * 1024


def _segments(*maps):
    """Cut the address space at every range edge of the given maps
    ([(start, end_inclusive, ...)]): the pieces as (lo, hi_exclusive), each
    of one type in every map."""
    cuts = sorted({a for m in maps for r in m for a in (r[0], r[1] + 1)})
    return zip(cuts, cuts[1:])


def _type_at(m, a):
    for r in m:
        if r[0] <= a <= r[1]:
            return r[2]
    return None


def seabios_edits(given, final):
    """Differences between the e820 handed to SeaBIOS and the one it hands on
    that SeaBIOS's own edits do not explain: [] when the final map is the given
    one plus those edits. Maps are [(start, end_inclusive, type)]."""
    given, final = hq.normalize_e820(given), hq.normalize_e820(final)
    problems, taken = [], 0
    for lo, hi in _segments(given, final):
        tg, tf = _type_at(given, lo), _type_at(final, lo)
        if tg == tf:
            continue
        what = "[0x%x-0x%x] %s -> %s" % (lo, hi - 1, tg or "gap", tf or "gap")
        if hi <= 1 << 20:
            if "usable" in (tg, tf):
                problems.append(what + " (RAM below 1 MiB changed)")
            continue
        # the BIOS's own pages: RAM turned reserved at the top of a RAM range
        if tg == "usable" and tf == "reserved" and _type_at(given, hi) != "usable":
            taken += hi - lo
            continue
        problems.append(what)
    if taken > SEABIOS_MAX_TAKEN:
        problems.append("SeaBIOS took %d bytes of RAM (at most %d expected)"
                        % (taken, SEABIOS_MAX_TAKEN))
    return problems


_XEN_MAP_RE = re.compile(r"\[hvmfw\] xen: toolstack map 0x([0-9a-f]+)\+0x([0-9a-f]+) type (\d+)")


def xen_ram_map(fw_lines):
    """The RAM ranges Xen's XENMEM_memory_map gave the domain, as hvmfw logged
    them: [(start, end_inclusive)], plus the 640 KiB below the VGA window that
    every HVM guest has and the toolstack leaves out of that map."""
    ram = [(0, 0x9FFFF)]
    for l in fw_lines:
        m = _XEN_MAP_RE.search(l)
        if m and int(m.group(3)) == 1:
            a, n = int(m.group(1), 16), int(m.group(2), 16)
            ram.append((a, a + n - 1))
    return ram if len(ram) > 1 else []


def xen_map_disagreements(xen_ram, e820):
    """What makes the guest's e820 disagree with the RAM Xen gave it: RAM in
    the e820 that Xen has no RAM for, and Xen RAM the e820 does not account
    for (neither usable nor reserved)."""
    xen = [(s, e, "RAM") for s, e in xen_ram]
    found = []  # [kind, lo, hi_exclusive], neighbours of one kind merged
    for lo, hi in _segments(xen, e820):
        x, t = _type_at(xen, lo), _type_at(e820, lo)
        if t == "usable" and not x:
            kind = "e820 RAM [0x%x-0x%x] is not RAM in Xen's map"
        elif x and t is None:
            kind = "Xen RAM [0x%x-0x%x] is missing from the e820"
        else:
            continue
        if found and found[-1][0] == kind and found[-1][2] == lo:
            found[-1][2] = hi
        else:
            found.append([kind, lo, hi])
    return [k % (lo, hi - 1) for k, lo, hi in found]


def first_hole(e820):
    """The first gap above 1 MiB and below 4 GiB in an e820: (start, end_exclusive)."""
    ents = hq.normalize_e820(e820)
    addr = 1 << 20
    for s, e, t in ents:
        if e < addr:
            continue
        if s > addr:
            return addr, min(s, 1 << 32)
        addr = max(addr, e + 1)
    return (addr, 1 << 32) if addr < (1 << 32) else None


def mem_bars(pci):
    """[(bdf, index, start, end)] of the assigned memory BARs and ROM BARs."""
    out = []
    for bdf, d in sorted(pci.items()):
        for i, s, e, flags in d["resources"]:
            if i > 6 or not flags & 0x200 or s == 0 or flags & 0x30000000:
                continue
            if i == 6 and s < (1 << 20):
                continue    # the boot VGA's shadowed ROM image at 0xC0000
            out.append((bdf, i, s, e))
    return out


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------

class GuestResult:
    """Everything known about one guest after the run."""

    def __init__(self, g, share, outer, marks):
        self.g = g
        self.dir = os.path.join(share, "out", g.name)
        self.ran = os.path.isdir(self.dir)
        self.result = read_kv(os.path.join(self.dir, "result.txt"))
        self.xl_create = read(os.path.join(self.dir, "xl-create.log"))
        self.console = read(os.path.join(self.dir, "console.log"))   # hvc0
        self.serial = read(os.path.join(self.dir, "serial.log"))     # COM1
        self.xl_dmesg = read(os.path.join(self.dir, "xl-dmesg.txt"))
        self.qemu_dm = read(os.path.join(self.dir, "qemu-dm.log"))
        self.ovmf_debug = read(os.path.join(self.dir, "ovmf-debug.log"))
        dom = self.result.get("domid", "-")
        self.domid = int(dom) if dom.isdigit() else marks["domid"].get(g.name)
        # firmware lines: from the guest's own xl dmesg, else the host capture
        self.fw_ts = guest_fw_lines(self.xl_dmesg, self.domid) if self.domid else []
        if not self.fw_ts and self.domid:
            self.fw_ts = guest_fw_lines("\n".join(s for _, s in outer.lines), self.domid)
        self.fw = [l for _, l in self.fw_ts]
        self.report = hq.parse_guest(self.console)
        self.dmesg = self.report.sections.get("dmesg") or self.report.console_before
        self.pci = hq.parse_pci(self.report.sections.get("pci", ""))
        self.kernel_e820 = hq.normalize_e820(hq.parse_kernel_e820(self.dmesg))
        self.t_create = marks["create"].get(g.name)
        self.t_end = marks["end"].get(g.name)
        self.t_first = marks["first"].get(self.domid) if self.domid else None
        self.elapsed = float(self.result["elapsed"]) if "elapsed" in self.result else None

    def hvmfw_lines(self):
        """hvmfw's own lines: port 0xE9 (the (dN) lines), else its COM1."""
        own = [l for l in self.fw if "[hvmfw]" in l]
        return own or [l for l in self.serial.split("\n") if "[hvmfw]" in l]

    def firmware_e820(self):
        """(map, where it came from): hvmfw's own '[hvmfw] e820:' lines; for
        hvmloader the map the chain hands to the OS, i.e. SeaBIOS's dump when
        there is one (SeaBIOS edits hvmloader's table), else hvmloader's."""
        if self.g.fw == "hvmfw":
            return hq.normalize_e820(hq.parse_fw_e820(self.hvmfw_lines())), "[hvmfw] e820 lines"
        sb = parse_seabios_e820(self.fw)
        if sb:
            return hq.normalize_e820(sb), "SeaBIOS's e820 dump (after hvmloader)"
        return hq.normalize_e820(parse_hvmloader_e820(self.fw)), "hvmloader's E820 table"

    def fw_run(self):
        """(first line ts, hand-off ts) in Xen time, or None."""
        ts = [(t, l) for t, l in self.fw_ts if t is not None]
        if not ts:
            return None
        if self.g.fw == "hvmfw":
            own = [(t, l) for t, l in ts if "[hvmfw]" in l]
            if not own:
                return None
            return own[0][0], own[-1][0]
        hand = [t for t, l in ts if re.search(r"Invoking (SeaBIOS|OVMF|ROMBIOS)", l)]
        if not hand:
            return None
        return ts[0][0], hand[0]

    def ended_how(self):
        """'poweroff', 'reboot', 'crash', ... from xl create -F's output."""
        m = re.search(r"shut ?down,? reason code (\d+)", self.xl_create)
        codes = {0: "poweroff", 1: "reboot", 2: "suspend", 3: "crash", 4: "watchdog",
                 5: "soft_reset"}
        if m:
            return codes.get(int(m.group(1)), "code " + m.group(1))
        return None

    def logs_tail(self):
        parts = []
        if self.xl_create.strip():
            parts.append("--- xl create -F (tail) ---\n" + hq.tail(self.xl_create, 8))
        parts.append("--- firmware, (d%s) lines (tail) ---\n%s"
                     % (self.domid, hq.tail("\n".join(self.fw), 12) or "(none)"))
        parts.append("--- guest console hvc0 (tail) ---\n" + (hq.tail(self.console, 12) or "(empty)"))
        if self.serial.strip():
            parts.append("--- guest COM1 (tail) ---\n" + hq.tail(self.serial, 6))
        if self.qemu_dm.strip():
            parts.append("--- qemu-dm log (tail) ---\n" + hq.tail(self.qemu_dm, 6))
        parts.append("(logs: %s)" % self.dir)
        return "\n".join(parts)


def check_guest(checks, r):
    g, n = r.g, r.g.name
    if n in NOT_STARTED:
        def c_not_started():
            raise Skip("never started: the outer QEMU died before (%s)" % NOT_STARTED[n])
        checks.run(n + "/not-started", c_not_started)
        return

    died = INTERRUPTED.get(n)

    def need_ran():
        if died and not r.result:
            raise Skip("the outer QEMU died while this guest ran (%s)" % died)
        if not r.ran or not r.result:
            raise Fail("dom0 never ran this guest (no %s/result.txt): see xen-console.log"
                       % r.dir)

    def c_created():
        if not (died and r.domid is not None):
            need_ran()
        if r.domid is None:
            raise Fail("xl create did not create the domain\n" + hq.tail(r.xl_create, 15))
        return "domain %d" % r.domid
    checks.run(n + "/xl-create", c_created)

    def c_fwlog():
        if not died:
            need_ran()
        if g.fw == "hvmfw":
            own = r.hvmfw_lines()
            if not own:
                raise Fail("no [hvmfw] lines from domain %s on port 0xE9 (xl dmesg)%s\n%s"
                           % (r.domid, "" if not r.fw else
                              "; it printed %d other lines" % len(r.fw), r.logs_tail()))
            return "%d [hvmfw] lines, last: %s" % (len(own), own[-1].strip())
        if not any("HVM Loader" in l or "hvmloader" in l.lower() for l in r.fw):
            raise Fail("no hvmloader banner among the (d%s) lines\n%s" % (r.domid, r.logs_tail()))
        return "%d lines" % len(r.fw)
    checks.run(n + "/firmware-log", c_fwlog)

    if g.ovmf:
        check_ovmf(checks, r)
        return
    if g.fatal:
        check_fatal(checks, r)
        return

    sections = ("dmesg", "iomem", "pci", "acpi-list")

    def need_report(*names):
        missing = [s for s in names if s not in r.report.sections]
        if missing:
            raise Fail("guest report has no %s section (the guest did not get that far)"
                       % ", ".join(missing))

    def c_booted():
        need_ran()
        if not r.report.began:
            raise Fail("the guest's /init never started its report (no ===HVMFW-BEGIN=== on "
                       "its console)\n" + r.logs_tail())
        missing = [s for s in sections if s not in r.report.sections]
        if missing or not r.report.ended:
            raise Fail("report incomplete: %s\n%s" % (
                ("missing " + ", ".join(missing)) if missing else "no ===HVMFW-END===",
                r.logs_tail()))
        return "%d sections" % len(r.report.sections)
    checks.run(n + "/guest-booted", c_booted)

    def c_poweroff():
        need_ran()
        ended = r.result.get("ended")
        how = r.ended_how()
        if ended != "self":
            why = {"stall": "its output stopped for %d s" % g.stall,
                   "silent": "no output at all within %d s" % g.first,
                   "timeout": "time limit of %d s" % g.hard}.get(ended, "ended=%s" % ended)
            raise Fail("the domain did not end by itself: dom0 destroyed it (%s; after %s s)\n%s"
                       % (why,
                          r.result.get("elapsed"), r.logs_tail()))
        if not r.report.began:
            raise Fail("the domain ended (%s) before the guest kernel's report began: the "
                       "firmware stopped it?\n%s" % (how, r.logs_tail()))
        if how != "poweroff":
            raise Fail("the domain ended with shutdown reason %s, not poweroff\n%s"
                       % (how, r.logs_tail()))
        if "reboot: Power down" not in r.report.console_after:
            raise Fail("Xen saw a poweroff but the console has no 'reboot: Power down' "
                       "after the report")
        if r.result.get("still_listed"):
            raise Fail("xl list still shows the domain after xl create -F returned")
        return "powered off after %s s" % r.result.get("elapsed")
    checks.run(n + "/powered-off", c_poweroff)

    def c_acpi():
        need_report("dmesg")
        errs = hq.acpi_error_lines(r.dmesg)
        if errs:
            raise Fail("%d ACPI error/warning lines:\n%s" % (len(errs), "\n".join(errs[:20])))
        if "ACPI: RSDP" not in r.dmesg:
            raise Fail("the kernel found no ACPI tables (no 'ACPI: RSDP' line)")
        return None
    checks.run(n + "/acpi-no-errors", c_acpi)

    def c_bars():
        need_report("pci")
        if not r.kernel_e820:
            raise Fail("the kernel printed no BIOS-e820 lines")
        if not r.pci:
            raise Fail("the kernel found no PCI devices")
        bad, unassigned = [], []
        for bdf, d in sorted(r.pci.items()):
            for i, s, e, flags in d["resources"]:
                if i > 5 or not flags & 0x300:
                    continue
                if flags & 0x30000000 or (e > s and s == 0):
                    unassigned.append("%s BAR%d (flags 0x%x) has no address" % (bdf, i, flags))
        for bdf, i, s, e in mem_bars(r.pci):
            for es, ee, et in r.kernel_e820:
                if s <= ee and es <= e:
                    bad.append("%s %s [0x%x-0x%x] overlaps e820 %s [0x%x-0x%x]"
                               % (bdf, "ROM" if i == 6 else "BAR%d" % i, s, e, et, es, ee))
        if g.bigbar:
            # the refused BAR is expected to be left without an address
            unassigned = [u for u in unassigned if not u.startswith(bigbar_bdf(r) or "-")]
        if bad or unassigned:
            raise Fail("\n".join(bad + unassigned))
        return "%d devices, %d memory BARs, all in e820 gaps" % (len(r.pci), len(mem_bars(r.pci)))
    checks.run(n + "/pci-bars-in-holes", c_bars)

    def c_iomem():
        need_report("iomem", "dmesg")
        probs = ["/proc/iomem: " + p for p in hq.resource_problems(hq.parse_iomem(
            r.report.sections["iomem"]))]
        lines = hq.resource_conflict_lines(r.dmesg)
        if g.bigbar:
            bdf = bigbar_bdf(r)
            lines = [l for l in lines if not (bdf and bdf in l)]
        probs += ["dmesg: " + l for l in lines]
        if probs:
            raise Fail("\n".join(probs[:30]))
        return None
    checks.run(n + "/iomem-no-conflicts", c_iomem)

    def c_e820():
        need_report("dmesg")
        if not r.kernel_e820:
            raise Fail("the kernel printed no BIOS-e820 lines")
        fwe, src = r.firmware_e820()
        if not fwe:
            raise Fail("the firmware printed no e820 table (%s)" % (
                "'[hvmfw] e820: [mem 0x...-0x...] type' lines" if g.fw == "hvmfw"
                else "hvmloader's 'E820 table:' dump"))
        # hvmfw -> SeaBIOS -> kernel: the kernel must see SeaBIOS's map, and
        # SeaBIOS's map must be ours plus only SeaBIOS's own edits
        sb = parse_seabios_e820(r.fw) if g.fw == "hvmfw" else []
        chain = hq.normalize_e820(sb) if sb else fwe
        if chain != r.kernel_e820:
            only_fw = [e for e in chain if e not in r.kernel_e820]
            only_k = [e for e in r.kernel_e820 if e not in chain]
            what = "SeaBIOS's e820 dump (after %s)" % src if sb else src
            raise Fail("e820 differs from %s (sorted, adjacent same-type ranges merged)\n"
                       "firmware:\n%s\nkernel:\n%s\nonly in firmware:\n%s\nonly in kernel:\n%s"
                       % (what, hq.fmt_e820(chain), hq.fmt_e820(r.kernel_e820),
                          hq.fmt_e820(only_fw), hq.fmt_e820(only_k)))
        if sb:
            bad = seabios_edits(fwe, sb)
            if bad:
                raise Fail("SeaBIOS's map is not hvmfw's plus SeaBIOS's own edits:\n    %s\n"
                           "hvmfw:\n%s\nSeaBIOS:\n%s" % ("\n    ".join(bad), hq.fmt_e820(fwe),
                                                         hq.fmt_e820(hq.normalize_e820(sb))))
            return ("%d ranges equal to SeaBIOS's, which is hvmfw's %d plus SeaBIOS's own "
                    "legacy-area and top-of-RAM pages" % (len(r.kernel_e820), len(fwe)))
        return "%d ranges equal to %s" % (len(fwe), src)
    checks.run(n + "/e820-matches-firmware", c_e820)

    if g.fw == "hvmfw":
        def c_xen_map():
            need_report("dmesg")
            xram = xen_ram_map(r.hvmfw_lines())
            if not xram:
                raise Fail("hvmfw logged no 'xen: toolstack map' lines (Xen's memory map)")
            bad = xen_map_disagreements(xram, r.kernel_e820)
            if bad:
                raise Fail("the guest's e820 and Xen's memory map disagree:\n    "
                           + "\n    ".join(bad))
            return "every e820 RAM range is Xen RAM, all %d MiB of Xen's RAM is in the e820" % (
                sum(e - s + 1 for s, e in xram) >> 20)
        checks.run(n + "/e820-agrees-with-xen", c_xen_map)

    if g.pci:
        def c_edu():
            need_ran()
            m = re.search(r"===XENTB-EDU (\S+) bar0=(\S+) cmd=(\S+) id=(\S+) live=(\S+)===",
                          r.console)
            if not m:
                if "===XENTB-EDU none===" in r.console:
                    raise Fail("the guest sees no edu device (1234:11e8)\n" + r.logs_tail())
                raise Fail("the guest's edu probe did not run\n" + r.logs_tail())
            bdf, bar, cmd, ident, live = m.groups()
            if bdf.endswith("00:02.0"):
                raise Fail("edu sits at %s, the slot qemu-xen reserves for graphics" % bdf)
            if ident == "unassigned":
                raise Fail("edu %s: BAR0 has no address (command register %s)" % (bdf, cmd))
            try:
                v = int(ident, 16)
            except ValueError:
                raise Fail("edu %s: reading BAR0 %s failed: %s" % (bdf, bar, ident))
            if v != EDU_ID:
                raise Fail("edu %s: ID register at BAR0 %s reads 0x%08x, want 0x%08x "
                           "(command register %s)" % (bdf, bar, v, EDU_ID, cmd))
            try:
                lv = int(live, 16)
            except ValueError:
                lv = None
            if lv != (~0x12345678) & 0xFFFFFFFF:
                raise Fail("edu %s: ID ok but the liveness register returned %s, want 0xEDCBA987"
                           % (bdf, live))
            return "edu at %s, BAR0 %s: ID 0x%08x, liveness ok" % (bdf, bar, v)
        checks.run(n + "/edu-id-read", c_edu)

    if g.hvmfw_keys.get("pins") or g.host_pin:
        def c_pin():
            need_ran()
            pins = g.hvmfw_keys.get("pins")
            own = r.hvmfw_lines()
            if g.host_pin:
                xs = read(os.path.join(r.dir, "xenstore.log"))
                if "# hvmfw-pin: status 0" not in xs or "wrote " not in xs:
                    raise Fail("dom0's hvmfw-pin did not pin edu (status 0 and a 'wrote' "
                               "line)\n--- xenstore.log ---\n%s" % xs)
                rows = [m for m in PIN_ROW.finditer(xs) if m.group(1) == EDU_HOST_BDF and
                        m.group(3) == "bar0"]
                if not rows:
                    raise Fail("hvmfw-pin reported no pinned BAR0 of %s\n%s" % (EDU_HOST_BDF, xs))
                host = int(rows[-1].group(4), 16)
                if host >= 0xFC000000:
                    raise Fail("edu's host BAR0 0x%x is in Xen's fixed range: dom0 did not "
                               "move it (newbar.log of the first edu guest)" % host)
                pins = "%s/bar0=0x%x" % (rows[-1].group(2), host)
            if not any('config: pins = "%s"' % pins in l for l in own):
                raise Fail("hvmfw did not take pins=%s from xenstore hvmfw/pins (no 'config: "
                           "pins' line)\n%s" % (pins, read(os.path.join(r.dir, "xenstore.log"))))
            bdf, _, rest = pins.partition("/")
            bar, _, addr = rest.partition("=")
            want = int(addr, 16)
            row = re.compile(r"pci: %s \S+ %s\s.*\b0x0*%x pinned\b" % (re.escape(bdf),
                                                                      bar.upper(), want))
            if not any(row.search(l) for l in own):
                raise Fail("hvmfw's plan has no '%s %s ... 0x%x pinned' row\n%s"
                           % (bdf, bar.upper(), want, "\n".join(l for l in own if "pci:" in l)))
            m = re.search(r"===XENTB-EDU (\S+) bar0=(\S+) ", r.console)
            if not m:
                raise Fail("the guest's edu probe did not run")
            if int(m.group(2), 16) != want:
                raise Fail("the guest sees edu BAR0 at %s, not at the pinned 0x%x"
                           % (m.group(2), want))
            if g.host_pin:
                return ("dom0's hvmfw-pin read edu's host BAR0 0x%x from sysfs and wrote "
                        "hvmfw/pins=%s; the guest sees BAR0 at 0x%x" % (want, pins, want))
            return "xenstore hvmfw/pins=%s taken; the guest sees BAR0 at 0x%x" % (pins, want)
        checks.run(n + ("/host-pin" if g.host_pin else "/xenstore-pin"), c_pin)

    if g.bigbar:
        def c_refused():
            need_ran()
            if g.fw != "hvmfw":
                lines = [l for l in r.fw if "no space for resource" in l]
                if not lines:
                    raise Fail("no refusal line for the %d MiB BAR in the firmware log\n%s"
                               % (BIGBAR_VRAM_MIB, r.logs_tail()))
                return lines[0].strip()
            # "[hvmfw] pci: 00:03.0 1234:1111 BAR0 (0x10000000 bytes) refused: ..."
            pat = re.compile(r"\[hvmfw\] pci: (\S+) 1234:1111 BAR\d \((0x[0-9a-f]+) bytes\) "
                             r"refused")
            lines = [(l, m) for l in r.fw for m in [pat.search(l)] if m]
            if not lines:
                raise Fail("no refusal line for the VGA's %d MiB BAR in the firmware log\n%s"
                           % (BIGBAR_VRAM_MIB, r.logs_tail()))
            line, m = lines[0]
            if int(m.group(2), 16) != BIGBAR_VRAM_MIB << 20:
                raise Fail("the refused BAR is %s bytes, not the %d MiB VRAM: %s"
                           % (m.group(2), BIGBAR_VRAM_MIB, line.strip()))
            # and the hint: the mmio_hole= that would hold it
            hints = [h for l in r.fw for h in re.findall(r"mmio_hole=(\d+) .*would hold it", l)]
            if not hints:
                raise Fail("no 'mmio_hole=N ... would hold it' hint after the refusal\n"
                           + r.logs_tail())
            if int(hints[-1]) != BIGBAR_FITS_MIB:
                raise Fail("the hint says mmio_hole=%s; %d is the smallest that holds the "
                           "%d MiB BAR" % (hints[-1], BIGBAR_FITS_MIB, BIGBAR_VRAM_MIB))
            return "%s; hint mmio_hole=%s" % (line.strip(), hints[-1])
        checks.run(n + "/bar-refused", c_refused)

    if g.vcpu_set:
        check_vcpus(checks, r, need_ran)
    if g.pci_attach:
        check_pci_attach(checks, r, need_ran)


def check_vcpus(checks, r, need_ran):
    """vcpus < maxvcpus: the tables list every vCPU, the offline ones disabled; the
    guest boots on the online one; xl vcpu-set adds the other through the CPU
    present map (qemu-xen's PIIX4, GPE0 bit 2) and the SSDT's handler."""
    g, n = r.g, r.g.name

    def c_vcpus():
        need_ran()
        want = "cpus: %d listed, %d running at boot, %d for hot-plug" % (
            g.maxvcpus, g.vcpus, g.maxvcpus - g.vcpus)
        own = r.hvmfw_lines()
        if not any(want in l for l in own):
            raise Fail("hvmfw did not log '%s':\n%s" % (
                want, "\n".join(l for l in own if "cpus:" in l or "smp:" in l)))
        sec = r.report.sections.get("hotplug-cpu")
        if sec is None:
            raise Fail("the guest printed no hotplug-cpu section\n" + r.logs_tail())
        h = hotplug_test.parse_hotplug_cpu(sec)
        b, a = h["before"], h["after"]
        if (b.get("present"), b.get("online"), b.get("processors")) != ("0", "0", "1"):
            raise Fail("at boot the guest has present %s, online %s, %s processors; want "
                       "0, 0, 1" % (b.get("present"), b.get("online"), b.get("processors")))
        cpus, ok = hotplug_test.madt_cpus(b.get("madt", b""))
        if [(c[1], c[2]) for c in cpus] != [(0, True), (2, False)] or not ok:
            raise Fail("MADT at boot: %s (checksum %s); want APIC IDs 0 enabled, 2 disabled"
                       % (cpus, "ok" if ok else "bad"))
        setlog = read(os.path.join(r.dir, "vcpu-set.log"))
        if h["timeout"] or (a.get("present"), a.get("online")) != ("0-1", "0-1"):
            raise Fail("after xl vcpu-set %d the guest has present %s, online %s\n"
                       "--- vcpu-set.log ---\n%s\n--- kernel ---\n%s" % (
                           g.vcpu_set, a.get("present"), a.get("online"), setlog.strip(),
                           "\n".join(h["dmesg"][-8:])))
        cpus, ok = hotplug_test.madt_cpus(a.get("madt", b""))
        if [c[2] for c in cpus] != [True, True] or not ok:
            raise Fail("MADT after the plug: %s (checksum %s); want both enabled"
                       % (cpus, "ok" if ok else "bad"))
        return "%s; xl vcpu-set %d: the guest has CPUs %s online, MADT updated" % (
            want, g.vcpu_set, a.get("online"))
    checks.run(n + "/vcpu-hotplug", c_vcpus)


def check_pci_attach(checks, r, need_ran):
    """xl pci-attach of edu into the running guest, then xl pci-detach: the guest
    sees it arrive with BAR0 inside PCI0's windows, reads its ID register
    through it, and sees it go."""
    g, n = r.g, r.g.name

    def c_attach():
        need_ran()
        sec = r.report.sections.get("hotplug-pci")
        if sec is None:
            raise Fail("the guest printed no hotplug-pci section\n" + r.logs_tail())
        h = hotplug_test.parse_hotplug_pci(sec)
        log = read(os.path.join(r.dir, "pci-attach.log")).strip()
        if not h["added"]:
            raise Fail("edu never appeared in the guest (%s)\n--- pci-attach.log ---\n%s\n"
                       "--- kernel ---\n%s" % (", ".join(h["timeouts"]) or "no timeout line",
                                                log, "\n".join(h["dmesg"][-8:])))
        bdf, ven, dev, _ = h["added"]
        if (ven, dev) != (0x1234, 0x11E8):
            raise Fail("a function appeared at %s, but it is %04x:%04x, not edu" % (bdf, ven, dev))
        wins = hotplug_test.root_windows(r.dmesg)
        bar0 = [x for x in h["resources"] if x[0] == 0]
        if not bar0 or not any(s <= bar0[0][1] and bar0[0][2] <= e for s, e in wins):
            raise Fail("edu's BAR0 %s is not inside the root bus windows %s"
                       % (bar0, ["0x%x-0x%x" % w for w in wins]))
        if h.get("id") != EDU_ID:
            raise Fail("edu's ID register through BAR0 0x%x reads %s, want 0x%08x"
                       % (bar0[0][1], "0x%08x" % h["id"] if h.get("id") is not None else "nothing",
                          EDU_ID))
        if h["removed"] != bdf:
            raise Fail("after xl pci-detach edu is still in the guest (%s)\n%s" % (
                ", ".join(h["timeouts"]) or "no removed line", log))
        return "edu arrived at %s, BAR0 0x%x in the windows, ID 0x%08x; detached again" % (
            bdf, bar0[0][1], EDU_ID)
    checks.run(n + "/pci-attach-detach", c_attach)


def bigbar_bdf(r):
    for bdf, d in r.pci.items():
        if (d.get("vendor"), d.get("device")) == (0x1234, 0x1111):
            return bdf
    return None


_OVMF_OUT_RE = re.compile(r"\S")


_ANSI_RE = re.compile(r"\x1b\[[0-9;=?]*[A-Za-z]")


def ovmf_output(r):
    """What OVMF printed: its debug port 0x402, else the guest's COM1 without
    the firmware's own [hvmfw] lines (OVMF's terminal driver starts with
    control sequences, which count)."""
    if r.ovmf_debug.strip():
        return "debug port 0x402", r.ovmf_debug
    com1 = "\n".join(l for l in r.serial.split("\n") if "[hvmfw]" not in l)
    if com1.strip():
        return "COM1", com1
    return None, ""


def check_ovmf(checks, r):
    n = r.g.name
    died = INTERRUPTED.get(n)

    def c_handoff():
        if not any("Invoking OVMF" in l or "ovmf" in l.lower() for l in r.fw):
            raise Fail("the firmware log never mentions OVMF (no hand-off)\n" + r.logs_tail())
        return None
    checks.run(n + "/ovmf-handoff", c_handoff)

    def c_output():
        where, text = ovmf_output(r)
        if where:
            plain = [_ANSI_RE.sub("", l).strip() for l in text.split("\n")]
            plain = [l for l in plain if l]
            return "OVMF printed on %s: %d bytes%s" % (
                where, len(text), (", first text: " + plain[0][:80]) if plain
                else " (terminal control sequences)")
        if died:
            raise Skip("nothing from OVMF before the outer QEMU died (%s)" % died)
        ctl = RESULTS.get("hvmloader-ovmf")
        if r.g.fw == "hvmfw" and ctl is not None and ovmf_output(ctl)[0]:
            raise Fail("OVMF printed nothing after hvmfw, though it does after hvmloader\n"
                       + r.logs_tail())
        if r.g.fw == "hvmfw" and ctl is None:
            raise Fail("OVMF printed nothing (no hvmloader-ovmf control run to compare)\n"
                       + r.logs_tail())
        raise Skip("Debian's OVMF printed nothing on port 0x402 or COM1 within %d s%s: it "
                   "does not seem to take the Xen path (qemu-dm: %s)" % (
                       r.g.stall, " with the stock hvmloader either" if r.g.fw == "hvmfw" else "",
                       (hq.tail(r.qemu_dm, 1) or "-").strip()))
    checks.run(n + "/ovmf-output", c_output)

    def complete(res):
        return res.report.began and res.report.ended

    def c_booted():
        # OVMF boots the kernel from fw_cfg too; it then reports like the others.
        # Beyond the bar (OVMF's first output): a failure counts only
        # when the stock hvmloader's OVMF guest completes its report here.
        if complete(r):
            return "%d sections" % len(r.report.sections)
        if died:
            raise Skip("the outer QEMU died while the guest ran (%s)" % died)
        ctl = RESULTS.get("hvmloader-ovmf")
        if r.g.fw == "hvmfw" and ctl is not None and complete(ctl):
            raise Fail("no complete guest report after hvmfw + OVMF, though there is one "
                       "after hvmloader + OVMF\n" + r.logs_tail())
        panic = [l.strip() for l in r.console.splitlines() if "Kernel panic" in l]
        got = ("the report stops after %s" % ", ".join(r.report.sections)
               if r.report.sections else "no report")
        raise Skip("no complete guest report after %s + OVMF%s (%s%s): with Debian's OVMF the "
                   "kernel does not reliably finish on this nested stack" % (
                       r.g.fw, ", nor after hvmloader + OVMF" if r.g.fw == "hvmfw" else "",
                       got, "; " + panic[0] if panic else ""))
    checks.run(n + "/guest-booted", c_booted)


def check_fatal(checks, r):
    n = r.g.name

    def c_fatal():
        need = re.compile(r.g.fatal)
        own = r.hvmfw_lines()
        if not own:
            raise Fail("no [hvmfw] lines\n" + r.logs_tail())
        panics = [l for l in own if "PANIC:" in l]
        if not panics or not need.search(panics[0]):
            raise Fail("the first PANIC line does not give the expected reason (%s)\n%s"
                       % (r.g.fatal, "\n".join(own[-5:])))
        if "SCHEDOP_shutdown(crash)" not in own[-1]:
            raise Fail("after the panic hvmfw did not end with SCHEDOP_shutdown(crash): last "
                       "line %r" % own[-1])
        return panics[0].strip()
    checks.run(n + "/fatal-reason-logged", c_fatal)

    def c_crashed():
        if not r.ran or not r.result:
            raise Fail("dom0 never ran this guest")
        how = r.ended_how()
        if r.result.get("ended") != "self":
            raise Fail("the domain did not end by itself (dom0's watchdog: %s): hvmfw spun "
                       "instead of stopping\n%s" % (r.result.get("ended"), r.logs_tail()))
        if how != "crash":
            raise Fail("the domain ended with shutdown reason %s, not crash\n%s"
                       % (how, r.logs_tail()))
        return "crashed by itself after %s s" % r.result.get("elapsed")
    checks.run(n + "/domain-crashed", c_crashed)


RESULTS = {}


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------

def fmt_s(v):
    return "-" if v is None else "%.1f s" % v


def comparison(results):
    rows = []
    hdr = ("guest", "xl create->fw 1st line", "fw run", "guest run", "hole (e820)",
           "lowest BAR", "PCI devs", "e820")
    for r in results:
        if r.g.ovmf:
            continue
        c2f = (r.t_first - r.t_create) if r.t_first is not None and r.t_create is not None \
            else None
        run = r.fw_run()
        fwrun = (run[1] - run[0]) if run else None
        hole = first_hole(r.kernel_e820) if r.kernel_e820 else None
        bars = [s for _, i, s, _ in mem_bars(r.pci) if s < (1 << 32)]
        rows.append((r.g.name, fmt_s(c2f), fmt_s(fwrun), fmt_s(r.elapsed),
                     ("0x%x-0x%x" % hole) if hole else "-",
                     ("0x%x" % min(bars)) if bars else "-",
                     str(len(r.pci)) if r.pci else "-",
                     str(len(hq.parse_kernel_e820(r.dmesg))) if r.kernel_e820 else "-"))
    widths = [max(len(x[i]) for x in [hdr] + rows) for i in range(len(hdr))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(x, widths)) for x in [hdr] + rows]
    notes = ["xl create->fw 1st line: host wall clock, dom0's marker to the domain's first "
             "port-0xE9 line on Xen's console",
             "fw run: Xen time stamps, firmware's first line to its hand-off "
             "(hvmloader: 'Invoking SeaBIOS'; hvmfw: its last [hvmfw] line)",
             "guest run: xl create to the domain's end, as dom0 measured it",
             "hole: first gap in the kernel's e820 above 1 MiB; lowest BAR: lowest assigned "
             "memory BAR below 4 GiB; e820: entries the kernel printed"]
    return "\n".join(lines + [""] + notes)


def main():
    global GUEST_CMDLINE
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True, help="meson build directory")
    ap.add_argument("--firmware", help="hvmfw.elf (default BUILD/hvmfw.elf)")
    ap.add_argument("--guests", help="comma-separated subset of: "
                    + ",".join(g.name for g in GUESTS) + " (env XENTB_GUESTS)")
    ap.add_argument("--timeout", type=int, default=0,
                    help="overall limit for the outer QEMU in s (default: from the plan)")
    ap.add_argument("--guest-cmdline", default=GUEST_CMDLINE,
                    help="guest kernel command line (default %(default)r)")
    ap.add_argument("--stall", type=int, default=0,
                    help="override every guest's stall limit (s)")
    ap.add_argument("--no-build-env", action="store_true",
                    help="do not (re)build the environment; use what BUILD/xen has")
    a = ap.parse_args()

    build = os.path.abspath(a.build)
    env = os.path.join(build, "xen")
    log_dir = os.path.join(env, "logs")
    share = os.path.join(env, "share")
    os.makedirs(env, exist_ok=True)
    if os.path.isdir(log_dir):
        shutil.rmtree(log_dir)
    os.makedirs(log_dir)
    t_all = time.monotonic()
    timing = []

    sel = a.guests or os.environ.get("XENTB_GUESTS", "")
    guests = GUESTS
    if sel:
        names = [s.strip() for s in sel.split(",") if s.strip()]
        unknown = [s for s in names if s not in {g.name for g in GUESTS}]
        if unknown:
            say("xen-testbed: unknown guest(s): %s" % ", ".join(unknown))
            return 2
        guests = [g for g in GUESTS if g.name in names]

    GUEST_CMDLINE = a.guest_cmdline
    if a.stall:
        for g in guests:
            g.stall, g.hard = a.stall, max(g.hard, a.stall + 60)
    firmware = os.path.abspath(a.firmware or os.path.join(build, "hvmfw.elf"))
    need_fw = any(g.fw == "hvmfw" for g in guests)
    if need_fw and not os.path.isfile(firmware):
        say("FAIL xen-testbed: firmware %s does not exist (build hvmfw.elf first)" % firmware)
        return 1

    # 1. environment
    if not a.no_build_env:
        ok, secs, last = build_env(build, log_dir)
        timing.append(("environment (build-env.sh)", secs))
        if not ok:
            say("SKIP xen-testbed: the Xen environment cannot be built here: %s "
                "(log: %s)" % (last, os.path.join(env, "build-env.log")))
            return SKIP_RC
    for f in ("xen.elf", "vmlinuz", "initrd.img", "rootfs.img"):
        if not os.path.isfile(os.path.join(env, f)):
            say("SKIP xen-testbed: %s missing in %s (run tests/xen/build-env.sh)" % (f, env))
            return SKIP_RC
    if not shutil.which("qemu-system-x86_64"):
        say("SKIP xen-testbed: qemu-system-x86_64 not installed (tests/xen/setup-host.sh)")
        return SKIP_RC

    # 2. guest
    t0 = time.monotonic()
    guest, why = ensure_guest(build)
    if not guest:
        say("SKIP xen-testbed: no guest kernel/initramfs and tools/fetch-guest.sh failed: %s"
            % (why or "?").split("\n")[-1])
        return SKIP_RC
    kernel, initrd = guest

    # 3. share
    pin_tool = os.path.join(build, "tools", "hvmfw-pin", "hvmfw-pin")
    prepare_share(share, firmware if need_fw else None, kernel, initrd, guests,
                  pin_tool if os.path.isfile(pin_tool) else None)
    timing.append(("guest + share", time.monotonic() - t0))
    say("xen-testbed: %d guests: %s" % (len(guests), ", ".join(g.name for g in guests)))
    for g in guests:
        say("  %-15s %s" % (g.name, g.role))

    # 4. run
    # meson kills the test at 3600 s: every boot stops early enough to report
    def boot_limit(gs):
        left = BUDGET_S - (time.monotonic() - t_all) - 60
        return int(a.timeout or max(60, min(left, 240 + sum(g.hard + 20 for g in gs))))
    # Two groups, each in its own Xen boot: the guests that need (or do not
    # mind) the emulated VT-d, then the OVMF guests without it (QEMU 7.2's TCG
    # can abort while OVMF runs: docs/xen-testbed.md, Known limits). A boot
    # that dies that way is booted once more for the
    # guests it took down with it; the crash is reported, never hidden.
    groups = [("iommu", True, [g for g in guests if not g.ovmf]),
              ("no-iommu", False, [g for g in guests if g.ovmf])]
    boots = []          # (label, outer, marks, note) of each group's last boot
    ran_in = {}
    n_boot = 0
    for label, iommu, members in groups:
        if not members:
            continue
        cmd = outer_qemu_cmd(env, share, iommu=iommu)
        left, note = members, ""
        for attempt in (1, 2):
            n_boot += 1
            write_plan(share, left)
            limit = boot_limit(left)
            console = "xen-console.log" if n_boot == 1 else "xen-console-%d.log" % n_boot
            say("xen-testbed: booting Xen nested (%s; %s; limit %d s); console: %s"
                % (label, ", ".join(g.name for g in left), limit,
                   os.path.join(log_dir, console)))
            outer = run_outer(cmd, log_dir, limit, console=console)
            timing.append(("outer QEMU boot %d (%s, %d guests)" % (n_boot, label, len(left)),
                           outer.elapsed))
            marks = host_marks(outer)
            info = os.path.join(share, "out", "xl-info.txt")
            if os.path.isfile(info):
                shutil.copy(info, os.path.join(log_dir, "xl-info-%s.txt" % label))
            for g in left:
                if os.path.isfile(os.path.join(share, "out", g.name, "result.txt")):
                    ran_in[g.name] = (outer, marks)
            left = [g for g in left if g.name not in ran_in]
            if not (left and outer_crashed(outer)) or attempt == 2:
                break
            tail = [l for _, l in outer.lines[-5:] if l.strip()]
            note = ("the outer QEMU died (exit %s: %s) after %.0f s; booted again for %s"
                    % (outer.returncode, tail[-1] if tail else "no message", outer.elapsed,
                       ", ".join(g.name for g in left)))
            say("xen-testbed: " + note)
        boots.append((label, outer, marks, note))
        # guests that were running when this group's last QEMU died, and the
        # ones after them that it never started
        if outer_crashed(outer):
            for g in left:
                if g.name in marks["create"]:
                    INTERRUPTED[g.name] = outer_crash_message(outer)
                    ran_in[g.name] = (outer, marks)
                else:
                    NOT_STARTED[g.name] = outer_crash_message(outer)

    checks = hq.Checks("xen-testbed", os.path.join(log_dir, "checks.txt"))

    def c_outer(which):
        if not boots:
            raise Fail("no guest to run")
        said = []
        for label, outer, marks, note in boots:
            if label not in which:
                continue
            if (label == "no-iommu" and outer_crashed(outer)
                    and KNOWN_QEMU_ABORT in outer_crash_message(outer)):
                raise Skip("the outer QEMU aborted in %s boot(s) while OVMF ran (%s): a bug of "
                           "QEMU 7.2's TCG, not a result about the firmware%s"
                           % ("both" if note else "its", outer_crash_message(outer),
                              "; " + note if note else ""))
            if outer.start_error:
                raise Fail("could not start QEMU: %s" % outer.start_error)
            if marks["dom0_up"] is None:
                raise Fail("%s boot: dom0's init never ran (no 'xentb-init: dom0 up' on the "
                           "console)\n%s" % (label, hq.tail("\n".join(s for _, s in outer.lines), 30)))
            if marks["xen_started"] is None:
                raise Fail("%s boot: dom0 did not get past starting Xen's services\n%s"
                           % (label, hq.tail("\n".join(s for _, s in outer.lines), 30)))
            if marks["done"] is None:
                raise Fail("%s boot: dom0 did not finish the plan (%s)%s\n%s" % (
                    label, outer.killed or "QEMU exited with %s" % outer.returncode,
                    " (" + note + ")" if note else "",
                    hq.tail("\n".join(s for _, s in outer.lines), 30)))
            if outer.killed:
                raise Fail("%s boot: %s" % (label, outer.killed))
            said.append("%s boot: Xen + dom0 ready after %.1f s, all done after %.1f s%s" % (
                label, marks["xen_started"], outer.elapsed, " (" + note + ")" if note else ""))
        if not said:
            raise Skip("no guest in this group")
        return "; ".join(said)
    checks.run("xen/boot-and-power-off", lambda: c_outer(("iommu",)))
    if any(g.ovmf for g in guests):
        checks.run("xen/ovmf-boot-and-power-off", lambda: c_outer(("no-iommu",)))

    def c_xl_info():
        said = []
        for label, iommu, members in groups:
            if not members:
                continue
            info = read(os.path.join(log_dir, "xl-info-%s.txt" % label))
            m = re.search(r"^virt_caps\s*:\s*(.*)$", info, re.M)
            if not m:
                raise Fail("%s boot: no `xl info` output from dom0" % label)
            caps = m.group(1).split()
            if "hvm" not in caps:
                raise Fail("Xen offers no HVM guests here: virt_caps %s" % m.group(1))
            if any(g.pci for g in members) and "hvm_directio" not in caps:
                raise Fail("no IOMMU pass-through (hvm_directio) in virt_caps: %s" % m.group(1))
            said.append("%s boot: virt_caps %s" % (label, m.group(1).strip()))
        return "; ".join(said)
    checks.run("xen/xl-info", c_xl_info)

    results = []
    for g in guests:
        g_outer, g_marks = ran_in.get(g.name, (boots[-1][1], boots[-1][2]) if boots
                                      else (Outer(), host_marks(Outer())))
        r = GuestResult(g, share, g_outer, g_marks)
        RESULTS[g.name] = r
        results.append(r)
        # keep each guest's logs next to the checks
        if r.ran:
            shutil.copytree(r.dir, os.path.join(log_dir, g.name), dirs_exist_ok=True)
            with open(os.path.join(log_dir, g.name, "firmware.log"), "w") as f:
                f.write("\n".join(r.fw) + ("\n" if r.fw else ""))
            for sname, text in r.report.sections.items():
                os.makedirs(os.path.join(log_dir, g.name, "sections"), exist_ok=True)
                with open(os.path.join(log_dir, g.name, "sections", sname + ".txt"), "w") as f:
                    f.write(text)
    for r in results:
        say("--- %s: %s" % (r.g.name, r.g.role))
        check_guest(checks, r)

    comp = comparison(results)
    say("\n=== hvmloader vs hvmfw ===\n" + comp)
    with open(os.path.join(log_dir, "comparison.txt"), "w") as f:
        f.write(comp + "\n")

    for label, _, bmarks, _ in boots:
        if bmarks["xen_started"] is not None:
            timing.append(("  %s boot: Xen + dom0 up to xen services" % label,
                           bmarks["xen_started"]))
    for r in results:
        if r.t_create is not None and r.t_end is not None:
            timing.append(("  guest %s (create to end, host)" % r.g.name, r.t_end - r.t_create))
    timing.append(("total", time.monotonic() - t_all))
    ttext = "\n".join("%-48s %7.1f s" % (k, v) for k, v in timing)
    say("\n=== timing ===\n" + ttext)
    with open(os.path.join(log_dir, "timing.txt"), "w") as f:
        f.write(ttext + "\n")
    with open(os.path.join(log_dir, "timing.json"), "w") as f:
        json.dump(dict(timing), f, indent=1)

    say("(logs: %s)" % log_dir)
    rc = checks.finish()
    say("%d passed, %d failed, %d skipped" % (checks.count("PASS"), checks.count("FAIL"),
                                              checks.count("SKIP")))
    return rc


if __name__ == "__main__":
    sys.exit(main())
