#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Summarize meson's testlog.json as one closing line:

    tests: N passed, N failed, N skipped

Failed tests are listed (name, status, log hint) above it. Exit status 1 when
any test failed or none ran, else 0.

usage: summarize-tests.py [TESTLOG.json ...]

With several logs (the main build and the sanitizer build), every test
counts once per log; tests of the second and later logs are named
"<build dir>: <test>".
"""
import json
import sys

PASSED = {"OK", "EXPECTEDFAIL"}
SKIPPED = {"SKIP"}
# everything else (FAIL, TIMEOUT, ERROR, UNEXPECTEDPASS, INTERRUPT, ...) is a failure


def main(argv):
    paths = argv[1:] or ["build/meson-logs/testlog.json"]
    results = {}
    for k, path in enumerate(paths):
        # build/meson-logs/testlog.json -> "build"
        label = "" if k == 0 else path.split("/meson-logs/")[0].rstrip("/").split("/")[-1] + ": "
        try:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    line = line.strip()
                    if not line:
                        continue
                    try:
                        t = json.loads(line)
                    except ValueError:
                        continue
                    # a test repeated (--repeat, or appended logs) counts by its last result
                    results[label + t.get("name", "?")] = t.get("result", "ERROR")
        except OSError as e:
            print("summarize-tests: cannot read %s: %s" % (path, e), file=sys.stderr)
            results[label + "(" + path + ")"] = "ERROR"
    passed = sum(1 for r in results.values() if r in PASSED)
    skipped = sum(1 for r in results.values() if r in SKIPPED)
    failed = len(results) - passed - skipped
    for name, r in sorted(results.items()):
        if r not in PASSED and r not in SKIPPED:
            print("  %s: %s" % (name, r))
        elif r in SKIPPED:
            print("  %s: skipped" % name)
    if not results:
        print("summarize-tests: no test ran", file=sys.stderr)
    print("tests: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
