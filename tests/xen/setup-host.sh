#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Install the host packages the Xen test bed (tests/xen) needs, if missing:
#   debootstrap      builds the dom0 root file system from Debian's archive
#   e2fsprogs        mkfs.ext4 -d makes the disk image without loop mounts
#   qemu-system-x86  the outer QEMU that runs Xen nested (TCG)
#   busybox-static   the guest initramfs (tools/fetch-guest.sh)
#   cpio gzip        initramfs packing
# Idempotent: only dpkg-query runs when everything is there.
set -euo pipefail

PACKAGES=(debootstrap e2fsprogs qemu-system-x86 busybox-static cpio gzip)

missing=()
for p in "${PACKAGES[@]}"; do
  st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
  case "$st" in
    ii*) ;;
    *) missing+=("$p") ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "xen setup-host: missing packages (${missing[*]}) and not root (no sudo)" >&2
    exit 1
  fi
fi
echo "xen setup-host: installing ${missing[*]}" >&2
"${SUDO[@]}" apt-get update -qq >/dev/null
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "xen setup-host: done" >&2
