#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""iasl must compile each DSDT source with no error, warning or remark.

usage: check_asl.py IASL WORKDIR FILE.asl [FILE.asl...]
No message id is disabled: any diagnostic line or a non-zero count fails.
"""
import os
import re
import subprocess
import sys

SUMMARY = re.compile(r'(\d+) Errors, (\d+) Warnings, (\d+) Remarks')


def main():
    iasl, work, sources = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(work, exist_ok=True)
    bad = 0
    for src in sources:
        base = os.path.join(work, os.path.splitext(os.path.basename(src))[0])
        res = subprocess.run([iasl, '-vs', '-p', base, src], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, universal_newlines=True)
        m = SUMMARY.search(res.stdout)
        diags = [l for l in res.stdout.splitlines()
                 if re.match(r'^(Error|Warning|Remark)\s+\d+', l)]
        clean = res.returncode == 0 and m and m.groups() == ('0', '0', '0') and not diags
        print('%s: %s' % (src, 'clean' if clean else 'NOT CLEAN'))
        if not clean:
            print(res.stdout)
            bad += 1
        elif not os.path.getsize(base + '.aml'):
            print('%s: empty AML' % src)
            bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
