#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# build-env.sh BUILD_DIR
#
# Builds the Xen test bed's environment from Debian packages only, cached in
# BUILD_DIR/xen/:
#   rootfs.img     ext4 dom0 root file system (debootstrap minbase bookworm + Xen 4.17,
#                  qemu-system-xen, SeaBIOS, OVMF, busybox, kmod, iproute2), made with
#                  mkfs.ext4 -d (no loop mount); booted with snapshot=on, never written
#   xen.elf        /boot/xen-4.17-amd64.gz gunzipped (32-bit multiboot ELF)
#   vmlinuz initrd.img   the dom0 kernel and its initramfs
#   env.stamp      hash of the recipe (this script + dom0/xentb-init)
# Nothing is done when env.stamp matches. Exit status: 0 ready, 1 failed
# (the reason is on stderr and in BUILD_DIR/xen/build-env.log).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$1/xen"
OUT=$(cd "$1/xen" && pwd)
MIRROR=${XENTB_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
IMG_SIZE=${XENTB_IMG_SIZE:-3G}
DOM0_PACKAGES="linux-image-amd64 initramfs-tools xen-hypervisor-4.17-amd64 xen-utils-4.17
  xen-utils-common qemu-system-xen seabios ovmf busybox kmod iproute2 procps"

recipe_hash() {
  cat "$HERE/build-env.sh" "$HERE/dom0/xentb-init" | sha256sum | cut -d' ' -f1
}
HASH=$(recipe_hash)
STAMP="$OUT/env.stamp"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$HASH" ] &&
   [ -s "$OUT/rootfs.img" ] && [ -s "$OUT/xen.elf" ] && [ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initrd.img" ]; then
  echo "xen build-env: cached environment is current ($OUT)" >&2
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "xen build-env: debootstrap needs root" >&2
  exit 1
fi
for t in debootstrap mkfs.ext4 qemu-system-x86_64; do
  if ! command -v "$t" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$t" ]; then
    echo "xen build-env: $t missing (run tests/xen/setup-host.sh)" >&2
    exit 1
  fi
done
export PATH=$PATH:/usr/sbin:/sbin

LOG="$OUT/build-env.log"
: >"$LOG"
rm -f "$STAMP"
ROOT="$OUT/rootfs"
MOUNTED=""
cleanup() {
  for m in $MOUNTED; do umount -l "$m" 2>/dev/null || true; done
}
trap cleanup EXIT

step() { echo "xen build-env: $* ($(date +%T))" | tee -a "$LOG" >&2; }
t0=$(date +%s)

# A root file system left over from a failed or older build is discarded.
if [ -d "$ROOT" ]; then
  for m in proc sys dev/pts dev; do umount -l "$ROOT/$m" 2>/dev/null || true; done
  rm -rf "$ROOT"
fi

step "debootstrap --variant=minbase $SUITE"
if ! debootstrap --variant=minbase "$SUITE" "$ROOT" "$MIRROR" >>"$LOG" 2>&1; then
  echo "xen build-env: debootstrap failed; tail of $LOG:" >&2
  tail -n 15 "$LOG" >&2
  exit 1
fi

# apt inside the chroot: same tolerance for old snapshots as the host; no
# services started by package scripts
cat >"$ROOT/etc/apt/apt.conf.d/99xentb" <<'CONF'
Acquire::Check-Valid-Until "false";
APT::Install-Recommends "false";
APT::Install-Suggests "false";
CONF
printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
# dom0's initramfs only needs to mount /dev/vda: a short module list makes it
# much quicker to build (MODULES=most copies hundreds of modules) and to load
mkdir -p "$ROOT/etc/initramfs-tools/conf.d"
echo MODULES=list >"$ROOT/etc/initramfs-tools/conf.d/xentb"
printf '%s\n' virtio_pci virtio_blk ext4 crc32c_generic >>"$ROOT/etc/initramfs-tools/modules"
chmod +x "$ROOT/usr/sbin/policy-rc.d"
mount -t proc proc "$ROOT/proc"; MOUNTED="$ROOT/proc $MOUNTED"

step "apt-get install in the dom0 root"
# shellcheck disable=SC2086
if ! chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive LC_ALL=C \
     apt-get install -y -q $DOM0_PACKAGES >>"$LOG" 2>&1; then
  echo "xen build-env: apt-get install in the chroot failed; tail of $LOG:" >&2
  tail -n 15 "$LOG" >&2
  exit 1
fi
umount "$ROOT/proc"; MOUNTED=""
rm -f "$ROOT/usr/sbin/policy-rc.d"

step "configuring the dom0 root"
install -m 0755 "$HERE/dom0/xentb-init" "$ROOT/sbin/xentb-init"
echo xentb-dom0 >"$ROOT/etc/hostname"
printf '/dev/vda / ext4 rw 0 1\n' >"$ROOT/etc/fstab"
# dom0 has a fixed dom0_mem: no ballooning when guests are created
if [ -f "$ROOT/etc/xen/xl.conf" ]; then
  sed -i 's/^#\?autoballoon=.*/autoballoon="off"/' "$ROOT/etc/xen/xl.conf"
  grep -q '^autoballoon=' "$ROOT/etc/xen/xl.conf" || echo 'autoballoon="off"' >>"$ROOT/etc/xen/xl.conf"
fi
# the image is read-only in effect (snapshot=on): keep it small
rm -rf "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/lib/apt/lists/*_Packages \
       "$ROOT"/usr/share/doc "$ROOT"/usr/share/man "$ROOT"/usr/share/locale

step "extracting Xen, the dom0 kernel and initrd"
xengz=$(ls "$ROOT"/boot/xen-4.17*-amd64.gz 2>/dev/null | head -n1 || true)
vmlinuz=$(ls "$ROOT"/boot/vmlinuz-* 2>/dev/null | sort -V | tail -n1 || true)
initrd=$(ls "$ROOT"/boot/initrd.img-* 2>/dev/null | sort -V | tail -n1 || true)
if [ -z "$xengz" ] || [ -z "$vmlinuz" ] || [ -z "$initrd" ]; then
  echo "xen build-env: missing in /boot: xen=${xengz:-none} vmlinuz=${vmlinuz:-none} initrd=${initrd:-none}" >&2
  ls -l "$ROOT/boot" >&2 || true
  exit 1
fi
gunzip -c "$xengz" >"$OUT/xen.elf.tmp" && mv "$OUT/xen.elf.tmp" "$OUT/xen.elf"
cp "$vmlinuz" "$OUT/vmlinuz"
cp "$initrd" "$OUT/initrd.img"
{
  echo "xen $(basename "$xengz")"
  echo "kernel $(basename "$vmlinuz")"
  chroot "$ROOT" dpkg-query -W -f='${Package} ${Version}\n' \
    xen-hypervisor-4.17-amd64 xen-utils-4.17 qemu-system-xen seabios ovmf linux-image-amd64 busybox 2>/dev/null
} >"$OUT/versions.txt"

step "mkfs.ext4 -d ($IMG_SIZE)"
rm -f "$OUT/rootfs.img"
if ! mkfs.ext4 -q -F -L xentb-root -d "$ROOT" "$OUT/rootfs.img.tmp" "$IMG_SIZE" >>"$LOG" 2>&1; then
  echo "xen build-env: mkfs.ext4 -d failed; tail of $LOG:" >&2
  tail -n 5 "$LOG" >&2
  exit 1
fi
mv "$OUT/rootfs.img.tmp" "$OUT/rootfs.img"
rm -rf "$ROOT"
echo "$HASH" >"$STAMP"
step "done in $(( $(date +%s) - t0 )) s: $(du -h --apparent-size "$OUT/rootfs.img" | cut -f1) image (sparse $(du -h "$OUT/rootfs.img" | cut -f1))"
