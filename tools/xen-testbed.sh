#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# xen-testbed.sh [BUILD_DIR] [GUEST,GUEST...]
#
# Runs hvmfw on real Xen 4.17 (Debian's packages) nested in QEMU (TCG), next to
# Debian's hvmloader, and prints the checks, a side-by-side comparison and the
# timings. Steps: host packages (tests/xen/setup-host.sh), hvmfw.elf (ninja),
# the guest (tools/fetch-guest.sh), the cached dom0 environment
# (tests/xen/build-env.sh, in BUILD_DIR/xen), then tests/xen/xen_testbed.py.
# BUILD_DIR defaults to ./build. Guests: hvmloader, hvmfw, hvmloader-edu,
# hvmfw-edu, hvmfw-bigbar, hvmloader-ovmf, hvmfw-ovmf (default: all).
# Logs: BUILD_DIR/xen/logs/. Needs root (debootstrap) the first time.
set -euo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build}
GUESTS=${2:-}

if [ "$(id -u)" -eq 0 ]; then
  bash "$SRC/tests/xen/setup-host.sh"
fi
if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" "$SRC"
fi
ninja -C "$BUILD" hvmfw.elf >/dev/null
bash "$SRC/tools/fetch-guest.sh" "$BUILD"
args=(--build "$BUILD" --firmware "$BUILD/hvmfw.elf")
[ -n "$GUESTS" ] && args+=(--guests "$GUESTS")
exec python3 "$SRC/tests/xen/xen_testbed.py" "${args[@]}"
