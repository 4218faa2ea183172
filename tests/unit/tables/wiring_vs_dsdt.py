#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""$PIR and the DSDT must agree: compare pir_pirq() with the PIC-mode _PRT.

usage: wiring_vs_dsdt.py TABLES_DUMP ACPI_SRC_DIR
"""
import os
import re
import subprocess
import sys

ENTRY = re.compile(r"Package\s*\(\)\s*\{\s*0x00([0-9A-Fa-f]{2})FFFF,\s*(\d),\s*LNK([A-H]),\s*0\s*\}")


def prt(path, section):
    text = open(path).read()
    if section:
        text = text[text.index("Name (%s" % section):]
        text = text[:text.index("})")]
    return {(int(s, 16), int(p)): ord(l) - ord("A") for s, p, l in ENTRY.findall(text)}


def main():
    tool, acpi = sys.argv[1:3]
    failed = False
    for router, asi, section in (("piix3", "i440fx-prt.asi", None), ("ich9", "q35-prt.asi", "PRTP")):
        want = prt(os.path.join(acpi, asi), section)
        out = subprocess.run([tool, "wiring", router], check=True, capture_output=True, text=True).stdout
        got = {(int(s), int(p)): int(q) for s, p, q in (l.split() for l in out.splitlines())}
        if len(want) < 64:
            print("%s: only %d _PRT entries parsed from %s" % (router, len(want), asi))
            failed = True
        for key, pirq in sorted(want.items()):
            if got.get(key) != pirq:
                print("%s: slot 0x%02x pin %d: _PRT says PIRQ%c, $PIR wiring PIRQ%c"
                      % (router, key[0], key[1], 65 + pirq, 65 + got.get(key, -65)))
                failed = True
        print("%s: %d _PRT entries checked" % (router, len(want)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
