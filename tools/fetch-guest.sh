#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# fetch-guest.sh BUILD_DIR
#
# Puts the system-test guest into BUILD_DIR/guest/:
#   vmlinuz-<version>     Debian's kernel (the package linux-image-amd64 depends on),
#   vmlinuz               symlink to it,
#   initramfs.cpio.gz     busybox + tests/system/guest-init.sh as /init (built here, never committed).
#   modules/              NIC driver modules (e1000, e1000e) from the same kernel package and
#                         modules/order (load order, dependencies first); packed into the
#                         initramfs as /modules/, loaded only when the kernel command line
#                         says hvmfw.insmod=NAME[,NAME...] (tests/system/guest-init.sh).
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
  kdeb=$deb     # the modules below come from the same package; $dl goes at exit
fi
ln -sfn "$(basename "$kernel")" "$GUEST/vmlinuz"

# --- NIC driver modules ---------------------------------------------------
# From the package of the kernel above (its version is in the file name), so
# they load into it; fetched once, like the kernel. Their dependencies (none
# on Debian's build, ptp is built in) are pulled from the same package.
GUEST_MODULES="e1000 e1000e"
MODS="$GUEST/modules"
kver=${kernel##*/vmlinuz-}
if [ ! -s "$MODS/order" ] || [ "$(cat "$MODS/kernel" 2>/dev/null)" != "$kver" ]; then
  pkg="linux-image-$kver"
  if [ -z "${kdeb:-}" ]; then
    echo "fetch-guest: downloading $pkg for its modules ($GUEST_MODULES)" >&2
    dl=$(mktemp -d "$GUEST/dl.XXXXXX")
    trap 'rm -rf "$dl"' EXIT
    chmod 0777 "$dl"
    if ! (cd "$dl" && apt-get download -qq "$pkg" >/dev/null); then
      if [ "$(id -u)" -eq 0 ]; then apt-get update -qq >/dev/null; else sudo apt-get update -qq >/dev/null; fi
      (cd "$dl" && apt-get download -qq "$pkg" >/dev/null)
    fi
    kdeb=$(ls "$dl"/"$pkg"_*.deb | head -n1)
  fi
  mkdir -p "$dl/m"
  dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$dl/m" --wildcards './lib/modules/*'
  rm -rf "$MODS"
  mkdir -p "$MODS"
  python3 - "$dl/m/lib/modules/$kver" "$MODS" $GUEST_MODULES <<'PY'
import lzma, os, re, sys
tree, out, wanted = sys.argv[1], sys.argv[2], sys.argv[3:]
files = {}
for root, _, names in os.walk(tree):
    for n in names:
        m = re.match(r"(.+)\.ko(\.xz)?$", n)
        if m:
            files[m.group(1).replace("-", "_")] = os.path.join(root, n)
order = []
def add(name, path=()):
    name = name.replace("-", "_")
    if name in [n for n, _ in order]:
        return
    if name in path or name not in files:
        sys.exit("fetch-guest: module %s not in the kernel package" % name)
    src = files[name]
    data = lzma.open(src).read() if src.endswith(".xz") else open(src, "rb").read()
    deps = re.search(rb"(?:^|\0)depends=([^\0]*)", data)
    for d in (deps.group(1).decode().split(",") if deps else []):
        if d:
            add(d, path + (name,))
    with open(os.path.join(out, name + ".ko"), "wb") as f:
        f.write(data)
    order.append((name, [d for d in (deps.group(1).decode().split(",") if deps else []) if d]))
for w in wanted:
    add(w)
# one line per module, after its dependencies: "name [dependency ...]"
with open(os.path.join(out, "order"), "w") as f:
    f.write("".join(" ".join([n] + d) + "\n" for n, d in order))
PY
  echo "$kver" > "$MODS/kernel"
  rm -rf "$dl"
  trap - EXIT
fi

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
if [ ! -s "$OUT" ] || [ "$INIT" -nt "$OUT" ] || [ "$MK" -nt "$OUT" ] || [ "$BUSYBOX" -nt "$OUT" ] ||
   [ "$MODS/order" -nt "$OUT" ]; then
  python3 "$MK" "$BUSYBOX" "$INIT" "$OUT" --modules "$MODS"
fi

echo "fetch-guest: kernel $(basename "$kernel"), initramfs $(stat -c %s "$OUT") bytes in $GUEST" >&2
