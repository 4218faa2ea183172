#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""planner_machines_test.py's parsers and checks on hand-made input (no
QEMU): each check passes on a good fake boot and fails, naming the values, on
a bad one. Exit 0 when all hold."""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hvmfw_qemu as hq  # noqa: E402
import planner_machines_test as pm  # noqa: E402

failures = []


def expect(cond, what):
    print("%s %s" % ("ok  " if cond else "FAIL", what))
    if not cond:
        failures.append(what)


LIMITS = {"PCI_MAX_FUNCS": 256, "PCI_MAX_BRIDGES": 64, "PCI_MAX_RES": 512, "PLAN_BAR_ROM": 6,
          "PLAN_BAR_WIN_IO": 7, "PLAN_BAR_WIN_MEM": 8, "PLAN_BAR_WIN_PREF": 9}
tmp = tempfile.mkdtemp(prefix="hvmfw-pm-selftest.")

# -- limits from the headers ------------------------------------------------------
h = os.path.join(tmp, "h.h")
with open(h, "w") as f:
    f.write("#define PCI_MAX_FUNCS\t256\t/* x */\n#define  PCI_MAX_RES (0x200u)\n"
            "#define PCI_MAX_BRIDGES 64\n#define PCI_MAX_RESX 7\n")
expect(pm.read_defines(h, ("PCI_MAX_FUNCS", "PCI_MAX_RES", "PCI_MAX_BRIDGES")) ==
       {"PCI_MAX_FUNCS": 256, "PCI_MAX_RES": 512, "PCI_MAX_BRIDGES": 64}, "read_defines")
try:
    pm.read_defines(h, ("PCI_MAX_DEPTH",))
    expect(False, "read_defines raises on a missing #define")
except ValueError as e:
    expect("PCI_MAX_DEPTH" in str(e), "read_defines raises on a missing #define")
real = pm.enumerator_limits()
expect(real["PCI_MAX_RES"] > 0 and real["PLAN_BAR_ROM"] == 6,
       "the tree's headers give the limits (PCI_MAX_RES=%d)" % real["PCI_MAX_RES"])

# -- the over-limit machine ---------------------------------------------------------
devs = pm.over_limit_devices(LIMITS)
total = sum(len(d.res) for d in devs) + 3
expect(len(devs) == 130 and total == 523 and total - 512 >= pm.OVER_LIMIT_EXCESS,
       "over-limit: 130 functions, 523 resources for PCI_MAX_RES=512")
expect(devs[0].addr == "03.0" and "multifunction=on" in devs[0].props and devs[9].addr == "04.1"
       and "multifunction" not in devs[9].props and devs[-1].addr == "13.1",
       "over-limit: 8 functions per slot from 03.0, multifunction on function 0")
expect(len({d.qid for d in devs}) == len(devs), "over-limit: unique ids")
for lim, why in (({"PCI_MAX_RES": 4096, "PCI_MAX_FUNCS": 4096}, "bus 0"),
                 ({"PCI_MAX_RES": 512, "PCI_MAX_FUNCS": 100}, "PCI_MAX_FUNCS")):
    try:
        pm.over_limit_devices(dict(LIMITS, **lim))
        expect(False, "over-limit: SKIP when %s cannot hold it" % why)
    except hq.Skip as e:
        expect(why in str(e), "over-limit: SKIP when %s cannot hold it (%s)" % (why, e))

# -- ROM images and the pin premise ----------------------------------------------------
for size in (2048, 2 << 20):
    r = pm.rom_image((0x8086, 0x10D3), size)
    p = int.from_bytes(r[0x18:0x1A], "little")
    expect(len(r) == size and r[:2] == b"\x55\xaa" and r[p:p + 4] == b"PCIR"
           and int.from_bytes(r[p + 16:p + 18], "little") * 512 == size and r[p + 21] & 0x80
           and sum(r) & 0xFF == 0 and r[p + 4:p + 8] == bytes([0x86, 0x80, 0xD3, 0x10]),
           "rom_image %d bytes" % size)
expect(pm.pin_premise(pm.PIN_ROM_ADDR, 128 << 10, pm.PIN_ROM_ROMSIZE) == (False, 0xFEC00000),
       "q35-pin-rom premise: the 2 MiB ROM cannot go above the pin")
expect(pm.pin_premise(0xFE000000, 128 << 10, 2 << 20)[0], "premise detects room above a pin")

# -- refusal lines in any wording ----------------------------------------------------
FW_REFUSALS = [
    "[hvmfw] pci: 00:13.0 1b36:0005 BAR0: resource table full (512), decode left off",
    "[hvmfw] pci: 00:13.0 1b36:0005 BAR6: resource table full (512), decode left off",
    "[hvmfw] pci: 01:00.0 8086:10d3 ROM0 (0x200000 bytes) refused: bridge window above was "
    "refused; ROM decode left off",
    "[hvmfw] pci: 00:04.0 1b36:000c memory window (0x400000 bytes) refused: pin overlaps RAM; "
    "closed, devices behind it lose that space",
    "[hvmfw] pci: 05:00.0 1b36:0005: device table full (256 functions), left unconfigured",
    "[hvmfw] pci: ECAM window (0x4000000 bytes) refused: no space; config space stays CF8",
]
FW_NOT_REFUSALS = [
    "[hvmfw] pci: 01:00.0 8086:10d3 ROM      mem32      0x0000200000 0x0000000000000000 REFUSED",
    "[hvmfw] pci: 00:04.0 1b36:000c bus 01-01 hot-plug",
    "[hvmfw] pci: 7 functions, 1 bridges, buses 00-01, 5 refused, 0 dropped; 175 config accesses",
    "[hvmfw] pci: hole 0xe0000000-0xffffffff (512 MiB) too small, 32-bit demand refused; "
    "mmio_hole=1024 (hole from 0xc0000000) would hold it",
    "[hvmfw] pci: hole 0xf0000000-0xffffffff (256 MiB), mmio_hole=256 holds all 32-bit demand",
]
got = pm.parse_fw_refusal_lines(FW_REFUSALS + FW_NOT_REFUSALS, LIMITS)
expect([(x["bdf"], x["id"], x["res"]) for x in got] == [
    ("0000:00:13.0", "1b36:0005", "BAR0"), ("0000:00:13.0", "1b36:0005", "ROM"),
    ("0000:01:00.0", "8086:10d3", "ROM"), ("0000:00:04.0", "1b36:000c", "win-mem"),
    ("0000:05:00.0", "1b36:0005", None), (None, None, None)],
    "parse_fw_refusal_lines: %s" % [(x["bdf"], x["res"]) for x in got])

# -- ACPI: PCI0 _CRS and MCFG --------------------------------------------------------------
SSDT = r"""
DefinitionBlock ("", "SSDT", 2, "HVMFW", "PCI", 0x00000001)
{
    Scope (\_SB.PCI0)
    {
        Name (_CRS, ResourceTemplate ()  // _CRS: Current Resource Settings
        {
            WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,
                0x0000,             // Granularity
                0x0000,             // Range Minimum
                0x003F,             // Range Maximum
                0x0000,             // Translation Offset
                0x0040,             // Length
                ,, )
            DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,
                0x00000000,         // Granularity
                @LO@,         // Range Minimum
                0xFEBFFFFF,         // Range Maximum
                0x00000000,         // Translation Offset
                0x0AC00000,         // Length
                ,, , AddressRangeMemory, TypeStatic)
            QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite,
                0x0000000000000000, // Granularity
                0x0000000100000000, // Range Minimum
                0x000000013FFFFFFF, // Range Maximum
                0x0000000000000000, // Translation Offset
                0x0000000040000000, // Length
                ,, , AddressRangeMemory, TypeStatic)
        })
        Device (ECAM)
        {
            Name (_HID, EisaId ("PNP0C02") /* PNP Motherboard Resources */)  // _HID: Hardware ID
            Name (_CRS, ResourceTemplate ()  // _CRS: Current Resource Settings
            {
                Memory32Fixed (ReadOnly,
                    0xF0000000,         // Address Base
                    0x04000000,         // Address Length
                    )
            })
        }
    }
}
"""
SSDT_OK = SSDT.replace("@LO@", "0xF4000000")
SSDT_BAD = SSDT.replace("@LO@", "0xE0000000")
expect(pm.parse_asl_pci0_crs(SSDT_OK) == [(0xF4000000, 0xFEBFFFFF), (0x100000000, 0x13FFFFFFF)],
       "PCI0 _CRS memory ranges (the ECAM device's own _CRS is not PCI0's)")
expect(pm.parse_asl_pci0_crs("DefinitionBlock () { Scope (\\_SB) { } }") is None,
       "no PCI0 _CRS: None")


def mcfg(base, b0, b1):
    body = bytearray(b"MCFG" + bytes(40))
    body += base.to_bytes(8, "little") + (0).to_bytes(2, "little") + bytes([b0, b1]) + bytes(4)
    body[4:8] = len(body).to_bytes(4, "little")
    return bytes(body)


expect(pm.parse_mcfg(mcfg(0xF0000000, 0, 0x3F)) == [(0xF0000000, 0xF3FFFFFF, 0, 0, 0x3F)],
       "parse_mcfg")
expect(pm.parse_kernel_mmcfg("[ 1.0] PCI: MMCONFIG for domain 0000 [bus 00-3f] at [mem "
                             "0xf0000000-0xf3ffffff] (base 0xf0000000)") == (0xF0000000, 0xF3FFFFFF)
       and pm.parse_kernel_mmcfg("[ 1.0] PCI: ECAM [mem 0xb0000000-0xbfffffff] (base 0xb0000000) "
                                 "for domain 0000 [bus 00-ff]") == (0xB0000000, 0xBFFFFFFF),
       "kernel MMCONFIG / ECAM line, old and new wording")

# -- checks on a fake q35 boot ------------------------------------------------------------
# 00:02.0 VGA (32-bit pref BAR0), 00:03.0 pci-testdev (64-bit pref BAR2),
# root port 00:04.0 -> e1000e 01:00.0 with BAR0 pinned at 0xfea00000 and a
# 2 MiB ROM below it.
DEVS = [
    pm.Dev("vga", "VGA", None, "02.0", pm.VGA_ID, res=("BAR0", "BAR2")),
    pm.Dev("big", "pci-testdev", None, "03.0", pm.TESTDEV, "membar=1G", res=("BAR0", "BAR2")),
    pm.Dev("rp1", "pcie-root-port", None, "04.0", pm.RP, pcie=True, bridge=True),
    pm.Dev("nic", "e1000e", "rp1", "00.0", pm.E1000E, rom=2 << 20, pcie=True, res=("BAR0", "ROM")),
]
PLAN = """\
[hvmfw] pci: device            res      type       size         address            placement
[hvmfw] pci: 00:02.0 1234:1111 BAR0     mem32-pref 0x0001000000 0x00000000f5000000 moved
[hvmfw] pci: 00:02.0 1234:1111 BAR2     mem32      0x0000001000 0x00000000f4100000 moved
[hvmfw] pci: 00:03.0 1b36:0005 BAR0     mem32      0x0000001000 0x00000000f4101000 moved
[hvmfw] pci: 00:03.0 1b36:0005 BAR2     mem64-pref 0x0040000000 0x0000000100000000 moved
[hvmfw] pci: 01:00.0 8086:10d3 BAR0     mem32      0x0000020000 0x00000000fea00000 pinned
[hvmfw] pci: 01:00.0 8086:10d3 ROM      mem32      0x0000200000 0x00000000fe800000 moved
[hvmfw] pci: 00:04.0 1b36:000c win-mem  mem32      0x0000300000 0x00000000fe800000 moved
[hvmfw] pci: 00:04.0 1b36:000c bus 01-01 hot-plug
[hvmfw] pci: 5 functions, 1 bridges, buses 00-01, 0 refused, 0 dropped; 175 config accesses
[hvmfw] pci: hole 0xf0000000-0xffffffff (256 MiB), mmio_hole=256 holds all 32-bit demand
[hvmfw] pci: mem32 0xf4000000+0xac00000, mem64 0x100000000+0x40000000, io 0x1000+0xf000, \
ecam 0xf0000000+0x4000000, 1 bridges for ACPI""".split("\n")
GUEST = [  # bdf, ident, [(index, start, end, flags)]
    ("0000:00:00.0", (0x8086, 0x29C0), []),
    ("0000:00:02.0", pm.VGA_ID, [(0, 0xF5000000, 0xF5FFFFFF, 0x42208),
                                 (2, 0xF4100000, 0xF4100FFF, 0x40200)]),
    ("0000:00:03.0", pm.TESTDEV, [(0, 0xF4101000, 0xF4101FFF, 0x40200),
                                  (2, 0x100000000, 0x13FFFFFFF, 0x14220C)]),
    ("0000:00:04.0", pm.RP, [(14, 0xFE800000, 0xFEAFFFFF, 0x200)]),
    ("0000:01:00.0", pm.E1000E, [(0, 0xFEA00000, 0xFEA1FFFF, 0x40200),
                                 (6, 0xFE800000, 0xFE9FFFFF, 0x46200)]),
]


def tree_text(guest):
    return "\n".join("%s /sys/devices/pci0000:00/%s%s" % (
        b, "0000:00:04.0/" if b.startswith("0000:01") else "", b) for b, _, _ in guest) + "\n"

DMESG = """\
[    0.0] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable
[    0.0] BIOS-e820: [mem 0x0000000000100000-0x000000003ffdffff] usable
[    0.0] BIOS-e820: [mem 0x00000000f0000000-0x00000000f3ffffff] reserved
[    1.0] PCI: MMCONFIG for domain 0000 [bus 00-3f] at [mem 0xf0000000-0xf3ffffff] (base 0xf0000000)
[    1.0] PCI: MMCONFIG at [mem 0xf0000000-0xf3ffffff] reserved in E820
[    1.2] pci_bus 0000:00: root bus resource [mem 0xf4000000-0xfebfffff window]
[    1.2] pci_bus 0000:00: root bus resource [mem 0x100000000-0x13fffffff window]
[    1.3] pci 0000:00:02.0: BAR 0 [mem 0xf5000000-0xf5ffffff pref]
"""
IOMEM = "00000000-00000fff : Reserved\nf0000000-f3ffffff : PCI MMCONFIG 0000 [bus 00-3f]\n" \
        "  f0000000-f3ffffff : Reserved\n"


def pci_text(guest):
    out = []
    for bdf, (v, d), res in guest:
        cs = 4096 if (v, d) in (pm.RP, pm.E1000E) else 256
        out.append("device %s\n  vendor 0x%04x\n  device 0x%04x\n  class 0x030000\n"
                   "  config_size %d" % (bdf, v, d, cs))
        out += ["  resource %d 0x%016x 0x%016x 0x%016x" % r for r in res]
    return "\n".join(out) + "\n"


class FakeGuest:
    def __init__(self, sections, acpi):
        self.sections, self.acpi = sections, acpi


class Ctx:
    def __init__(self, fw=PLAN, dmesg=DMESG, guest=GUEST, iomem=IOMEM, ssdt=SSDT_OK,
                 mcfg_data=None):
        self.fw, self.dmesg, self.have_dmesg, self.rom = fw, dmesg, True, "x"
        text = pci_text(guest)
        self.pci = hq.parse_pci(text)
        self.log_dir = tempfile.mkdtemp(dir=tmp)
        os.makedirs(os.path.join(self.log_dir, "acpi"))
        with open(os.path.join(self.log_dir, "acpi", "SSDT.dsl"), "w") as f:
            f.write(ssdt)
        self.guest = FakeGuest({"pci": text, "pci-tree": tree_text(guest), "dmesg": dmesg, "iomem": iomem},
                               {"MCFG": {"data": mcfg_data or mcfg(0xF0000000, 0, 0x3F)}})

    def need_report(self, *names):
        missing = [n for n in names if n not in self.guest.sections]
        if missing:
            raise hq.Fail("no " + ", ".join(missing))

    def need_fw(self):
        if not self.fw:
            raise hq.Fail("no firmware log")


SC = pm.Scenario("q35", DEVS, pins=[("01:00.0/bar0", "nic", "BAR0", 0xFEA00000)],
                 below=[("nic", "ROM", "nic", "BAR0")], pref32=[("vga", "BAR0")],
                 pref64=[("big", "BAR2")])


def run(method, ctx=None, sc=SC, devs=DEVS, limits=LIMITS):
    pc = pm.PlannerChecks(sc, devs, limits)
    pc.bind(ctx or Ctx())
    try:
        return True, getattr(pc, method)()
    except hq.Fail as e:
        return False, str(e)


ALL = ("c_tree", "c_kernel", "c_summary", "c_match", "c_below4g", "c_pref64", "c_e820",
       "c_refusals", "c_ecam", "c_pins", "c_below")
for m in ALL:
    ok, msg = run(m)
    expect(ok, "%s passes on the good fake boot (%s)" % (m, msg))


def guest_with(bdf, index, start, end, flags):
    out = []
    for b, ident, res in GUEST:
        if b == bdf:
            res = [r for r in res if r[0] != index] + [(index, start, end, flags)]
        out.append((b, ident, res))
    return out


def bad(method, ctx, needle, what, sc=SC):
    ok, msg = run(method, ctx, sc=sc)
    expect(not ok and needle in msg, "%s fails: %s (%s)" % (method, what, msg.split("\n")[0]))


bad("c_tree", Ctx(guest=GUEST[:-1]), "nic (e1000e 8086:10d3) not found", "a device is missing")
bad("c_kernel", Ctx(dmesg=DMESG + "[ 2.0] pci 0000:01:00.0: ROM [mem 0xfe800000-0xfe9fffff "
                    "pref]: assigned\n"), "1 kernel line", "the kernel assigned a ROM")
bad("c_match", Ctx(guest=guest_with("0000:01:00.0", 6, 0xFE600000, 0xFE7FFFFF, 0x46200)),
    "plan 0xfe800000-0xfe9fffff (moved), guest 0xfe600000-0xfe7fffff", "a ROM moved")
bad("c_match", Ctx(guest=guest_with("0000:00:03.0", 1, 0x1000, 0x10FF, 0x40101)),
    "BAR1 0x1000-0x10ff in the guest is not in the firmware's plan", "a BAR not in the plan")
bad("c_below4g", Ctx(guest=guest_with("0000:00:02.0", 0, 0x140000000, 0x140FFFFFF, 0x42208)),
    "above 4 GiB", "a 32-bit prefetchable BAR above 4 GiB")
bad("c_below4g", Ctx(guest=guest_with("0000:00:02.0", 0, 0xF5000000, 0xF5FFFFFF, 0x14220C)),
    "not a 32-bit prefetchable BAR", "the declared 32-bit prefetchable BAR is 64-bit")
bad("c_below4g", Ctx(fw=[l.replace("0x00000000fe800000 moved", "0x00000001fe800000 moved")
                         if "ROM" in l else l for l in PLAN]),
    "plan: 0000:01:00.0 ROM mem32 0x1fe800000+0x200000 ends above 4 GiB", "a ROM planned high")
bad("c_pref64", Ctx(guest=guest_with("0000:00:03.0", 2, 0xC0000000, 0xFFFFFFFF, 0x14220C)),
    "64-bit prefetchable below 4 GiB", "a 64-bit prefetchable BAR below 4 GiB")
bad("c_e820", Ctx(guest=guest_with("0000:00:03.0", 0, 0x3FF00000, 0x3FF00FFF, 0x40200)),
    "overlaps e820 [mem 0x100000-0x3ffdffff] usable", "a BAR over RAM")
bad("c_refusals", Ctx(fw=PLAN + [FW_REFUSALS[2]]), "1 refusal line(s), want none",
    "an unexpected refusal")
bad("c_refusals", Ctx(fw=[l.replace("fe800000 moved", "fe800000 REFUSED") if "ROM" in l else l
                          for l in PLAN]),
    "ROM mem32 REFUSED, but no refusal line names it", "a REFUSED row without its line")
bad("c_ecam", Ctx(ssdt=SSDT_BAD), "PCI0 _CRS (SSDT.dsl) 0xe0000000-0xfebfffff overlaps the ECAM",
    "the _CRS window covers the ECAM")
bad("c_ecam", Ctx(mcfg_data=mcfg(0xB0000000, 0, 0xFF)), "MCFG ECAM 0xb0000000-0xbfffffff, "
    "firmware says ecam 0xf0000000+0x4000000", "MCFG differs from the firmware")
bad("c_ecam", Ctx(iomem="00000000-00000fff : Reserved\n"), "no PCI MMCONFIG entry",
    "no MMCONFIG in /proc/iomem")
bad("c_ecam", Ctx(dmesg=DMESG.replace("reserved", "usable")), "no e820 'reserved' range",
    "the ECAM not reserved in the e820")
bad("c_ecam", Ctx(guest=guest_with("0000:00:03.0", 0, 0xF1000000, 0xF1000FFF, 0x40200)),
    "0000:00:03.0 BAR0 0xf1000000-0xf1000fff overlaps the ECAM", "a BAR over the ECAM")
bad("c_pins", Ctx(fw=[l.replace("fea00000 pinned", "fe700000 moved") for l in PLAN],
                  guest=guest_with("0000:01:00.0", 0, 0xFE700000, 0xFE71FFFF, 0x40200)),
    "plan row says moved at 0xfe700000", "a pin moved")
bad("c_below", Ctx(guest=guest_with("0000:01:00.0", 6, 0xFEB00000, 0xFECFFFFF, 0x46200)),
    "is not below the pinned nic BAR0", "the ROM above the pin")

# the boot VGA's ROM: Linux shows its shadow at 0xc0000; the BAR is judged by
# the enumeration line
VGA_ROM = "[hvmfw] pci: 00:02.0 1234:1111 ROM      mem32      0x0000010000 0x00000000f4040000 moved"
SHADOW = guest_with("0000:00:02.0", 6, 0xC0000, 0xDFFFF, 0x212)
ENUM = "[ 0.9] pci 0000:00:02.0: ROM [mem 0x%x-0x%x pref]\n"
ok, msg = run("c_match", Ctx(fw=PLAN + [VGA_ROM], guest=SHADOW,
                             dmesg=DMESG + ENUM % (0xF4040000, 0xF404FFFF)))
expect(ok and "ROM shadowed at 0xc0000-0xdffff by the kernel; the BAR read 0xf4040000" in msg,
       "c_match judges a shadowed VGA ROM by the enumeration line (%s)" % msg)
ok, msg = run("c_e820", Ctx(fw=PLAN + [VGA_ROM], guest=SHADOW,
                            dmesg=DMESG + ENUM % (0xF4040000, 0xF404FFFF)))
expect(ok, "c_e820: the shadow copy at 0xc0000 is not a BAR (%s)" % msg)
bad("c_match", Ctx(fw=PLAN + [VGA_ROM], guest=SHADOW, dmesg=DMESG + ENUM % (0xF4060000, 0xF406FFFF)),
    "0000:00:02.0 ROM: plan 0xf4040000-0xf404ffff (moved), guest 0xf4060000-0xf406ffff",
    "a shadowed VGA ROM whose BAR is not where the plan put it")

# -- q35-over-limit's refusal accounting ------------------------------------------------------
# A machine of 2 test functions (4 resources each) + the chipset's 3 with
# PCI_MAX_RES 6: the table holds 6, exactly 5 refused.
OL_DEVS = [pm.Dev("t030", "pci-testdev", None, "03.0", pm.TESTDEV, res=pm.OVER_LIMIT_RES),
           pm.Dev("t031", "pci-testdev", None, "03.1", pm.TESTDEV, res=pm.OVER_LIMIT_RES)]
OL_SC = pm.Scenario("q35", OL_DEVS, over_limit=True)
OL_LIMITS = dict(LIMITS, PCI_MAX_RES=6)
OL_GUEST = [("0000:00:00.0", (0x8086, 0x29C0), []), ("0000:00:03.0", pm.TESTDEV, []),
            ("0000:00:03.1", pm.TESTDEV, []), ("0000:00:1f.2", (0x8086, 0x2922), []),
            ("0000:00:1f.3", (0x8086, 0x2930), [])]
OL_PLAN = ["[hvmfw] pci: device            res      type       size         address      "
           "      placement"]
for bdf in ("03.0", "03.1"):
    for res, ty in (("BAR0", "mem32"), ("BAR1", "io"), ("BAR2", "mem64-pref"), ("ROM", "mem32")):
        if (bdf, res) in (("03.1", "BAR2"), ("03.1", "ROM")):
            continue
        OL_PLAN.append("[hvmfw] pci: 00:%s 1b36:0005 %-8s %-10s 0x0000001000 0x00000000f4000000 "
                       "moved" % (bdf, res, ty))
OL_FULL = ["[hvmfw] pci: 00:03.1 1b36:0005 BAR2: resource table full (6), decode left off",
           "[hvmfw] pci: 00:03.1 1b36:0005 BAR6: resource table full (6), decode left off",
           "[hvmfw] pci: 00:1f.2 8086:2922 BAR4: resource table full (6), decode left off",
           "[hvmfw] pci: 00:1f.2 8086:2922 BAR5: resource table full (6), decode left off",
           "[hvmfw] pci: 00:1f.3 8086:2930 BAR4: resource table full (6), decode left off"]
OL_SUM = ["[hvmfw] pci: 5 functions, 0 bridges, buses 00-00, 0 refused, 5 dropped; 9 config"]


def ol(method, fw, dmesg=""):
    c = Ctx(fw=fw, guest=OL_GUEST, dmesg=dmesg)
    return run(method, c, sc=OL_SC, devs=OL_DEVS, limits=OL_LIMITS)


ok, msg = ol("c_refusals", OL_PLAN + OL_FULL + OL_SUM)
expect(ok and "5 of 11 resources refused" in msg, "over-limit: exactly the excess refused (%s)"
       % msg)
ok, msg = ol("c_summary", OL_PLAN + OL_FULL + OL_SUM)
expect(ok, "over-limit: summary counts the refused ones (%s)" % msg)
ok, msg = ol("c_refusals", OL_PLAN[:-1] + OL_FULL + OL_SUM)
expect(not ok and "neither placed nor refused: 0000:00:03.1 BAR1" in msg,
       "over-limit fails: a resource neither placed nor refused (%s)" % msg.split("\n")[1])
ok, msg = ol("c_refusals", OL_PLAN[:-1] + OL_FULL + [OL_FULL[0].replace("BAR2", "BAR1")] + OL_SUM)
expect(not ok and "6 resources refused, want exactly the excess" in msg,
       "over-limit fails: one more refused than the excess")
ok, msg = ol("c_refusals", OL_PLAN + OL_FULL + OL_FULL[:1] + OL_SUM)
expect(not ok and "0000:00:03.1 BAR2: 2 refusal lines, want 1" in msg,
       "over-limit fails: two lines for one resource")
ok, msg = ol("c_refusals", OL_PLAN + [l.replace("resource table full (6)", "no room")
                                      for l in OL_FULL] + OL_SUM)
expect(not ok and "does not say the table is full" in msg,
       "over-limit fails: a refusal without the reason")
KOK = "[ 2.0] pci 0000:00:03.1: BAR 2 [mem 0x140000000-0x140000fff 64bit pref]: assigned\n" \
      "[ 2.0] pci 0000:00:03.1: ROM [mem 0xf4100000-0xf41007ff pref]: assigned\n"
ok, msg = ol("c_kernel", OL_PLAN + OL_FULL + OL_SUM, KOK)
expect(ok and "2 assignment line(s) for refused" in msg,
       "over-limit: the kernel may assign what the firmware refused (%s)" % msg)
ok, msg = ol("c_kernel", OL_PLAN + OL_FULL + OL_SUM,
             KOK + "[ 2.0] pci 0000:00:03.1: BAR 0 [mem 0xf4200000-0xf4200fff]: assigned\n"
             "[ 2.0] pci 0000:00:1f.2: BAR 5 [mem 0xfffff000-0xffffffff]: can't claim; no "
             "compatible bridge window\n")
expect(not ok and "2 kernel line(s)" in msg and "BAR 0" in msg and "all-ones of sizing" in msg,
       "over-limit fails: the kernel moved a placed BAR / claimed a refused one left at all-ones")

shutil.rmtree(tmp)
print("planner machines selftest: %d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
