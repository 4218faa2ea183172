#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The planner on every topology (issue #8): boot the Debian test guest on
machines that stress the MMIO-hole planner and the enumerator, and check that
the guest sees exactly the firmware's plan.

Scenarios (--scenario; the data is in SCENARIOS below):
  q35-vga256         a 256 MiB 32-bit prefetchable VGA BAR next to the ECAM
                     window: the guest must boot, with the ECAM (MCFG, e820,
                     /proc/iomem) outside every PCI0 _CRS window
  q35-pin-rom        a BAR pinned behind a root port, next to a 2 MiB movable
                     expansion ROM of the same device that only fits below the
                     pin: the pin is honoured and nothing is refused
  pc-nested-pref32,  nested bridges (pci-bridge in pci-bridge; pcie-root-port ->
  q35-nested-pref32  pcie-pci-bridge -> pci-bridge) with 32-bit prefetchable
                     BARs (secondary-vga, bochs-display) next to 64-bit
                     prefetchable ones (pci-testdev membar) under the same
                     bridges: the 32-bit ones below 4 GiB, the 64-bit ones above
  q35-over-limit     more BARs + ROMs than the enumerator's table holds
                     (PCI_MAX_RES, read from include/hvmfw/pci_topo.h at test
                     time): exactly the excess is refused, one line each, the
                     rest placed and left alone by the kernel

Every boot runs the base checks of boot_test.py first (power-off through ACPI
S5, ACPI tables, e820, /proc/iomem, ...), then the pm-* checks below. Exit
status 0 all passed (or skipped), 1 a check failed, 77 the test cannot run (no
guest, or the limits grew beyond what the machine can exceed).
The parsers and checks are exercised on canned input by
planner_machines_selftest.py.
"""
import argparse
import glob
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boot_test  # noqa: E402
import hvmfw_qemu as hq  # noqa: E402
import topology_test as tt  # noqa: E402
from hvmfw_qemu import Fail, Skip  # noqa: E402

GiB = 1 << 30
MiB = 1 << 20
KiB = 1 << 10
FOUR_GIB = 4 * GiB

SRC_ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
TOPO_HEADER = os.path.join(SRC_ROOT, "include", "hvmfw", "pci_topo.h")
PLAN_HEADER = os.path.join(SRC_ROOT, "include", "hvmfw", "plan.h")

# QEMU's pc and q35 reserve [0xfec00000, 4 GiB) for the IOAPIC, HPET, LAPIC
# and the BIOS: the top of what a 32-bit BAR may use.
PLATFORM_BASE = 0xFEC00000

# sysfs resource flags beyond hvmfw_qemu's (include/linux/ioport.h)
IORESOURCE_DISABLED = 0x10000000
IORESOURCE_UNSET = 0x20000000

VGA_ID, EDU = (0x1234, 0x1111), tt.EDU
TESTDEV, E1000E, RP, PPB, PB = tt.TESTDEV, tt.E1000E, tt.RP, tt.PPB, tt.PB


class Dev:
    """One -device. parent: qid of the bridge whose secondary bus it is on
    (None: the root bus); addr 'DD.F' on that bus; ident (vendor, device) the
    guest must see; rom: size of a generated option ROM given as romfile
    (0: romfile= , no ROM); res: the resources it has ('BARn', 'ROM'), needed
    where the test counts them (q35-over-limit)."""

    def __init__(self, qid, driver, parent, addr, ident, props="", rom=0, res=(),
                 pcie=False, bridge=False):
        self.qid, self.driver, self.parent, self.addr = qid, driver, parent, addr
        self.ident, self.props, self.rom, self.res = ident, props, rom, tuple(res)
        self.pcie, self.bridge = pcie, bridge

    def qemu_args(self, root_bus, rom_dir):
        dd, fn = self.addr.split(".")
        opts = [self.driver, "id=" + self.qid, "bus=" + (self.parent or root_bus),
                "addr=0x%s.%s" % (dd, fn)]
        if self.props:
            opts.append(self.props)
        if not self.bridge:
            opts.append("romfile=" + (rom_path(rom_dir, self.ident, self.rom) if self.rom else ""))
        return ["-device", ",".join(opts)]


def rom_path(rom_dir, ident, size):
    return os.path.join(rom_dir, "rom-%04x-%04x-%d.bin" % (ident[0], ident[1], size))


ROM_MARK = b"HVMFW-PLANNER-MACHINES-ROM"


def rom_image(ident, size):
    """An option ROM Linux accepts: 55 AA, a PCI data structure ('PCIR') naming
    the device, one image of `size` bytes (a power of two, >= 2 KiB), byte sum 0."""
    assert size >= 2048 and size & (size - 1) == 0
    rom = bytearray(size)
    rom[0:3] = bytes([0x55, 0xAA, min(size // 512, 0xFF)])
    rom[0x18:0x1A] = (0x40).to_bytes(2, "little")
    p = 0x40
    rom[p:p + 4] = b"PCIR"
    rom[p + 4:p + 6] = ident[0].to_bytes(2, "little")
    rom[p + 6:p + 8] = ident[1].to_bytes(2, "little")
    rom[p + 10:p + 12] = (24).to_bytes(2, "little")
    rom[p + 16:p + 18] = (size // 512).to_bytes(2, "little")
    rom[p + 21] = 0x80                                     # last image
    rom[0x60:0x60 + len(ROM_MARK)] = ROM_MARK
    rom[7] = (-sum(rom)) & 0xFF
    return bytes(rom)


def write_roms(rom_dir, devs):
    os.makedirs(rom_dir, exist_ok=True)
    for d in devs:
        if d.rom:
            p = rom_path(rom_dir, d.ident, d.rom)
            if not os.path.isfile(p):
                with open(p, "wb") as f:
                    f.write(rom_image(d.ident, d.rom))


# ---------------------------------------------------------------------------
# Limits of the enumerator, from its header
# ---------------------------------------------------------------------------

def read_defines(path, names):
    """{name: int} for '#define NAME <number>' lines of a C header."""
    out = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"\s*#\s*define\s+(\w+)\s+\(?\s*(0x[0-9a-fA-F]+|\d+)[uUlL]*\s*\)?", line)
            if m and m.group(1) in names:
                out[m.group(1)] = int(m.group(2), 0)
    missing = [n for n in names if n not in out]
    if missing:
        raise ValueError("%s: no #define for %s" % (path, ", ".join(missing)))
    return out


def enumerator_limits(topo_header=TOPO_HEADER, plan_header=PLAN_HEADER):
    lim = read_defines(topo_header, ("PCI_MAX_FUNCS", "PCI_MAX_BRIDGES", "PCI_MAX_RES"))
    lim.update(read_defines(plan_header, ("PLAN_BAR_ROM", "PLAN_BAR_WIN_IO", "PLAN_BAR_WIN_MEM",
                                          "PLAN_BAR_WIN_PREF")))
    return lim


# ---------------------------------------------------------------------------
# The machines
# ---------------------------------------------------------------------------

# Chipset functions with resources the firmware places (they count against
# the table limit): {machine: {'DD.F': resources}} on bus 0.
CHIPSET_RES = {"q35": {"1f.2": ("BAR4", "BAR5"), "1f.3": ("BAR4",)}}

Q35_VGA256 = [
    Dev("vga", "VGA", None, "02.0", VGA_ID, "vgamem_mb=256", rom=64 * KiB),
    Dev("td", "pci-testdev", None, "03.0", TESTDEV),
    Dev("nic", "e1000e", None, "04.0", E1000E, pcie=True),
]

# e1000e behind a root port: BAR0 (128 KiB) pinned in the second-highest MiB
# below the platform range, ROM 2 MiB (2 MiB aligned): above the pin there is
# only [0xfea20000, 0xfec00000), so the ROM can only go below the pin.
PIN_ROM_ADDR = 0xFEA00000
PIN_ROM_ROMSIZE = 2 * MiB
Q35_PIN_ROM = [
    Dev("td", "pci-testdev", None, "03.0", TESTDEV),
    Dev("rp1", "pcie-root-port", None, "04.0", RP, "chassis=1,slot=1", pcie=True, bridge=True),
    Dev("nic", "e1000e", "rp1", "00.0", E1000E, rom=PIN_ROM_ROMSIZE, pcie=True),
    Dev("rp2", "pcie-root-port", None, "05.0", RP, "chassis=2,slot=2", pcie=True, bridge=True),
    Dev("edu", "edu", "rp2", "00.0", EDU),
]

# secondary-vga and bochs-display: BAR0 is 32-bit prefetchable (the VRAM),
# BAR2 4 KiB MMIO; pci-testdev's membar is BAR2, 64-bit prefetchable.
PC_NESTED_PREF32 = [
    Dev("vga0", "secondary-vga", None, "03.0", VGA_ID, "vgamem_mb=16"),
    Dev("big0", "pci-testdev", None, "04.0", TESTDEV, "membar=1G"),
    Dev("pb1", "pci-bridge", None, "05.0", PB, "chassis_nr=1", bridge=True),
    Dev("vga1", "secondary-vga", "pb1", "01.0", VGA_ID, "vgamem_mb=8", rom=64 * KiB),
    Dev("big1", "pci-testdev", "pb1", "02.0", TESTDEV, "membar=256M"),
    Dev("pb2", "pci-bridge", "pb1", "03.0", PB, "chassis_nr=2", bridge=True),
    Dev("vga2", "bochs-display", "pb2", "01.0", VGA_ID, "vgamem=4M", rom=32 * KiB),
    Dev("big2", "pci-testdev", "pb2", "02.0", TESTDEV, "membar=64M"),
    Dev("vga3", "secondary-vga", "pb2", "03.0", VGA_ID, "vgamem_mb=2"),
    # a bridge with only 32-bit prefetchable BARs below it
    Dev("pb3", "pci-bridge", "pb1", "04.0", PB, "chassis_nr=3", bridge=True),
    Dev("vga4", "secondary-vga", "pb3", "01.0", VGA_ID, "vgamem_mb=4"),
]
Q35_NESTED_PREF32 = [
    Dev("vga0", "secondary-vga", None, "03.0", VGA_ID, "vgamem_mb=16"),
    Dev("big0", "pci-testdev", None, "04.0", TESTDEV, "membar=1G"),
    Dev("rp1", "pcie-root-port", None, "05.0", RP, "chassis=1,slot=1", pcie=True, bridge=True),
    Dev("ppb", "pcie-pci-bridge", "rp1", "00.0", PPB, pcie=True, bridge=True),
    Dev("vga1", "secondary-vga", "ppb", "02.0", VGA_ID, "vgamem_mb=2", rom=64 * KiB),
    Dev("big1", "pci-testdev", "ppb", "03.0", TESTDEV, "membar=256M"),
    Dev("pb", "pci-bridge", "ppb", "01.0", PB, "chassis_nr=3", bridge=True),
    Dev("vga2", "secondary-vga", "pb", "01.0", VGA_ID, "vgamem_mb=8"),
    Dev("big2", "pci-testdev", "pb", "02.0", TESTDEV, "membar=64M"),
    Dev("vga3", "bochs-display", "pb", "03.0", VGA_ID, "vgamem=4M", rom=32 * KiB),
    Dev("rp2", "pcie-root-port", None, "06.0", RP, "chassis=2,slot=2", pcie=True, bridge=True),
    Dev("vga4", "bochs-display", "rp2", "00.0", VGA_ID, "vgamem=8M,multifunction=on"),
    Dev("big3", "pci-testdev", "rp2", "00.1", TESTDEV, "membar=128M"),
]
PREF32_OF = lambda devs: [(d.qid, "BAR0") for d in devs if d.ident == VGA_ID]  # noqa: E731
PREF64_OF = lambda devs: [(d.qid, "BAR2") for d in devs if "membar" in d.props]  # noqa: E731

# q35-over-limit: pci-testdev,membar=4K with a 2 KiB ROM has 4 resources
# (BAR0 mem32, BAR1 io, BAR2 mem64-pref, ROM); functions fill bus 0 from slot
# 03, 8 per slot, until the table limit is exceeded by OVER_LIMIT_EXCESS.
OVER_LIMIT_RES = ("BAR0", "BAR1", "BAR2", "ROM")
OVER_LIMIT_EXCESS = 8
OVER_LIMIT_FIRST_SLOT, OVER_LIMIT_LAST_SLOT = 0x03, 0x1E


def over_limit_devices(limits, machine="q35"):
    """The devices of q35-over-limit for these limits, or raise Skip when the
    root bus cannot hold enough of them (or only by also overflowing the
    function table, which is not what this scenario tests)."""
    chip_res = sum(len(r) for r in CHIPSET_RES[machine].values())
    need = limits["PCI_MAX_RES"] - chip_res + OVER_LIMIT_EXCESS
    n = max(1, math.ceil(need / len(OVER_LIMIT_RES)))
    slots = OVER_LIMIT_LAST_SLOT - OVER_LIMIT_FIRST_SLOT + 1
    if n > 8 * slots:
        raise Skip("PCI_MAX_RES=%d needs %d functions of %d resources on bus 0, which has "
                   "room for %d: this scenario needs bridges now"
                   % (limits["PCI_MAX_RES"], n, len(OVER_LIMIT_RES), 8 * slots))
    if n + len(tt.CHIPSET[machine]) > limits["PCI_MAX_FUNCS"]:
        raise Skip("exceeding PCI_MAX_RES=%d takes %d functions, more than PCI_MAX_FUNCS=%d"
                   % (limits["PCI_MAX_RES"], n + len(tt.CHIPSET[machine]),
                      limits["PCI_MAX_FUNCS"]))
    out = []
    for i in range(n):
        slot, fn = OVER_LIMIT_FIRST_SLOT + i // 8, i % 8
        mf = ",multifunction=on" if fn == 0 and i + 1 < n else ""
        out.append(Dev("t%02x%d" % (slot, fn), "pci-testdev", None, "%02x.%d" % (slot, fn),
                       TESTDEV, "membar=4K" + mf, rom=2 * KiB, res=OVER_LIMIT_RES))
    return out


class Scenario:
    """machine, devices (list, or callable(limits) -> list), and what the
    checks must find: pins [(pin text, qid, res, addr)], below [(qid, res, pin
    qid, pin res)]: a movable resource that must end below a pinned one,
    pref32 / pref64 [(qid, res)], over_limit: the table-limit checks."""

    def __init__(self, machine, devices, pins=(), below=(), pref32=(), pref64=(),
                 over_limit=False, mem=1024, note=""):
        self.machine, self._devices = machine, devices
        self.pins, self.below = list(pins), list(below)
        self.pref32, self.pref64 = list(pref32), list(pref64)
        self.over_limit, self.mem, self.note = over_limit, mem, note

    def devices(self, limits=None):
        return self._devices(limits) if callable(self._devices) else list(self._devices)


SCENARIOS = {
    "q35-vga256": Scenario(
        "q35", Q35_VGA256, pref32=[("vga", "BAR0")],
        note="PANICs 'building the ACPI tables failed' until the ECAM leaves the _CRS window"),
    "q35-pin-rom": Scenario(
        "q35", Q35_PIN_ROM, pins=[("01:00.0/bar0", "nic", "BAR0", PIN_ROM_ADDR)],
        below=[("nic", "ROM", "nic", "BAR0")]),
    "pc-nested-pref32": Scenario(
        "pc", PC_NESTED_PREF32, pref32=PREF32_OF(PC_NESTED_PREF32),
        pref64=PREF64_OF(PC_NESTED_PREF32)),
    "q35-nested-pref32": Scenario(
        "q35", Q35_NESTED_PREF32, pref32=PREF32_OF(Q35_NESTED_PREF32),
        pref64=PREF64_OF(Q35_NESTED_PREF32)),
    "q35-over-limit": Scenario("q35", over_limit_devices, over_limit=True),
}


def pin_premise(pin_addr, pin_size, size):
    """Whether a movable resource of `size` (aligned to its size) could go
    above a pin [pin_addr, pin_addr + pin_size) and still end at or below
    PLATFORM_BASE. Returns (fits_above, first aligned address above the pin)."""
    first = (pin_addr + pin_size + size - 1) // size * size
    return first + size <= PLATFORM_BASE, first


# ---------------------------------------------------------------------------
# Firmware log: refusals in any wording
# ---------------------------------------------------------------------------

_FW_NAMED_RE = re.compile(r"pci: ([0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) ([0-9a-f]{4}:[0-9a-f]{4})\b(.*)$")
# a line that says a resource or device was not (fully) configured
_REFUSAL_WORDS_RE = re.compile(
    r"refus|table full|\bfull\b|dropped|left off|left unconfigured|not configured|"
    r"no room|no space|cannot|can't|failed", re.IGNORECASE)
_RES_LABEL_RE = re.compile(r"\b(BAR\d+|ROM\d*|win-io|win-mem|win-pref|I/O window|"
                           r"memory window|prefetchable window)\b")


def norm_label(label, limits):
    """The plan table's name of a resource a log line names: BAR<PLAN_BAR_ROM>
    and ROMn are 'ROM', BAR<PLAN_BAR_WIN_*> and '... window' the windows."""
    if label is None:
        return None
    m = re.fullmatch(r"BAR(\d+)", label)
    if m:
        n = int(m.group(1))
        if n <= 5:
            return label
        return {limits["PLAN_BAR_ROM"]: "ROM", limits["PLAN_BAR_WIN_IO"]: "win-io",
                limits["PLAN_BAR_WIN_MEM"]: "win-mem",
                limits["PLAN_BAR_WIN_PREF"]: "win-pref"}.get(n, label)
    if label.startswith("ROM"):
        return "ROM"
    return {"I/O window": "win-io", "memory window": "win-mem",
            "prefetchable window": "win-pref"}.get(label, label)


def parse_fw_refusal_lines(fw_lines, limits):
    """Every PCI refusal the firmware logged, in whatever wording: lines naming
    a function (BB:DD.F VVVV:DDDD) that are neither a plan row nor a bridge's
    bus line and say something was refused, full, dropped or left off; plus
    'pci:' lines with 'refused' that name no function (e.g. the ECAM window).
    [dict(bdf '0000:BB:DD.F' or None, id 'vvvv:dddd' or None, res (plan name or
    None: the whole function), line)]"""
    out = []
    for l in fw_lines:
        if "pci:" not in l or hq._FW_PLAN_RE.search(l) or hq._FW_BRIDGE_RE.search(l):
            continue
        m = _FW_NAMED_RE.search(l)
        if m:
            rest = m.group(3)
            if not _REFUSAL_WORDS_RE.search(rest):
                continue
            lm = _RES_LABEL_RE.search(rest)
            out.append({"bdf": "0000:" + m.group(1), "id": m.group(2),
                        "res": norm_label(lm.group(1) if lm else None, limits),
                        "line": l.strip()})
        elif re.search(r"pci: .*\brefused\b", l) and not re.search(r"\d+ refused, \d+ dropped", l) \
                and "demand refused" not in l:
            out.append({"bdf": None, "id": None, "res": None, "line": l.strip()})
    return out


# ---------------------------------------------------------------------------
# ACPI: PCI0 _CRS from iasl's disassembly, MCFG from the raw table
# ---------------------------------------------------------------------------

_ASL_SCOPE_RE = re.compile(r"^\s*(?:Scope|Device)\s*\(([^)]+)\)")
_ASL_MEM_RE = re.compile(r"\b(DWordMemory|QWordMemory|Memory32Fixed|Memory32|ExtendedMemory)\b")
_ASL_FIELD_RE = re.compile(r"(0x[0-9A-Fa-f]+),?\s*// (Range Minimum|Range Maximum|Address Base|"
                           r"Address Length)")


def parse_asl_pci0_crs(text):
    """Memory ranges [(start, end)] of every `Name (_CRS, ResourceTemplate ...)`
    whose closest enclosing Scope/Device is PCI0 (e.g. `Scope (\\_SB.PCI0)`),
    from `iasl -d` output. None when there is no such static _CRS."""
    stack = []            # names of open braces (None: an unnamed block)
    pending = None        # Scope/Device name waiting for its '{'
    crs_depth = None      # depth of the _CRS template's '{'
    crs_wait = False      # saw Name (_CRS, ResourceTemplate, waiting for '{'
    found = False
    ranges, cur = [], None
    for raw in text.split("\n"):
        line = raw.split("//")[0] if "//" in raw and not _ASL_FIELD_RE.search(raw) else raw
        m = _ASL_SCOPE_RE.match(line)
        if m:
            pending = m.group(1).strip()
        if crs_depth is None and re.search(r"Name \(_CRS, ResourceTemplate", line):
            names = [n for n in stack if n]
            if names and names[-1].split(".")[-1].lstrip("\\^") == "PCI0":
                crs_wait = True
        if crs_depth is not None:
            mm = _ASL_MEM_RE.search(line)
            if mm:
                cur = {"kind": mm.group(1)}
                ranges.append(cur)
            fm = _ASL_FIELD_RE.search(raw)
            if fm and cur is not None:
                cur[fm.group(2)] = int(fm.group(1), 16)
        code = raw.split("//")[0]
        for ch in code:
            if ch == "{":
                stack.append(pending)
                pending = None
                if crs_wait:
                    crs_depth, crs_wait, found = len(stack), False, True
            elif ch == "}":
                if crs_depth is not None and len(stack) == crs_depth:
                    crs_depth, cur = None, None
                if stack:
                    stack.pop()
    if not found:
        return None
    out = []
    for r in ranges:
        if "Range Minimum" in r and "Range Maximum" in r:
            out.append((r["Range Minimum"], r["Range Maximum"]))
        elif "Address Base" in r and "Address Length" in r and r["Address Length"]:
            out.append((r["Address Base"], r["Address Base"] + r["Address Length"] - 1))
    return out


def parse_mcfg(data):
    """[(start, end, segment, bus_first, bus_last)] of an MCFG table's entries."""
    if len(data) < 44 or data[:4] != b"MCFG":
        raise ValueError("not an MCFG table (%d bytes, signature %r)" % (len(data), data[:4]))
    n = int.from_bytes(data[4:8], "little")
    out = []
    for off in range(44, min(n, len(data)) - 15, 16):
        base = int.from_bytes(data[off:off + 8], "little")
        seg = int.from_bytes(data[off + 8:off + 10], "little")
        b0, b1 = data[off + 10], data[off + 11]
        out.append((base + (b0 << 20), base + ((b1 + 1) << 20) - 1, seg, b0, b1))
    return out


_K_ROOT_WIN_RE = re.compile(r"pci_bus 0000:00: root bus resource \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)")
_K_MMCFG_RE = re.compile(r"(?:MMCONFIG|ECAM) for domain [0-9a-f]{4} \[bus ([0-9a-f]{2})-([0-9a-f]{2})\] "
                         r"at \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\]|"
                         r"ECAM \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\] \(base 0x[0-9a-f]+\) "
                         r"for domain [0-9a-f]{4} \[bus ([0-9a-f]{2})-([0-9a-f]{2})\]")


def parse_kernel_root_windows(dmesg):
    """Memory windows of the root bus as Linux took them from _CRS."""
    out = []
    for l in dmesg.split("\n"):
        m = _K_ROOT_WIN_RE.search(l)
        if m:
            t = (int(m.group(1), 16), int(m.group(2), 16))
            if t not in out:
                out.append(t)
    return out


def parse_kernel_mmcfg(dmesg):
    """(start, end) of the ECAM area the kernel found, or None."""
    for l in dmesg.split("\n"):
        m = _K_MMCFG_RE.search(l)
        if m:
            g = m.groups()
            return (int(g[2], 16), int(g[3], 16)) if g[2] else (int(g[4], 16), int(g[5], 16))
    return None


def iomem_nodes(root):
    """Every entry of a parse_iomem() tree, depth first."""
    out, stack = [], list(reversed(root.children))
    while stack:
        x = stack.pop()
        out.append(x)
        stack.extend(reversed(x.children))
    return out


def overlaps(a, b):
    return a[0] <= b[1] and b[0] <= a[1]


def fmt(r):
    return "0x%x-0x%x" % (r[0], r[1])


def placed(r):
    """A guest (start, end, flags) that has an address."""
    return r is not None and r[0] != 0 and not r[2] & (IORESOURCE_UNSET | IORESOURCE_DISABLED)


# Low bits of a ROM resource's flags (IORESOURCE_BITS): Linux's x86
# pci_fixup_video points the boot VGA's ROM resource at its shadow copy at
# 0xc0000 and marks it IORESOURCE_ROM_SHADOW; the ROM BAR itself is then only
# in the kernel's enumeration line.
IORESOURCE_ROM_SHADOW = 0x2
_K_ENUM_ROM_RE = re.compile(r"pci (\S+): (?:ROM |reg 0x30: )\[mem 0x([0-9a-f]+)-0x([0-9a-f]+)"
                            r"[^\]]*\]\s*$")


def guest_view(pci, dmesg):
    """{bdf: {name: (start, end, flags)}} of every BAR, ROM and bridge window
    of a parse_pci() dict, with a boot VGA's shadowed ROM replaced by the ROM
    BAR as the kernel first read it (what the firmware programmed). Returns
    (view, notes)."""
    enum_rom = {}
    for l in dmesg.split("\n"):
        m = _K_ENUM_ROM_RE.search(l.rstrip())
        if m and m.group(1) not in enum_rom:
            enum_rom[m.group(1)] = (int(m.group(2), 16), int(m.group(3), 16))
    view, notes = {}, []
    for bdf, g in pci.items():
        d = {}
        for name, s, e, f in hq.guest_resources(g):
            if name == "ROM" and f & IORESOURCE_ROM_SHADOW:
                if bdf not in enum_rom:
                    notes.append("%s ROM: shadowed at %s and no enumeration line" % (bdf, fmt((s, e))))
                    continue
                notes.append("%s ROM shadowed at %s by the kernel; the BAR read %s" % (
                    bdf, fmt((s, e)), fmt(enum_rom[bdf])))
                s, e = enum_rom[bdf]
                f = hq.IORESOURCE_MEM | hq.IORESOURCE_PREFETCH | 0x4000     # READONLY
            d[name] = (s, e, f)
        view[bdf] = d
    return view, notes


# ---------------------------------------------------------------------------
# The checks of one boot
# ---------------------------------------------------------------------------

class PlannerChecks:
    def __init__(self, scenario, devs, limits):
        self.sc, self.devs, self.limits = scenario, devs, limits
        self.by_id = {d.qid: d for d in devs}
        self.machine = scenario.machine

    def bind(self, ctx):
        """Start on a boot: ctx is boot_test's Context (or a fake one)."""
        self.ctx, self.found, self._refused, self._view = ctx, {}, None, None
        self.view_notes, self.tree = [], {}

    def __call__(self, ctx, checks):
        self.bind(ctx)
        run = checks.run
        run("pm-devices-in-place", self.c_tree)
        run("pm-kernel-changed-nothing", self.c_kernel)
        run("pm-plan-summary", self.c_summary)
        run("pm-bars-match-plan", self.c_match)
        run("pm-32bit-below-4g", self.c_below4g)
        if self.sc.pref64:
            run("pm-64bit-pref-above-4g", self.c_pref64)
        run("pm-bars-clear-of-e820", self.c_e820)
        run("pm-refusals-expected", self.c_refusals)
        if self.machine == "q35":
            run("pm-ecam-outside-crs", self.c_ecam)
        if self.sc.pins:
            run("pm-pins-honoured", self.c_pins)
        if self.sc.below:
            run("pm-movable-below-pin", self.c_below)

    # -- helpers ---------------------------------------------------------------
    def plan(self):
        self.ctx.need_fw()
        p = hq.parse_fw_plan(self.ctx.fw)
        if not p:
            raise Fail("firmware log has no PCI plan table ('pci: BB:DD.F VVVV:DDDD BARn ...')")
        return p

    def paths(self):
        """{qid: ['DD.F' from the root bus down to the device]}"""
        out = {}
        for d in self.devs:
            chain, x = [], d
            while x is not None:
                chain.insert(0, x.addr)
                x = self.by_id[x.parent] if x.parent else None
            out[d.qid] = chain
        return out

    def locate(self):
        self.ctx.need_report("pci", "pci-tree")
        self.tree = hq.parse_pci_tree(self.ctx.guest.sections["pci-tree"])
        want = self.paths()
        by_chain = {tuple(b.split(":")[-1] for b in p): bdf for bdf, p in self.tree.items()}
        for qid, chain in want.items():
            if tuple(chain) in by_chain:
                self.found[qid] = by_chain[tuple(chain)]
        return want

    def bdf(self, qid):
        if not self.found:
            self.locate()
        if qid not in self.found:
            raise Fail("device %s (%s) is not in the guest (see pm-devices-in-place)"
                       % (qid, self.by_id[qid].driver))
        return self.found[qid]

    def declared(self):
        """{(guest bdf, res)} of every resource the scenario declares (its
        devices' res plus the chipset's placed resources)."""
        out = set()
        for d in self.devs:
            for r in d.res:
                out.add((self.bdf(d.qid), r))
        for dd, rs in CHIPSET_RES[self.machine].items():
            for r in rs:
                out.add(("0000:00:" + dd, r))
        return out

    def refused(self):
        """{(bdf, res)} the firmware refused (over-limit: whatever its lines name)."""
        if self._refused is None:
            self.ctx.need_fw()
            lines = parse_fw_refusal_lines(self.ctx.fw, self.limits)
            self._refused = {(x["bdf"], x["res"]) for x in lines if x["bdf"] and x["res"]}
            for p in hq.parse_fw_plan(self.ctx.fw):
                if p["placement"] == "REFUSED":
                    self._refused.add((p["bdf"], p["res"]))
        return self._refused

    def allowed_refused(self):
        """Refused resources the scenario allows: only in q35-over-limit."""
        return self.refused() if self.sc.over_limit else set()

    def view(self):
        """guest_view() of this boot, computed once."""
        if self._view is None:
            self._view, self.view_notes = guest_view(self.ctx.pci, self.ctx.dmesg)
        return self._view

    def gres(self, bdf, res):
        """The guest's (start, end, flags) of one resource, or None."""
        return self.view().get(bdf, {}).get(res)

    def gall(self, bdf):
        """[(name, start, end, flags)] of every resource of a guest function."""
        return [(n,) + r for n, r in sorted(self.view().get(bdf, {}).items())]

    def ancestors(self, bdf):
        return self.tree.get(bdf, [bdf])[:-1]

    # -- checks ------------------------------------------------------------------
    def c_tree(self):
        want = self.locate()
        if not self.tree:
            raise Fail("pci-tree section is empty")
        pci = self.ctx.pci
        problems = []
        for d in self.devs:
            bdf = self.found.get(d.qid)
            if bdf is None:
                problems.append("%s (%s %04x:%04x) not found at %s" % (
                    d.qid, d.driver, d.ident[0], d.ident[1], "/".join(want[d.qid])))
                continue
            g = pci.get(bdf, {})
            if (g.get("vendor"), g.get("device")) != d.ident:
                problems.append("%s at %s is %04x:%04x, want %04x:%04x" % (
                    d.qid, bdf, g.get("vendor") or 0, g.get("device") or 0, *d.ident))
            for a, want_qid in zip(reversed(self.tree[bdf][:-1]), self._parents(d)):
                ga, x = pci.get(a, {}), self.by_id[want_qid]
                if (ga.get("vendor"), ga.get("device")) != x.ident:
                    problems.append("%s: ancestor %s is %04x:%04x, want %s %04x:%04x" % (
                        d.qid, a, ga.get("vendor") or 0, ga.get("device") or 0, x.qid, *x.ident))
        ours = set(self.found.values())
        chip = tt.CHIPSET[self.machine]
        for bdf, path in sorted(self.tree.items()):
            if bdf in ours:
                continue
            g = pci.get(bdf, {})
            if len(path) == 1 and chip.get(bdf.split(":")[-1]) == (g.get("vendor"), g.get("device")):
                continue
            problems.append("unexpected function %s (%04x:%04x) at %s" % (
                bdf, g.get("vendor") or 0, g.get("device") or 0, "/".join(path)))
        if problems:
            raise Fail("%d problem(s):\n%s" % (len(problems), "\n".join(problems[:40])))
        return "%d devices at their places in the tree" % len(self.found)

    def _parents(self, d):
        out, x = [], d
        while x.parent:
            out.append(x.parent)
            x = self.by_id[x.parent]
        return out

    def c_kernel(self):
        if not self.ctx.have_dmesg:
            self.ctx.need_report("dmesg")
        lines = hq.kernel_pci_changes(self.ctx.dmesg)
        ok_res = self.allowed_refused()
        allowed, bad = [], []
        for l in lines:
            mine = False
            for bdf, res in ok_res:
                kname = r"(?:ROM|BAR 6)" if res == "ROM" else \
                    (r"BAR %s" % res[3:]) if res.startswith("BAR") else None
                if kname and re.search(r"pci %s: %s\b" % (re.escape(bdf), kname), l) \
                        and re.search(r"assign|no space", l) and "can't claim" not in l:
                    mine = True
            if ok_res and "Some PCI device resources are unassigned" in l:
                mine = True
            (allowed if mine else bad).append(l)
        if bad:
            notes = ""
            refused_bdfs = {b for b, _ in self.refused()}
            claimed = [l for l in bad if "can't claim" in l and
                       any(("pci %s:" % b) in l for b in refused_bdfs)]
            if claimed:
                notes = ("\n(%d of them: the kernel tried to claim a resource the firmware "
                         "refused, i.e. the refused BAR was left holding an address, e.g. the "
                         "all-ones of sizing, instead of 0)" % len(claimed))
            raise Fail("%d kernel line(s) show Linux assigning/claiming/rejecting PCI resources "
                       "itself:\n%s%s" % (len(bad), "\n".join(bad[:30]), notes))
        return "no PCI resource changed by the kernel%s" % (
            "; %d assignment line(s) for refused resources" % len(allowed) if allowed else "")

    def c_summary(self):
        self.ctx.need_fw()
        s = hq.parse_fw_pci_summary(self.ctx.fw)
        if "functions" not in s:
            raise Fail("firmware log has no 'pci: N functions, M bridges, ...' summary")
        self.ctx.need_report("pci")
        problems = []
        if s["functions"] != len(self.ctx.pci):
            problems.append("firmware enumerated %d functions, the guest sees %d"
                            % (s["functions"], len(self.ctx.pci)))
        nbr = sum(1 for d in self.devs if d.bridge)
        if s["bridges"] != nbr:
            problems.append("firmware found %d bridges, QEMU was given %d" % (s["bridges"], nbr))
        rows = [p for p in self.plan() if p["placement"] == "REFUSED"]
        if self.sc.over_limit:
            n = len(self.refused())
            if s["refused"] + s["dropped"] != n:
                problems.append("summary: %d refused + %d dropped, but the log refuses %d "
                                "resources" % (s["refused"], s["dropped"], n))
        else:
            if s["dropped"]:
                problems.append("firmware dropped %d functions/resources" % s["dropped"])
            if s["refused"]:
                problems.append("summary says %d refused, want 0" % s["refused"])
        if s["refused"] != len(rows) and not self.sc.over_limit:
            problems.append("summary says %d refused, the plan table has %d REFUSED rows"
                            % (s["refused"], len(rows)))
        if problems:
            raise Fail("\n".join(problems))
        return "%d functions, %d bridges, buses %02x-%02x, %d refused, %d dropped" % (
            s["functions"], s["bridges"], s["bus_first"], s["bus_last"], s["refused"], s["dropped"])

    def c_match(self):
        plan = self.plan()
        self.ctx.need_report("pci")
        pci = self.ctx.pci
        ok_res = self.allowed_refused()
        problems, n, planned = [], 0, set()
        for p in plan:
            key = (p["bdf"], p["res"])
            planned.add(key)
            if p["placement"] == "REFUSED":
                if key not in ok_res:
                    problems.append("%s %s (%s, 0x%x bytes): REFUSED in the plan" % (
                        p["bdf"], p["res"], p["type"], p["size"]))
                continue
            g = pci.get(p["bdf"])
            if g is None:
                problems.append("%s %s: no such function in the guest" % key)
                continue
            if (g.get("vendor"), g.get("device")) != p["id"]:
                problems.append("%s: plan says %04x:%04x, guest has %04x:%04x" % (
                    p["bdf"], *p["id"], g.get("vendor") or 0, g.get("device") or 0))
            r = self.gres(p["bdf"], p["res"])
            want = (p["addr"], p["addr"] + p["size"] - 1)
            if r is None:
                problems.append("%s %s: plan %s, the guest has no such resource"
                                % (p["bdf"], p["res"], fmt(want)))
            elif (r[0], r[1]) != want:
                problems.append("%s %s: plan %s (%s), guest %s" % (
                    p["bdf"], p["res"], fmt(want), p["placement"], fmt(r)))
            elif bool(r[2] & hq.IORESOURCE_IO) != (p["type"] == "io"):
                problems.append("%s %s: plan type %s, guest flags 0x%x"
                                % (p["bdf"], p["res"], p["type"], r[2]))
            else:
                n += 1
        for bdf, g in sorted(pci.items()):
            for name, s, e, f in self.gall(bdf):
                if (bdf, name) in planned or (bdf, name) in ok_res:
                    continue
                if g.get("class", 0) >> 8 == 0x0101 and s in (0x1F0, 0x3F6, 0x170, 0x376):
                    continue        # fixed legacy IDE ports (pc)
                problems.append("%s %s %s in the guest is not in the firmware's plan"
                                % (bdf, name, fmt((s, e))))
        if problems:
            raise Fail("%d mismatch(es) (%d resources equal):\n%s"
                       % (len(problems), n, "\n".join(problems[:40])))
        return "%d BARs, ROMs and bridge windows: guest == plan%s" % (
            n, "".join("; " + x for x in self.view_notes))

    def c_below4g(self):
        self.ctx.need_report("pci")
        plan = self.plan()
        pci = self.ctx.pci
        problems, n = [], 0
        for p in plan:
            if p["placement"] == "REFUSED":
                continue
            low = p["type"] in ("mem32", "mem32-pref") or p["res"] == "ROM" or \
                p["res"] == "win-mem"
            if low and p["addr"] + p["size"] > FOUR_GIB:
                problems.append("plan: %s %s %s 0x%x+0x%x ends above 4 GiB" % (
                    p["bdf"], p["res"], p["type"], p["addr"], p["size"]))
        for bdf, g in sorted(pci.items()):
            for name, s, e, f in self.gall(bdf):
                if not f & hq.IORESOURCE_MEM or not placed((s, e, f)):
                    continue
                low = name == "ROM" or name == "win-mem" or not f & hq.IORESOURCE_MEM_64
                if low:
                    n += 1
                    if e >= FOUR_GIB:
                        problems.append("guest: %s %s %s (flags 0x%x: 32-bit only) above 4 GiB"
                                        % (bdf, name, fmt((s, e)), f))
        # the scenario's 32-bit prefetchable BARs: really that, and every
        # bridge above forwards them through a window below 4 GiB
        for qid, res in self.sc.pref32:
            bdf = self.bdf(qid)
            r = self.gres(bdf, res)
            if r is None or not placed(r):
                problems.append("%s (%s) %s: no placed resource in the guest (%s)" % (
                    qid, bdf, res, fmt(r) if r else "none"))
                continue
            if not r[2] & hq.IORESOURCE_PREFETCH or r[2] & hq.IORESOURCE_MEM_64:
                problems.append("%s (%s) %s: flags 0x%x, not a 32-bit prefetchable BAR "
                                "(scenario premise)" % (qid, bdf, res, r[2]))
            if r[1] >= FOUR_GIB:
                problems.append("%s (%s) %s %s: 32-bit prefetchable above 4 GiB"
                                % (qid, bdf, res, fmt(r)))
            for a in self.ancestors(bdf):
                ws = [(w, self.gres(a, w)) for w in ("win-mem", "win-pref")]
                ws = [(w, x) for w, x in ws if x and placed(x) and x[0] <= r[0] and r[1] <= x[1]]
                if not ws:
                    problems.append("%s (%s) %s %s: bridge %s has no window holding it" % (
                        qid, bdf, res, fmt(r), a))
                elif ws[0][1][1] >= FOUR_GIB:
                    problems.append("%s (%s) %s: bridge %s forwards it through %s %s, above "
                                    "4 GiB" % (qid, bdf, res, a, ws[0][0], fmt(ws[0][1])))
        if problems:
            raise Fail("%d problem(s):\n%s" % (len(problems), "\n".join(problems[:40])))
        return "%d 32-bit-only memory resources below 4 GiB (%d declared 32-bit prefetchable)" % (
            n, len(self.sc.pref32))

    def c_pref64(self):
        self.ctx.need_report("pci")
        pci = self.ctx.pci
        problems, done = [], []
        for qid, res in self.sc.pref64:
            bdf = self.bdf(qid)
            r = self.gres(bdf, res)
            if r is None or not placed(r):
                problems.append("%s (%s) %s: no placed resource in the guest" % (qid, bdf, res))
                continue
            if not r[2] & hq.IORESOURCE_PREFETCH or not r[2] & hq.IORESOURCE_MEM_64:
                problems.append("%s (%s) %s: flags 0x%x, not 64-bit prefetchable (scenario "
                                "premise)" % (qid, bdf, res, r[2]))
            if r[0] < FOUR_GIB:
                problems.append("%s (%s) %s %s: 64-bit prefetchable below 4 GiB"
                                % (qid, bdf, res, fmt(r)))
            for a in self.ancestors(bdf):
                w = self.gres(a, "win-pref")
                if w is None or not placed(w) or not (w[0] <= r[0] and r[1] <= w[1]):
                    problems.append("%s (%s) %s %s: bridge %s prefetchable window %s does not "
                                    "hold it" % (qid, bdf, res, fmt(r), a, fmt(w) if w else "closed"))
            done.append("%s %s" % (qid, fmt(r)))
        if problems:
            raise Fail("\n".join(problems))
        return "%d 64-bit prefetchable BARs above 4 GiB: %s" % (len(done), ", ".join(done))

    def c_e820(self):
        e820 = hq.parse_kernel_e820(self.ctx.dmesg)
        if not e820:
            raise Fail("the kernel printed no BIOS-e820 lines")
        self.ctx.need_report("pci")
        problems, n = [], 0
        for bdf, g in sorted(self.ctx.pci.items()):
            for name, s, e, f in self.gall(bdf):
                if not f & hq.IORESOURCE_MEM or not placed((s, e, f)):
                    continue
                n += 1
                for es, ee, et in e820:
                    if overlaps((s, e), (es, ee)):
                        problems.append("%s %s %s overlaps e820 [mem 0x%x-0x%x] %s" % (
                            bdf, name, fmt((s, e)), es, ee, et))
        if problems:
            raise Fail("\n".join(problems[:40]))
        return "%d memory BARs/ROMs/windows clear of the %d e820 ranges" % (n, len(e820))

    def c_refusals(self):
        self.ctx.need_fw()
        lines = parse_fw_refusal_lines(self.ctx.fw, self.limits)
        plan = self.plan()
        problems = []
        # every REFUSED row has its line
        for p in plan:
            if p["placement"] == "REFUSED" and not any(
                    x["bdf"] == p["bdf"] and x["res"] in (p["res"], None) for x in lines):
                problems.append("plan row %s %s %s REFUSED, but no refusal line names it"
                                % (p["bdf"], p["res"], p["type"]))
        if not self.sc.over_limit:
            if lines:
                problems.append("%d refusal line(s), want none:\n%s"
                                % (len(lines), "\n".join(x["line"] for x in lines)))
            if problems:
                raise Fail("\n".join(problems))
            return "nothing refused"
        # q35-over-limit: one line per excess resource, naming the device and the reason
        limit = self.limits["PCI_MAX_RES"]
        decl = self.declared()
        seen = {}
        for x in lines:
            key = (x["bdf"], x["res"])
            if x["bdf"] is None or x["res"] is None:
                problems.append("refusal line names no %s: %s" % (
                    "function" if x["bdf"] is None else "resource", x["line"]))
                continue
            g = self.ctx.pci.get(x["bdf"], {})
            if x["id"] != "%04x:%04x" % (g.get("vendor") or 0, g.get("device") or 0):
                problems.append("refusal line names %s %s, the guest has %04x:%04x there: %s" % (
                    x["bdf"], x["id"], g.get("vendor") or 0, g.get("device") or 0, x["line"]))
            if not re.search(r"\bfull\b", x["line"]):
                problems.append("refusal line does not say the table is full: %s" % x["line"])
            if key not in decl:
                problems.append("refused %s %s is not a resource of this machine: %s"
                                % (x["bdf"], x["res"], x["line"]))
            seen.setdefault(key, []).append(x["line"])
        for key, ls in sorted(seen.items()):
            if len(ls) != 1:
                problems.append("%s %s: %d refusal lines, want 1:\n%s"
                                % (key[0], key[1], len(ls), "\n".join(ls)))
        refused = self.refused()
        excess = len(decl) - limit
        if len(refused) != excess:
            problems.append("%d resources refused, want exactly the excess: %d declared "
                            "(BARs + ROMs) - PCI_MAX_RES %d = %d" % (
                                len(refused), len(decl), limit, excess))
        placed_rows = {(p["bdf"], p["res"]) for p in plan if p["placement"] != "REFUSED"}
        lost = sorted(decl - placed_rows - refused)
        if lost:
            problems.append("%d declared resource(s) neither placed nor refused: %s"
                            % (len(lost), ", ".join("%s %s" % k for k in lost[:20])))
        extra = sorted(placed_rows - decl)
        if extra:
            problems.append("plan rows for resources the scenario does not declare: %s"
                            % ", ".join("%s %s" % k for k in extra[:20]))
        if problems:
            raise Fail("%d problem(s):\n%s" % (len(problems), "\n".join(problems[:40])))
        return "%d of %d resources refused (PCI_MAX_RES %d), one line each: %s" % (
            len(refused), len(decl), limit,
            ", ".join("%s %s" % (b[5:], r) for b, r in sorted(refused)))

    def c_ecam(self):
        self.ctx.need_report("pci", "iomem")
        fwsum = hq.parse_fw_pci_summary(self.ctx.fw) if self.ctx.fw else {}
        dm = self.ctx.dmesg
        problems, notes = [], []
        mcfg = [n for n in self.ctx.guest.acpi if n.split("/")[-1].startswith("MCFG")]
        if not mcfg:
            raise Fail("the guest has no MCFG table")
        t = self.ctx.guest.acpi[mcfg[0]]
        entries = parse_mcfg(t["data"])
        if len(entries) != 1:
            raise Fail("MCFG has %d entries, want 1: %s" % (len(entries), entries))
        ecam = entries[0][:2]
        if fwsum.get("ecam_len") and (fwsum["ecam"], fwsum["ecam"] + fwsum["ecam_len"] - 1) != ecam:
            problems.append("MCFG ECAM %s, firmware says ecam 0x%x+0x%x"
                            % (fmt(ecam), fwsum["ecam"], fwsum["ecam_len"]))
        k = parse_kernel_mmcfg(dm)
        if k is None:
            problems.append("the kernel printed no 'MMCONFIG for domain ... at [mem ...]' line")
        elif k != ecam:
            problems.append("kernel MMCONFIG %s, MCFG %s" % (fmt(k), fmt(ecam)))
        e820 = hq.parse_kernel_e820(dm)
        if not any(s <= ecam[0] and ecam[1] <= e and "reserved" in t_ for s, e, t_ in e820):
            problems.append("no e820 'reserved' range holds the ECAM %s" % fmt(ecam))
        io = [r for r in iomem_nodes(hq.parse_iomem(self.ctx.guest.sections["iomem"]))
              if re.match(r"PCI (?:MMCONFIG|ECAM)", r.name)]
        if not io or (io[0].start, io[0].end) != ecam:
            problems.append("/proc/iomem: %s, want 'PCI MMCONFIG/ECAM' at %s" % (
                ", ".join("%r" % r for r in io) or "no PCI MMCONFIG entry", fmt(ecam)))
        # PCI0 _CRS from the disassembled tables (acpi-iasl-disassemble), and
        # the root bus windows Linux made of it
        crs, srcs = [], []
        for dsl in sorted(glob.glob(os.path.join(self.ctx.log_dir, "acpi", "*.dsl"))):
            name = os.path.basename(dsl)
            if not name.startswith(("DSDT", "SSDT", "dynamic_SSDT")):
                continue
            with open(dsl, errors="replace") as f:
                r = parse_asl_pci0_crs(f.read())
            if r is not None:
                crs += r
                srcs.append(name)
        if not srcs:
            notes.append("no static PCI0 _CRS in the disassembled tables (iasl missing?); "
                         "judged by the kernel's root bus windows only")
        kwin = parse_kernel_root_windows(dm)
        if not kwin:
            problems.append("the kernel printed no 'root bus resource [mem ...]' lines")
        for src, ws in (("PCI0 _CRS (%s)" % ", ".join(srcs), crs),
                        ("kernel root bus window", kwin)):
            for w in ws:
                if overlaps(w, ecam):
                    problems.append("%s %s overlaps the ECAM %s" % (src, fmt(w), fmt(ecam)))
        for bdf, g in sorted(self.ctx.pci.items()):
            for name, s, e, f in self.gall(bdf):
                if f & hq.IORESOURCE_MEM and placed((s, e, f)) and overlaps((s, e), ecam):
                    problems.append("%s %s %s overlaps the ECAM %s" % (bdf, name, fmt((s, e)),
                                                                       fmt(ecam)))
        small = []
        for d in self.devs:
            if d.pcie:
                cs = self.ctx.pci.get(self.bdf(d.qid), {}).get("config_size")
                if cs != 4096:
                    small.append("%s %s: %s bytes" % (d.qid, self.bdf(d.qid), cs))
        if small:
            problems.append("extended config space not readable: " + ", ".join(small))
        if problems:
            raise Fail("\n".join(problems + notes))
        return "ECAM %s (MCFG == firmware == kernel == e820 == iomem) outside %d _CRS and %d " \
               "root bus memory windows%s" % (fmt(ecam), len(crs), len(kwin),
                                              "; " + "; ".join(notes) if notes else "")

    def c_pins(self):
        plan = self.plan()
        self.ctx.need_report("pci")
        problems = []
        for text, qid, res, addr in self.sc.pins:
            want = "0000:" + text.split("/")[0]
            bdf = self.bdf(qid)
            if bdf != want:
                problems.append("pin %s meant %s, which is at %s in the guest" % (text, qid, bdf))
                continue
            rows = [p for p in plan if p["bdf"] == bdf and p["res"] == res]
            if not rows:
                problems.append("pin %s: no plan row for %s %s" % (text, bdf, res))
            elif rows[0]["placement"] != "pinned" or rows[0]["addr"] != addr:
                problems.append("pin %s=0x%x: plan row says %s at 0x%x" % (
                    text, addr, rows[0]["placement"], rows[0]["addr"]))
            r = self.gres(bdf, res)
            if r is None or r[0] != addr:
                problems.append("pin %s=0x%x: the guest has %s at %s" % (
                    text, addr, res, fmt(r) if r else "nothing"))
        if problems:
            raise Fail("\n".join(problems))
        return "%d pin(s) at their addresses: %s" % (
            len(self.sc.pins), ", ".join("%s=0x%x" % (p[0], p[3]) for p in self.sc.pins))

    def c_below(self):
        self.ctx.need_report("pci")
        problems, done = [], []
        for qid, res, pqid, pres in self.sc.below:
            r = self.gres(self.bdf(qid), res)
            p = self.gres(self.bdf(pqid), pres)
            if r is None or not placed(r) or p is None or not placed(p):
                problems.append("%s %s %s, pinned %s %s %s: not both placed" % (
                    qid, res, fmt(r) if r else "none", pqid, pres, fmt(p) if p else "none"))
                continue
            size = r[1] - r[0] + 1
            pin = [x[3] for x in self.sc.pins if (x[1], x[2]) == (pqid, pres)]
            fits, first = pin_premise(pin[0], p[1] - p[0] + 1, size) if pin else (True, 0)
            if fits:
                problems.append("scenario premise broken: %s %s (0x%x bytes) would fit above the "
                                "pin %s at 0x%x (below 0x%x)" % (
                                    qid, res, size, "0x%x" % pin[0] if pin else "(none declared)",
                                    first, PLATFORM_BASE))
            if r[1] >= p[0]:
                problems.append("%s %s %s is not below the pinned %s %s %s" % (
                    qid, res, fmt(r), pqid, pres, fmt(p)))
            done.append("%s %s %s below pinned %s %s %s" % (qid, res, fmt(r), pqid, pres, fmt(p)))
        if problems:
            raise Fail("\n".join(problems))
        return "; ".join(done)


# ---------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", required=True, choices=sorted(SCENARIOS))
    ap.add_argument("--name", help="test name (default system-<scenario>)")
    ap.add_argument("--rom", required=True, help="hvmfw.rom")
    ap.add_argument("--guest", required=True, help="directory with vmlinuz + initramfs.cpio.gz")
    ap.add_argument("--logs", required=True, help="log directory")
    ap.add_argument("--topo-header", default=TOPO_HEADER, help="include/hvmfw/pci_topo.h")
    ap.add_argument("--plan-header", default=PLAN_HEADER, help="include/hvmfw/plan.h")
    ap.add_argument("--timeout", type=float, default=150.0, help="seconds until QEMU is killed")
    a = ap.parse_args(argv)
    sc = SCENARIOS[a.scenario]
    name = a.name or "system-" + a.scenario
    if os.environ.get("HVMFW_SYSTEM_FIRMWARE", "") == "seabios":
        print("SKIP %s: these tests check hvmfw's plan; HVMFW_SYSTEM_FIRMWARE=seabios" % name)
        return 77
    if hq.find_guest(a.guest) is None:
        print("SKIP %s: no guest kernel/initramfs in %s (run tools/fetch-guest.sh BUILD_DIR)"
              % (name, a.guest))
        return 77
    try:
        limits = enumerator_limits(a.topo_header, a.plan_header)
    except (OSError, ValueError) as e:
        print("FAIL %s: cannot read the enumerator's limits: %s" % (name, e))
        return 1
    try:
        devs = sc.devices(limits)
    except Skip as e:
        print("SKIP %s: %s" % (name, e))
        return 77
    a.logs = os.path.abspath(a.logs)
    os.makedirs(a.logs, exist_ok=True)
    rom_dir = os.path.join(a.logs, "roms")
    write_roms(rom_dir, devs)
    print("%s: %d devices; limits PCI_MAX_RES=%d PCI_MAX_FUNCS=%d PCI_MAX_BRIDGES=%d%s" % (
        name, len(devs), limits["PCI_MAX_RES"], limits["PCI_MAX_FUNCS"],
        limits["PCI_MAX_BRIDGES"], ("; " + sc.note) if sc.note else ""), flush=True)
    extra = []
    for d in devs:
        extra += d.qemu_args(tt.ROOT_BUS[sc.machine], rom_dir)
    if sc.pins:
        extra += ["-fw_cfg", "name=opt/org.hvmfw/pins,string=" + " ".join(
            "%s=0x%x" % (p[0], p[3]) for p in sc.pins)]
    argv = ["--name", name, "--machine", sc.machine, "--smp", "1", "--mem", str(sc.mem),
            "--rom", a.rom, "--guest", a.guest, "--logs", os.path.join(a.logs, "boot"),
            "--timeout", str(a.timeout), "--no-default-devices"]
    if sc.over_limit:
        # Which resources the firmware refuses is its choice (the checks demand
        # exactly the excess); the base checks leave every BAR of this machine
        # to pm-bars-match-plan / pm-refusals-expected, which know afterwards.
        for d in devs:
            argv += ["--unplaced=0000:00:%s/bar%s" % (d.addr, r[3:])
                     for r in d.res if r.startswith("BAR")]
        for dd, rs in CHIPSET_RES[sc.machine].items():
            argv += ["--unplaced=0000:00:%s/bar%s" % (dd, r[3:]) for r in rs if r.startswith("BAR")]
    argv += ["--qemu-arg=" + x for x in extra]
    return boot_test.main(argv, extra_checks=PlannerChecks(sc, devs, limits))


if __name__ == "__main__":
    sys.exit(main())
