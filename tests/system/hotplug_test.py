#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hot-plug while the guest runs (issue #9), on QEMU.

Scenarios (--scenario):
  pc-cpu-hotplug,   -smp 1,maxcpus=2: the firmware lists both CPUs, the
  q35-cpu-hotplug   second disabled; the guest boots with one CPU online and
                    two possible. Once the guest waits (hvmfw.wait=cpu), QMP
                    device_add plugs the second CPU; the chipset's CPU present
                    map (PIIX4 0xaf00, ICH9 0xcd8) and GPE0 bit 2 reach the
                    SSDT's \\_GPE._E02, which enables the MADT entry and
                    notifies the processor device: the kernel must add the CPU,
                    bring it online when asked, and the MADT it reads again must
                    say enabled with a valid checksum.

  pc-pci-hotplug,   once the guest waits (hvmfw.wait=pci), QMP device_add puts
                    an e1000 in slot 5 of bus 0: PIIX4's up bitmap and GPE0 bit 1
                    reach \\_GPE._E01, which notifies the slot; the kernel must
                    find the NIC, give its BARs addresses inside the root bus
                    windows the firmware published (hvmfw left the space below
                    its own hole to the OS) and the e1000 driver must probe it
                    (it reads its MAC through BAR0). Then device_del: the slot is
                    notified for ejection, the kernel removes the NIC and its
                    _EJ0 lets QEMU take it away.

Every boot runs the base checks of boot_test.py first, then the hp-* checks.
Exit status 0 all passed (or skipped), 1 a check failed, 77 the test cannot
run (no guest). hotplug_selftest.py checks the parsers on canned input.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boot_test  # noqa: E402
import hvmfw_qemu as hq  # noqa: E402
from hvmfw_qemu import Fail  # noqa: E402

MACHINES = {"pc-cpu-hotplug": "pc", "q35-cpu-hotplug": "q35", "pc-pci-hotplug": "pc",
            "q35-pci-hotplug": "q35", "q35-acpi-pci-hotplug": "q35",
            "pc-bridge-pci-hotplug": "pc"}
# PCI hot-plug: the NIC, where it goes, its driver, and QEMU arguments for the machine
PCI_HP = {
    "pc-pci-hotplug": dict(nic={"driver": "e1000", "id": "hvmfw-hp-nic", "bus": "pci.0",
                                "addr": "0x5"},
                           bdf="0000:00:05.0", ids=(0x8086, 0x100E), module="e1000", args=[]),
    # an empty hot-plug root port; QEMU's ACPI hot-plug off, so the port does
    # native PCIe hot-plug (pciehp) and _OSC grants it to the OS
    "q35-pci-hotplug": dict(nic={"driver": "e1000e", "id": "hvmfw-hp-nic", "bus": "hvmfw-rp1"},
                            bdf="0000:01:00.0", port="0000:00:06.0", ids=(0x8086, 0x10D3),
                            module="e1000e",
                            args=["-device", "pcie-root-port,id=hvmfw-rp1,chassis=1,slot=1,addr=0x6",
                                  "-global", "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off"]),
    # the same port with QEMU's default: ACPI hot-plug through ICH9's registers
    # under the bus selector QEMU's own DSDT gives the port (acpiphp drives it)
    "q35-acpi-pci-hotplug": dict(nic={"driver": "e1000e", "id": "hvmfw-hp-nic", "bus": "hvmfw-rp1"},
                                 bdf="0000:01:00.0", port="0000:00:06.0", ids=(0x8086, 0x10D3),
                                 module="e1000e",
                                 args=["-device", "pcie-root-port,id=hvmfw-rp1,chassis=1,slot=1,"
                                       "addr=0x6"]),
    # a slot of a PCI-PCI bridge on i440FX, through PIIX4's registers under the
    # bridge's selector (bus 0 has selector 0, the bridge the next one)
    "pc-bridge-pci-hotplug": dict(nic={"driver": "e1000", "id": "hvmfw-hp-nic", "bus": "hvmfw-br1",
                                       "addr": "0x3"},
                                  bdf="0000:01:03.0", port="0000:00:06.0", ids=(0x8086, 0x100E),
                                  module="e1000",
                                  args=["-device", "pci-bridge,id=hvmfw-br1,chassis_nr=1,addr=0x6"]),
}
IORESOURCE_MEM = 0x200
LAPIC_OFF = 44          # first MADT entry, as the firmware lays it out


def parse_hotplug_cpu(text):
    """The hotplug-cpu section: {'before': {...}, 'after': {...}, 'onlined': [...],
    'timeout': bool, 'dmesg': [...]}; each state has present, online, processors,
    madt (bytes)."""
    out = {"before": {}, "after": {}, "onlined": [], "timeout": False, "dmesg": []}
    for line in text.splitlines():
        w = line.split(None, 2)
        if not w:
            continue
        if w[0] in ("before", "after") and len(w) >= 2:
            val = w[2] if len(w) > 2 else ""
            if w[1] == "madt":
                out[w[0]]["madt"] = bytes(int(x, 16) for x in val.split())
            else:
                out[w[0]][w[1]] = val.strip()
        elif w[0] == "onlined" and len(w) > 1:
            out["onlined"].append(w[1])
        elif w[0] == "timeout":
            out["timeout"] = True
        elif w[0] == "dmesg":
            out["dmesg"].append(line[6:].strip())
    return out


def madt_cpus(madt):
    """[(processor id, APIC ID, enabled)] of the MADT's Processor Local APIC
    entries, and whether the checksum holds."""
    if len(madt) < LAPIC_OFF or madt[:4] != b"APIC":
        raise ValueError("not a MADT (%d bytes)" % len(madt))
    length = int.from_bytes(madt[4:8], "little")
    if length != len(madt):
        raise ValueError("MADT length field %d, %d bytes read" % (length, len(madt)))
    cpus, off = [], LAPIC_OFF
    while off + 2 <= len(madt):
        kind, ln = madt[off], madt[off + 1]
        if ln < 2 or off + ln > len(madt):
            raise ValueError("MADT entry at %d has length %d" % (off, ln))
        if kind == 0 and ln == 8:
            flags = int.from_bytes(madt[off + 4:off + 8], "little")
            cpus.append((madt[off + 2], madt[off + 3], bool(flags & 1)))
        off += ln
    return cpus, sum(madt) % 256 == 0


def plug_cpu(qmp):
    """device_add the first CPU slot QEMU lists as empty."""
    r = qmp.cmd("query-hotpluggable-cpus")
    free = [c for c in r.get("return", []) if "qom-path" not in c]
    if not free:
        raise OSError("QEMU lists no free CPU slot: %s" % r)
    args = dict(free[0]["props"])
    args.update(driver=free[0]["type"], id="hvmfw-hp-cpu")
    r = qmp.cmd("device_add", **args)
    if "error" in r:
        raise OSError("device_add failed: %s" % r["error"])


def parse_hotplug_pci(text):
    """The hotplug-pci section: {'added': (bdf, vendor, device, driver) or None,
    'resources': [(index, start, end, flags)], 'id': edu's ID register or None,
    'removed': bdf or None, 'timeouts': [...], 'dmesg': [...]}."""
    out = {"added": None, "resources": [], "removed": None, "timeouts": [], "dmesg": [],
           "id": None}
    for line in text.splitlines():
        w = line.split()
        if not w:
            continue
        if w[0] == "added" and len(w) >= 6:
            out["added"] = (w[1], int(w[2], 16), int(w[3], 16), w[5])
        elif w[0] == "resource" and len(w) == 5:
            out["resources"].append((int(w[1]), int(w[2], 16), int(w[3], 16), int(w[4], 16)))
        elif w[0] == "id" and len(w) == 2:
            try:
                out["id"] = int(w[1], 16)
            except ValueError:
                pass
        elif w[0] == "removed" and len(w) == 2:
            out["removed"] = w[1]
        elif w[0] == "timeout":
            out["timeouts"].append(" ".join(w[1:]))
        elif w[0] == "dmesg":
            out["dmesg"].append(line[6:].strip())
    return out


def root_windows(dmesg):
    """[(start, end)] of the root bus memory windows the kernel took from _CRS."""
    return [(int(m.group(1), 16), int(m.group(2), 16)) for m in re.finditer(
        r"pci_bus 0000:00: root bus resource \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)[^\]]*window\]",
        dmesg)]


def port_windows(pci, port):
    """Memory windows [(start, end)] of bridge `port` as the guest saw it at boot."""
    d = pci.get(port, {})
    return [(st, en) for idx, st, en, fl in d.get("resources", [])
            if idx >= 13 and fl & IORESOURCE_MEM]  # sysfs: bridge windows from 13


def plug_nic(nic):
    def fn(qmp):
        r = qmp.cmd("device_add", **nic)
        if "error" in r:
            raise OSError("device_add failed: %s" % r["error"])
    return fn


def unplug_nic(nic):
    def fn(qmp):
        r = qmp.cmd("device_del", id=nic["id"])
        if "error" in r:
            raise OSError("device_del failed: %s" % r["error"])
    return fn


class PciChecks:
    def __init__(self, hp):
        self.hp = hp

    def __call__(self, ctx, checks):
        self.ctx = ctx
        checks.run("hp-pci-added", self.added)
        checks.run("hp-pci-bars", self.bars)
        checks.run("hp-pci-removed", self.removed)

    def section(self):
        self.ctx.need_report("hotplug-pci")
        return parse_hotplug_pci(self.ctx.guest.sections["hotplug-pci"])

    def added(self):
        h = self.section()
        if not h["added"]:
            raise Fail("the NIC never appeared in the guest (%s; steps not run: %s; QMP log "
                       "in %s)\n%s" % (", ".join(h["timeouts"]) or "no timeout line",
                                       self.ctx.run.steps_left, self.ctx.log_dir,
                                       "\n".join(h["dmesg"][-10:])))
        bdf, ven, dev, drv = h["added"]
        want, mod = self.hp["ids"], self.hp["module"]
        if (ven, dev) != want or (self.hp["bdf"] and bdf != self.hp["bdf"]):
            raise Fail("a function appeared, but it is %s %04x:%04x, not the %s%s"
                       % (bdf, ven, dev, mod, " at " + self.hp["bdf"] if self.hp["bdf"] else ""))
        if drv != mod:
            raise Fail("the %s at %s has driver %s: it did not probe\n%s"
                       % (mod, bdf, drv, "\n".join(h["dmesg"][-10:])))
        return "%s %04x:%04x appeared, %s bound" % (bdf, ven, dev, mod)

    def bars(self):
        h = self.section()
        wins = root_windows(self.ctx.dmesg)
        if not wins:
            raise Fail("no root bus memory window in the kernel log")
        where = "the root bus windows"
        if self.hp.get("port"):
            # behind a port: inside the windows the firmware gave the port
            wins, where = port_windows(self.ctx.pci, self.hp["port"]), self.hp["port"] + "'s windows"
            if not wins:
                raise Fail("port %s has no memory window" % self.hp["port"])
        mems = [r for r in h["resources"] if r[3] & IORESOURCE_MEM and r[0] != 6]
        if not mems:
            raise Fail("the hot-plugged NIC has no memory BAR assigned: %s" % h["resources"])
        outside = [r for r in mems if not any(s <= r[1] and r[2] <= e for s, e in wins)]
        if outside:
            raise Fail("BARs outside %s %s: %s" % (
                where, ["0x%x-0x%x" % w for w in wins], outside))
        return "%d memory BAR(s) at %s, inside %s" % (
            len(mems), ", ".join("0x%x" % r[1] for r in mems), where)

    def removed(self):
        h = self.section()
        if not h["added"] or h["removed"] != h["added"][0]:
            raise Fail("after device_del the NIC is still there (%s)\n%s" % (
                ", ".join(h["timeouts"]) or "no removed line", "\n".join(h["dmesg"][-10:])))
        return "device_del: %s removed from the guest" % h["removed"]


class CpuChecks:
    def __call__(self, ctx, checks):
        self.ctx = ctx
        checks.run("hp-cpu-firmware", self.firmware)
        checks.run("hp-cpu-before", self.before)
        checks.run("hp-cpu-added", self.added)
        checks.run("hp-cpu-madt", self.madt)

    def section(self):
        self.ctx.need_report("hotplug-cpu")
        return parse_hotplug_cpu(self.ctx.guest.sections["hotplug-cpu"])

    def firmware(self):
        self.ctx.need_fw()
        fw = "\n".join(self.ctx.fw)
        m = re.search(r"cpus: (\d+) listed, (\d+) running at boot, (\d+) for hot-plug", fw)
        if not m:
            raise Fail("the firmware log has no 'cpus: ... listed' line")
        if (m.group(1), m.group(2), m.group(3)) != ("2", "1", "1"):
            raise Fail("firmware says %s; want 2 listed, 1 running, 1 for hot-plug" % m.group(0))
        return m.group(0)

    def before(self):
        s = self.section()["before"]
        if s.get("present") != "0" or s.get("online") != "0" or s.get("processors") != "1":
            raise Fail("before the plug: present %s, online %s, processors %s; want 0, 0, 1"
                       % (s.get("present"), s.get("online"), s.get("processors")))
        cpus, ok = madt_cpus(s.get("madt", b""))
        if [c[2] for c in cpus] != [True, False] or not ok:
            raise Fail("MADT before the plug: %s, checksum %s; want two entries, the second "
                       "disabled" % (cpus, "ok" if ok else "bad"))
        return "one CPU online, MADT %s" % cpus

    def added(self):
        h = self.section()
        left = self.ctx.run.steps_left
        if left or h["timeout"]:
            raise Fail("the CPU never arrived in the guest (steps not run: %s; QMP log in %s)"
                       % (left, self.ctx.log_dir))
        s = h["after"]
        if s.get("present") != "0-1" or s.get("online") != "0-1" or s.get("processors") != "2":
            raise Fail("after the plug: present %s, online %s, processors %s; want 0-1, 0-1, 2\n"
                       "kernel: %s" % (s.get("present"), s.get("online"), s.get("processors"),
                                       "\n".join(h["dmesg"][-10:])))
        if not any("hot-added" in d or "hotplugged CPU" in d for d in h["dmesg"]):
            raise Fail("the kernel did not say it added a CPU:\n" + "\n".join(h["dmesg"][-10:]))
        return "CPU 1 added and online (%s)" % ", ".join(h["onlined"])

    def madt(self):
        s = self.section()["after"]
        cpus, ok = madt_cpus(s.get("madt", b""))
        if [c[2] for c in cpus] != [True, True] or not ok:
            raise Fail("MADT after the plug: %s, checksum %s; want both entries enabled and a "
                       "valid checksum" % (cpus, "ok" if ok else "bad"))
        return "MADT %s, checksum ok" % cpus


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", required=True, choices=sorted(MACHINES))
    ap.add_argument("--name", help="test name (default system-<scenario>)")
    ap.add_argument("--rom", required=True, help="hvmfw.rom")
    ap.add_argument("--guest", required=True, help="directory with vmlinuz + initramfs.cpio.gz")
    ap.add_argument("--logs", required=True, help="log directory")
    ap.add_argument("--timeout", type=float, default=240.0, help="seconds until QEMU is killed")
    a = ap.parse_args(argv)
    name = a.name or "system-" + a.scenario
    if os.environ.get("HVMFW_SYSTEM_FIRMWARE", "") == "seabios":
        print("SKIP %s: checks hvmfw's tables; HVMFW_SYSTEM_FIRMWARE=seabios" % name)
        return 77
    argv = ["--name", name, "--machine", MACHINES[a.scenario], "--smp", "1",
            "--rom", a.rom, "--guest", a.guest, "--logs", os.path.join(a.logs, "boot"),
            "--timeout", str(a.timeout)]
    if "-cpu-" in a.scenario:
        argv += ["--maxcpus", "2", "--append", hq.DEFAULT_APPEND + " hvmfw.wait=cpu"]
        return boot_test.main(argv, extra_checks=CpuChecks(),
                              steps=[("===HVMFW-WAIT cpu===", plug_cpu)])
    hp = PCI_HP[a.scenario]
    argv += ["--append", hq.DEFAULT_APPEND + " hvmfw.insmod=%s hvmfw.wait=pci" % hp["module"]]
    argv += ["--qemu-arg=" + x for x in hp["args"]]
    return boot_test.main(argv, extra_checks=PciChecks(hp),
                          steps=[("===HVMFW-WAIT pci===", plug_nic(hp["nic"])),
                                 ("===HVMFW-WAIT pci-gone===", unplug_nic(hp["nic"]))])


if __name__ == "__main__":
    sys.exit(main())
