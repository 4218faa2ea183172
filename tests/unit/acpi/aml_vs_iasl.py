#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compare the AML writer with iasl: usage aml_vs_iasl.py AML_CASES IASL WORKDIR

For every case of the aml-cases program, compile its ASL snippet inside an
SSDT with iasl and require the AML body (after the 36-byte header) to equal
the writer's bytes exactly. Exits non-zero on any difference.
"""
import os
import subprocess
import sys


def run(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)


def main():
    cases_prog, iasl, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    names = run([cases_prog, 'list']).stdout.split()
    if not names:
        print('no cases')
        return 1
    failed = 0
    for name in names:
        asl = run([cases_prog, 'asl', name]).stdout
        src = os.path.join(work, name + '.asl')
        with open(src, 'w') as f:
            f.write('DefinitionBlock ("", "SSDT", 2, "HVMFW", "CASE", 1)\n{\n%s}\n' % asl)
        res = run([iasl, '-vs', '-p', os.path.join(work, name), src])
        if res.returncode != 0:
            print('%s: iasl failed\n%s' % (name, res.stdout))
            failed += 1
            continue
        with open(os.path.join(work, name + '.aml'), 'rb') as f:
            want = f.read()[36:].hex().upper()
        res = run([cases_prog, 'aml', name])
        got = res.stdout.strip()
        if res.returncode != 0 or got != want:
            at = next((i for i in range(min(len(got), len(want))) if got[i] != want[i]),
                      min(len(got), len(want))) // 2
            print('%s: MISMATCH at byte %d\n  iasl:   %s\n  writer: %s' %
                  (name, at, want[:2 * at + 64], got[:2 * at + 64]))
            failed += 1
        else:
            print('%s: ok (%d bytes)' % (name, len(want) // 2))
    print('%d of %d cases differ' % (failed, len(names)))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
