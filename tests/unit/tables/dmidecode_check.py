#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Decode hvmfw's SMBIOS with dmidecode, an independent reader.

usage: dmidecode_check.py TABLES_DUMP DMIDECODE OUTDIR
Fails on any complaint dmidecode prints and on missing expected values;
exits 77 (skipped) when dmidecode is not installed. Each entry point is
checked on the plain table and on one with passed-through structures.
"""
import os
import re
import subprocess
import sys

NCPUS = 3
COMPLAINT = re.compile(r"invalid|bad|wrong|out of spec|truncated|corrupt", re.I)
EXPECT = [
    "Vendor: hvmfw",
    "Version: 0.1.0",
    "Release Date: 11/25/2026",
    "Manufacturer: hvmfw",
    "Product Name: Virtual Machine",
    "UUID: 5a1f0c2e-4471-4b8e-9d10-223344556677",
    "Serial Number: 5a1f0c2e-4471-4b8e-9d10-223344556677",
    "Wake-up Type: Power Switch",
    "ACPI is supported",
    "System is a virtual machine",
    "Targeted content distribution is supported",
    "Status: Populated, Enabled",
    "Max Speed: 2400 MHz",
    "Number Of Devices: 3",
    "Size: 16 GB",
    "Ending Address: 0x0000009FBFF",
    "Starting Address: 0x00000100000",
    # Extended (64-bit) type 19 fields; dmidecode 3.4 prints them with a "k".
    "Starting Address: 0x0000040000000000k",
    "Ending Address: 0x000004003FFFFFFFk",
    "Range Size: 1 GB",
    "Status: No errors detected",
    "End Of Table",
]
# hvmfw's type 1, which the pass-through table replaces.
TYPE1 = [
    "Product Name: Virtual Machine",
    "UUID: 5a1f0c2e-4471-4b8e-9d10-223344556677",
    "Serial Number: 5a1f0c2e-4471-4b8e-9d10-223344556677",
]
# What tables-dump's -pt kinds pass through, and the default battery.
EXPECT_PT = [l for l in EXPECT if l not in TYPE1] + [
    "Manufacturer: Passed Inc",
    "Product Name: PT Product",
    "Serial Number: PT-SERIAL",
    "Base Board Information",
    "Manufacturer: Board Co",
    "Chassis Handle: 0x0003",
    "OEM Strings",
    "String 1: oem-a",
    "String 2: oem-b",
    "Handle 0x4000, DMI type 128, 8 bytes",
    "80 08 00 40 DE AD BE EF",
    "Portable Battery",
    "Name: Virtual Battery",
]
VARIANTS = [
    ("smbios3", "SMBIOS 3.0.0 present.", EXPECT),
    ("smbios2", "SMBIOS 2.8 present.", EXPECT),
    ("smbios3-pt", "SMBIOS 3.0.0 present.", EXPECT_PT),
    ("smbios2-pt", "SMBIOS 2.8 present.", EXPECT_PT),
]


def main():
    tool, dmidecode, outdir = sys.argv[1:4]
    if not dmidecode or not os.access(dmidecode, os.X_OK):
        print("dmidecode not installed (Debian package: dmidecode); skipping")
        return 77
    os.makedirs(outdir, exist_ok=True)
    failed = False
    for kind, banner, expect in VARIANTS:
        dump = os.path.join(outdir, kind + ".bin")
        subprocess.run([tool, kind, dump, str(NCPUS)], check=True)
        run = subprocess.run([dmidecode, "--from-dump", dump], capture_output=True, text=True)
        text = run.stdout + run.stderr
        with open(dump + ".txt", "w") as f:
            f.write(text)
        problems = []
        if run.returncode != 0:
            problems.append("exit status %d" % run.returncode)
        if run.stderr.strip():
            problems.append("stderr: " + run.stderr.strip())
        problems += ["complaint: " + l for l in text.splitlines() if COMPLAINT.search(l)]
        lines = [l.strip() for l in text.splitlines()]
        for want in [banner] + expect:
            if want not in lines:
                problems.append("missing line: " + want)
        ncpu = sum(1 for l in lines if l == "Processor Information")
        if ncpu != NCPUS:
            problems.append("%d Processor Information, want %d" % (ncpu, NCPUS))
        for p in problems:
            print("%s: %s" % (kind, p))
        failed |= bool(problems)
        print("%s: %s" % (kind, "ok" if not problems else "FAILED (see %s.txt)" % dump))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
