#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tools/test.sh [BUILD_DIR] [-- extra meson test args]
#
# Everything a fresh Debian 12 machine needs to run the whole test suite:
# install the Debian packages, configure and build with meson, fetch the guest
# kernel and build the initramfs, run every test suite (and the host tests
# again under ASan/UBSan with short libFuzzer runs, in BUILD-san), and print
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

# The pure code again, built by clang under AddressSanitizer and
# UndefinedBehaviorSanitizer with libFuzzer (host code only, no image): the
# host unit tests, every fuzz target's replay, and a short libFuzzer run of
# each target (docs/testing.md, "Fuzzing").
SAN="$BUILD-san"
rm -f "$SAN/meson-logs/testlog.json"
if [ -f "$SAN/build.ninja" ]; then
  meson setup --reconfigure "$SAN" >/dev/null
else
  CC=clang meson setup "$SAN" -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
    >/dev/null
fi
if ninja -C "$SAN" >"$SAN.ninja.log" 2>&1; then
  meson test -C "$SAN" --print-errorlogs --no-suite system --no-suite xen || rc=$?
else
  tail -40 "$SAN.ninja.log"
  echo "test.sh: the sanitizer build ($SAN) failed"
  rc=1
fi

src=0
python3 tools/summarize-tests.py "$BUILD/meson-logs/testlog.json" \
  "$SAN/meson-logs/testlog.json" || src=$?
if [ $rc -ne 0 ] || [ $src -ne 0 ]; then
  exit 1
fi
