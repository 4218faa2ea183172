#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tools/test.sh [BUILD_DIR] [-- extra meson test args]
#
# Everything a fresh Debian 12 machine needs to run the whole test suite:
# install the Debian packages, configure and build with meson, fetch the guest
# kernel and build the initramfs, run every test suite, and print
#   tests: N passed, N failed, N skipped
# as the last line. Exit status is non-zero if anything failed or no test ran.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD=${1:-build}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift

bash tools/setup-deps.sh

if [ -f "$BUILD/build.ninja" ]; then
  meson setup --reconfigure "$BUILD" >/dev/null
else
  meson setup "$BUILD"
fi
ninja -C "$BUILD"

bash tools/fetch-guest.sh "$BUILD"

# Remove the old test log so a run that dies early is never summarized from
# an earlier run's results.
rm -f "$BUILD/meson-logs/testlog.json"
rc=0
meson test -C "$BUILD" --print-errorlogs "$@" || rc=$?

src=0
python3 tools/summarize-tests.py "$BUILD/meson-logs/testlog.json" || src=$?
if [ $rc -ne 0 ] || [ $src -ne 0 ]; then
  exit 1
fi
