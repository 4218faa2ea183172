#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Wrap the flat hvmfw image and the reset stub into a QEMU -bios ROM.

Layout: [payload][0xFF padding][4 KiB reset block]. The ROM is a multiple of
64 KiB (QEMU refuses anything else) and is mapped to end at 4 GiB.
"""
import struct
import sys

STUB_SIZE = 4096
GRANULE = 64 * 1024


def main(payload_path, stub_path, out_path):
    payload = open(payload_path, "rb").read()
    stub = bytearray(open(stub_path, "rb").read())
    if len(stub) != STUB_SIZE:
        sys.exit(f"mkrom: reset stub is {len(stub)} bytes, expected {STUB_SIZE}")
    payload += b"\0" * (-len(payload) % 4)  # the stub copies dwords
    size = -(-(len(payload) + STUB_SIZE) // GRANULE) * GRANULE
    struct.pack_into("<II", stub, 0, (1 << 32) - size, len(payload))
    rom = payload + b"\xff" * (size - STUB_SIZE - len(payload)) + bytes(stub)
    assert len(rom) == size and size % GRANULE == 0
    open(out_path, "wb").write(rom)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: mkrom.py PAYLOAD.bin RESET.bin OUT.rom")
    main(*sys.argv[1:])
