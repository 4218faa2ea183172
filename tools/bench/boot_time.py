#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Time to kernel: hvmfw against SeaBIOS and qboot on QEMU (TCG).

For each firmware and machine, boot Debian's kernel (BUILD/guest) N times and
measure, from QEMU's start, the wall time until the kernel's first console
line ("Linux version") and until the guest's init runs. Also reports hvmfw's
own config-space access count from its log. Prints a table; no assertions
(speed is measured here, never asserted in tests).

  tools/bench/boot_time.py [--build build] [--runs 3] [--machines pc,q35]
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time

FIRMWARES = {
    "hvmfw": None,  # filled from --build
    "seabios": "/usr/share/seabios/bios-256k.bin",
    "qboot": "/usr/share/qemu/qboot.rom",
}


def one_boot(machine, rom, kernel, initrd, timeout=120):
    with tempfile.TemporaryDirectory() as d:
        serial, debugcon = os.path.join(d, "serial"), os.path.join(d, "debugcon")
        cmd = ["qemu-system-x86_64", "-machine", machine, "-accel", "tcg", "-m", "512",
               "-display", "none", "-vga", "none", "-nodefaults", "-no-reboot",
               "-bios", rom, "-kernel", kernel, "-initrd", initrd,
               "-append", "console=ttyS0 panic=-1",
               "-serial", "file:" + serial, "-debugcon", "file:" + debugcon]
        t0 = time.monotonic()
        q = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t_kernel = t_init = None
        while time.monotonic() - t0 < timeout and q.poll() is None:
            time.sleep(0.05)
            try:
                text = open(serial, errors="replace").read()
            except FileNotFoundError:
                continue
            now = time.monotonic() - t0
            if t_kernel is None and "Linux version" in text:
                t_kernel = now
            if "===HVMFW-" in text:
                t_init = now
                break
        q.kill()
        q.wait()
        fw = open(debugcon, errors="replace").read() if os.path.exists(debugcon) else ""
        accesses = None
        for line in fw.splitlines():
            if "config accesses" in line:
                accesses = int(line.split("config accesses")[0].split(";")[-1].strip())
        return t_kernel, t_init, accesses


def fmt(v):
    return "%6.2f" % v if v is not None else "     -"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--machines", default="pc,q35")
    args = ap.parse_args()
    FIRMWARES["hvmfw"] = os.path.join(args.build, "hvmfw.rom")
    guest = os.path.join(args.build, "guest")
    kernel, initrd = os.path.join(guest, "vmlinuz"), os.path.join(guest, "initramfs.cpio.gz")
    if not os.path.exists(kernel):
        raise SystemExit("no guest in %s: run tools/fetch-guest.sh %s" % (guest, args.build))
    print("%-8s %-5s %12s %12s %10s" % ("firmware", "mach", "to kernel s", "to init s", "cfg acc"))
    for machine in args.machines.split(","):
        for name, rom in FIRMWARES.items():
            if not os.path.exists(rom):
                print("%-8s %-5s (missing %s)" % (name, machine, rom))
                continue
            runs = [one_boot(machine, rom, kernel, initrd) for _ in range(args.runs)]
            tk = [r[0] for r in runs if r[0] is not None]
            ti = [r[1] for r in runs if r[1] is not None]
            acc = runs[-1][2]
            print("%-8s %-5s %12s %12s %10s" % (
                name, machine, fmt(statistics.median(tk) if tk else None),
                fmt(statistics.median(ti) if ti else None), acc if acc is not None else "-"))


if __name__ == "__main__":
    main()
