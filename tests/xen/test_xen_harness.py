#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Self-test of the Xen test bed's parsers and checks on canned logs (no Xen,
no QEMU): a good guest passes every check, and each kind of breakage makes
exactly the check meant to catch it fail. Exit 0 when all cases behave."""
import contextlib
import io
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xen_testbed as xt  # noqa: E402

HVMLOADER_LOG = """\
(XEN) [   66.046613] HVM d1v0 save: CPU
(d1) [   73.191000] HVM Loader
(d1) [   73.208235] Detected Xen v4.17.5
(d1) [   84.608193] pci dev 03:0 bar 10 size 002000000: 0f0000008
(d1) [   86.411210] E820 table:
(d1) [   86.414926]  [00]: 00000000:00000000 - 00000000:000a0000: RAM
(d1) [   86.427932]  HOLE: 00000000:000a0000 - 00000000:000c0000
(d1) [   86.431185]  [01]: 00000000:000c0000 - 00000000:00100000: RESERVED
(d1) [   86.434148]  [02]: 00000000:00100000 - 00000000:1f800000: RAM
(d1) [   86.437379]  HOLE: 00000000:1f800000 - 00000000:fc000000
(d1) [   86.440077]  [03]: 00000000:fc000000 - 00000000:fc00b000: NVS
(d1) [   86.443006]  [04]: 00000000:fc00b000 - 00000001:00000000: RESERVED
(d1) [   86.453070] Invoking SeaBIOS ...
(d1) [   87.000000] SeaBIOS (version 1.16.2-debian-1.16.2-1)
(d1) [   97.798080] e820 map has 5 items:
(d1) [   97.800046]   0: 0000000000000000 - 000000000009fc00 = 1 RAM
(d1) [   97.802970]   1: 000000000009fc00 - 00000000000a0000 = 2 RESERVED
(d1) [   97.808772]   2: 0000000000100000 - 000000001f7ff000 = 1 RAM
(d1) [   97.813741]   3: 00000000fc000000 - 00000000fc00b000 = 4 NVS
(d1) [   97.817133]   4: 00000000fc00b000 - 0000000100000000 = 2 RESERVED
(d1) [   98.050159] Booting from ca00:003c
"""

HVMFW_LOG = """\
(d2) [  100.000000] [hvmfw] hvmfw 0.1.0 on Xen
(d2) [  100.050000] [hvmfw] xen: toolstack map 0x100000+0x1f6ff000 type 1
(d2) [  100.100000] [hvmfw] e820: [mem 0x0000000000000000-0x000000000009fbff] usable
(d2) [  100.100000] [hvmfw] e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved
(d2) [  100.100000] [hvmfw] e820: [mem 0x0000000000100000-0x000000001f7fefff] usable
(d2) [  100.100000] [hvmfw] e820: [mem 0x00000000fc000000-0x00000000fc00afff] ACPI NVS
(d2) [  100.100000] [hvmfw] e820: [mem 0x00000000fc00b000-0x00000000ffffffff] reserved
(d2) [  100.200000] [hvmfw] pci: 00:03.0 1234:1111 BAR0 (0x10000000 bytes) refused: no space; memory decode left off
(d2) [  100.210000] [hvmfw] pci: hole 0xfaf00000-0xffffffff (81 MiB) too small, 32-bit demand refused; mmio_hole=512 (hole from 0xe0000000) would hold it
(d2) [  101.500000] [hvmfw] booting Linux
"""

KERNEL_E820 = """\
[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable
[    0.000000] BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved
[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000001f7fefff] usable
[    0.000000] BIOS-e820: [mem 0x00000000fc000000-0x00000000fc00afff] ACPI NVS
[    0.000000] BIOS-e820: [mem 0x00000000fc00b000-0x00000000ffffffff] reserved
"""


# hvmfw's map, then SeaBIOS's (legacy area rebuilt, its hypercall page taken at the top of RAM)
HVMFW_SEABIOS_LOG = """\
(d5) [  100.000000] [hvmfw] hvmfw 0.1.0
(d5) [  100.050000] [hvmfw] xen: toolstack map 0x100000+0x1f700000 type 1
(d5) [  100.100000] [hvmfw] e820: [mem 0x0000000000000000-0x000000000009fbff] usable
(d5) [  100.100000] [hvmfw] e820: [mem 0x000000000009fc00-0x00000000000fffff] reserved
(d5) [  100.100000] [hvmfw] e820: [mem 0x0000000000100000-0x000000001f7fffff] usable
(d5) [  100.100000] [hvmfw] e820: [mem 0x00000000fc000000-0x00000000fc01ffff] ACPI NVS
(d5) [  100.100000] [hvmfw] e820: [mem 0x00000000fc020000-0x00000000ffffffff] reserved
(d5) [  101.000000] [hvmfw] xen: entering SeaBIOS at F000:FFF0 in real mode
(d5) [  102.000000] e820 map has 7 items:
(d5) [  102.000000]   0: 0000000000000000 - 000000000009fc00 = 1 RAM
(d5) [  102.000000]   1: 000000000009fc00 - 00000000000a0000 = 2 RESERVED
(d5) [  102.000000]   2: 00000000000f0000 - 0000000000100000 = 2 RESERVED
(d5) [  102.000000]   3: 0000000000100000 - 000000001f7ff000 = 1 RAM
(d5) [  102.000000]   4: 000000001f7ff000 - 000000001f800000 = 2 RESERVED
(d5) [  102.000000]   5: 00000000fc000000 - 00000000fc020000 = 4 NVS
(d5) [  102.000000]   6: 00000000fc020000 - 0000000100000000 = 2 RESERVED
(d5) [  103.000000] Booting from ca00:003c
"""

KERNEL_E820_SEABIOS = """\
[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable
[    0.000000] BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved
[    0.000000] BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved
[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000001f7fefff] usable
[    0.000000] BIOS-e820: [mem 0x000000001f7ff000-0x000000001f7fffff] reserved
[    0.000000] BIOS-e820: [mem 0x00000000fc000000-0x00000000fc01ffff] ACPI NVS
[    0.000000] BIOS-e820: [mem 0x00000000fc020000-0x00000000ffffffff] reserved
"""


def madt_hex(flags):
    """A MADT with Xen's APIC IDs (2n) and the given enabled flags, as od prints it."""
    t = bytearray(b"APIC" + bytes(4) + b"\x04\x00" + bytes(26) + bytes([0, 0, 0xE0, 0xFE, 1, 0, 0, 0]))
    for i, f in enumerate(flags):
        t += bytes([0, 8, i, 2 * i, 1 if f else 0, 0, 0, 0])
    t[4:8] = len(t).to_bytes(4, "little")
    t[9] = (-sum(t)) % 256
    return " ".join("%02x" % b for b in t)


def cpu_section(after_online="0-1"):
    return ("before present 0\nbefore online 0\nbefore processors 1\nbefore madt %s\n"
            "onlined cpu1\nafter present 0-1\nafter online %s\nafter processors 2\n"
            "after madt %s\ndmesg [   40.0] CPU1 has been hot-added\n"
            % (madt_hex([True, False]), after_online, madt_hex([True, True])))


def console(edu=None, acpi_error=False, bar0=0xF0000000, poweroff=True, extra_dmesg="",
            e820=KERNEL_E820, cpuhp=None, pcihp=None):
    dmesg = "[    0.000000] Linux version 6.1.0\n" + e820
    dmesg += "[    0.010000] ACPI: RSDP 0x00000000000EA020 000024 (v02 Xen   )\n"
    if acpi_error:
        dmesg += "[    1.000000] ACPI Error: AE_NOT_FOUND, While resolving a named reference\n"
    dmesg += extra_dmesg
    pci = ("device 0000:00:00.0\n  vendor 0x8086\n  device 0x1237\n  class 0x060000\n"
           "device 0000:00:02.0\n  vendor 0x1013\n  device 0x00b8\n  class 0x030000\n"
           "  resource 0 0x%016x 0x%016x 0x0000000000042208\n" % (bar0, bar0 + 0x1FFFFFF))
    if edu:
        pci += ("device 0000:00:06.0\n  vendor 0x1234\n  device 0x11e8\n  class 0x00ff00\n"
                "  resource 0 0x00000000f3000000 0x00000000f30fffff 0x0000000000040200\n")
    iomem = ("00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n"
             "f0000000-f1ffffff : 0000:00:02.0\n")
    text = ""
    if edu:
        text += edu + "\n"
    text += "===HVMFW-BEGIN===\n"
    secs = [("dmesg", dmesg), ("iomem", iomem), ("pci", pci), ("acpi-list", "DSDT 1234\n")]
    if cpuhp is not None:
        secs.append(("hotplug-cpu", cpuhp))
    if pcihp is not None:
        secs.append(("hotplug-pci", pcihp))
    for name, body in secs:
        text += "===HVMFW-SECTION %s===\n%s===HVMFW-SECTION-END %s===\n" % (name, body, name)
    text += "===HVMFW-END===\n"
    if poweroff:
        text += "[   30.000000] ACPI: PM: Preparing to enter system sleep state S5\n"
        text += "[   30.100000] reboot: Power down\n"
    return text


def make(share, name, domid, fwlog, cons, ended="self", reason=0, serial="", ovmf_debug=""):
    d = os.path.join(share, "out", name)
    os.makedirs(d, exist_ok=True)
    files = {
        "result.txt": "name %s\ndomid %d\nended %s\nxl_rc 0\nelapsed 80.00\nstill_listed \n"
                      % (name, domid, ended),
        "xl-create.log": "Parsing config from x.cfg\nWaiting for domain %s (domid %d) to die\n"
                         "Domain %d has shut down, reason code %d 0x0\n" % (name, domid, domid, reason),
        "xl-dmesg.txt": fwlog,
        "console.log": cons,
        "serial.log": serial,
        "ovmf-debug.log": ovmf_debug,
    }
    for fn, text in files.items():
        with open(os.path.join(d, fn), "w") as f:
            f.write(text)


def run_checks(share, guest):
    outer = xt.Outer()
    marks = xt.host_marks(outer)
    r = xt.GuestResult(guest, share, outer, marks)
    xt.RESULTS[guest.name] = r
    checks = xt.hq.Checks(guest.name)
    with contextlib.redirect_stdout(io.StringIO()):
        xt.check_guest(checks, r)
    return {n.split("/", 1)[1]: st for n, st, _ in checks.results}, checks


FAILURES = []
CASES = []


def expect(case, got, want):
    """want: {check: status}; checks not named must PASS."""
    statuses, checks = got
    bad = []
    for name, st in statuses.items():
        w = want.get(name, "PASS")
        if st != w:
            msg = next(m for n, s, m in checks.results if n.endswith("/" + name))
            bad.append("%s is %s, want %s (%s)" % (name, st, w, str(msg).split("\n")[0]))
    for name in want:
        if name not in statuses:
            bad.append("%s did not run" % name)
    CASES.append(case)
    print("%s %s%s" % ("ok  " if not bad else "BAD ", case, "" if not bad else ": " + "; ".join(bad)))
    if bad:
        FAILURES.append(case)


def main():
    tmp = tempfile.mkdtemp(prefix="xentb-selftest-")
    try:
        share = tmp
        G = xt.Guest
        # parsers
        fw = [l for _, l in xt.guest_fw_lines(HVMLOADER_LOG, 1)]
        ok = (len(fw) == 20 and fw[0] == "HVM Loader"
              and xt.guest_fw_lines(HVMLOADER_LOG, 1)[0][0] == 73.191
              and len(xt.parse_hvmloader_e820(fw)) == 5
              and xt.parse_seabios_e820(fw)[2] == (0x100000, 0x1F7FEFFF, "usable")
              and xt.first_hole(xt.parse_seabios_e820(fw)) == (0x1F7FF000, 0xFC000000)
              and xt.guest_fw_lines(HVMLOADER_LOG, 2) == [])
        print("%s parsers" % ("ok  " if ok else "BAD "))
        if not ok:
            FAILURES.append("parsers")

        make(share, "good", 1, HVMLOADER_LOG, console())
        expect("hvmloader guest, all good", run_checks(share, G("good", "hvmloader", "")), {})

        make(share, "e820", 1, HVMLOADER_LOG.replace("1f7ff000 = 1 RAM", "1f7fe000 = 1 RAM"),
             console())
        expect("e820 differs", run_checks(share, G("e820", "hvmloader", "")),
               {"e820-matches-firmware": "FAIL"})

        make(share, "bar", 1, HVMLOADER_LOG, console(bar0=0x1F000000))
        expect("BAR over RAM", run_checks(share, G("bar", "hvmloader", "")),
               {"pci-bars-in-holes": "FAIL", "iomem-no-conflicts": "PASS"})

        make(share, "stall", 1, HVMLOADER_LOG, console(poweroff=False), ended="stall")
        expect("destroyed after a stall", run_checks(share, G("stall", "hvmloader", "")),
               {"powered-off": "FAIL"})

        make(share, "crash", 1, HVMLOADER_LOG, console(), reason=3)
        expect("crashed instead of power-off", run_checks(share, G("crash", "hvmloader", "")),
               {"powered-off": "FAIL"})

        make(share, "acpierr", 1, HVMLOADER_LOG, console(acpi_error=True))
        expect("ACPI error", run_checks(share, G("acpierr", "hvmloader", "")),
               {"acpi-no-errors": "FAIL"})

        make(share, "conflict", 1, HVMLOADER_LOG,
             console(extra_dmesg="[    2.0] pci 0000:00:02.0: can't claim BAR 0 [mem 0xf0000000]\n"))
        expect("resource conflict", run_checks(share, G("conflict", "hvmloader", "")),
               {"iomem-no-conflicts": "FAIL"})

        make(share, "noboot", 1, HVMLOADER_LOG, "", ended="stall")
        expect("guest never booted", run_checks(share, G("noboot", "hvmloader", "")),
               {"guest-booted": "FAIL", "powered-off": "FAIL", "acpi-no-errors": "FAIL",
                "pci-bars-in-holes": "FAIL", "iomem-no-conflicts": "FAIL",
                "e820-matches-firmware": "FAIL"})

        make(share, "fw", 2, HVMFW_LOG, console())
        expect("hvmfw guest, all good", run_checks(share, G("fw", "hvmfw", "")), {})

        make(share, "fwsb", 5, HVMFW_SEABIOS_LOG, console(e820=KERNEL_E820_SEABIOS))
        expect("hvmfw + SeaBIOS's own edits", run_checks(share, G("fwsb", "hvmfw", "")), {})
        make(share, "fwsbk", 5, HVMFW_SEABIOS_LOG, console())
        expect("kernel map is not SeaBIOS's", run_checks(share, G("fwsbk", "hvmfw", "")),
               {"e820-matches-firmware": "FAIL", "e820-agrees-with-xen": "FAIL"})
        # SeaBIOS's map (and the kernel's) lose 1 MiB of RAM hvmfw gave
        lost = (HVMFW_SEABIOS_LOG.replace("1f7ff000 = 1 RAM", "1f6ff000 = 1 RAM")
                .replace("000000001f7ff000 - 000000001f800000 = 2", "000000001f6ff000 - 000000001f800000 = 2"))
        make(share, "fwsblost", 5, lost, console(e820=KERNEL_E820_SEABIOS
             .replace("0x000000001f7fefff] usable", "0x000000001f6fefff] usable")
             .replace("0x000000001f7ff000-0x000000001f7fffff] reserved", "0x000000001f6ff000-0x000000001f7fffff] reserved")))
        expect("SeaBIOS's map drops RAM hvmfw gave", run_checks(share, G("fwsblost", "hvmfw", "")),
               {"e820-matches-firmware": "FAIL"})
        ok = (xt.seabios_edits([(0, 0x9FBFF, "usable"), (0x100000, 0xFFFFF, "usable")],
                               [(0, 0x9FBFF, "usable"), (0x100000, 0xFFFFF, "usable")]) == []
              and xt.seabios_edits([(0, 0x9FBFF, "usable")], [(0, 0x9EFFF, "usable")]) != []
              and xt.seabios_edits([(0xFC000000, 0xFC01FFFF, "ACPI NVS")],
                                   [(0xFC000000, 0xFC01FFFF, "ACPI data")]) != [])
        print("%s seabios_edits rules" % ("ok  " if ok else "BAD "))
        if not ok:
            FAILURES.append("seabios_edits rules")

        # Xen gave 16 MiB less RAM than the e820 claims, and: Xen RAM left out
        make(share, "fwxen", 5, HVMFW_SEABIOS_LOG.replace("0x100000+0x1f700000", "0x100000+0x1e700000"),
             console(e820=KERNEL_E820_SEABIOS))
        expect("e820 RAM Xen does not have", run_checks(share, G("fwxen", "hvmfw", "")),
               {"e820-agrees-with-xen": "FAIL"})
        make(share, "fwxen2", 5, HVMFW_SEABIOS_LOG.replace("0x100000+0x1f700000", "0x100000+0x1ff00000"),
             console(e820=KERNEL_E820_SEABIOS))
        expect("Xen RAM missing from the e820", run_checks(share, G("fwxen2", "hvmfw", "")),
               {"e820-agrees-with-xen": "FAIL"})

        fatal_log = ("(d6) [  10.0] [hvmfw] hvmfw 0.1.0\n"
                     "(d6) [  10.1] [hvmfw] PANIC: only 0xf00000 bytes of low RAM; hvmfw needs at least 32 MiB\n"
                     "(d6) [  10.1] [hvmfw] PANIC: stopping the guest\n"
                     "(d6) [  10.1] [hvmfw] xen: SCHEDOP_shutdown(crash)\n")
        pat = xt.GUESTS[[g.name for g in xt.GUESTS].index("hvmfw-fatal")].fatal
        F = lambda name: G(name, "hvmfw", "", fatal=pat)
        make(share, "fatal", 6, fatal_log, "", reason=3)
        expect("fatal error, crash", run_checks(share, F("fatal")), {})
        make(share, "fatalspin", 6, fatal_log, "", ended="stall", reason=3)
        expect("fatal error, then a spin", run_checks(share, F("fatalspin")),
               {"domain-crashed": "FAIL"})
        make(share, "fatalwhy", 6, fatal_log.replace("only 0xf00000 bytes of low RAM", "oops"), "",
             reason=3)
        expect("fatal error without its reason", run_checks(share, F("fatalwhy")),
               {"fatal-reason-logged": "FAIL"})
        make(share, "fatalpoweroff", 6, fatal_log, "", reason=0)
        expect("fatal error, domain powered off", run_checks(share, F("fatalpoweroff")),
               {"domain-crashed": "FAIL"})

        make(share, "fwsilent", 2, HVMLOADER_LOG.replace("(d1)", "(d2)"), console())
        expect("hvmfw guest without [hvmfw] lines", run_checks(share, G("fwsilent", "hvmfw", "")),
               {"firmware-log": "FAIL", "e820-matches-firmware": "FAIL",
                "e820-agrees-with-xen": "FAIL"})

        edu_ok = "===XENTB-EDU 0000:00:06.0 bar0=0x00000000f3000000 cmd=0x0006 id=0x010000ED live=0xEDCBA987==="
        make(share, "edu", 2, HVMFW_LOG, console(edu=edu_ok))
        expect("edu read", run_checks(share, G("edu", "hvmfw", "", pci=True)), {})
        make(share, "edubad", 2, HVMFW_LOG, console(edu=edu_ok.replace("0x010000ED", "0xFFFFFFFF")))
        expect("edu reads all-ones", run_checks(share, G("edubad", "hvmfw", "", pci=True)),
               {"edu-id-read": "FAIL"})
        pin_log = HVMFW_LOG + (
            '(d2) [  100.050000] [hvmfw] config: pins = "00:06.0/bar0=0xf3000000"\n'
            "(d2) [  100.150000] [hvmfw] pci: 00:06.0 1234:11e8 BAR0     mem32      "
            "0x0000100000 0x00000000f3000000 pinned\n")
        P = lambda name: G(name, "hvmfw", "", pci=True, hvmfw_keys={"pins": "00:06.0/bar0=0xf3000000"})
        make(share, "edupin", 2, pin_log, console(edu=edu_ok))
        expect("edu pinned through xenstore", run_checks(share, P("edupin")), {})
        make(share, "edupin2", 2, pin_log.replace("pinned", "moved"), console(edu=edu_ok))
        expect("pin not honoured by the plan", run_checks(share, P("edupin2")),
               {"xenstore-pin": "FAIL"})
        make(share, "edupin3", 2, pin_log.replace("config: pins", "config: refused pins"),
             console(edu=edu_ok))
        expect("pin key never read", run_checks(share, P("edupin3")), {"xenstore-pin": "FAIL"})
        make(share, "edupin4", 2, pin_log, console(edu=edu_ok.replace("bar0=0x00000000f3000000",
                                                                       "bar0=0x00000000f3100000")))
        expect("guest sees the BAR elsewhere", run_checks(share, P("edupin4")),
               {"xenstore-pin": "FAIL", "edu-id-read": "PASS"})
        # dom0's hvmfw-pin (host_pin guests): its report, hvmfw's plan and the guest agree
        pin_tool = ("# /mnt/host/hvmfw-pin edupinh --unpause\n"
                    "domain 2: RAM below 4 GiB to 0x20000000, above 4 GiB to 0x0\n"
                    "0000:00:05.0 -> 00:06.0 bar0  0x0000f3000000 size 0x100000: pinned\n"
                    "wrote /local/domain/2/hvmfw/pins = \"00:06.0/bar0=0xf3000000\"\n"
                    "domain 2 unpaused\n# hvmfw-pin: status 0\n")
        H = lambda name: G(name, "hvmfw", "", pci=True, host_pin=True)
        make(share, "edupinh", 2, pin_log, console(edu=edu_ok))
        with open(os.path.join(share, "out", "edupinh", "xenstore.log"), "w") as f:
            f.write(pin_tool)
        expect("edu pinned by hvmfw-pin", run_checks(share, H("edupinh")), {})
        make(share, "edupinh2", 2, pin_log, console(edu=edu_ok))
        with open(os.path.join(share, "out", "edupinh2", "xenstore.log"), "w") as f:
            f.write(pin_tool.replace("status 0", "status 1"))
        expect("hvmfw-pin failed", run_checks(share, H("edupinh2")), {"host-pin": "FAIL"})
        make(share, "edupinh3", 2, pin_log, console(edu=edu_ok))
        with open(os.path.join(share, "out", "edupinh3", "xenstore.log"), "w") as f:
            f.write(pin_tool.replace("0x0000f3000000", "0x0000f3100000"))
        expect("hvmfw-pin's host address is not where the guest sees edu",
               run_checks(share, H("edupinh3")), {"host-pin": "FAIL"})
        make(share, "edupinh4", 2, pin_log, console(edu=edu_ok))
        with open(os.path.join(share, "out", "edupinh4", "xenstore.log"), "w") as f:
            f.write(pin_tool.replace("0x0000f3000000", "0x0000fea00000"))
        expect("edu left in Xen's fixed range", run_checks(share, H("edupinh4")),
               {"host-pin": "FAIL"})
        make(share, "edunone", 2, HVMFW_LOG, console(edu="===XENTB-EDU none==="))
        expect("edu missing", run_checks(share, G("edunone", "hvmfw", "", pci=True)),
               {"edu-id-read": "FAIL"})

        make(share, "big", 2, HVMFW_LOG, console())
        expect("BAR refused", run_checks(share, G("big", "hvmfw", "", bigbar=True)), {})
        make(share, "bignot", 2, HVMFW_LOG.replace("refused", "placed"), console())
        expect("no refusal line", run_checks(share, G("bignot", "hvmfw", "", bigbar=True)),
               {"bar-refused": "FAIL"})
        make(share, "bighint", 2, HVMFW_LOG.replace("mmio_hole=512", "mmio_hole=768"), console())
        expect("wrong mmio_hole hint", run_checks(share, G("bighint", "hvmfw", "", bigbar=True)),
               {"bar-refused": "FAIL"})
        make(share, "bigsize", 2, HVMFW_LOG.replace("(0x10000000 bytes)", "(0x1000 bytes)"),
             console())
        expect("other BAR refused", run_checks(share, G("bigsize", "hvmfw", "", bigbar=True)),
               {"bar-refused": "FAIL"})

        V = lambda name: G(name, "hvmfw", "", vcpus=1, maxvcpus=2, vcpu_set=2)
        cpus_log = HVMFW_LOG + ("(d2) [  100.020000] [hvmfw] cpus: 2 listed, 1 running at boot, "
                                "1 for hot-plug\n")
        make(share, "vcpus", 2, cpus_log, console(cpuhp=cpu_section()))
        expect("vcpu added by xl vcpu-set", run_checks(share, V("vcpus")), {})
        make(share, "vcpus2", 2, HVMFW_LOG, console(cpuhp=cpu_section()))
        expect("firmware woke every vCPU", run_checks(share, V("vcpus2")),
               {"vcpu-hotplug": "FAIL"})
        make(share, "vcpus3", 2, cpus_log, console(cpuhp=cpu_section(after_online="0")))
        expect("vcpu never came online", run_checks(share, V("vcpus3")), {"vcpu-hotplug": "FAIL"})
        make(share, "vcpus4", 2, cpus_log, console())
        expect("no hotplug-cpu report", run_checks(share, V("vcpus4")), {"vcpu-hotplug": "FAIL"})

        A = lambda name: G(name, "hvmfw", "", pci_attach=True)
        attach = ("added 0000:00:06.0 0x1234 0x11e8 driver none\n"
                  "  resource 0 0x00000000f0000000 0x00000000f00fffff 0x0000000000040200\n"
                  "id 0x010000ED\nremoved 0000:00:06.0\n")
        roots = "[    1.0] pci_bus 0000:00: root bus resource [mem 0xf0000000-0xfbffffff window]\n"
        make(share, "attach", 2, HVMFW_LOG, console(cpuhp=None, extra_dmesg=roots,
                                                  pcihp=attach))
        expect("edu attached and detached", run_checks(share, A("attach")), {})
        make(share, "attach2", 2, HVMFW_LOG, console(extra_dmesg=roots,
                                                   pcihp=attach.replace("removed 0000:00:06.0\n",
                                                                        "timeout remove\n")))
        expect("edu never detached", run_checks(share, A("attach2")),
               {"pci-attach-detach": "FAIL"})
        make(share, "attach3", 2, HVMFW_LOG, console(extra_dmesg=roots,
                                                   pcihp=attach.replace("0x00000000f0000000 0x00000000f00fffff",
                                                                        "0x00000000e0000000 0x00000000e00fffff")))
        expect("edu BAR0 outside the windows", run_checks(share, A("attach3")),
               {"pci-attach-detach": "FAIL"})

        ovmf_fw = HVMLOADER_LOG.replace("Invoking SeaBIOS", "Invoking OVMF")
        make(share, "hvmloader-ovmf", 3, ovmf_fw.replace("(d1)", "(d3)"), "")
        expect("OVMF silent after hvmloader: skip",
               run_checks(share, G("hvmloader-ovmf", "hvmloader", "", ovmf=True)),
               {"ovmf-output": "SKIP", "guest-booted": "SKIP"})
        make(share, "ovmf-fw", 4, HVMFW_LOG.replace("(d2)", "(d4)") + "(d4) [ 102.0] [hvmfw] "
             "loading OVMF\n", "")
        expect("OVMF silent after both: skip",
               run_checks(share, G("ovmf-fw", "hvmfw", "", ovmf=True)),
               {"ovmf-output": "SKIP", "guest-booted": "SKIP"})
        make(share, "hvmloader-ovmf", 3, ovmf_fw.replace("(d1)", "(d3)"), console(),
             serial="\x1b[2J\x1b[01;01HEFI stub: Loaded initrd\n")
        expect("OVMF talks after hvmloader",
               run_checks(share, G("hvmloader-ovmf", "hvmloader", "", ovmf=True)), {})
        expect("OVMF silent after hvmfw only: fail",
               run_checks(share, G("ovmf-fw", "hvmfw", "", ovmf=True)),
               {"ovmf-output": "FAIL", "guest-booted": "FAIL"})
        make(share, "ovmf-fw", 4, HVMFW_LOG.replace("(d2)", "(d4)"), "",
             serial="[hvmfw] hvmfw 0.1.0\n[hvmfw] loading OVMF\n")
        expect("only hvmfw's own COM1 lines are not OVMF output",
               run_checks(share, G("ovmf-fw", "hvmfw", "", ovmf=True)),
               {"ovmf-output": "FAIL", "guest-booted": "FAIL", "ovmf-handoff": "FAIL"})
        # the outer QEMU died while an OVMF guest ran (no result.txt from dom0)
        crash = "exit -6: Bail out! ERROR: " + xt.KNOWN_QEMU_ABORT
        d = os.path.join(share, "out", "ovmf-died")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "serial.log"), "w") as f:
            f.write("")
        xt.INTERRUPTED["ovmf-died"] = crash
        got = run_checks(share, G("ovmf-died", "hvmfw", "", ovmf=True))
        expect("QEMU died, OVMF silent so far: skips, not passes", got,
               {"xl-create": "SKIP", "firmware-log": "FAIL", "ovmf-handoff": "FAIL",
                "ovmf-output": "SKIP", "guest-booted": "SKIP"})
        with open(os.path.join(d, "serial.log"), "w") as f:
            f.write("\x1b[2J\x1b[01;01HBdsDxe: loading Boot0001\n")
        got = run_checks(share, G("ovmf-died", "hvmfw", "", ovmf=True))
        expect("QEMU died after OVMF's first output: that output still counts", got,
               {"xl-create": "SKIP", "firmware-log": "FAIL", "ovmf-handoff": "FAIL",
                "ovmf-output": "PASS", "guest-booted": "SKIP"})
        del xt.INTERRUPTED["ovmf-died"]
        xt.NOT_STARTED["ovmf-later"] = crash
        expect("QEMU died before the guest started: one SKIP",
               run_checks(share, G("ovmf-later", "hvmfw", "", ovmf=True)), {"not-started": "SKIP"})
        del xt.NOT_STARTED["ovmf-later"]
    finally:
        shutil.rmtree(tmp)
    print("%d passed, %d failed" % (len(CASES) - len(FAILURES), len(FAILURES)))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
