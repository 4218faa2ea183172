#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Install the host packages the Xen test bed (tests/xen) needs, if missing:
#   debootstrap      builds the dom0 root file system from Debian's archive
#   e2fsprogs        mkfs.ext4 -d makes the disk image without loop mounts
#   qemu-system-x86  the outer QEMU that runs Xen nested (TCG)
#   busybox-static   the guest initramfs (tools/fetch-guest.sh)
#   cpio gzip        initramfs packing
# tools/setup-deps.sh does the installing (idempotent; apt-get only when missing).
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/../../tools/setup-deps.sh" \
  debootstrap e2fsprogs qemu-system-x86 busybox-static cpio gzip
