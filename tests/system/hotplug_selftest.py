#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Self-test of hotplug_test.py's parsers on canned guest output."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hotplug_test as ht  # noqa: E402


def madt(flags, good=True):
    body = bytearray(b"APIC" + bytes(4) + b"\x04\x00" + bytes(26))
    body += bytes([0xE0, 0xFE, 0, 0, 1, 0, 0, 0])       # LAPIC address, flags
    for i, f in enumerate(flags):
        body += bytes([0, 8, i, i, 1 if f else 0, 0, 0, 0])
    body += bytes([1, 12, 0, 0]) + bytes(8)              # an I/O APIC entry
    body[4:8] = len(body).to_bytes(4, "little")
    body[9] = (-sum(body)) % 256
    if not good:
        body[9] ^= 1
    return bytes(body)


def hexline(b):
    return " ".join("%02x" % x for x in b)


def main():
    fails = []

    def expect(cond, what):
        if not cond:
            fails.append(what)
            print("FAIL", what)

    text = "\n".join([
        "before present 0", "before online 0", "before processors 1",
        "before madt " + hexline(madt([True, False])),
        "onlined cpu1",
        "after present 0-1", "after online 0-1", "after processors 2",
        "after madt " + hexline(madt([True, True])),
        "dmesg [    3.688244] CPU1 has been hot-added"])
    h = ht.parse_hotplug_cpu(text)
    expect(h["before"]["present"] == "0" and h["after"]["online"] == "0-1", "states: %r" % h)
    expect(h["onlined"] == ["cpu1"] and not h["timeout"], "onlined/timeout: %r" % h)
    expect(h["dmesg"] == ["[    3.688244] CPU1 has been hot-added"], "dmesg: %r" % h["dmesg"])
    cpus, ok = ht.madt_cpus(h["before"]["madt"])
    expect(cpus == [(0, 0, True), (1, 1, False)] and ok, "madt before: %r %r" % (cpus, ok))
    cpus, ok = ht.madt_cpus(madt([True, True], good=False))
    expect(not ok, "a bad checksum is seen")
    expect(ht.parse_hotplug_cpu("timeout\n")["timeout"], "timeout line")
    try:
        ht.madt_cpus(b"APIC" + bytes(10))
        expect(False, "a short MADT is refused")
    except ValueError:
        pass
    pci = ht.parse_hotplug_pci("\n".join([
        "added 0000:00:05.0 0x8086 0x100e driver e1000",
        "  resource 0 0x0000000020040000 0x000000002005ffff 0x0000000000040200",
        "  resource 1 0x0000000000001000 0x000000000000103f 0x0000000000040101",
        "removed 0000:00:05.0",
        "dmesg [    9.1] e1000 0000:00:05.0 eth0: (PCI:33MHz:32-bit) 52:54:00:12:34:56"]))
    expect(pci["added"] == ("0000:00:05.0", 0x8086, 0x100E, "e1000"), "pci added: %r" % pci)
    expect(len(pci["resources"]) == 2 and pci["resources"][0][1] == 0x20040000,
           "pci resources: %r" % pci["resources"])
    expect(pci["removed"] == "0000:00:05.0" and not pci["timeouts"], "pci removed: %r" % pci)
    expect(ht.parse_hotplug_pci("timeout add\n")["timeouts"] == ["add"], "pci timeout")
    wins = ht.root_windows("[    1.0] pci_bus 0000:00: root bus resource [mem 0x20000000-0xfebfffff "
                           "window]\n[    1.0] pci_bus 0000:00: root bus resource [io  0x0000-0x0cf7 "
                           "window]\n")
    expect(wins == [(0x20000000, 0xFEBFFFFF)], "root windows: %r" % wins)
    print("hotplug selftest: %s" % ("%d failures" % len(fails) if fails else "ok"))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
