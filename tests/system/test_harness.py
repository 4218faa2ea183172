#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Self-test of the system-test parsers and check logic on hand-made input
(no QEMU): each case shows a check passing on good input and failing on bad."""
import hashlib
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hvmfw_qemu as hq  # noqa: E402


def od_lines(data):
    return [" " + " ".join("%02x" % b for b in data[i:i + 16]) for i in range(0, len(data), 16)]


def table(sig, body=b"", length=None):
    """A minimal ACPI table with a correct checksum."""
    n = 36 + len(body) if length is None else length
    hdr = bytearray(sig.encode() + n.to_bytes(4, "little") + b"\x01\x00" + b"HVMFW " +
                    b"HVMFWTBL" + b"\x01\0\0\0" + b"HVMF" + b"\x01\0\0\0")
    t = bytearray(hdr + body)
    t[9] = (-sum(t)) & 0xFF
    return bytes(t)


def console(sections, tables, tail="ACPI: PM: Preparing to enter system sleep state S5\n"
            "reboot: Power down\n", stray=None):
    out = ["[    0.000000] Linux version 6.1", "===HVMFW-BEGIN==="]
    for name, text in sections.items():
        out += ["===HVMFW-SECTION %s===" % name] + text.split("\n") + \
               ["===HVMFW-SECTION-END %s===" % name]
    for name, data in tables.items():
        out.append("===HVMFW-ACPI %s %d %s===" % (name, len(data), hashlib.md5(data).hexdigest()))
        lines = od_lines(data)
        if stray is not None:
            lines.insert(1, stray)
        out += lines + ["===HVMFW-ACPI-END %s===" % name]
    out.append("===HVMFW-END===")
    return "\r\n".join(out) + "\r\n" + tail


class GuestParse(unittest.TestCase):
    def test_sections_and_tables(self):
        apic = table("APIC", b"\x00" * 20)
        g = hq.parse_guest(console({"cpus": "processors 2\nonline 0-1"}, {"APIC": apic},
                                   stray="[    4.1] random: crng init done"))
        self.assertTrue(g.began and g.ended)
        self.assertEqual(g.sections["cpus"], "processors 2\nonline 0-1\n")
        self.assertIsNone(g.acpi["APIC"]["error"])
        self.assertEqual(g.acpi["APIC"]["data"], apic)
        self.assertIn("sleep state S5", g.console_after)

    def test_corrupt_dump_detected(self):
        apic = table("APIC", b"\x00" * 20)
        text = console({}, {"APIC": apic}).replace(od_lines(apic)[0][:9], " ff ff ff", 1)
        g = hq.parse_guest(text)
        self.assertIn("md5", g.acpi["APIC"]["error"])

    def test_truncated_dump_detected(self):
        apic = table("APIC", b"\x00" * 40)
        lines = od_lines(apic)
        text = console({}, {"APIC": apic}).replace(lines[1] + "\r\n", "", 1)
        g = hq.parse_guest(text)
        self.assertIn("rebuilt", g.acpi["APIC"]["error"])

    def test_unfinished_report(self):
        g = hq.parse_guest("===HVMFW-BEGIN===\n===HVMFW-SECTION dmesg===\nfoo\n")
        self.assertTrue(g.began)
        self.assertFalse(g.ended)
        self.assertEqual(g.sections["dmesg"].strip(), "foo")

    def test_no_report(self):
        g = hq.parse_guest("Kernel panic - not syncing\n")
        self.assertFalse(g.began)
        self.assertEqual(g.sections, {})


class AcpiChecks(unittest.TestCase):
    DMESG = ("[    0.0] ACPI: RSDP 0x00000000000F59E0 000014 (v00 BOCHS )\n"
             "[    0.0] ACPI: FACP 0x000000001FFE20BB 0000F4 (v03 BOCHS  BXPC     00000001)\n"
             "[    0.0] ACPI: FACS 0x000000001FFE0000 000040\n"
             "[    0.0] ACPI: Reserving FACP table memory at [mem 0x1ffe20bb-0x1ffe21ae]\n")

    def test_kernel_tables(self):
        k = hq.parse_kernel_acpi(self.DMESG)
        self.assertEqual(k, [("RSDP", 0xF59E0, 0x14), ("FACP", 0x1FFE20BB, 0xF4),
                             ("FACS", 0x1FFE0000, 0x40)])

    def test_firmware_tables(self):
        fw = ["[hvmfw] acpi: FACP @ 0x1ffe20bb len 244", "[hvmfw] other line",
              "[hvmfw] acpi: FACS @ 0x1ffe0000 len 64"]
        self.assertEqual(hq.parse_fw_acpi(fw), [("FACP", 0x1FFE20BB, 244), ("FACS", 0x1FFE0000, 64)])

    def test_firmware_lines_source(self):
        self.assertEqual(hq.firmware_lines("[hvmfw] a\n", "[hvmfw] b\n"), ["[hvmfw] a"])
        self.assertEqual(hq.firmware_lines("", "x\n[hvmfw] b\n"), ["[hvmfw] b"])
        self.assertEqual(hq.firmware_lines("", "x\n"), [])

    def test_errors(self):
        self.assertEqual(hq.acpi_error_lines(self.DMESG), [])
        for bad in ("ACPI Error: AE_NOT_FOUND", "ACPI BIOS Error (bug): Could not resolve",
                    "ACPI Warning: SystemIO range", "ACPI BIOS Warning (bug): Incorrect checksum"):
            self.assertEqual(len(hq.acpi_error_lines(self.DMESG + "[ 1.0] " + bad + "\n")), 1, bad)

    def test_checksum(self):
        t = table("HPET", b"\x01\x02\x03")
        self.assertTrue(hq.acpi_checksum_ok("HPET", t))
        self.assertFalse(hq.acpi_checksum_ok("HPET", t[:-1] + b"\x00"))
        self.assertTrue(hq.acpi_checksum_ok("FACS", b"FACS\x40" + b"\x07" * 59))


class E820(unittest.TestCase):
    KERNEL = ("[    0.0] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
              "[    0.0] BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved\n"
              "[    0.0] BIOS-e820: [mem 0x0000000000100000-0x000000001ffdffff] usable\n"
              "[    0.0] BIOS-e820: [mem 0x000000001ffe0000-0x000000001fffffff] ACPI data\n")

    def test_equal_after_merge(self):
        fw = ["[hvmfw] e820: [mem 0x0000000000100000-0x00000000001fffff] usable",
              "[hvmfw] e820: [mem 0x0000000000200000-0x000000001ffdffff] usable",
              "[hvmfw] e820: [mem 0x000000001ffe0000-0x000000001fffffff] ACPI data",
              "[hvmfw] e820: [mem 0x0000000000000000-0x000000000009fbff] usable",
              "[hvmfw] e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved"]
        self.assertEqual(hq.normalize_e820(hq.parse_fw_e820(fw)),
                         hq.normalize_e820(hq.parse_kernel_e820(self.KERNEL)))

    def test_difference_found(self):
        fw = ["[hvmfw] e820: [mem 0x0000000000000000-0x000000000009fbff] usable",
              "[hvmfw] e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved",
              "[hvmfw] e820: [mem 0x0000000000100000-0x000000001ffdffff] usable",
              "[hvmfw] e820: [mem 0x000000001ffe0000-0x000000001fffffff] ACPI NVS"]
        self.assertNotEqual(hq.normalize_e820(hq.parse_fw_e820(fw)),
                            hq.normalize_e820(hq.parse_kernel_e820(self.KERNEL)))

    def test_last_block_wins(self):
        fw = ["[hvmfw] e820: [mem 0x0000000000000000-0x0000000000000fff] reserved",
              "[hvmfw] something else",
              "[hvmfw] e820: [mem 0x0000000000000000-0x000000000009fbff] usable"]
        self.assertEqual(hq.parse_fw_e820(fw), [(0, 0x9FBFF, "usable")])

    def test_different_types_not_merged(self):
        e = [(0, 0xFFF, "usable"), (0x1000, 0x1FFF, "reserved"), (0x2000, 0x2FFF, "reserved")]
        self.assertEqual(hq.normalize_e820(e), [(0, 0xFFF, "usable"), (0x1000, 0x2FFF, "reserved")])


class Iomem(unittest.TestCase):
    GOOD = ("00000000-00000fff : Reserved\n"
            "00001000-0009fbff : System RAM\n"
            "000f0000-000fffff : Reserved\n"
            "  000f0000-000fffff : System ROM\n"
            "00100000-1ffdffff : System RAM\n"
            "  0b000000-0bffffff : Kernel code\n"
            "febe0000-febfffff : PCI Bus 0000:00\n"
            "  febe0000-febfffff : 0000:00:03.0\n")

    def test_clean(self):
        root = hq.parse_iomem(self.GOOD)
        self.assertEqual(hq.count_resources(root), 8)
        self.assertEqual(hq.resource_problems(root), [])

    def test_sibling_overlap(self):
        bad = self.GOOD + "1ff00000-2fffffff : Reserved\n"
        p = hq.resource_problems(hq.parse_iomem(bad))
        self.assertEqual(len(p), 1)
        self.assertIn("overlap", p[0])

    def test_child_outside_parent(self):
        bad = self.GOOD.replace("  000f0000-000fffff : System ROM", "  000e0000-000fffff : System ROM")
        p = hq.resource_problems(hq.parse_iomem(bad))
        self.assertTrue(any("outside" in x for x in p), p)

    def test_nested_overlap(self):
        bad = self.GOOD + "  febf0000-febf0fff : 0000:00:04.0\n"
        p = hq.resource_problems(hq.parse_iomem(bad))
        self.assertTrue(any("overlap" in x for x in p), p)


class Dmesg(unittest.TestCase):
    def test_conflicts(self):
        ok = "pci 0000:00:02.0: BAR 0: assigned [mem 0xfe000000-0xfe7fffff pref]\n"
        self.assertEqual(hq.resource_conflict_lines(ok), [])
        for bad in ("pci 0000:00:03.0: can't claim BAR 0 [mem 0x1-0x2]: address conflict with PCI Bus",
                    "pci 0000:00:03.0: BAR 6: failed to assign [mem size 0x00040000 pref]",
                    "pci 0000:00:03.0: BAR 0: no space for [mem size 0x00020000]",
                    "system 00:05: [mem 0xb0000000-0xbfffffff] could not be reserved; conflict"):
            self.assertEqual(len(hq.resource_conflict_lines(bad)), 1, bad)

    def test_smp(self):
        self.assertEqual(hq.smp_brought_up("smp: Brought up 1 node, 2 CPUs\n"), 2)
        self.assertEqual(hq.smp_brought_up("smp: Brought up 1 node, 1 CPU\n"), 1)
        self.assertIsNone(hq.smp_brought_up("smp: Bringing up secondary CPUs ...\n"))


class PciParse(unittest.TestCase):
    def test_pci(self):
        text = ("device 0000:00:03.0\n  vendor 0x8086\n  device 0x10d3\n  class 0x020000\n"
                "  config_size 4096\n  irq 10\n"
                "  resource 0 0x00000000feba0000 0x00000000febbffff 0x0000000000040200\n"
                "  resource 2 0x000000000000c040 0x000000000000c05f 0x0000000000040101\n")
        d = hq.parse_pci(text)["0000:00:03.0"]
        self.assertEqual((d["vendor"], d["device"], d["config_size"]), (0x8086, 0x10D3, 4096))
        self.assertEqual(d["resources"][1], (2, 0xC040, 0xC05F, 0x40101))


class EnumBars(unittest.TestCase):
    def test_formats(self):
        d = ("[ 1.4] pci 0000:00:03.0: BAR 0 [mem 0xfeba0000-0xfebbffff]\n"
             "[ 1.4] pci 0000:00:03.0: BAR 2 [io  0xc040-0xc05f]\n"
             "[ 1.4] pci 0000:00:02.0: BAR 2 [mem 0xfe000000-0xfe003fff 64bit pref]\n"
             "[ 1.4] pci 0000:00:04.0: reg 0x14: [mem 0x00000000-0x00000fff]\n"
             "[ 1.4] pci 0000:00:04.0: reg 0x30: [mem 0x00000000-0x0003ffff pref]\n"
             "[ 1.4] pci 0000:00:03.0: ROM [mem 0xfeb80000-0xfeb9ffff pref]\n"
             "[ 1.8] pci 0000:00:03.0: BAR 0 [mem size 0x00020000]: can't assign; no space\n"
             "[ 1.8] pci 0000:00:1f.3: BAR 4 [io  0x1000-0x103f]: assigned\n")
        self.assertEqual(hq.parse_enum_bars(d), [
            ("0000:00:03.0", 0, "mem", 0xFEBA0000, 0xFEBBFFFF),
            ("0000:00:03.0", 2, "io", 0xC040, 0xC05F),
            ("0000:00:02.0", 2, "mem", 0xFE000000, 0xFE003FFF),
            ("0000:00:04.0", 1, "mem", 0, 0xFFF)])


class CheckRunner(unittest.TestCase):
    def test_statuses(self):
        c = hq.Checks("t")
        c.run("p", lambda: None)

        def f():
            raise hq.Fail("boom")

        def s():
            raise hq.Skip("n/a")

        def crash():
            return 1 // 0
        c.run("f", f)
        c.run("s", s)
        c.run("crash", crash)
        self.assertEqual([r[1] for r in c.results], ["PASS", "FAIL", "SKIP", "FAIL"])
        self.assertEqual(c.finish(), 1)
        c2 = hq.Checks("t2")
        c2.run("s", s)
        self.assertEqual(c2.finish(), 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
