#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The topology parsers and checks on hand-made input (no QEMU): each check
passes on good input and fails on bad input. Exit 0 when all hold."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hvmfw_qemu as hq  # noqa: E402
import topology_test as tt  # noqa: E402

FW = """\
[hvmfw] pci: device            res      type       size         address            placement
[hvmfw] pci: 00:03.0 1b36:0005 BAR0     mem32      0x0000001000 0x00000000fe1ff000 pinned
[hvmfw] pci: 00:05.0 1b36:0001 BAR0     mem64      0x0000000100 0x0000000180000000 moved
[hvmfw] pci: 01:01.0 8086:100e ROM      mem32      0x0000010000 0x00000000fea20000 moved
[hvmfw] pci: 01:02.0 1234:11e8 BAR0     mem32      0x0000100000 0x0000000000000000 REFUSED
[hvmfw] pci: 00:05.0 1b36:0001 win-mem  mem32      0x0000400000 0x00000000fe700000 moved
[hvmfw] pci: 00:05.0 1b36:0001 win-pref mem64-pref 0x0080000000 0x0000000100000000 moved
[hvmfw] pci: 00:05.0 1b36:0001 bus 01-02 hot-plug
[hvmfw] pci: 01:02.0 1234:11e8 BAR0 (0x100000 bytes) refused: pin not aligned; memory decode left off
[hvmfw] pci: 00:05.0 1b36:0001 memory window (0x300000 bytes) refused: pin overlaps RAM; closed, devices behind it lose that space
[hvmfw] pci: 11 functions, 2 bridges, buses 00-02, 1 refused, 0 dropped; 304 config accesses (265 scanning)
[hvmfw] pci: hole 0xfe800000-0xffffffff (24 MiB), mmio_hole=256 holds all 32-bit demand
[hvmfw] pci: mem32 0xfe800000+0x400000, mem64 0x100000000+0xc0000000, io 0x1000+0xf000, ecam 0xb0000000+0x4000000, 0 bridges for ACPI
""".split("\n")

DMESG_OK = """\
[    1.0] pci 0000:00:03.0: BAR 0 [mem 0xfe1ff000-0xfe1fffff]
[    1.0] pci 0000:00:05.0: PCI bridge to [bus 01-02]
[    1.0] pci 0000:00:05.0:   bridge window [mem 0xfe700000-0xfeafffff]
[    1.0] pci 0000:00:01.0: PIIX3: Enabling Passive Release
[    1.0] pci 0000:00:1f.0: quirk: [io  0xb000-0xb07f] claimed by ICH6 ACPI/GPIO/TCO
[    1.0] PCI: MMCONFIG at [mem 0xb0000000-0xb3ffffff] reserved in E820
"""
DMESG_BAD = [
    "[ 1.0] pci 0000:00:02.0: BAR 6: assigned [mem 0xc0000000-0xc000ffff pref]",
    "[ 1.0] pci 0000:00:02.0: BAR 0 [mem 0xfe000000-0xfe000fff]: assigned",
    "[ 1.0] pci 0000:00:06.0: bridge window [io  0x6000-0x7fff]: assigned",
    "[ 1.0] pci 0000:04:00.0: bridge window [io  0x1000-0x0fff] to [bus 05] add_size 1000",
    "[ 1.0] pci 0000:00:05.0: bridge window [mem size 0x00300000]: can't assign; no space",
    "[ 1.0] pci 0000:00:03.0: BAR 0 [mem size 0x00001000]: failed to assign",
    "[ 1.0] pci 0000:00:03.0: can't claim BAR 0 [mem 0xfe000000-0xfe000fff]: no compatible bridge window",
    "[ 1.0] pci 0000:00:1c.0: bridge configuration invalid ([bus 00-00]), reconfiguring",
    "[ 1.0] pci_bus 0000:00: Some PCI device resources are unassigned, try booting with pci=realloc",
    "[ 1.0] pci 0000:00:03.0: BAR 0: error updating (0xfe000000 != 0x000000)",
]

failures = []


def expect(cond, what):
    print("%s %s" % ("ok  " if cond else "FAIL", what))
    if not cond:
        failures.append(what)


# -- parsers -----------------------------------------------------------------
plan = hq.parse_fw_plan(FW)
expect(len(plan) == 6, "plan table: 6 rows")
expect(plan[0] == {"bdf": "0000:00:03.0", "id": (0x1B36, 5), "res": "BAR0", "type": "mem32",
                   "size": 0x1000, "addr": 0xFE1FF000, "placement": "pinned"}, "plan row parsed")
expect([p["res"] for p in plan] == ["BAR0", "BAR0", "ROM", "BAR0", "win-mem", "win-pref"],
       "plan resource names")
br = hq.parse_fw_bridges(FW)
expect(br == {"0000:00:05.0": {"id": (0x1B36, 1), "secondary": 1, "subordinate": 2,
                               "flags": {"hot-plug"}}}, "bridge bus line")
s = hq.parse_fw_pci_summary(FW)
expect(s.get("functions") == 11 and s.get("refused") == 1 and s.get("ecam") == 0xB0000000
       and s.get("ecam_len") == 0x4000000, "summary and hole lines")
rf = hq.parse_fw_refusals(FW)
expect(len(rf) == 2 and rf[0]["bdf"] == "0000:01:02.0" and rf[0]["what"] == "BAR0"
       and rf[0]["reason"] == "pin not aligned" and rf[1]["what"] == "memory window"
       and rf[1]["reason"] == "pin overlaps RAM", "refusal lines")
expect(hq.parse_kernel_bridge_buses(DMESG_OK) == {"0000:00:05.0": (1, 2)}, "kernel bridge buses")
expect(hq.kernel_pci_changes(DMESG_OK) == [], "kernel_pci_changes: reading BARs is not a change")
for l in DMESG_BAD:
    expect(hq.kernel_pci_changes(l) == [l.strip()], "kernel_pci_changes catches: " + l[8:60])
tree = hq.parse_pci_tree("0000:05:00.0 /sys/devices/pci0000:00/0000:00:06.0/0000:03:00.0/"
                         "0000:04:00.0/0000:05:00.0\n")
expect(tree == {"0000:05:00.0": ["0000:00:06.0", "0000:03:00.0", "0000:04:00.0",
                                 "0000:05:00.0"]}, "pci-tree path")
dev = {"resources": [(0, 0xF5100000, 0xF5100FFF, 0x40200), (6, 0xFEA20000, 0xFEA2FFFF, 0x46200),
                     (13, 0x1000, 0x1FFF, 0x100), (14, 0xF4B00000, 0xF4CFFFFF, 0x200),
                     (15, 0x210000000, 0x2101FFFFF, 0x102201)]}
expect(hq.guest_resource(dev, "win-pref") == (0x210000000, 0x2101FFFFF, 0x102201)
       and hq.guest_resource(dev, "win-mem")[0] == 0xF4B00000
       and hq.guest_resource(dev, "win-io")[0] == 0x1000
       and hq.guest_resource(dev, "ROM")[0] == 0xFEA20000
       and hq.guest_resource(dev, "BAR1") is None, "guest_resource by name and flags")
roms, extra = hq.parse_pci_rom("before 0000:07:01.0 0xf4820000 0xf482ffff 0x46200\n"
                               "bytes 0000:07:01.0  55 aa 80\nsize 0000:07:01.0 65536\n"
                               "dmesg [ 4.1] pci 0000:07:01.0: something\n")
expect(roms["0000:07:01.0"]["bytes"] == b"\x55\xaa\x80" and roms["0000:07:01.0"]["size"] == 65536
       and roms["0000:07:01.0"]["before"][0] == 0xF4820000 and len(extra) == 1, "pci-rom section")

# -- checks on a fake boot ------------------------------------------------------
# pc topology: fake the guest the way it looks when everything is right,
# then break one thing at a time.


class FakeGuest:
    def __init__(self, sections):
        self.sections = sections


class Ctx:
    def __init__(self, fw, dmesg, pci_text, tree_text):
        self.fw, self.dmesg, self.have_dmesg, self.rom = fw, dmesg, True, "x"
        self.pci = hq.parse_pci(pci_text)
        self.guest = FakeGuest({"pci": pci_text, "pci-tree": tree_text, "dmesg": dmesg})

    def need_report(self, *names):
        missing = [n for n in names if n not in self.guest.sections]
        if missing:
            raise hq.Fail("no " + ", ".join(missing))

    def need_fw(self):
        if not self.fw:
            raise hq.Fail("no firmware log")


def pci_text(devs):
    out = []
    for bdf, (v, d), res in devs:
        out.append("device %s\n  vendor 0x%04x\n  device 0x%04x\n  class 0x000000\n"
                   "  config_size 256" % (bdf, v, d))
        out += ["  resource %d 0x%016x 0x%016x 0x%016x" % r for r in res]
    return "\n".join(out) + "\n"


def run_check(ctx, method, tc=None):
    tc = tc or tt.TopologyChecks("pc")
    tc.ctx, tc.found = ctx, {}
    try:
        return True, getattr(tc, method)()
    except hq.Fail as e:
        return False, str(e)


FW1 = ["[hvmfw] pci: device res type",
       "[hvmfw] pci: 00:03.0 1b36:0005 BAR0     mem32      0x0000001000 0x00000000fe1ff000 pinned",
       "[hvmfw] pci: 00:05.0 1b36:0001 win-mem  mem32      0x0000400000 0x00000000fe700000 moved"]
GOOD = [("0000:00:03.0", (0x1B36, 5), [(0, 0xFE1FF000, 0xFE1FFFFF, 0x40200)]),
        ("0000:00:05.0", (0x1B36, 1), [(14, 0xFE700000, 0xFEAFFFFF, 0x200)])]
TREE = "0000:00:03.0 /sys/devices/pci0000:00/0000:00:03.0\n" \
       "0000:00:05.0 /sys/devices/pci0000:00/0000:00:05.0\n"
ok, msg = run_check(Ctx(FW1, DMESG_OK, pci_text(GOOD), TREE), "c_bars_match")
expect(ok, "topo-bars-match-plan passes when guest == plan (%s)" % msg)
moved = [GOOD[0][:2] + ([(0, 0xFE000000, 0xFE000FFF, 0x40200)],), GOOD[1]]
ok, msg = run_check(Ctx(FW1, DMESG_OK, pci_text(moved), TREE), "c_bars_match")
expect(not ok and "plan 0xfe1ff000-0xfe1fffff" in msg, "topo-bars-match-plan fails on a moved BAR")
extra = [GOOD[0], GOOD[1][:2] + ([(14, 0xFE700000, 0xFEAFFFFF, 0x200),
                                  (13, 0x1000, 0x1FFF, 0x100)],)]
ok, msg = run_check(Ctx(FW1, DMESG_OK, pci_text(extra), TREE), "c_bars_match")
expect(not ok and "win-io" in msg, "topo-bars-match-plan fails on a resource not in the plan")
ok, msg = run_check(Ctx(FW1, DMESG_OK + DMESG_BAD[1] + "\n", pci_text(GOOD), TREE),
                    "c_kernel_changes")
expect(not ok, "topo-kernel-changed-nothing fails on an 'assigned' line")
ok, msg = run_check(Ctx(FW1, DMESG_OK, pci_text(GOOD), TREE), "c_tree")
expect(not ok and "nic" in msg and "not found" in msg,
       "topo-devices-in-place fails when devices are missing")

# pins-refused: one line per refused pin, nothing taken with it
tc = tt.TopologyChecks("pc", refused=[("01:02.0/bar0", "edu", "BAR0", 0xFA380000,
                                       "pin not aligned")])
tc.ctx = Ctx(FW, DMESG_OK, pci_text([("0000:01:02.0", (0x1234, 0x11E8),
                                      [(0, 0xFE000000, 0xFE0FFFFF, 0x40200)])]),
             "0000:01:02.0 /sys/devices/pci0000:00/0000:00:05.0/0000:01:02.0\n")
tc.found = {"edu": "0000:01:02.0"}
try:
    tc.c_refused()
    ok, msg = True, ""
except hq.Fail as e:
    ok, msg = False, str(e)
expect(not ok and "1 more refusal line" in msg and "memory window" in msg,
       "pins-refused fails when a refusal takes a bridge window with it")

rom = "/tmp/hvmfw-selftest-rom.%d.bin" % os.getpid()
tt.make_rom(rom, tt.E1000)
data = open(rom, "rb").read()
os.remove(rom)
p = int.from_bytes(data[0x18:0x1A], "little")
expect(len(data) == tt.ROM_SIZE and data[:2] == b"\x55\xaa" and data[p:p + 4] == b"PCIR"
       and data[p + 21] & 0x80 and int.from_bytes(data[p + 16:p + 18], "little") * 512 ==
       tt.ROM_SIZE and sum(data) & 0xFF == 0 and tt.ROM_MARK in data, "test option ROM image")

print("topology selftest: %d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
