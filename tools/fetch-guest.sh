#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# fetch-guest.sh BUILD_DIR
#
# Puts the system-test guest into BUILD_DIR/guest/:
#   vmlinuz-<version>     Debian's kernel (the package linux-image-amd64 depends on),
#   vmlinuz               symlink to it,
#   initramfs.cpio.gz     busybox + tests/system/guest-init.sh as /init (built here, never committed).
# The kernel .deb is fetched with `apt-get download` once; nothing happens when the
# vmlinuz is already there. The initramfs is rebuilt when it is missing or older than
# its inputs (the init script, the cpio writer, busybox).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$1
GUEST="$BUILD/guest"
mkdir -p "$GUEST"
GUEST=$(cd "$GUEST" && pwd)

# --- kernel ---------------------------------------------------------------
kernel=""
for k in "$GUEST"/vmlinuz-*; do
  [ -f "$k" ] && kernel=$k
done

if [ -z "$kernel" ]; then
  pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
        sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n1)
  if [ -z "$pkg" ]; then
    # the package lists may be empty on a fresh machine
    if [ "$(id -u)" -eq 0 ]; then apt-get update -qq >/dev/null; else sudo apt-get update -qq >/dev/null; fi
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
          sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n1)
  fi
  if [ -z "$pkg" ]; then
    echo "fetch-guest: cannot resolve the kernel package behind linux-image-amd64" >&2
    exit 1
  fi
  echo "fetch-guest: downloading $pkg" >&2
  dl=$(mktemp -d "$GUEST/dl.XXXXXX")
  trap 'rm -rf "$dl"' EXIT
  # apt-get download writes into the current directory; as root it drops to the
  # _apt user, which must be able to write there.
  chmod 0777 "$dl"
  (cd "$dl" && apt-get download -qq "$pkg" >/dev/null)
  deb=$(ls "$dl"/"$pkg"_*.deb | head -n1)
  mkdir -p "$dl/x"
  dpkg-deb -x "$deb" "$dl/x"
  src=$(ls "$dl"/x/boot/vmlinuz-* | head -n1)
  cp "$src" "$GUEST/"
  kernel="$GUEST/$(basename "$src")"
  rm -rf "$dl"
  trap - EXIT
fi
ln -sfn "$(basename "$kernel")" "$GUEST/vmlinuz"

# --- initramfs ------------------------------------------------------------
BUSYBOX=/bin/busybox
if ! file_is_static=$(LC_ALL=C readelf -l "$BUSYBOX" 2>/dev/null) ||
   printf '%s' "$file_is_static" | grep -q 'INTERP'; then
  echo "fetch-guest: $BUSYBOX is not a static busybox (install busybox-static)" >&2
  exit 1
fi
INIT="$SRC/tests/system/guest-init.sh"
MK="$SRC/tests/system/mkinitramfs.py"
OUT="$GUEST/initramfs.cpio.gz"
if [ ! -s "$OUT" ] || [ "$INIT" -nt "$OUT" ] || [ "$MK" -nt "$OUT" ] || [ "$BUSYBOX" -nt "$OUT" ]; then
  python3 "$MK" "$BUSYBOX" "$INIT" "$OUT"
fi

echo "fetch-guest: kernel $(basename "$kernel"), initramfs $(stat -c %s "$OUT") bytes in $GUEST" >&2
