#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tools/run-qemu.sh [pc|q35] [options] [-- extra QEMU arguments]
#
# Boot the Debian test guest under QEMU with build/hvmfw.rom as the firmware.
# COM1 (firmware log + guest console) is on this terminal; the guest's /init
# prints what it sees (kernel log, /proc/iomem, CPUs, PCI, ACPI tables) and
# powers off through ACPI, which ends QEMU. Ctrl-C stops QEMU at any time.
#
# options:
#   --build DIR     build directory (default: build) with hvmfw.rom and guest/
#   --rom FILE      firmware image (default: DIR/hvmfw.rom)
#   --seabios       no -bios: QEMU's own SeaBIOS boots the guest
#   --smp N         vCPUs (default 2)
#   -m MiB          guest RAM (default 512)
#   --append TEXT   kernel command line (default: console=ttyS0 panic=-1)
#
# The firmware's debugcon (port 0xE9) log goes to DIR/run-logs/debugcon.log.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD="$ROOT/build"
MACHINE=q35
ROM=""
SEABIOS=0
SMP=2
MEM=512
APPEND="console=ttyS0 panic=-1"
EXTRA=()

usage() { awk 'NR > 2 && /^#/ { sub(/^# ?/, ""); print; next } NR > 2 { exit }' "${BASH_SOURCE[0]}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    pc|q35) MACHINE=$1 ;;
    --build) BUILD=$2; shift ;;
    --rom) ROM=$2; shift ;;
    --seabios) SEABIOS=1 ;;
    --smp) SMP=$2; shift ;;
    -m) MEM=$2; shift ;;
    --append) APPEND=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "run-qemu: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

GUEST="$BUILD/guest"
KERNEL="$GUEST/vmlinuz"
INITRD="$GUEST/initramfs.cpio.gz"
if [ ! -e "$KERNEL" ] || [ ! -e "$INITRD" ]; then
  echo "run-qemu: no guest in $GUEST; run: tools/fetch-guest.sh $BUILD" >&2
  exit 1
fi

BIOS=()
if [ $SEABIOS -eq 0 ]; then
  ROM=${ROM:-$BUILD/hvmfw.rom}
  if [ ! -f "$ROM" ]; then
    echo "run-qemu: no firmware image $ROM (build with: ninja -C $BUILD), or use --seabios" >&2
    exit 1
  fi
  BIOS=(-bios "$ROM")
fi

LOGS="$BUILD/run-logs"
mkdir -p "$LOGS"
: > "$LOGS/debugcon.log"

case "$MACHINE" in
  pc) NIC=(-device e1000,romfile=,addr=0x3) ;;
  q35) NIC=(-device e1000e,romfile=,addr=0x3) ;;
esac

echo "run-qemu: $MACHINE, $SMP vCPU, $MEM MiB, firmware ${ROM:-SeaBIOS}; debugcon log: $LOGS/debugcon.log" >&2
set +e
qemu-system-x86_64 -machine "$MACHINE" -accel tcg -m "$MEM" -smp "$SMP" \
  -nodefaults -display none -vga none -no-reboot \
  "${BIOS[@]}" \
  -kernel "$KERNEL" -initrd "$INITRD" -append "$APPEND" \
  -chardev file,id=hvmfwdbg,path="$LOGS/debugcon.log" \
  -device isa-debugcon,iobase=0xe9,chardev=hvmfwdbg \
  -chardev stdio,id=com1,signal=on -serial chardev:com1 \
  "${NIC[@]}" "${EXTRA[@]}"
rc=$?
set -e
echo "run-qemu: QEMU exited with status $rc (0 = the guest powered off)" >&2
exit $rc
