#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""PCI topology system tests (issue #3): boot the Debian test guest with a
tree of bridges, switches and devices under QEMU with hvmfw.rom as -bios and
check that the guest kernel sees exactly the firmware's plan.

Scenarios (--scenario):
  q35-topology  root ports, a switch, pcie-pci-bridge + nested pci-bridge,
                a 4 GiB 64-bit BAR, an expansion ROM, a hot-plug root port
                with QEMU's resource-reserve capability
  pc-topology   nested pci-bridges, a 2 GiB 64-bit BAR, an expansion ROM
  q35-pinned, pc-pinned
                the same topology booted twice: first with BARs pinned through
                fw_cfg opt/org.hvmfw/pins (they must land exactly there), then
                with pins the firmware must refuse (over RAM, misaligned): one
                refusal line each, the guest still boots and powers off

Every boot runs the base checks of boot_test.py (power-off via ACPI S5, ACPI,
e820, iomem, ...) and then the topology checks below. Exit status 0 all passed
(or skipped), 1 a check failed, 77 no guest (tools/fetch-guest.sh BUILD_DIR).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boot_test  # noqa: E402
import hvmfw_qemu as hq  # noqa: E402
from hvmfw_qemu import Fail, Skip  # noqa: E402

GiB = 1 << 30
MiB = 1 << 20
KiB = 1 << 10


class Dev:
    """One -device. parent: id of the bridge whose secondary bus it sits on
    (None: the root bus); addr: 'DD.F' on that bus; ident: (vendor, device)
    the guest must see; pcie: a PCI Express function (4 KiB config space)."""

    def __init__(self, qid, driver, parent, addr, ident, props="", pcie=False, bridge=False):
        self.qid, self.driver, self.parent, self.addr = qid, driver, parent, addr
        self.ident, self.props, self.pcie, self.bridge = ident, props, pcie, bridge

    def qemu_args(self, root_bus, rom_path):
        dd, fn = self.addr.split(".")
        opts = ["%s" % self.driver, "id=%s" % self.qid,
                "bus=%s" % (self.parent or root_bus), "addr=0x%s.%s" % (dd, fn)]
        if self.props:
            opts.append(self.props.replace("@ROM@", rom_path))
        return ["-device", ",".join(opts)]


RP, PPB, PB = (0x1B36, 0x000C), (0x1B36, 0x000E), (0x1B36, 0x0001)
TESTDEV, EDU = (0x1B36, 0x0005), (0x1234, 0x11E8)
E1000, E1000E = (0x8086, 0x100E), (0x8086, 0x10D3)
X3130_UP, XIO3130_DOWN = (0x104C, 0x8232), (0x104C, 0x8233)

# The chipset's own functions (no -device): they may be there, nothing else may.
CHIPSET = {
    "q35": {"00.0": (0x8086, 0x29C0), "1f.0": (0x8086, 0x2918), "1f.2": (0x8086, 0x2922),
            "1f.3": (0x8086, 0x2930)},
    "pc": {"00.0": (0x8086, 0x1237), "01.0": (0x8086, 0x7000), "01.1": (0x8086, 0x7010),
           "01.3": (0x8086, 0x7113)},
}
ROOT_BUS = {"q35": "pcie.0", "pc": "pci.0"}

# Hot-plug root port with QEMU's resource-reserve capability: what it asks for.
RESERVE = {"bus": 3, "io": 4 * KiB, "mem": 8 * MiB, "pref64": 256 * MiB}

TOPOLOGY = {
    "q35": [
        Dev("bus0dev", "pci-testdev", None, "03.0", TESTDEV),
        Dev("rp1", "pcie-root-port", None, "04.0", RP, "chassis=1,slot=1", pcie=True, bridge=True),
        Dev("nic1", "e1000e", "rp1", "00.0", E1000E, "romfile=", pcie=True),
        Dev("rp2", "pcie-root-port", None, "05.0", RP, "chassis=2,slot=2", pcie=True, bridge=True),
        Dev("big", "pci-testdev", "rp2", "00.0", TESTDEV, "membar=4G"),
        Dev("rp3", "pcie-root-port", None, "06.0", RP, "chassis=3,slot=3", pcie=True, bridge=True),
        Dev("up", "x3130-upstream", "rp3", "00.0", X3130_UP, pcie=True, bridge=True),
        Dev("down", "xio3130-downstream", "up", "00.0", XIO3130_DOWN, "chassis=4,slot=1",
            pcie=True, bridge=True),
        Dev("edu", "edu", "down", "00.0", EDU),
        Dev("ppb", "pcie-pci-bridge", None, "07.0", PPB, pcie=True, bridge=True),
        Dev("pb", "pci-bridge", "ppb", "01.0", PB, "chassis_nr=5", bridge=True),
        Dev("nic2", "e1000", "pb", "01.0", E1000, "romfile=@ROM@"),
        Dev("td", "pci-testdev", "pb", "02.0", TESTDEV),
        Dev("rphp", "pcie-root-port", None, "08.0", RP,
            "chassis=6,slot=4,hotplug=on,bus-reserve=%d,io-reserve=%d,mem-reserve=%d,"
            "pref64-reserve=%d" % (RESERVE["bus"], RESERVE["io"], RESERVE["mem"],
                                   RESERVE["pref64"]), pcie=True, bridge=True),
    ],
    "pc": [
        Dev("bus0dev", "pci-testdev", None, "03.0", TESTDEV),
        Dev("pb1", "pci-bridge", None, "05.0", PB, "chassis_nr=1", bridge=True),
        Dev("nic", "e1000", "pb1", "01.0", E1000, "romfile=@ROM@"),
        Dev("edu", "edu", "pb1", "02.0", EDU),
        Dev("pb2", "pci-bridge", "pb1", "03.0", PB, "chassis_nr=2", bridge=True),
        Dev("big", "pci-testdev", "pb2", "01.0", TESTDEV, "membar=2G"),
        Dev("td", "pci-testdev", "pb2", "02.0", TESTDEV),
    ],
}
BIG_BAR = {"q35": ("big", "BAR2", 4 * GiB), "pc": ("big", "BAR2", 2 * GiB)}
ROM_DEV = {"q35": "nic2", "pc": "nic"}
HOTPLUG_RESERVE_PORT = {"q35": "rphp", "pc": None}

# Pins are written with the firmware's bus numbers (depth-first, as its plan
# table shows for the topology above); each names the QEMU device it must be.
# Addresses are inside the hole the unpinned plan uses (q35: 0xf4000000-
# 0xfebfffff below the IOAPIC, pc: see docs/testing.md), away from where the
# planner puts things by default, and only as aligned as the BAR needs.
PINS = {
    "q35": [
        # (pin text, qid, resource, address)
        ("00:03.0/bar0", "bus0dev", "BAR0", 0xFE1FF000),       # root bus, 4 KiB
        ("05:00.0/bar0", "edu", "BAR0", 0xFA300000),           # behind root port + switch, 1 MiB
        ("07:02.0/bar0", "td", "BAR0", 0xFD7F3000),            # behind pcie-pci-bridge + pci-bridge
        ("02:00.0/bar2", "big", "BAR2", 0x1000000000),         # 4 GiB 64-bit BAR at 64 GiB
    ],
    "pc": [
        ("00:03.0/bar0", "bus0dev", "BAR0", 0xFE1FF000),
        ("01:02.0/bar0", "edu", "BAR0", 0xFA300000),           # behind pci-bridge, 1 MiB
        ("02:02.0/bar0", "td", "BAR0", 0xFD7F3000),            # behind two pci-bridges
        ("02:01.0/bar2", "big", "BAR2", 0x1000000000),         # 2 GiB 64-bit BAR at 64 GiB
    ],
}
# Pins the firmware must refuse: (pin text, qid, resource, address, reason in the log)
REFUSED_PINS = {
    "q35": [
        ("00:03.0/bar0", "bus0dev", "BAR0", 0x10000000, "pin overlaps RAM"),
        ("07:02.0/bar0", "td", "BAR0", 0x20000000, "pin overlaps RAM"),
        ("01:00.0/bar0", "nic1", "BAR0", 0xFA381000, "pin not aligned"),
    ],
    "pc": [
        ("00:03.0/bar0", "bus0dev", "BAR0", 0x10000000, "pin overlaps RAM"),
        ("02:02.0/bar0", "td", "BAR0", 0x20000000, "pin overlaps RAM"),
        ("01:02.0/bar0", "edu", "BAR0", 0xFA380000, "pin not aligned"),
    ],
}

ROM_SIZE = 64 * KiB
ROM_MARK = b"HVMFW-TOPOLOGY-TEST-ROM"


def make_rom(path, ident):
    """A 64 KiB option ROM image Linux accepts (55 AA, 'PCIR' structure, last
    image) with a marker string the guest must read back."""
    rom = bytearray(ROM_SIZE)
    rom[0:3] = bytes([0x55, 0xAA, ROM_SIZE // 512])
    rom[0x18:0x1A] = (0x20).to_bytes(2, "little")            # -> PCI data structure
    pcir = bytearray(24)
    pcir[0:4] = b"PCIR"
    pcir[4:6] = ident[0].to_bytes(2, "little")
    pcir[6:8] = ident[1].to_bytes(2, "little")
    pcir[10:12] = (24).to_bytes(2, "little")                 # structure length
    pcir[13:16] = bytes([0x00, 0x00, 0x02])                  # class: network controller
    pcir[16:18] = (ROM_SIZE // 512).to_bytes(2, "little")    # image length
    pcir[21] = 0x80                                          # last image
    rom[0x20:0x38] = pcir
    rom[0x40:0x40 + len(ROM_MARK)] = ROM_MARK
    rom[6] = (-sum(rom)) & 0xFF                              # byte sum 0, like a real ROM
    with open(path, "wb") as f:
        f.write(rom)


def qemu_args(machine, rom_path, pins=None):
    out = []
    for d in TOPOLOGY[machine]:
        out += d.qemu_args(ROOT_BUS[machine], rom_path)
    if pins:
        # entries separated by spaces: a comma would end QEMU's option value
        out += ["-fw_cfg", "name=opt/org.hvmfw/pins,string=" + " ".join(
            "%s=0x%x" % (p[0], p[3]) for p in pins)]
    return out


def expected_paths(machine):
    """{qid: ['DD.F' of each bridge from the root bus down, ..., own 'DD.F']}"""
    by_id = {d.qid: d for d in TOPOLOGY[machine]}
    out = {}
    for d in TOPOLOGY[machine]:
        chain, x = [], d
        while x is not None:
            chain.insert(0, x.addr)
            x = by_id[x.parent] if x.parent else None
        out[d.qid] = chain
    return out


def devfn(bdf):
    return bdf.split(":")[-1]


def fmt_res(s, e):
    return "0x%x-0x%x" % (s, e)


# ---------------------------------------------------------------------------
# The checks of one boot
# ---------------------------------------------------------------------------

class TopologyChecks:
    def __init__(self, machine, pins=(), refused=()):
        self.machine = machine
        self.pins = list(pins)
        self.refused = list(refused)

    def __call__(self, ctx, checks):
        self.ctx = ctx
        self.found = {}          # qid -> guest bdf
        m = self.machine
        run = checks.run
        run("topo-devices-in-place", self.c_tree)
        run("topo-bridge-bus-numbers", self.c_buses)
        run("topo-kernel-changed-nothing", self.c_kernel_changes)
        run("topo-plan-complete", self.c_plan_summary)
        run("topo-bars-match-plan", self.c_bars_match)
        run("topo-64bit-bar-above-4g", self.c_bar64)
        run("topo-expansion-rom", self.c_rom)
        if HOTPLUG_RESERVE_PORT[m]:
            run("topo-hotplug-reserve", self.c_reserve)
        if m == "q35":
            run("topo-ecam-extended-config", self.c_ecam)
        if self.pins:
            run("pins-at-pinned-address", self.c_pins)
        if self.refused:
            run("pins-refused", self.c_refused)

    # -- helpers -------------------------------------------------------------
    def need(self, *sections):
        self.ctx.need_report(*sections)

    def plan(self):
        self.ctx.need_fw()
        p = hq.parse_fw_plan(self.ctx.fw)
        if not p:
            raise Fail("firmware log has no PCI plan table ('pci: BB:DD.F VVVV:DDDD BARn ...')")
        return p

    def guest_bdf(self, qid):
        if not self.found:
            self.locate()
        if qid not in self.found:
            raise Fail("device %s is not in the guest (see topo-devices-in-place)" % qid)
        return self.found[qid]

    def locate(self):
        """Map each -device to the guest function at its expected place."""
        self.need("pci", "pci-tree")
        tree = hq.parse_pci_tree(self.ctx.guest.sections["pci-tree"])
        want = expected_paths(self.machine)
        self.tree = tree
        for qid, chain in want.items():
            for bdf, path in tree.items():
                if [devfn(b) for b in path] == chain:
                    self.found[qid] = bdf
        return tree, want

    def refused_keys(self):
        """{(guest bdf, 'BARn')} of the refused pins."""
        out = set()
        for text, qid, res, addr, why in self.refused:
            out.add((self.guest_bdf(qid), res))
        return out

    # -- checks ----------------------------------------------------------------
    def c_tree(self):
        tree, want = self.locate()
        if not tree:
            raise Fail("pci-tree section is empty")
        pci = self.ctx.pci
        by_id = {d.qid: d for d in TOPOLOGY[self.machine]}
        problems = []
        for qid, chain in want.items():
            d = by_id[qid]
            bdf = self.found.get(qid)
            if bdf is None:
                near = [b for b, p in tree.items() if devfn(b) == d.addr]
                problems.append("%s (%s %04x:%04x) not found at path %s%s" % (
                    qid, d.driver, d.ident[0], d.ident[1], "/".join(chain),
                    ("; functions at %s: %s" % (d.addr, ", ".join(
                        "/".join(tree[b]) for b in near))) if near else ""))
                continue
            g = pci.get(bdf)
            if g is None or (g.get("vendor"), g.get("device")) != d.ident:
                problems.append("%s at %s is %s, want %04x:%04x" % (
                    qid, bdf, "missing from the pci section" if g is None else
                    "%04x:%04x" % (g.get("vendor"), g.get("device")), d.ident[0], d.ident[1]))
            # each ancestor is the bridge it should be
            anc = tree[bdf][:-1]
            x = by_id[d.parent] if d.parent else None
            for a in reversed(anc):
                ga = pci.get(a, {})
                if x is None or (ga.get("vendor"), ga.get("device")) != x.ident:
                    problems.append("%s: ancestor %s is %04x:%04x, want %s" % (
                        qid, a, ga.get("vendor") or 0, ga.get("device") or 0,
                        "%s %04x:%04x" % (x.qid, x.ident[0], x.ident[1]) if x else "none"))
                    break
                x = by_id[x.parent] if x.parent else None
        # nothing else: only the chipset's functions on the root bus besides ours
        ours = set(self.found.values())
        chip = CHIPSET[self.machine]
        for bdf, path in sorted(tree.items()):
            if bdf in ours:
                continue
            g = pci.get(bdf, {})
            ident = (g.get("vendor"), g.get("device"))
            if len(path) == 1 and chip.get(devfn(bdf)) == ident:
                continue
            problems.append("unexpected function %s (%04x:%04x) at %s" % (
                bdf, ident[0] or 0, ident[1] or 0, "/".join(path)))
        if problems:
            raise Fail("\n".join(problems))
        return "%d devices at their places in the tree (%s)" % (
            len(self.found), ", ".join("%s=%s" % (q, self.found[q][5:]) for q in want))

    def c_buses(self):
        self.ctx.need_fw()
        fwb = hq.parse_fw_bridges(self.ctx.fw)
        if not fwb:
            raise Fail("firmware log has no 'pci: BB:DD.F VVVV:DDDD bus XX-YY' lines")
        kb = hq.parse_kernel_bridge_buses(self.ctx.dmesg)
        problems = []
        want_bridges = [d for d in TOPOLOGY[self.machine] if d.bridge]
        for d in want_bridges:
            bdf = self.guest_bdf(d.qid)
            f = fwb.get(bdf)
            k = kb.get(bdf)
            if f is None:
                problems.append("%s (%s): no bus line in the firmware log" % (d.qid, bdf))
                continue
            if k is None:
                problems.append("%s (%s): kernel printed no 'PCI bridge to [bus ..]'" % (d.qid, bdf))
                continue
            if (f["secondary"], f["subordinate"]) != k:
                problems.append("%s (%s): firmware bus %02x-%02x, kernel bus %02x-%02x" % (
                    d.qid, bdf, f["secondary"], f["subordinate"], k[0], k[1]))
            # every child sits on the secondary bus
            for c in TOPOLOGY[self.machine]:
                if c.parent == d.qid:
                    cb = int(self.guest_bdf(c.qid).split(":")[1], 16)
                    if cb != f["secondary"]:
                        problems.append("%s is on bus %02x, its bridge %s has secondary %02x"
                                        % (c.qid, cb, d.qid, f["secondary"]))
        extra = set(fwb) - {self.guest_bdf(d.qid) for d in want_bridges}
        if extra:
            problems.append("firmware lists bridges QEMU was not given: " + ", ".join(sorted(extra)))
        if problems:
            raise Fail("\n".join(problems))
        return "%d bridges: firmware and kernel bus ranges equal" % len(want_bridges)

    def c_kernel_changes(self):
        if not self.ctx.have_dmesg:
            self.need("dmesg")
        lines = hq.kernel_pci_changes(self.ctx.dmesg)
        allowed = []
        if self.refused:
            # a BAR whose pin was refused is left unplaced with decode off; the kernel
            # may try (and, with no room, fail) to assign it: only those lines pass
            keys = self.refused_keys()
            for l in lines:
                for bdf, res in keys:
                    if ("pci %s: BAR %s" % (bdf, res[3:])) in l and "assign" in l:
                        allowed.append(l)
                if allowed and "Some PCI device resources are unassigned" in l:
                    allowed.append(l)
            lines = [l for l in lines if l not in allowed]
        if lines:
            raise Fail("%d kernel lines show Linux assigning/sizing/rejecting PCI resources "
                       "itself:\n%s" % (len(lines), "\n".join(lines[:25])))
        return "no PCI resource changed by the kernel%s" % (
            ("; allowed for refused pins: %d line(s)" % len(allowed)) if allowed else "")

    def c_plan_summary(self):
        self.ctx.need_fw()
        s = hq.parse_fw_pci_summary(self.ctx.fw)
        if "functions" not in s:
            raise Fail("firmware log has no 'pci: N functions, M bridges, ...' summary")
        self.need("pci")
        problems = []
        nguest = len(self.ctx.pci)
        if s["functions"] != nguest:
            problems.append("firmware enumerated %d functions, the guest sees %d"
                            % (s["functions"], nguest))
        nbr = sum(1 for d in TOPOLOGY[self.machine] if d.bridge)
        if s["bridges"] != nbr:
            problems.append("firmware found %d bridges, QEMU was given %d" % (s["bridges"], nbr))
        if s["dropped"]:
            problems.append("firmware dropped %d functions/resources" % s["dropped"])
        # Only the BARs of refused pins may be REFUSED (the firmware may also
        # place them as movable BARs instead); nothing else.
        may = self.refused_keys() if self.refused else set()
        rows = [p for p in self.plan() if p["placement"] == "REFUSED"]
        bad = [p for p in rows if (p["bdf"], p["res"]) not in may]
        if bad:
            problems.append("%d REFUSED row(s) in the plan table%s:\n%s" % (
                len(bad), " besides the refused pins' BARs" if may else "",
                "\n".join("  %s %s %s" % (p["bdf"], p["res"], p["type"]) for p in bad)))
        if s["refused"] != len(rows):
            problems.append("summary says %d refused, the plan table has %d REFUSED rows"
                            % (s["refused"], len(rows)))
        if problems:
            raise Fail("\n".join(problems))
        return "%d functions, %d bridges, buses %02x-%02x, %d refused" % (
            s["functions"], s["bridges"], s["bus_first"], s["bus_last"], s["refused"])

    def c_bars_match(self):
        plan = self.plan()
        self.need("pci")
        pci = self.ctx.pci
        refused = self.refused_keys() if self.refused else set()
        problems, n = [], 0
        planned = set()
        for p in plan:
            key = (p["bdf"], p["res"])
            planned.add(key)
            if p["placement"] == "REFUSED":
                continue
            g = pci.get(p["bdf"])
            if g is None:
                problems.append("%s %s: no such function in the guest" % key)
                continue
            if (g.get("vendor"), g.get("device")) != p["id"]:
                problems.append("%s: plan says %04x:%04x, guest has %04x:%04x" % (
                    p["bdf"], p["id"][0], p["id"][1], g.get("vendor"), g.get("device")))
            r = hq.guest_resource(g, p["res"])
            want = (p["addr"], p["addr"] + p["size"] - 1)
            if r is None:
                problems.append("%s %s: plan %s, guest has no such resource" % (
                    p["bdf"], p["res"], fmt_res(*want)))
            elif (r[0], r[1]) != want:
                problems.append("%s %s: plan %s (%s), guest %s" % (
                    p["bdf"], p["res"], fmt_res(*want), p["placement"], fmt_res(r[0], r[1])))
            else:
                n += 1
                kind_io = p["type"] == "io"
                if bool(r[2] & hq.IORESOURCE_IO) != kind_io:
                    problems.append("%s %s: plan type %s, guest flags 0x%x" % (
                        p["bdf"], p["res"], p["type"], r[2]))
                if p["type"].startswith("mem64") and not r[2] & hq.IORESOURCE_MEM_64 \
                        and not p["res"].startswith("win"):
                    problems.append("%s %s: plan type %s, guest BAR not 64-bit (flags 0x%x)" % (
                        p["bdf"], p["res"], p["type"], r[2]))
        # the other way: every resource the guest has came from the plan
        for bdf, g in sorted(pci.items()):
            for name, s, e, f in hq.guest_resources(g):
                if (bdf, name) in planned or (bdf, name) in refused:
                    continue
                # legacy IDE ports of a compatibility-mode IDE controller are fixed
                if g.get("class", 0) >> 8 == 0x0101 and name in ("BAR0", "BAR1", "BAR2", "BAR3") \
                        and s in (0x1F0, 0x3F6, 0x170, 0x376):
                    continue
                problems.append("%s %s %s in the guest is not in the firmware's plan"
                                % (bdf, name, fmt_res(s, e)))
        if problems:
            raise Fail("%d mismatch(es) (%d resources equal):\n%s"
                       % (len(problems), n, "\n".join(problems[:40])))
        return "%d BARs, ROMs and bridge windows: guest == plan" % n

    def c_bar64(self):
        qid, res, size = BIG_BAR[self.machine]
        self.need("pci")
        bdf = self.guest_bdf(qid)
        r = hq.guest_resource(self.ctx.pci[bdf], res)
        if r is None:
            raise Fail("%s (%s) has no %s in the guest" % (qid, bdf, res))
        s, e, f = r
        problems = []
        if e - s + 1 != size:
            problems.append("size 0x%x, want 0x%x" % (e - s + 1, size))
        if not f & hq.IORESOURCE_MEM_64 or not f & hq.IORESOURCE_PREFETCH:
            problems.append("flags 0x%x: not a 64-bit prefetchable BAR" % f)
        if s < 4 * GiB:
            problems.append("at 0x%x, below 4 GiB" % s)
        # and its bridges forward it with a 64-bit prefetchable window above 4 GiB
        path = self.tree[bdf][:-1]
        for a in path:
            w = hq.guest_resource(self.ctx.pci.get(a, {}), "win-pref")
            if w is None or not (w[0] <= s and e <= w[1]):
                problems.append("bridge %s: prefetchable window %s does not contain it" % (
                    a, fmt_res(w[0], w[1]) if w else "closed"))
        if problems:
            raise Fail("%s %s %s: %s" % (bdf, res, fmt_res(s, e), "; ".join(problems)))
        return "%s %s %s (%d GiB, 64-bit pref) above 4 GiB" % (bdf, res, fmt_res(s, e), size >> 30)

    def c_rom(self):
        self.need("pci", "pci-rom")
        qid = ROM_DEV[self.machine]
        bdf = self.guest_bdf(qid)
        g = self.ctx.pci[bdf]
        r = hq.guest_resource(g, "ROM")
        problems = []
        if r is None:
            raise Fail("%s (%s) has no ROM resource in the guest" % (qid, bdf))
        if r[1] - r[0] + 1 != ROM_SIZE:
            problems.append("ROM resource %s is not %d KiB" % (fmt_res(r[0], r[1]), ROM_SIZE >> 10))
        plan = [p for p in self.plan() if p["bdf"] == bdf and p["res"] == "ROM"]
        if not plan:
            problems.append("the firmware's plan has no ROM row for %s" % bdf)
        elif (plan[0]["addr"], plan[0]["addr"] + plan[0]["size"] - 1) != (r[0], r[1]):
            problems.append("plan ROM 0x%x+0x%x, guest %s" % (
                plan[0]["addr"], plan[0]["size"], fmt_res(r[0], r[1])))
        roms, new_lines = hq.parse_pci_rom(self.ctx.guest.sections["pci-rom"])
        d = roms.get(bdf)
        if d is None:
            problems.append("guest did not read the ROM of %s (no sysfs rom file?)" % bdf)
        else:
            data = d.get("bytes") or b""
            if data[:2] != b"\x55\xaa":
                problems.append("ROM read back %s, not the 55 AA signature (%s)" % (
                    data[:4].hex() or "nothing", d.get("error", "")))
            elif ROM_MARK not in data:
                problems.append("ROM read back without the test ROM's marker %r" % ROM_MARK)
            if d.get("size") != ROM_SIZE:
                problems.append("kernel read %s bytes of ROM, want %d" % (d.get("size"), ROM_SIZE))
            for k in ("before", "after"):
                if not d.get(k) or (d[k][0], d[k][1]) != (r[0], r[1]):
                    problems.append("ROM resource %s the read: %s, want %s" % (
                        k, fmt_res(*d[k][:2]) if d.get(k) else "?", fmt_res(r[0], r[1])))
        bad = hq.kernel_pci_changes("\n".join(new_lines))
        if bad:
            problems.append("kernel lines while reading the ROM:\n" + "\n".join(bad))
        if problems:
            raise Fail("%s ROM: %s" % (bdf, "\n".join(problems)))
        return "%s ROM %s == plan, read back 55 AA + marker (%d bytes)" % (
            bdf, fmt_res(r[0], r[1]), d.get("size"))

    def c_reserve(self):
        qid = HOTPLUG_RESERVE_PORT[self.machine]
        self.need("pci")
        bdf = self.guest_bdf(qid)
        fwb = hq.parse_fw_bridges(self.ctx.fw)
        problems = []
        f = fwb.get(bdf)
        if f is None:
            raise Fail("firmware log has no bus line for %s" % bdf)
        if "reserve-cap" not in f["flags"] or "hot-plug" not in f["flags"]:
            problems.append("firmware did not see it as a hot-plug port with the reserve "
                            "capability (flags: %s)" % (" ".join(sorted(f["flags"])) or "none"))
        kb = hq.parse_kernel_bridge_buses(self.ctx.dmesg).get(bdf)
        if kb is None or kb[1] - kb[0] < RESERVE["bus"]:
            problems.append("bus range %s, want %d buses reserved below the secondary" % (
                "%02x-%02x" % kb if kb else "?", RESERVE["bus"]))
        g = self.ctx.pci[bdf]
        got = {}
        for w, key in (("win-io", "io"), ("win-mem", "mem"), ("win-pref", "pref64")):
            r = hq.guest_resource(g, w)
            size = (r[1] - r[0] + 1) if r else 0
            got[key] = size
            if size < RESERVE[key]:
                problems.append("%s %s, want at least 0x%x" % (
                    w, fmt_res(r[0], r[1]) if r else "closed", RESERVE[key]))
            if key == "pref64" and r and not (r[2] & hq.IORESOURCE_MEM_64 and r[0] >= 4 * GiB):
                problems.append("win-pref %s is not a 64-bit window above 4 GiB"
                                % fmt_res(r[0], r[1]))
        if problems:
            raise Fail("%s (%s): %s" % (qid, bdf, "\n".join(problems)))
        return "%s bus %02x-%02x, io 0x%x, mem 0x%x, pref64 0x%x" % (
            bdf, kb[0], kb[1], got["io"], got["mem"], got["pref64"])

    def c_ecam(self):
        import re
        dm = self.ctx.dmesg
        self.need("pci")
        problems = []
        m = re.search(r"(?:MMCONFIG at|ECAM) \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\] "
                      r"(reserved (?:in E820|as E820 entry|as ACPI motherboard resource))", dm)
        if not m:
            problems.append("no 'MMCONFIG ... reserved in E820 / as ACPI motherboard resource' "
                            "line: the kernel does not use ECAM")
        bad = [l.strip() for l in dm.split("\n")
               if re.search(r"not using (?:MMCONFIG|ECAM)|(?:MMCONFIG|ECAM).*not reserved|"
                            r"only partially covers|pci=nommconf", l)]
        if bad:
            problems.append("\n".join(bad))
        s = hq.parse_fw_pci_summary(self.ctx.fw)
        if m and s.get("ecam_len"):
            ks, ke = int(m.group(1), 16), int(m.group(2), 16)
            if (ks, ke) != (s["ecam"], s["ecam"] + s["ecam_len"] - 1):
                problems.append("kernel ECAM %s, firmware 0x%x+0x%x" % (
                    fmt_res(ks, ke), s["ecam"], s["ecam_len"]))
        elif m:
            problems.append("firmware log has no 'ecam 0x...+0x...' summary")
        small = []
        n = 0
        for d in TOPOLOGY[self.machine]:
            if not d.pcie:
                continue
            bdf = self.guest_bdf(d.qid)
            cs = self.ctx.pci.get(bdf, {}).get("config_size")
            n += 1
            if cs != 4096:
                small.append("%s %s: %s bytes" % (d.qid, bdf, cs))
        if small:
            problems.append("extended config space (4096 bytes) not readable for:\n"
                            + "\n".join(small))
        if problems:
            raise Fail("\n".join(problems))
        return "%s; %d PCIe functions have 4096-byte config space" % (m.group(3), n)

    def c_pins(self):
        plan = self.plan()
        self.need("pci")
        problems = []
        by_id = {d.qid: d for d in TOPOLOGY[self.machine]}
        for text, qid, res, addr in self.pins:
            want_bdf = "0000:" + text.split("/")[0]
            bdf = self.guest_bdf(qid)
            if bdf != want_bdf:
                problems.append("pin %s meant %s, but %s is at %s in the guest (firmware bus "
                                "numbering changed?)" % (text, qid, qid, bdf))
                continue
            g = self.ctx.pci[bdf]
            if (g.get("vendor"), g.get("device")) != by_id[qid].ident:
                problems.append("pin %s: %s is not %s" % (text, bdf, qid))
            rows = [p for p in plan if p["bdf"] == bdf and p["res"] == res]
            if not rows:
                problems.append("pin %s: no plan row" % text)
            elif rows[0]["placement"] != "pinned" or rows[0]["addr"] != addr:
                problems.append("pin %s=0x%x: plan row says %s at 0x%x" % (
                    text, addr, rows[0]["placement"], rows[0]["addr"]))
            r = hq.guest_resource(g, res)
            if r is None or r[0] != addr:
                problems.append("pin %s=0x%x: guest has %s at %s" % (
                    text, addr, res, fmt_res(r[0], r[1]) if r else "nothing"))
        refusals = hq.parse_fw_refusals(self.ctx.fw)
        if refusals:
            problems.append("the firmware refused:\n" + "\n".join(x["line"] for x in refusals))
        if problems:
            raise Fail("\n".join(problems))
        return "%d pins at their addresses (plan 'pinned', guest BAR): %s" % (
            len(self.pins), ", ".join("%s=0x%x" % (p[0], p[3]) for p in self.pins))

    def c_refused(self):
        self.ctx.need_fw()
        refusals = hq.parse_fw_refusals(self.ctx.fw)
        plan = self.plan()
        problems = []
        matched = []
        for text, qid, res, addr, why in self.refused:
            bdf = self.guest_bdf(qid)
            ident = "%04x:%04x" % {d.qid: d for d in TOPOLOGY[self.machine]}[qid].ident
            mine = [x for x in refusals if x["bdf"] == bdf and x["what"] == res]
            if len(mine) != 1:
                problems.append("pin %s=0x%x (%s %s): %d refusal lines for %s %s, want 1" % (
                    text, addr, qid, ident, len(mine), bdf, res))
            elif mine[0]["id"] != ident or mine[0]["reason"] != why:
                problems.append("pin %s=0x%x: refusal line %r, want device %s and reason %r" % (
                    text, addr, mine[0]["line"], ident, why))
            else:
                matched.append(mine[0])
            rows = [p for p in plan if p["bdf"] == bdf and p["res"] == res]
            if not rows or rows[0]["placement"] != "REFUSED":
                problems.append("pin %s: plan row %s, want REFUSED (decode off: a moved 1:1 "
                                "BAR would desync from its driver)" % (
                                    text, rows[0]["placement"] if rows else "missing"))
            # the firmware left the BAR unplaced; whatever the kernel did with it,
            # it is never at the refused address
            r = hq.guest_resource(self.ctx.pci.get(bdf, {}), res)
            if r is not None and r[0] and r[0] <= addr <= r[1]:
                problems.append("pin %s=0x%x was refused but the guest has %s at %s" % (
                    text, addr, res, fmt_res(r[0], r[1])))
        others = [x for x in refusals if x not in matched]
        if others:
            problems.append("%d more refusal line(s) than the refused pins (one bad pin must "
                            "not take other resources with it):\n%s"
                            % (len(others), "\n".join(x["line"] for x in others)))
        if problems:
            raise Fail("\n".join(problems))
        return "%d pins refused with one line each: %s" % (
            len(matched), "; ".join("%s %s: %s" % (x["bdf"][5:], x["what"], x["reason"])
                                    for x in matched))


# ---------------------------------------------------------------------------

SCENARIOS = {
    "q35-topology": ("q35", ["topology"]),
    "pc-topology": ("pc", ["topology"]),
    "q35-pinned": ("q35", ["pinned", "refused"]),
    "pc-pinned": ("pc", ["pinned", "refused"]),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", required=True, choices=sorted(SCENARIOS))
    ap.add_argument("--name", help="test name (default system-<scenario>)")
    ap.add_argument("--rom", required=True, help="hvmfw.rom")
    ap.add_argument("--guest", required=True, help="directory with vmlinuz + initramfs.cpio.gz")
    ap.add_argument("--logs", required=True, help="log directory")
    ap.add_argument("--mem", type=int, default=1024, help="MiB (default 1024)")
    ap.add_argument("--smp", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="seconds per boot until QEMU is killed (two boots must fit in meson's 300)")
    a = ap.parse_args()
    if os.environ.get("HVMFW_SYSTEM_FIRMWARE", "") == "seabios":
        print("SKIP: topology tests check hvmfw's plan; HVMFW_SYSTEM_FIRMWARE=seabios")
        return 77
    machine, boots = SCENARIOS[a.scenario]
    name = a.name or "system-" + a.scenario
    if hq.find_guest(a.guest) is None:
        print("SKIP %s: no guest kernel/initramfs in %s (run tools/fetch-guest.sh BUILD_DIR)"
              % (name, a.guest))
        return 77
    a.logs = os.path.abspath(a.logs)
    os.makedirs(a.logs, exist_ok=True)
    rom_path = os.path.join(a.logs, "test-option-rom.bin")
    make_rom(rom_path, E1000)
    rc = 0
    results = []
    for boot in boots:
        pins = PINS[machine] if boot == "pinned" else \
            [p[:4] for p in REFUSED_PINS[machine]] if boot == "refused" else None
        bname = name if len(boots) == 1 else "%s/%s" % (name, boot)
        log_dir = os.path.join(a.logs, boot)
        argv = ["--name", bname, "--machine", machine, "--smp", str(a.smp),
                "--mem", str(a.mem), "--rom", a.rom, "--guest", a.guest, "--logs", log_dir,
                "--timeout", str(a.timeout), "--no-default-devices"]
        if boot == "refused":
            # refused BARs stay unplaced (at 0); the pin's BDF is the guest's
            # (topo-devices-in-place and pins-refused check that it is that device)
            argv += ["--unplaced=0000:%s/bar%s" % (p[0].split("/")[0], p[0].split("/bar")[1])
                     for p in REFUSED_PINS[machine]]
        argv += ["--qemu-arg=" + x for x in qemu_args(machine, rom_path, pins)]
        tc = TopologyChecks(machine,
                            pins=PINS[machine] if boot == "pinned" else (),
                            refused=REFUSED_PINS[machine] if boot == "refused" else ())
        r = boot_test.main(argv, extra_checks=tc)
        results.append((bname, r))
        if r == 77:
            return 77
        rc = max(rc, r)
    if len(results) > 1:
        print("%s: %s" % (name, ", ".join("%s %s" % (b, "FAIL" if r else "PASS")
                                          for b, r in results)))
    return 1 if rc else 0


if __name__ == "__main__":
    sys.exit(main())
