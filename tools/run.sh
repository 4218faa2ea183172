#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tools/run.sh [pc|q35] [run-qemu.sh options]
#
# From a fresh Debian 12 machine to a booted guest: install the packages,
# build hvmfw, fetch the Debian kernel and the test initramfs, then boot it
# under QEMU (q35 by default) with build/hvmfw.rom as the firmware.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD=${HVMFW_BUILD:-build}

bash tools/setup-deps.sh
if [ -f "$BUILD/build.ninja" ]; then
  meson setup --reconfigure "$BUILD" >/dev/null
else
  meson setup "$BUILD" >/dev/null
fi
ninja -C "$BUILD"
bash tools/fetch-guest.sh "$BUILD"

if [ $# -eq 0 ]; then
  set -- q35
fi
exec bash tools/run-qemu.sh --build "$BUILD" "$@"
