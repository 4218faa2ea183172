#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A fatal error is named and the guest stops: boot hvmfw.rom on QEMU's
'isapc' machine, which has no PCI host bridge at 00:00.0. hvmfw must print a
PANIC line naming the IDs it found and halt the vCPU (never spin, never run on).
"""
import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hvmfw_qemu as hq  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--rom", required=True)
ap.add_argument("--logs", required=True)
ap.add_argument("--timeout", type=float, default=60)
args = ap.parse_args()

os.makedirs(args.logs, exist_ok=True)
debugcon = os.path.join(args.logs, "debugcon.log")
monitor = os.path.join(args.logs, "monitor.sock")
for p in (debugcon, monitor):
    if os.path.exists(p):
        os.unlink(p)
# isapc defaults to a 486; hvmfw needs at least an i686 (every Xen or QEMU vCPU is one).
cmd = ["qemu-system-x86_64", "-machine", "isapc", "-cpu", "qemu64", "-accel", "tcg", "-m", "128",
       "-bios", args.rom, "-display", "none", "-nodefaults", "-no-reboot",
       "-debugcon", "file:" + debugcon, "-monitor", "unix:%s,server,nowait" % monitor]
print("$ " + " ".join(cmd))
q = subprocess.Popen(cmd)
failures = []
try:
    deadline = time.time() + args.timeout
    log = ""
    while time.time() < deadline and "PANIC: stopping" not in log:
        time.sleep(0.5)
        if os.path.exists(debugcon):
            log = open(debugcon, errors="replace").read()
        if q.poll() is not None:
            break
    print(log, end="")
    panic = [l for l in log.splitlines() if "PANIC:" in l]
    if not panic:
        failures.append("no PANIC line within %.0f s" % args.timeout)
    elif not any("unsupported chipset" in l and "ffff:ffff" in l for l in panic):
        failures.append("PANIC line does not name the IDs found at 00:00.0: %r" % panic[0])
    # The machine must be stopped: the vCPU halted (QEMU still up, isapc has no ACPI power-off).
    if q.poll() is None:
        time.sleep(1)
        if not hq.vcpu_halted(monitor):
            failures.append("vCPU not halted after the panic (no HLT=1 in the monitor's "
                            "register dump)")
finally:
    if q.poll() is None:
        q.kill()
    q.wait()

for f in failures:
    print("FAIL " + f)
if failures:
    sys.exit(1)
print("PASS panic names the chipset IDs and halts the vCPU")
