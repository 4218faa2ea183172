#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""NICs behind PCIe ports must work in the guest (q35): a root port with an
e1000, a switch (x3130 upstream + xio3130 downstream) below a second root port
with an e1000e, and an empty hot-plug root port. The guest loads the drivers
(hvmfw.insmod=e1000,e1000e, see tools/fetch-guest.sh) before its report.

Two boots:
  acpi-hotplug    QEMU's default (ICH9 ACPI PCI hot-plug with bridge support):
                  its PCIe slots report no presence for cold-plugged devices, so
                  _OSC must keep native PCIe hot-plug; else Linux's pciehp sees
                  "Card not present", powers the slot off and the NIC reads as
                  zeros ("EEPROM Checksum Is Not Valid", "Hardware Error"), and
                  ports below it read as all-ones ("Cannot get irq -1").
  native-hotplug  -global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off: the
                  slots are native, _OSC must grant native PCIe hot-plug and
                  pciehp must drive every port without taking a device away.

Each boot also runs the base checks of boot_test.py. Exit status 0 all passed
(or skipped), 1 a check failed, 77 no guest (tools/fetch-guest.sh BUILD_DIR).
--selftest runs the checks on canned kernel logs (no QEMU).
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hvmfw_qemu as hq  # noqa: E402
from hvmfw_qemu import Fail, Skip  # noqa: E402

MODULES = ("e1000", "e1000e")
# (qemu id, -device, MAC or None for a port)
DEVICES = [
    ("rp1", "pcie-root-port,id=rp1,bus=pcie.0,addr=0x4,chassis=1,slot=1", None),
    ("nic1", "e1000,id=nic1,bus=rp1,romfile=,mac=52:54:00:00:00:01", "52:54:00:00:00:01"),
    ("rp2", "pcie-root-port,id=rp2,bus=pcie.0,addr=0x5,chassis=2,slot=2", None),
    ("up1", "x3130-upstream,id=up1,bus=rp2", None),
    ("dp1", "xio3130-downstream,id=dp1,bus=up1,chassis=3,slot=3", None),
    ("nic2", "e1000e,id=nic2,bus=dp1,romfile=,mac=52:54:00:00:00:02", "52:54:00:00:00:02"),
    ("rp3", "pcie-root-port,id=rp3,bus=pcie.0,addr=0x6,chassis=4,slot=4", None),
]
MACS = [d[2] for d in DEVICES if d[2]]
HOT_PLUG_PORTS = 3      # rp1, rp2, rp3 (their slot number) and dp1
BOOTS = {
    "acpi-hotplug": [],
    "native-hotplug": ["-global", "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off"],
}

# Driver lines that mean the device was not usable when the driver probed.
_BAD_NIC = re.compile(r"EEPROM Checksum Is Not Valid|Hardware Error|Invalid MAC Address|"
                      r"probe of \S+ failed|The NVM Checksum Is Not Valid")
# "pcieport 0000:00:04.0: pciehp: Slot(1): Card not present"
_NOT_PRESENT = re.compile(r"pcieport (\S+): pciehp: Slot\(\S+\): Card not present")
# A port that reads as all-ones (slot number 8191) or got no interrupt: it
# lost power with the port above it.
_BAD_HP = re.compile(r"pcieport (\S+): pciehp: (Cannot get irq.*|Notification initialization "
                     r"failed.*|Slot #8191 .*)")
_OSC_CTRL = re.compile(r"_OSC: OS now controls \[([^\]]*)\]")
_NIC_UP = re.compile(r"(e1000e?) (\S+) (eth\d+): .*\b((?:[0-9a-f]{2}:){5}[0-9a-f]{2})\s*$")
# firmware: "acpi: PCI hot-plug through ACPI (...); _OSC keeps native PCIe hot-plug"
_FW_HP = re.compile(r"acpi: PCI hot-plug through (ACPI|native slots)")


def check_modules(modules_text):
    got = dict(l.split()[1:3] for l in modules_text.split("\n") if l.startswith("insmod "))
    bad = ["%s: %s" % (m, got.get(m, "not tried")) for m in MODULES if got.get(m) != "ok"]
    if bad:
        raise Fail("driver modules not loaded (%s); is BUILD/guest/modules there? "
                   "(tools/fetch-guest.sh BUILD_DIR)" % ", ".join(bad))
    return "loaded " + ", ".join(MODULES)


def check_nics(dmesg):
    problems = [l.strip() for l in dmesg.split("\n") if _BAD_NIC.search(l)]
    seen = {}
    for l in dmesg.split("\n"):
        m = _NIC_UP.search(l.strip())
        if m:
            seen[m.group(4)] = "%s %s %s" % (m.group(1), m.group(2), m.group(3))
    missing = [mac for mac in MACS if mac not in seen]
    if missing:
        problems.append("no interface with MAC %s (found: %s)"
                        % (", ".join(missing), ", ".join("%s=%s" % kv for kv in sorted(seen.items()))
                           or "none"))
    if problems:
        raise Fail("\n".join(problems))
    return ", ".join("%s %s" % (seen[mac], mac) for mac in MACS)


def populated_ports(tree):
    """Bridges with something below them, from parse_pci_tree()."""
    out = set()
    for chain in tree.values():
        out.update(chain[:-1])
    return out


def check_pciehp(dmesg, tree):
    full = populated_ports(tree)
    problems = []
    for l in dmesg.split("\n"):
        m = _NOT_PRESENT.search(l)
        if m and m.group(1) in full:
            problems.append("populated port reported empty: " + l.strip())
        m = _BAD_HP.search(l)
        if m:
            problems.append(l.strip())
    if problems:
        raise Fail("\n".join(problems))
    n = len(re.findall(r"pciehp: Slot #\d+ ", dmesg))
    return "%d port(s) driven by pciehp, none lost its device" % n


def check_osc(dmesg, fw_lines, native_expected):
    """native_expected: the machine offers native hot-plug (True), or hot-plugs
    through ACPI (False)."""
    m = _OSC_CTRL.search(dmesg)
    if not m:
        raise Fail("no '_OSC: OS now controls [...]' line in dmesg")
    ctrl = m.group(1).split()
    problems = []
    if "PCIeCapability" not in ctrl:
        problems.append("PCIeCapability not granted: %s" % ctrl)
    if native_expected != ("PCIeHotplug" in ctrl):
        problems.append("PCIeHotplug %s but the machine does hot-plug %s"
                        % ("granted" if "PCIeHotplug" in ctrl else "kept",
                           "natively" if native_expected else "through ACPI"))
    if fw_lines is not None:
        fm = [_FW_HP.search(l) for l in fw_lines]
        fm = [x.group(1) for x in fm if x]
        if not fm:
            problems.append("firmware did not say how the machine hot-plugs "
                            "('acpi: PCI hot-plug through ...')")
        elif (fm[0] == "native slots") != native_expected:
            problems.append("firmware detected hot-plug through %s, expected %s"
                            % (fm[0], "native slots" if native_expected else "ACPI"))
    if native_expected and len(re.findall(r"pciehp: Slot #\d+ ", dmesg)) < HOT_PLUG_PORTS:
        problems.append("native hot-plug granted but pciehp drives %d port(s), want >= %d"
                        % (len(re.findall(r"pciehp: Slot #\d+ ", dmesg)), HOT_PLUG_PORTS))
    if problems:
        raise Fail("\n".join(problems))
    return "OS controls [%s]" % " ".join(ctrl)


class PortChecks:
    def __init__(self, native):
        self.native = native

    def __call__(self, ctx, checks):
        dm = ctx.dmesg

        def c_modules():
            ctx.need_report("modules")
            return check_modules(ctx.guest.sections["modules"])
        checks.run("nic-modules", c_modules)

        def c_osc():
            ctx.need_report("dmesg")
            return check_osc(dm, ctx.fw if ctx.rom else None, self.native)
        checks.run("osc-hotplug", c_osc)

        def c_pciehp():
            ctx.need_report("dmesg", "pci-tree")
            return check_pciehp(dm, hq.parse_pci_tree(ctx.guest.sections["pci-tree"]))
        checks.run("pciehp-ports", c_pciehp)

        def c_nics():
            ctx.need_report("dmesg", "modules")
            return check_nics(dm)
        checks.run("nic-probe", c_nics)


# --- canned logs for --selftest (shapes from real boots) ---------------------
_TREE = """0000:00:04.0 /sys/devices/pci0000:00/0000:00:04.0
0000:01:00.0 /sys/devices/pci0000:00/0000:00:04.0/0000:01:00.0
0000:00:05.0 /sys/devices/pci0000:00/0000:00:05.0
0000:02:00.0 /sys/devices/pci0000:00/0000:00:05.0/0000:02:00.0
0000:03:00.0 /sys/devices/pci0000:00/0000:00:05.0/0000:02:00.0/0000:03:00.0
0000:04:00.0 /sys/devices/pci0000:00/0000:00:05.0/0000:02:00.0/0000:03:00.0/0000:04:00.0
0000:00:06.0 /sys/devices/pci0000:00/0000:00:06.0
"""
_GOOD_ACPI = """[    0.9] acpi PNP0A08:00: _OSC: OS now controls [SHPCHotplug PME AER PCIeCapability]
[    2.4] e1000 0000:01:00.0 eth0: (PCI:33MHz:32-bit) 52:54:00:00:00:01
[    2.6] e1000e 0000:04:00.0 eth1: (PCI Express:2.5GT/s:Width x1) 52:54:00:00:00:02
"""
_GOOD_NATIVE = """[    0.7] acpi PNP0A08:00: _OSC: OS now controls [PCIeHotplug SHPCHotplug PME AER PCIeCapability]
[    1.1] pcieport 0000:00:04.0: pciehp: Slot #1 AttnBtn+ PwrCtrl+ MRL- AttnInd+ PwrInd+ HotPlug+
[    1.2] pcieport 0000:00:05.0: pciehp: Slot #2 AttnBtn+ PwrCtrl+ MRL- AttnInd+ PwrInd+ HotPlug+
[    1.2] pcieport 0000:00:06.0: pciehp: Slot #4 AttnBtn+ PwrCtrl+ MRL- AttnInd+ PwrInd+ HotPlug+
[    1.3] pcieport 0000:00:06.0: pciehp: Slot(4): Card not present
[    1.3] pcieport 0000:03:00.0: pciehp: Slot #3 AttnBtn+ PwrCtrl+ MRL- AttnInd+ PwrInd+ HotPlug+
[    2.4] e1000 0000:01:00.0 eth0: (PCI:33MHz:32-bit) 52:54:00:00:00:01
[    2.6] e1000e 0000:04:00.0 eth1: (PCI Express:2.5GT/s:Width x1) 52:54:00:00:00:02
"""
# hvmfw before the fix, QEMU's default ACPI hot-plug: pciehp powered the ports off
_BROKEN = """[    1.9] acpi PNP0A08:00: _OSC: OS now controls [PCIeHotplug SHPCHotplug PME AER PCIeCapability]
[    2.7] pcieport 0000:00:04.0: pciehp: Slot #1 AttnBtn+ PwrCtrl+ MRL- AttnInd+ PwrInd+ HotPlug+
[    2.7] pcieport 0000:00:04.0: pciehp: Slot(1): Card not present
[    2.7] pcieport 0000:00:04.0: pciehp: Slot(1): Already disabled
[    2.8] pcieport 0000:03:00.0: pciehp: Slot #8191 AttnBtn+ PwrCtrl+ MRL+ AttnInd+ PwrInd+
[    2.8] pcieport 0000:03:00.0: pciehp: Cannot get irq -1 for the hotplug controller
[    4.9] e1000 0000:01:00.0 0000:01:00.0 (uninitialized): The EEPROM Checksum Is Not Valid
[    5.0] e1000 0000:01:00.0: Hardware Error
[    5.0] e1000 0000:01:00.0 eth0: (PCI:33MHz:32-bit) 00:00:00:00:00:00
"""
_FW_ACPI = ["acpi: PCI hot-plug through ACPI (ICH9 hot-plug registers at 0xcc0); "
            "_OSC keeps native PCIe hot-plug"]
_FW_NATIVE = ["acpi: PCI hot-plug through native slots; _OSC grants native PCIe hot-plug"]


def selftest():
    tree = hq.parse_pci_tree(_TREE)
    cases = [
        # (name, function, args, should pass)
        ("modules ok", check_modules, ("insmod e1000 ok\ninsmod e1000e ok\n",), True),
        ("module missing", check_modules, ("insmod e1000 ok\ninsmod e1000e missing\n",), False),
        ("no modules section text", check_modules, ("",), False),
        ("nics ok", check_nics, (_GOOD_ACPI,), True),
        ("nics broken", check_nics, (_BROKEN,), False),
        ("nic missing", check_nics, (_GOOD_ACPI.split("\n")[1],), False),
        ("pciehp acpi ok", check_pciehp, (_GOOD_ACPI, tree), True),
        ("pciehp native ok (empty port may be empty)", check_pciehp, (_GOOD_NATIVE, tree), True),
        ("pciehp broken", check_pciehp, (_BROKEN, tree), False),
        ("osc acpi ok", check_osc, (_GOOD_ACPI, _FW_ACPI, False), True),
        ("osc native ok", check_osc, (_GOOD_NATIVE, _FW_NATIVE, True), True),
        ("osc native on seabios", check_osc, (_GOOD_NATIVE, None, True), True),
        ("osc grants native under acpi", check_osc, (_BROKEN, _FW_ACPI, False), False),
        ("osc keeps native on native slots", check_osc, (_GOOD_ACPI, _FW_NATIVE, True), False),
        ("firmware misdetects", check_osc, (_GOOD_ACPI, _FW_NATIVE, False), False),
        ("firmware silent", check_osc, (_GOOD_ACPI, [], False), False),
        ("no _OSC line", check_osc, ("", None, False), False),
    ]
    passed = failed = 0
    for name, fn, args, ok in cases:
        try:
            fn(*args)
            good = ok
        except Fail:
            good = not ok
        print("%s %s" % ("PASS" if good else "FAIL", name))
        passed, failed = passed + good, failed + (not good)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--selftest", action="store_true", help="check the checks (no QEMU)")
    ap.add_argument("--name", default="system-q35-pcie-port-nic")
    ap.add_argument("--rom", help="hvmfw.rom (without it, or with HVMFW_SYSTEM_FIRMWARE="
                                  "seabios, QEMU's SeaBIOS boots)")
    ap.add_argument("--guest", help="directory with vmlinuz + initramfs.cpio.gz")
    ap.add_argument("--logs", help="log directory")
    ap.add_argument("--boot", action="append", choices=sorted(BOOTS),
                    help="only these boots (default: all)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per boot")
    a = ap.parse_args()
    if a.selftest:
        return selftest()
    if not a.guest or not a.logs:
        ap.error("--guest and --logs are needed")
    import boot_test
    if hq.find_guest(a.guest) is None:
        print("SKIP %s: no guest kernel/initramfs in %s (run tools/fetch-guest.sh BUILD_DIR)"
              % (a.name, a.guest))
        return 77
    rc, results = 0, []
    for boot in a.boot or sorted(BOOTS):
        bname = "%s/%s" % (a.name, boot)
        argv = ["--name", bname, "--machine", "q35", "--guest", a.guest,
                "--logs", os.path.join(os.path.abspath(a.logs), boot),
                "--timeout", str(a.timeout), "--no-default-devices",
                "--append", hq.DEFAULT_APPEND + " hvmfw.insmod=" + ",".join(MODULES)]
        if a.rom:
            argv += ["--rom", a.rom]
        else:
            argv += ["--seabios"]
        for _, dev, _ in DEVICES:
            argv += ["--qemu-arg=-device", "--qemu-arg=" + dev]
        argv += ["--qemu-arg=" + x for x in BOOTS[boot]]
        r = boot_test.main(argv, extra_checks=PortChecks(native=boot == "native-hotplug"))
        if r == 77:
            return 77
        results.append((bname, r))
        rc = max(rc, r)
    print("%s: %s" % (a.name, ", ".join("%s %s" % (b, "FAIL" if r else "PASS")
                                        for b, r in results)))
    return 1 if rc else 0


if __name__ == "__main__":
    sys.exit(main())
