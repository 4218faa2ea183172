#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot the Debian test guest under QEMU (hvmfw ROM or QEMU's SeaBIOS) and
check what the firmware and the guest kernel report.

Exit status: 0 all checks passed or skipped, 1 a check failed, 77 (meson's
SKIP) the guest kernel/initramfs is missing (run tools/fetch-guest.sh BUILD).

Environment:
  HVMFW_SYSTEM_FIRMWARE=seabios   ignore --rom and boot with QEMU's SeaBIOS
  HVMFW_SYSTEM_TIMEOUT=N          override --timeout
"""
import argparse
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hvmfw_qemu as hq  # noqa: E402
from hvmfw_qemu import Fail, Skip  # noqa: E402

HOST_BRIDGE = {"pc": (0x8086, 0x1237), "q35": (0x8086, 0x29C0)}
# One NIC on bus 0 gives the firmware BARs to place (MMIO + I/O). On q35 it is
# PCIe (e1000e, a root-complex integrated endpoint), so its 4 KiB config space
# is only readable through ECAM/MCFG. No network backend, no option ROM.
DEFAULT_DEVICES = {
    "pc": ["-device", "e1000,romfile=,addr=0x3"],
    "q35": ["-device", "e1000e,romfile=,addr=0x3"],
}
PCIE_DEVICES = {(0x8086, 0x10D3)}   # e1000e
SECTIONS = ("dmesg", "iomem", "ioports", "cpus", "interrupts", "pci", "acpi-list")


def main(argv=None, extra_checks=None, steps=()):
    """argv: arguments (default sys.argv[1:]). extra_checks(ctx, checks): runs
    more named checks after the base ones (ctx: a Context of this boot).
    steps: (marker, fn(Qmp)) pairs run while the guest runs (hvmfw_qemu.run_qemu)."""
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--name", help="test name (log directory name)")
    ap.add_argument("--machine", choices=("pc", "q35"), default="q35")
    ap.add_argument("--smp", type=int, default=1)
    ap.add_argument("--maxcpus", type=int, default=0,
                    help="CPUs that may be hot-plugged up to (QEMU -smp N,maxcpus=M)")
    ap.add_argument("--mem", type=int, default=512, help="MiB")
    ap.add_argument("--rom", help="-bios image (hvmfw.rom); without it QEMU's SeaBIOS boots")
    ap.add_argument("--seabios", action="store_true", help="ignore --rom, boot with SeaBIOS")
    ap.add_argument("--guest", required=True, help="directory with vmlinuz + initramfs.cpio.gz")
    ap.add_argument("--logs", help="log directory (default: <guest>/../test-logs/<name>)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds until QEMU is killed")
    ap.add_argument("--append", default=hq.DEFAULT_APPEND, help="kernel command line")
    ap.add_argument("--no-default-devices", action="store_true",
                    help="do not add the NIC (%s)" % DEFAULT_DEVICES)
    ap.add_argument("--qemu-arg", action="append", default=[], dest="qemu_args",
                    help="extra QEMU argument (repeatable; use --qemu-arg=-foo)")
    ap.add_argument("--unplaced", action="append", default=[], metavar="BDF/barN",
                    help="a BAR whose pin the firmware refuses (e.g. 0000:00:03.0/bar0): "
                         "pci-devices accepts it at 0 (left unplaced, the kernel may assign "
                         "it); topology_test.py checks where it ends up")
    a = ap.parse_args(argv)

    if os.environ.get("HVMFW_SYSTEM_FIRMWARE", "") == "seabios":
        a.seabios = True
    if os.environ.get("HVMFW_SYSTEM_TIMEOUT"):
        a.timeout = float(os.environ["HVMFW_SYSTEM_TIMEOUT"])
    rom = None if a.seabios else a.rom
    name = a.name or "system-%s-%dcpu" % (a.machine, a.smp)
    log_dir = a.logs or os.path.join(os.path.dirname(os.path.abspath(a.guest)), "test-logs", name)
    fwname = ("hvmfw " + rom) if rom else "SeaBIOS (QEMU default, no -bios)"

    guest = hq.find_guest(a.guest)
    if guest is None:
        print("SKIP %s: no guest kernel/initramfs in %s (run tools/fetch-guest.sh BUILD_DIR)"
              % (name, a.guest))
        return 77
    if rom and not os.path.isfile(rom):
        print("FAIL %s: firmware image %s does not exist" % (name, rom))
        return 1
    kernel, initrd = guest
    print("%s: %s, %d vCPU, %d MiB, firmware %s, logs in %s"
          % (name, a.machine, a.smp, a.mem, fwname, log_dir), flush=True)

    extra = ([] if a.no_default_devices else DEFAULT_DEVICES[a.machine]) + a.qemu_args
    smp = "%d,maxcpus=%d" % (a.smp, a.maxcpus) if a.maxcpus else a.smp
    r = hq.run_qemu(log_dir, a.machine, smp, kernel, initrd, rom=rom, mem=a.mem,
                    append=a.append, extra=extra, timeout=a.timeout, steps=steps)
    print("%s: QEMU %s after %.1f s" % (
        name, "killed" if r.timed_out else "exited with status %s" % r.returncode, r.elapsed),
        flush=True)

    g = hq.parse_guest(r.serial)
    sec_dir = os.path.join(log_dir, "sections")
    os.makedirs(sec_dir, exist_ok=True)
    for sname, text in g.sections.items():
        with open(os.path.join(sec_dir, sname + ".txt"), "w") as f:
            f.write(text)
    fw = hq.firmware_lines(r.debugcon, r.serial)
    with open(os.path.join(log_dir, "firmware.log"), "w") as f:
        f.write("\n".join(fw) + ("\n" if fw else ""))
    # The kernel log: the dump from the guest, else whatever reached the console
    dmesg = g.sections.get("dmesg") or g.console_before
    have_dmesg = "dmesg" in g.sections

    def logs_tail():
        parts = []
        if r.stderr.strip():
            parts.append("--- qemu stderr (tail) ---\n" + hq.tail(r.stderr, 10))
        parts.append("--- firmware log (tail) ---\n" + (hq.tail("\n".join(fw), 15) or "(empty)"))
        parts.append("--- serial (tail) ---\n" + (hq.tail(r.serial, 25) or "(empty)"))
        parts.append("(full logs: %s)" % log_dir)
        return "\n".join(parts)

    def need_report(*names):
        missing = [n for n in names if n not in g.sections]
        if missing:
            raise Fail("guest report has no %s section (the guest did not get that far; "
                       "see guest-report)" % ", ".join(missing))

    def need_fw():
        if not rom:
            raise Skip("no hvmfw firmware log: booted with SeaBIOS")
        if not fw:
            raise Fail("firmware printed no [hvmfw] lines on debugcon 0xE9 or COM1")

    checks = hq.Checks(name, os.path.join(log_dir, "checks.txt"))

    # -- QEMU and the guest -----------------------------------------------
    def c_qemu_exit():
        if r.start_error:
            raise Fail("could not start QEMU: %s" % r.start_error)
        if r.timed_out:
            raise Fail("no ACPI power-off within %d s: QEMU killed\n%s"
                       % (a.timeout, logs_tail()))
        if r.returncode != 0:
            raise Fail("QEMU exited with status %s\n%s" % (r.returncode, logs_tail()))
        return "exit status 0 after %.1f s" % r.elapsed
    checks.run("qemu-exit", c_qemu_exit)

    def c_guest_report():
        if not g.began:
            raise Fail("guest /init never started its report (no ===HVMFW-BEGIN===)\n%s"
                       % logs_tail())
        missing = [s for s in SECTIONS if s not in g.sections]
        if missing:
            raise Fail("sections missing: %s\n%s" % (", ".join(missing), logs_tail()))
        if not g.ended:
            raise Fail("report not finished (no ===HVMFW-END===)\n%s" % logs_tail())
        if "Linux version" not in g.sections["dmesg"]:
            raise Fail("dmesg section does not start with the kernel banner")
        return "%d sections, %d ACPI tables" % (len(g.sections), len(g.acpi))
    checks.run("guest-report", c_guest_report)

    def c_poweroff():
        # -no-reboot turns a reset (panic=-1, triple fault) into exit 0 too,
        # so a clean exit alone does not prove ACPI S5: the console must show it.
        after = g.console_after
        if not g.ended:
            raise Fail("the guest never reached its power-off step")
        if "Restarting system" in after or "Kernel panic" in r.serial:
            raise Fail("the guest reset/panicked instead of powering off:\n" + hq.tail(after, 8))
        if "ACPI: PM: Preparing to enter system sleep state S5" not in after:
            raise Fail("no 'ACPI: PM: Preparing to enter system sleep state S5' after the "
                       "report: power-off did not go through ACPI\n" + hq.tail(after, 8))
        if "reboot: Power down" not in after:
            raise Fail("no 'reboot: Power down' after the report\n" + hq.tail(after, 8))
        if r.timed_out or r.returncode != 0:
            raise Fail("the kernel tried ACPI S5 but QEMU did not exit with status 0 "
                       "(SLP_TYP for S5 wrong, or PM1a_CNT not decoded?)")
        return None
    checks.run("acpi-poweroff", c_poweroff)

    # -- firmware log -----------------------------------------------------
    def c_fw_log():
        need_fw()
        return "%d [hvmfw] lines" % len(fw)
    checks.run("firmware-log", c_fw_log)

    # -- ACPI ---------------------------------------------------------------
    ktables = hq.parse_kernel_acpi(dmesg)

    def c_rsdp():
        rsdp = [t for t in ktables if t[0] == "RSDP"]
        if not rsdp:
            raise Fail("the kernel printed no 'ACPI: RSDP 0x...' line (no ACPI tables found)"
                       + ("" if have_dmesg else "\n" + logs_tail()))
        return "RSDP at 0x%x, kernel lists %d tables" % (rsdp[0][1], len(ktables))
    checks.run("acpi-rsdp", c_rsdp)

    def c_tables_match():
        need_fw()
        ftables = hq.parse_fw_acpi(fw)
        if not ftables:
            raise Fail("firmware log has no 'acpi: <SIG> @ 0x<addr> len <n>' lines")
        if not ktables:
            raise Fail("the kernel listed no ACPI tables")
        bad = []
        notes = []
        matched = 0
        ksigs = {t[0] for t in ktables}
        frsdp = hq.parse_fw_rsdp(fw)
        if frsdp is not None:
            krsdp = [t[1] for t in ktables if t[0] == "RSDP"]
            if krsdp and krsdp[0] != frsdp:
                bad.append("RSDP: firmware put it at 0x%x, the kernel used 0x%x"
                           % (frsdp, krsdp[0]))
            elif krsdp:
                matched += 1
        for sig, addr, ln in ftables:
            if sig == "RSDT" and "XSDT" in ksigs and "RSDT" not in ksigs:
                # Linux follows the XSDT when the RSDP has one and never prints the RSDT
                notes.append("RSDT not listed by the kernel (it uses the XSDT)")
                continue
            same = [t for t in ktables if t[0] == sig and t[1] == addr]
            if not same:
                other = [t for t in ktables if t[0] == sig]
                bad.append("%s @ 0x%x len %d: kernel has no %s there%s" % (
                    sig, addr, ln, sig, (" (kernel: " + ", ".join(
                        "0x%x len %d" % (t[1], t[2]) for t in other) + ")") if other else ""))
            elif same[0][2] != ln:
                bad.append("%s @ 0x%x: firmware says len %d, kernel says len %d"
                           % (sig, addr, ln, same[0][2]))
            else:
                matched += 1
        if bad:
            raise Fail("%d firmware table(s) not seen by the kernel as built (%d match):\n%s"
                       % (len(bad), matched, "\n".join(bad)))
        extra = [t for t in ktables if t[0] != "RSDP" and
                 not any(t[0] == f[0] and t[1] == f[1] for f in ftables)]
        if extra:
            notes.append("not in the firmware log: " + ", ".join("%s@0x%x" % t[:2] for t in extra))
        return "%d tables match (address and length)%s" % (
            matched, "".join("; " + n for n in notes))
    checks.run("acpi-tables-match-firmware", c_tables_match)

    def c_acpi_errors():
        if not have_dmesg:
            need_report("dmesg")
        errs = hq.acpi_error_lines(dmesg)
        if errs:
            raise Fail("%d ACPI error/warning lines:\n%s" % (len(errs), "\n".join(errs[:20])))
        return None
    checks.run("acpi-no-errors", c_acpi_errors)

    def c_acpi_dump():
        need_report("acpi-list")
        listed = [l.split()[0] for l in g.sections["acpi-list"].split("\n") if l.strip()]
        if not listed:
            raise Fail("/sys/firmware/acpi/tables is empty")
        bad = []
        for n in listed:
            t = g.acpi.get(n)
            if t is None:
                bad.append("%s: no dump" % n)
            elif t["error"]:
                bad.append("%s: %s" % (n, t["error"]))
            elif not hq.acpi_checksum_ok(n, t["data"]):
                bad.append("%s: checksum byte wrong (sum 0x%02x)" % (n, sum(t["data"]) & 0xFF))
            elif len(t["data"]) >= 8 and not n.startswith("FACS") and \
                    int.from_bytes(t["data"][4:8], "little") != len(t["data"]):
                bad.append("%s: header length %d != %d bytes" % (
                    n, int.from_bytes(t["data"][4:8], "little"), len(t["data"])))
        if bad:
            raise Fail("\n".join(bad))
        return "%d tables rebuilt exactly, checksums ok: %s" % (len(listed), " ".join(listed))
    checks.run("acpi-tables-dump", c_acpi_dump)

    def c_iasl():
        need_report("acpi-list")
        iasl = shutil.which("iasl")
        if not iasl:
            raise Skip("iasl not installed (acpica-tools)")
        good = {n: t for n, t in g.acpi.items() if not t["error"]}
        if not good:
            raise Fail("no ACPI tables were dumped")
        res = hq.iasl_disassemble(good, os.path.join(log_dir, "acpi"), iasl)
        bad = ["%s: %s" % (n, out) for n, (ok, out) in sorted(res.items()) if not ok]
        if bad:
            raise Fail("iasl -d reported problems:\n" + "\n".join(bad))
        return "%d tables disassembled cleanly" % len(res)
    checks.run("acpi-iasl-disassemble", c_iasl)

    # -- CPUs -----------------------------------------------------------------
    def c_cpus():
        need_report("cpus")
        kv = dict(l.split(" ", 1) for l in g.sections["cpus"].split("\n") if " " in l)
        want_online = "0" if a.smp == 1 else "0-%d" % (a.smp - 1)
        problems = []
        if kv.get("online", "").strip() != want_online:
            problems.append("/sys/devices/system/cpu/online is %r, want %r"
                            % (kv.get("online"), want_online))
        if kv.get("processors", "").strip() != str(a.smp):
            problems.append("/proc/cpuinfo lists %s processors, want %d"
                            % (kv.get("processors"), a.smp))
        up = hq.smp_brought_up(dmesg)
        if up != a.smp:
            problems.append("kernel smpboot line says %s CPUs brought up, want %d" % (up, a.smp))
        if problems:
            raise Fail("\n".join(problems))
        return "%d online" % a.smp
    checks.run("cpus-online", c_cpus)

    # -- memory map -------------------------------------------------------------
    def c_e820():
        kern = hq.normalize_e820(hq.parse_kernel_e820(dmesg))
        if not kern:
            raise Fail("the kernel printed no BIOS-e820 lines")
        need_fw()
        fwe = hq.parse_fw_e820(fw)
        if not fwe:
            raise Fail("firmware log has no 'e820: [mem 0x...-0x...] <type>' lines")
        fwn = hq.normalize_e820(fwe)
        if fwn != kern:
            only_fw = [e for e in fwn if e not in kern]
            only_k = [e for e in kern if e not in fwn]
            raise Fail("e820 differs (sorted, adjacent same-type ranges merged)\n"
                       "firmware:\n%s\nkernel:\n%s\nonly in firmware:\n%s\nonly in kernel:\n%s"
                       % (hq.fmt_e820(fwn), hq.fmt_e820(kern),
                          hq.fmt_e820(only_fw), hq.fmt_e820(only_k)))
        return "%d ranges equal" % len(kern)
    checks.run("e820-matches-firmware", c_e820)

    def c_iomem():
        need_report("iomem", "ioports")
        problems = []
        for sname in ("iomem", "ioports"):
            root = hq.parse_iomem(g.sections[sname])
            if hq.count_resources(root) == 0:
                problems.append("/proc/%s is empty" % sname)
            problems += ["/proc/%s: %s" % (sname, p) for p in hq.resource_problems(root)]
        if problems:
            raise Fail("\n".join(problems[:30]))
        return None
    checks.run("iomem-no-overlap", c_iomem)

    def c_conflicts():
        if not have_dmesg:
            need_report("dmesg")
        lines = hq.resource_conflict_lines(dmesg)
        # A BAR the firmware refused on purpose (a bad pin) has its decode off and no
        # address: the kernel may try, and fail, to give it one. Only those lines pass.
        for u in a.unplaced:
            bdf, bar = u.split("/bar")
            lines = [l for l in lines if "%s: BAR %s" % (bdf, bar) not in l]
        if a.unplaced:
            lines = [l for l in lines if "Some PCI device resources are unassigned" not in l]
        if lines:
            raise Fail("%d resource conflict lines in dmesg:\n%s"
                       % (len(lines), "\n".join(lines[:20])))
        return None
    checks.run("dmesg-no-resource-conflicts", c_conflicts)

    # -- PCI --------------------------------------------------------------------
    pci = hq.parse_pci(g.sections.get("pci", ""))

    def c_pci():
        need_report("pci")
        if not pci:
            raise Fail("the kernel found no PCI devices")
        hb = pci.get("0000:00:00.0")
        want = HOST_BRIDGE[a.machine]
        if not hb or (hb.get("vendor"), hb.get("device")) != want:
            raise Fail("00:00.0 is %s, want host bridge %04x:%04x" % (
                "missing" if not hb else "%04x:%04x" % (hb.get("vendor"), hb.get("device")),
                want[0], want[1]))
        problems = []
        enum = hq.parse_enum_bars(dmesg)
        if not enum:
            problems.append("no BAR enumeration lines ('pci BDF: BAR n [mem ...]') in dmesg")
        unplaced = set(a.unplaced)
        for bdf, idx, kind, start, end in enum:
            if "%s/bar%d" % (bdf, idx) in unplaced:
                continue
            if start == 0:
                problems.append("%s BAR%d (%s, %d bytes): the firmware left it at 0"
                                % (bdf, idx, kind, end - start + 1))
        for bdf, d in sorted(pci.items()):
            have = {i: (s, e, f) for i, s, e, f in d["resources"] if i <= 5}
            for ebdf, idx, kind, start, end in enum:
                if ebdf != bdf or "%s/bar%d" % (bdf, idx) in unplaced:
                    continue
                r = have.get(idx)
                # IORESOURCE_UNSET 0x20000000 / DISABLED 0x10000000
                if r is None or r[0] == 0 or r[2] & 0x30000000:
                    problems.append("%s BAR%d (%s, %d bytes) has no address after boot"
                                    % (bdf, idx, kind, end - start + 1))
        missing = [u for u in unplaced if not any("%s/bar%d" % (e[0], e[1]) == u for e in enum)]
        if missing:
            problems.append("no enumeration line for the BAR(s) expected unplaced: "
                            + ", ".join(sorted(missing)))
        if problems:
            raise Fail("\n".join(problems))
        return "%d devices, %d BARs placed by the firmware%s" % (
            len(pci), len(enum) - len(unplaced),
            ("; not judged here (refused pins): " + ", ".join(sorted(unplaced))) if unplaced else "")
    checks.run("pci-devices", c_pci)

    def c_ecam():
        need_report("pci")
        if a.machine != "q35":
            raise Skip("i440FX (pc) has no ECAM")
        if "PCI: MMCONFIG for domain" not in dmesg:
            raise Fail("the kernel found no MMCONFIG area (MCFG table missing or rejected)")
        pcie = {b: d for b, d in pci.items() if (d.get("vendor"), d.get("device")) in PCIE_DEVICES}
        if not pcie:
            raise Skip("no PCIe device to read extended config space from "
                       "(--no-default-devices?)")
        small = ["%s (%s bytes)" % (b, d.get("config_size")) for b, d in sorted(pcie.items())
                 if d.get("config_size") != 4096]
        if small:
            raise Fail("extended config space not readable through ECAM for:\n"
                       + "\n".join(small))
        return "MMCONFIG in use; %d PCIe device(s) have 4096-byte config space" % len(pcie)
    checks.run("pci-ecam", c_ecam)

    if extra_checks:
        extra_checks(Context(a=a, name=name, rom=rom, log_dir=log_dir, run=r, guest=g,
                             fw=fw, dmesg=dmesg, have_dmesg=have_dmesg, pci=pci,
                             need_report=need_report, need_fw=need_fw, logs_tail=logs_tail),
                     checks)
    rc = checks.finish()
    return rc


class Context:
    """What extra_checks gets: the parsed arguments (a), test name, ROM (None on
    SeaBIOS), log directory, RunResult (run), GuestReport (guest), firmware
    lines (fw), kernel log (dmesg), parsed pci section (pci), and the helpers
    need_report(*sections), need_fw() and logs_tail()."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


if __name__ == "__main__":
    sys.exit(main())
