#!/bin/busybox sh
# SPDX-License-Identifier: MIT
#
# /init of the Xen test bed's guest initramfs: the system tests' initramfs
# (tools/fetch-guest.sh) with this script appended as /init and their
# guest-init.sh kept as /hvmfw-init. It looks for the passed-through edu
# device (1234:11e8), reads its ID register (offset 0, 0x010000ED) and its
# liveness register (offset 4 returns the bitwise NOT of what was written)
# through BAR0 as the firmware programmed it, prints one line
#   ===XENTB-EDU <bdf> bar0=<start> cmd=<command reg> id=<value> live=<value>===
# (or ===XENTB-EDU none===), then hands over to /hvmfw-init, which prints
# the usual report and powers off.
BB=/bin/busybox
$BB mkdir -p /proc /sys /dev
$BB mount -t proc proc /proc
$BB mount -t sysfs sysfs /sys
$BB mount -t devtmpfs devtmpfs /dev 2>/dev/null

found=""
for d in /sys/bus/pci/devices/*; do
  [ -e "$d/vendor" ] || continue
  [ "$($BB cat "$d/vendor")" = 0x1234 ] || continue
  [ "$($BB cat "$d/device")" = 0x11e8 ] || continue
  bdf=${d##*/}
  found=1
  # first line of "resource" is BAR0: start end flags
  read -r start end flags <"$d/resource"
  cmd=$($BB dd if="$d/config" bs=1 skip=4 count=2 2>/dev/null | $BB od -An -tx2 | $BB tr -d ' ')
  if [ "$((start))" -eq 0 ]; then
    echo "===XENTB-EDU $bdf bar0=$start cmd=0x$cmd id=unassigned live=unassigned==="
    continue
  fi
  id=$($BB devmem "$start" 32 2>&1)
  $BB devmem "$(printf '0x%x' $((start + 4)))" 32 0x12345678 2>/dev/null
  live=$($BB devmem "$(printf '0x%x' $((start + 4)))" 32 2>&1)
  echo "===XENTB-EDU $bdf bar0=$start cmd=0x$cmd id=$id live=$live==="
done
[ -n "$found" ] || echo "===XENTB-EDU none==="

$BB umount /dev 2>/dev/null
$BB umount /sys
$BB umount /proc
exec /hvmfw-init
