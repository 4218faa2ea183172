#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Install every Debian package hvmfw needs to build and test, if it is missing,
# plus any package names given as arguments (tests/xen/setup-host.sh uses that).
# Idempotent and quiet: when everything is present it only runs dpkg-query and
# exits; `apt-get update` runs only when something has to be installed.
# Only Debian packages through apt; nothing else is downloaded.
set -euo pipefail

PACKAGES=(
  # build
  build-essential gcc-multilib meson ninja-build nasm python3 binutils
  # ACPI tables (iasl for AML, and disassembly in the system tests)
  acpica-tools
  # unit tests
  libcmocka-dev
  # system tests: emulator, its firmware (SeaBIOS for harness self-checks),
  # guest initramfs, guest kernel download/extraction
  qemu-system-x86 seabios busybox-static cpio gzip dpkg apt
  # independent decoder for the SMBIOS tables
  dmidecode
  # the sanitizer build of the host tests and the libFuzzer targets
  clang libclang-rt-14-dev
  # hostile-input tests replace what fw_cfg returns through QEMU's gdbstub
  gdb
  # hvmfw-pin (dom0 tool): libxenstore and libxenctrl
  libxen-dev
  # the nested Xen test bed: dom0's root file system from Debian's archive,
  # made into an ext4 image without loop mounts
  debootstrap e2fsprogs
)
PACKAGES+=("$@")

missing=()
for p in "${PACKAGES[@]}"; do
  st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
  case "$st" in
    ii*) ;;
    *) missing+=("$p") ;;
  esac
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "setup-deps: missing packages (${missing[*]}) and not root (no sudo)" >&2
    exit 1
  fi
fi

echo "setup-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq >/dev/null
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup-deps: done" >&2
