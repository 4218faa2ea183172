#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hostile input on QEMU (issue #12): every boot ends with the guest booted
or with one clean fatal line naming the input, never a hang (QEMU must exit
before the timeout: hvmfw powers the machine off after a PANIC).

  --scenario hostile-kernel  Debian's kernel with its setup header patched:
      kernel_alignment 0 and 3, init_size near 4 GiB, boot protocol 2.00
      (each refused by name), and pref_address above 4 GiB (the kernel
      must still boot, placed below 4 GiB);
  --scenario hostile-config  fw_cfg opt/org.hvmfw/ values hvmfw cannot
      use: each refused with one line naming the key, and the guest boots.

Logs: LOGS/<boot>/ (serial.log, debugcon.log, qemu-cmd.txt).
"""
import argparse
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hvmfw_qemu as hq  # noqa: E402

# Setup header offsets (the Linux x86 boot protocol).
HDR = {"version": (0x206, "<H"), "initrd_addr_max": (0x22C, "<I"),
       "kernel_alignment": (0x230, "<I"), "pref_address": (0x258, "<Q"),
       "init_size": (0x260, "<I")}


def patched_kernel(src, dst, **fields):
    data = bytearray(open(src, "rb").read())
    if data[0x202:0x206] != b"HdrS":
        raise hq.Fail("%s is not a bzImage" % src)
    for name, value in fields.items():
        off, fmt = HDR[name]
        struct.pack_into(fmt, data, off, value)
    with open(dst, "wb") as f:
        f.write(data)
    return dst


def kernel_boots():
    # (boot name, header fields, expected PANIC text or None: the guest boots)
    return [
        ("align-0", {"kernel_alignment": 0}, "kernel_alignment is 0"),
        ("align-3", {"kernel_alignment": 3}, "kernel_alignment 0x3 is not a power of two"),
        ("init-size", {"init_size": 0xFFFFF000}, "init_size 0xfffff000"),
        ("protocol-2.00", {"version": 0x0200}, "boot protocol 2.00 is too old"),
        ("pref-above-4g", {"pref_address": 0x100000000}, None),
    ]


# fw_cfg values hvmfw must refuse: (key, value, words the refusal must carry)
CONFIG = [
    ("pins", "zz:zz.z/bar9=0x1 00:1f.0/bar0=0x1001 00:03.0/bar7=0xf0000000",
     ["bad PCI address", "address is not 16-byte aligned", "BAR must be bar0..bar5 or rom"]),
    ("log-level", "loud", ["expected error, warn, info or debug"]),
    ("hole-min", "5\0junk", ["expected a 1 MiB-aligned address below 4 GiB"]),
]
LONG_KEY = ("pins", "A" * 2000, ["value longer than 1023 bytes"])


def boot(args, name, kernel, initrd, extra=(), timeout=None):
    r = hq.run_qemu(os.path.join(args.logs, name), "q35", 1, kernel, initrd, rom=args.rom,
                    extra=extra, timeout=timeout or args.timeout)
    print("--- %s: exit %s, %.1f s%s" % (name, r.returncode, r.elapsed,
                                          ", TIMED OUT" if r.timed_out else ""))
    return r


def fw_lines(r):
    return [l for l in (r.debugcon + "\n" + r.serial).splitlines() if "[hvmfw]" in l or
            "PANIC" in l]


def check_panic(failures, name, r, text):
    panic = [l for l in fw_lines(r) if "PANIC" in l]
    if r.timed_out:
        failures.append("%s: QEMU still running after %d s (a hang, not a clean stop)"
                        % (name, r.timeout))
    if not any(text in l for l in panic):
        failures.append("%s: no PANIC line with %r; PANIC lines: %r" % (name, text, panic))
    if "Linux version" in r.serial:
        failures.append("%s: the refused kernel ran" % name)


def check_booted(failures, name, r):
    if r.timed_out or "===HVMFW-END===" not in r.serial:
        failures.append("%s: the guest did not boot to the end of its init (exit %s%s); "
                        "serial tail:\n%s" % (name, r.returncode,
                                               ", timed out" if r.timed_out else "",
                                               hq.tail(r.serial)))
    panic = [l for l in fw_lines(r) if "PANIC" in l]
    if panic:
        failures.append("%s: unexpected PANIC: %r" % (name, panic))


def hostile_kernel(args, kernel, initrd, failures):
    os.makedirs(args.logs, exist_ok=True)
    for name, fields, text in kernel_boots():
        k = patched_kernel(kernel, os.path.join(args.logs, "bzImage-" + name), **fields)
        r = boot(args, name, k, initrd, timeout=args.timeout if text is None else 60)
        if text is None:
            check_booted(failures, name, r)
            placed = [l for l in fw_lines(r) if "linux: protocol" in l]
            if not placed:
                failures.append("%s: no 'linux: protocol ... at 0x...' line" % name)
            else:
                addr = int(placed[0].split(" at 0x")[1].split()[0], 16)
                if addr >= 1 << 32 or addr < 16 << 20:
                    failures.append("%s: kernel placed at 0x%x" % (name, addr))
        else:
            check_panic(failures, name, r, text)


def hostile_config(args, kernel, initrd, failures):
    os.makedirs(args.logs, exist_ok=True)
    extra = []
    for key, value, _ in CONFIG + [LONG_KEY]:
        path = os.path.join(args.logs, "value-" + key + ("-long" if len(value) > 1000 else ""))
        with open(path, "wb") as f:
            f.write(value.encode())
        if (key, value) != (LONG_KEY[0], LONG_KEY[1]):
            extra += ["-fw_cfg", "name=opt/org.hvmfw/%s,file=%s" % (key, path)]
    r = boot(args, "bad-values", kernel, initrd, extra=extra)
    check_booted(failures, "bad-values", r)
    lines = fw_lines(r)
    for key, value, words in CONFIG:
        refused = [l for l in lines if "config: refused %s" % key in l]
        for w in words:
            if not any(w in l for l in refused):
                failures.append("bad-values: no 'config: refused %s' line with %r; refusals: %r"
                                % (key, w, refused))
    # One value too long for hvmfw's buffer: refused by length, nothing else lost.
    path = os.path.join(args.logs, "value-pins-long")
    r = boot(args, "long-value", kernel, initrd,
             extra=["-fw_cfg", "name=opt/org.hvmfw/pins,file=" + path])
    check_booted(failures, "long-value", r)
    if not any("config: refused pins" in l and LONG_KEY[2][0] in l for l in fw_lines(r)):
        failures.append("long-value: the 2000-byte pins value was not refused by length")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", required=True, choices=["hostile-kernel", "hostile-config"])
    ap.add_argument("--rom", required=True)
    ap.add_argument("--guest", required=True)
    ap.add_argument("--logs", required=True)
    ap.add_argument("--timeout", type=float, default=150)
    args = ap.parse_args()
    g = hq.find_guest(args.guest)
    if not g:
        print("SKIP: no guest in %s (tools/fetch-guest.sh)" % args.guest)
        sys.exit(77)
    kernel, initrd = g
    failures = []
    try:
        if args.scenario == "hostile-kernel":
            hostile_kernel(args, kernel, initrd, failures)
        else:
            hostile_config(args, kernel, initrd, failures)
    except hq.Fail as e:
        failures.append(str(e))
    for f in failures:
        print("FAIL " + f)
    if failures:
        sys.exit(1)
    print("PASS %s" % args.scenario)


if __name__ == "__main__":
    main()
