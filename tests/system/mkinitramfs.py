#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the hvmfw test initramfs: a gzip'd newc cpio holding a static busybox,
/init and the device node /dev/console (char 5:1).

The archive is written directly (no root, no mknod needed), with fixed
timestamps and owners so the same inputs give the same bytes.

With --modules DIR, the kernel modules DIR/*.ko and the load order DIR/order
(written by tools/fetch-guest.sh) go to /modules/; /init loads them only when
asked to (hvmfw.insmod= on the kernel command line).

usage: mkinitramfs.py BUSYBOX INIT_SCRIPT OUTPUT.cpio.gz [--modules DIR]
"""
import gzip
import os
import stat
import sys

S_DIR = stat.S_IFDIR | 0o755
S_REG_X = stat.S_IFREG | 0o755
S_CHR = stat.S_IFCHR | 0o600
S_LNK = stat.S_IFLNK | 0o777


class Newc:
    def __init__(self):
        self.out = bytearray()
        self.ino = 300

    def _pad4(self):
        while len(self.out) % 4:
            self.out.append(0)

    def add(self, name, mode, data=b"", rdev=(0, 0), nlink=1):
        self.ino += 1
        namez = name.encode() + b"\0"
        fields = [self.ino, mode, 0, 0, nlink, 0, len(data), 0, 0,
                  rdev[0], rdev[1], len(namez), 0]
        self.out += b"070701" + b"".join(b"%08X" % f for f in fields)
        self.out += namez
        self._pad4()
        self.out += data
        self._pad4()

    def finish(self):
        self.add("TRAILER!!!", 0, nlink=1)
        # pad the archive to a 512-byte multiple like cpio(1) does
        while len(self.out) % 512:
            self.out.append(0)
        return bytes(self.out)


def main(argv):
    modules = None
    if len(argv) == 6 and argv[4] == "--modules":
        modules = argv[5]
        argv = argv[:4]
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    busybox, init, output = argv[1:]
    with open(busybox, "rb") as f:
        bb = f.read()
    with open(init, "rb") as f:
        init_data = f.read()
    a = Newc()
    for d in ("bin", "sbin", "usr", "usr/bin", "usr/sbin", "dev", "proc", "sys", "tmp"):
        a.add(d, S_DIR, nlink=2)
    a.add("dev/console", S_CHR, rdev=(5, 1))
    a.add("dev/ttyS0", S_CHR, rdev=(4, 64))
    a.add("dev/null", stat.S_IFCHR | 0o666, rdev=(1, 3))
    a.add("bin/busybox", S_REG_X, bb)
    a.add("bin/sh", S_LNK, b"busybox")
    a.add("init", S_REG_X, init_data)
    if modules:
        a.add("modules", S_DIR, nlink=2)
        for n in sorted(os.listdir(modules)):
            if n == "order" or n.endswith(".ko"):
                with open(os.path.join(modules, n), "rb") as f:
                    a.add("modules/" + n, stat.S_IFREG | 0o644, f.read())
    tmp = output + ".tmp"
    with open(tmp, "wb") as f:
        # mtime=0 keeps the gzip header reproducible
        with gzip.GzipFile(filename="", fileobj=f, mode="wb", mtime=0, compresslevel=6) as g:
            g.write(a.finish())
    os.replace(tmp, output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
