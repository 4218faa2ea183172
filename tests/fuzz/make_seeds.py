#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seed corpora of the fuzz targets: tests/fuzz/corpus/<target>/.

    python3 tests/fuzz/make_seeds.py [--out tests/fuzz/corpus]

Each seed is a small binary file in the byte layout its target decodes (the
comment at the top of fuzz_plan.c / fuzz_enum.c); the encoders below mirror
those decoders. The files are committed; rerun this after changing a
layout. Deterministic: the same files every time.
"""
import argparse
import os
import random
import struct

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30


def u8(v):
    return struct.pack('<B', v & 0xFF)


def u16(v):
    return struct.pack('<H', v & 0xFFFF)


def u32(v):
    return struct.pack('<I', v & 0xFFFFFFFF)


def u64(v):
    return struct.pack('<Q', v & 0xFFFFFFFFFFFFFFFF)


# ---------------------------------------------------------------- fuzz-plan
# size_val / addr_val selectors (fuzz_plan.c)

def size_pow2(shift):
    return u8(0) + u8(shift)


def size_bar(k):            # 4 KiB << k
    return u8(1) + u8(k)


def size_pages(n):          # n * 4 KiB, n >= 1
    return u8(2) + u16(n - 1)


def size_raw(v):
    return u8(3) + u64(v)


def size_zero():
    return u8(4)


def size_io(k):             # 16 << k
    return u8(5) + u8(k)


def size_mib(k):            # 1 MiB << k
    return u8(6) + u8(k)


def size_odd(i):            # table entry i
    return u8(7) + u8(i)


def addr_hole(pages):       # 0xE0000000 + pages * 4 KiB
    return u8(0) + u16(pages)


def addr_below4g(mib):      # 4 GiB - mib MiB
    return u8(1) + u16(mib)


def addr_high(gib):         # 4 GiB + gib GiB
    return u8(2) + u8(gib)


def addr_raw(v):
    return u8(3) + u64(v)


def addr_u32(v):
    return u8(4) + u32(v)


def addr_u16(v):
    return u8(5) + u16(v)


def addr_const(i):          # 0, 0xFEC00000, 0xFEE00000, 4G, 2^36, 2^52, ~0, ...
    return u8(6) + u8(i)


def addr_mib(v):
    return u8(7) + u16(v)


MEM32, MEM64, IO = 0, 1, 2
BAR, WINDOW, ROM, ECAM = 0, 1, 2, 3


def res(kind, size, role=BAR, align=None, pin=None, pref=False, parent=None, owner=0):
    """parent: None (root), ('win', n) n-th earlier window counting back,
    ('any', v), ('odd', v) as fuzz_plan.c decodes them."""
    pmode, psel = 0, b''
    if parent is not None:
        pmode = {'win': 1, 'any': 2, 'odd': 3}[parent[0]]
        psel = u8(parent[1])
    shape = kind | role << 2 | (pin is not None) << 4 | pref << 5 | pmode << 6
    out = u8(shape) + psel + size
    if align is None:
        out += u8(0)
    elif align == 'size':
        out += u8(1)
    else:
        out += u8(2) + align
    if pin is not None:
        out += u8(1) + pin          # aligned to what the resource asks
    return out + u16(owner)


def plan_input(ctl, ram, mem, io, limits=b''):
    out = u8(ctl) + u8(len(ram))
    for b, s in ram:
        out += b + s
    out += u8(len(mem))
    for b, s in mem:
        out += b + s
    out += u8(len(io))
    for b, s in io:
        out += u16(b) + u16(s)
    return out + limits


def plan_seeds():
    ram2g = [(addr_u32(0), size_mib(11))]
    ioapic = [(addr_const(1), size_pages(0x1400))]      # 0xFEC00000..4G
    io_rsv = [(0xAE00, 0x300), (0xCF8, 8)]
    base = plan_input(2, ram2g, ioapic, io_rsv)
    seeds = {}

    seeds['flat'] = base + u8(6) + b''.join([
        res(MEM32, size_bar(0), owner=0x0810),
        res(MEM32, size_mib(0), owner=0x0811),
        res(MEM64, size_mib(8), pref=True, owner=0x0812),
        res(IO, size_io(1), owner=0x0813),
        res(MEM32, size_bar(4), role=ROM, owner=0x0816),
        res(MEM32, size_mib(6), role=ECAM),
    ])

    # Windows: a 32-bit window holding BARs and a nested window, a 64-bit
    # prefetchable window, an I/O window.
    seeds['tree'] = base + u8(11) + b''.join([
        res(MEM32, size_zero(), role=WINDOW, owner=0x0808),            # 1
        res(MEM32, size_bar(2), parent=('win', 0), owner=0x1010),      # in 1
        res(MEM32, size_zero(), role=WINDOW, parent=('win', 0), owner=0x1808),  # 3 in 1
        res(MEM32, size_bar(0), parent=('win', 0), owner=0x2010),      # in 3
        res(MEM32, size_bar(6), role=ROM, parent=('win', 0), owner=0x2016),
        res(MEM64, size_zero(), role=WINDOW, pref=True, owner=0x0809),  # 6
        res(MEM64, size_mib(10), pref=True, parent=('win', 0), owner=0x1018),
        res(MEM64, size_mib(2), pref=True, parent=('win', 0), owner=0x101c),
        res(IO, size_zero(), role=WINDOW, owner=0x0807),                # 9
        res(IO, size_io(4), parent=('win', 0), owner=0x1014),
        res(MEM32, size_mib(6), role=ECAM),
    ])

    seeds['pins'] = base + u8(8) + b''.join([
        res(MEM32, size_bar(0), pin=addr_hole(0x1000), owner=0x0810),
        res(MEM32, size_mib(0), pin=addr_hole(0x2000), owner=0x0910),
        res(MEM64, size_mib(8), pref=True, pin=addr_high(60), owner=0x0a10),
        res(MEM32, size_bar(0), pin=addr_mib(256), owner=0x0b10),       # over RAM
        res(MEM32, size_bar(4), pin=addr_u32(0xE0001000), owner=0x0c10),
        res(IO, size_io(2), pin=addr_u16(0x2000), owner=0x0d10),
        res(MEM32, size_bar(1), owner=0x0e10),
        res(MEM32, size_zero(), role=WINDOW, owner=0x0f08),
    ])

    seeds['bad-links'] = base + u8(8) + b''.join([
        res(MEM32, size_zero(), role=WINDOW, owner=0x0808),
        res(MEM32, size_bar(0), parent=('odd', 0), owner=0x0810),      # itself
        res(MEM32, size_bar(0), parent=('odd', 1), owner=0x0910),      # the next one
        res(MEM32, size_zero(), role=WINDOW, parent=('odd', 1), owner=0x0a08),
        res(MEM32, size_zero(), role=WINDOW, parent=('any', 3), owner=0x0b08),  # cycle
        res(MEM32, size_bar(0), parent=('odd', 2), owner=0x0c10),      # non-window
        res(MEM32, size_bar(0), parent=('odd', 3), owner=0x0d10),      # far out
        res(IO, size_io(0), parent=('win', 1), owner=0x0e10),          # wrong space
    ])

    limits = (addr_u32(0xC0000000) + size_mib(9) + size_mib(8) + size_bar(0) +
              size_pow2(30) + size_zero() + u16(0x1000) + u8(0) + u8(40))
    seeds['limits'] = plan_input(7, ram2g + [(addr_high(0), size_pow2(32))], ioapic,
                                 io_rsv, limits) + u8(5) + b''.join([
        res(MEM32, size_mib(9), owner=0x0810),
        res(MEM32, size_mib(8), owner=0x0910),
        res(MEM64, size_pow2(40), owner=0x0a10),
        res(MEM32, size_mib(6), role=ECAM),
        res(IO, size_io(8), owner=0x0b10),
    ])

    seeds['odd-sizes'] = base + u8(8) + b''.join([
        res(MEM32, size_pages(3), owner=0x0810),
        res(MEM32, size_pages(3), align=size_bar(0), owner=0x0910),
        res(MEM32, size_odd(0), owner=0x0a10),
        res(MEM64, size_odd(5), owner=0x0b10),
        res(MEM64, size_raw(1 << 63), owner=0x0c10),
        res(3, size_bar(0), owner=0x0d10),                              # bad kind
        res(MEM32, size_bar(0), align=size_odd(1), owner=0x0e10),      # align 3
        res(MEM32, size_zero(), owner=0x0f10),
    ])

    # A full-sized realistic request: 64 entries, a few windows, some pins.
    rnd = random.Random(7)
    body, windows = [], []
    for i in range(64):
        r = rnd.random()
        owner = (i // 6) << 8 | (i % 6) << 2 | 0x10
        if r < 0.08:
            kind = rnd.choice([MEM32, MEM64, IO])
            body.append(res(kind, size_zero(), role=WINDOW, pref=kind == MEM64,
                            parent=('win', 0) if windows and rnd.random() < 0.3 else None,
                            owner=owner))
            windows.append(i)
            continue
        parent = ('win', rnd.randrange(min(len(windows), 3))) if windows and r < 0.5 else None
        if r < 0.6:
            body.append(res(MEM32, size_bar(rnd.randrange(6)), parent=parent, owner=owner))
        elif r < 0.75:
            body.append(res(MEM64, size_mib(rnd.randrange(10)), pref=True, parent=parent,
                            owner=owner))
        elif r < 0.85:
            body.append(res(IO, size_io(rnd.randrange(5)), parent=parent, owner=owner))
        elif r < 0.92:
            body.append(res(MEM32, size_bar(rnd.randrange(5)), role=ROM, parent=parent,
                            owner=owner))
        else:
            body.append(res(MEM32, size_bar(0), pin=addr_hole(rnd.randrange(0x8000)),
                            owner=owner))
    seeds['big'] = base + u8(64) + b''.join(body)
    seeds['empty'] = b''
    return seeds


# ---------------------------------------------------------------- fuzz-enum

def fn(where, dev, func, hdr=0, cls=0, pin=0, bars=(), rom=0, bridge=None, caps=None,
       lies=None, answer_all=False, mf_lie=False, decoding=False, redhat=False):
    """One function record (fuzz_enum.c). bars: encoded BAR slots (bar_*),
    bridge: encoded bridge byte(s) (bridge_sel), caps: list of encoded caps,
    lies: list of (dword, mode, value). hdr: 0, 1, 2 or ('raw', byte)."""
    raw = isinstance(hdr, tuple)
    hsel = 3 if raw else hdr
    ty = (hsel | answer_all << 2 | mf_lie << 3 | (caps is not None) << 4 |
          decoding << 5 | (lies is not None) << 6 | redhat << 7)
    out = u8(where) + u8(dev << 3 | func) + u8(ty)
    h = hdr[1] if raw else hdr
    if raw:
        out += u8(h)
    out += u8(cls) + u8(pin)
    if (h & 0x7F) <= 1:
        slots = list(bars) + [bar_none()] * 8
        nslots, i, k = (6 if (h & 0x7F) == 0 else 2), 0, 0
        while i < nslots:
            s = slots[k]
            k += 1
            out += s
            i += 2 if (s[0] & 7) in (3, 4) and i + 1 < nslots else 1
        out += u8(rom) if not isinstance(rom, bytes) else rom
    if (h & 0x7F) == 1:
        out += bridge if bridge is not None else bridge_sel()
    if caps is not None:
        out += u8(len(caps)) + b''.join(caps)
    if lies is not None:
        out += u8(len(lies)) + b''.join(u8(d) + u8(m) + u32(v) for d, m, v in lies)
    return out


def bar_none():
    return u8(0)


def bar_io(k):              # 4 << k bytes
    return u8(1) + u8(k)


def bar_mem32(k, pref=False):   # 16 << k bytes
    return u8(2 | pref << 3) + u8(k)


def bar_mem64(k, pref=True):    # 16 << k bytes
    return u8(3 | pref << 3) + u8(k)


def bar_mem64_upper(k, upper_mask):
    return u8(4 | 8) + u8(k) + u32(upper_mask)


def bar_raw(typebits, mask):
    return u8(5) + u8(typebits) + u32(mask)


def bar_zero():
    return u8(6)


def bar_ones():
    return u8(7)


def rom_size(k):            # 2 KiB << k
    return k


def bridge_sel(behind='new', io=True, pref=True, pref64=True, port=0, seg=0):
    b = {'new': 0, 'self': 1, 'seg': 2}[behind]
    v = b | io << 2 | pref << 3 | pref64 << 4 | port << 5
    return u8(v) + (u8(seg) if behind == 'seg' else b'')


def cap_pcie(ptype, slot=False, hotplug=False, link=0):
    return u8(0 | (ptype & 0xF) << 2 | slot << 6 | hotplug << 7) + u8(link)


def cap_shpc(link=0):
    return u8(1) + u8(link)


def cap_reserve(bus, io, mem, pref32, pref64, link=0):
    return u8(2) + u8(link) + u8(bus) + u8(io) + u8(mem) + u8(pref32) + u8(pref64)


def cap_raw(cid, link=0):
    return u8(3) + u8(link) + u8(cid)


CLS_NET, CLS_IDE, CLS_VGA, CLS_XHCI, CLS_NVME, CLS_HOST, CLS_ISA = range(7)
PORT_PCI, PORT_ROOT, PORT_UP, PORT_DOWN, PORT_PCIE_PCI, PORT_ROOT_HP, PORT_DOWN_HP, PORT_SHPC = \
    range(8)
LIE_FIXED, LIE_FLICKER, LIE_COUNT = range(3)


def platform(pctl=0, low_mib16=127, hole_min=None, high_gib=None, rsv=None, phys=4,
             pins=()):
    out = u8(pctl | (hole_min is not None) << 2 | (high_gib is not None) << 3 |
             (rsv is not None) << 4) + u8(low_mib16)
    if hole_min is not None:
        out += u8(hole_min)
    if high_gib is not None:
        out += u8(high_gib)
    if rsv is not None:
        out += u8(rsv[0]) + u8(rsv[1])
    out += u8(phys) + u8(len(pins))
    for bus, dev, func, bar, sel, val in pins:
        out += u8(bus) + u8(dev << 3 | func) + u8(bar) + u8(sel)
        out += u32(val) if sel == 3 else u16(val)
    return out


def functions(fns):
    return u8(len(fns)) + b''.join(fns)


def enum_seeds():
    seeds = {}
    i440fx = [
        fn(0, 0, 0, cls=CLS_HOST),
        fn(0, 1, 0, cls=CLS_ISA),
        fn(0, 1, 1, cls=CLS_IDE, bars=[bar_none(), bar_none(), bar_none(), bar_none(),
                                        bar_io(2)]),
        fn(0, 2, 0, cls=CLS_VGA, bars=[bar_mem32(20, pref=True), bar_none(), bar_mem32(8)],
           rom=rom_size(5)),
        fn(0, 3, 0, cls=CLS_NET, pin=1, bars=[bar_mem32(13), bar_io(4)], rom=rom_size(7)),
    ]
    seeds['i440fx'] = platform() + functions(i440fx)

    # Q35-like: root ports (one hot-plug with QEMU's reserve capability), a switch.
    q35 = [
        fn(0, 0, 0, cls=CLS_HOST),
        fn(0, 0x1F, 0, cls=CLS_ISA),
        fn(0, 0x1C, 0, hdr=1, redhat=True,
           bridge=bridge_sel(port=PORT_ROOT)),                          # seg 1
        fn(1, 0, 0, cls=CLS_NET, pin=1, bars=[bar_mem32(13), bar_mem32(13), bar_io(3),
                                               bar_mem32(10)], rom=rom_size(7)),
        fn(0, 0x1C, 1, hdr=1, redhat=True, bridge=bridge_sel(port=PORT_ROOT_HP),
           caps=[cap_reserve(3, 12, 23, 0, 28)]),                       # seg 2
        fn(0, 0x1C, 2, hdr=1, redhat=True, bridge=bridge_sel(port=PORT_ROOT)),  # seg 3
        fn(3, 0, 0, hdr=1, bridge=bridge_sel(port=PORT_UP)),           # seg 4
        fn(4, 0, 0, hdr=1, bridge=bridge_sel(port=PORT_DOWN_HP)),      # seg 5
        fn(5, 0, 0, cls=CLS_NVME, pin=1, bars=[bar_mem64(10, pref=False), bar_none()]),
        fn(0, 3, 0, cls=CLS_XHCI, pin=1, bars=[bar_mem64(32)]),
        fn(0, 4, 0, hdr=1, bridge=bridge_sel(port=PORT_PCIE_PCI)),     # seg 6
        fn(6, 1, 0, hdr=1, bridge=bridge_sel(port=PORT_SHPC)),  # seg 7
        fn(7, 0, 0, cls=CLS_NET, pin=2, bars=[bar_mem32(13), bar_io(4)], rom=rom_size(5)),
    ]
    seeds['q35'] = platform(pctl=1, high_gib=2, phys=8) + functions(q35)

    # A bridge that is behind itself: the scan meets it again on every bus.
    seeds['bridge-loop'] = platform() + functions([
        fn(0, 0, 0, cls=CLS_HOST),
        fn(0, 5, 0, hdr=1, bridge=bridge_sel(behind='self')),
        fn(0, 6, 0, cls=CLS_NET, bars=[bar_mem32(12)]),
    ])
    # Two bridges leading into each other's bus.
    seeds['bridge-cross'] = platform() + functions([
        fn(0, 1, 0, hdr=1, bridge=bridge_sel()),                        # seg 1
        fn(1, 0, 0, hdr=1, bridge=bridge_sel(behind='seg', seg=0)),     # back to bus 0
        fn(1, 1, 0, cls=CLS_NET, bars=[bar_mem32(14)]),
    ])

    # A function answering on every device and function number.
    seeds['answer-all'] = platform() + functions([
        fn(0, 0, 0, cls=CLS_HOST),
        fn(0, 9, 0, cls=CLS_NET, bars=[bar_mem32(12), bar_io(3)], answer_all=True),
        fn(0, 2, 0, hdr=1, bridge=bridge_sel()),                        # seg 1
        fn(1, 0, 0, cls=CLS_XHCI, bars=[bar_mem64(14)], answer_all=True, rom=rom_size(3)),
    ])

    # Capability lists that cycle, point at themselves or anywhere.
    seeds['cap-cycles'] = platform() + functions([
        fn(0, 1, 0, hdr=1, redhat=True, bridge=bridge_sel(port=PORT_ROOT),
           caps=[cap_shpc(1), cap_reserve(0xFF, 0, 0, 0, 0, link=2)]),
        fn(0, 2, 0, hdr=1, redhat=True, bridge=bridge_sel(port=PORT_PCI),
           caps=[cap_pcie(4, True, True, link=3), cap_raw(0x09, link=1)]),
        fn(0, 3, 0, cls=CLS_NET, bars=[bar_mem32(12)], caps=[cap_raw(0x10, link=1)]),
    ])

    # BARs and ROMs that lie.
    seeds['bar-lies'] = platform() + functions([
        fn(0, 1, 0, cls=CLS_NET, bars=[bar_ones(), bar_zero(), bar_mem64_upper(12, 0)],
           rom=rom_size(20)),
        fn(0, 2, 0, cls=CLS_NET, bars=[bar_mem32(12), bar_io(3)],
           lies=[(4, LIE_FLICKER, 0x00FF0000), (5, LIE_COUNT, 0x1000)]),
        fn(0, 3, 0, cls=CLS_NET, bars=[bar_raw(0x4, 0x0000F000), bar_raw(0x1, 0xFFFFFFFC),
                                        bar_mem64(60)]),
        fn(0, 4, 0, hdr=('raw', 0x7F), cls=CLS_NET),
        fn(0, 5, 0, hdr=2, cls=CLS_NET),
        fn(0, 6, 0, cls=CLS_NET, rom=u8(0x80) + u32(0x00000800)),
        fn(0, 7, 0, cls=CLS_VGA, decoding=True, bars=[bar_mem32(27), bar_mem32(27)],
           mf_lie=True),
        fn(0, 7, 3, cls=CLS_NET, bars=[bar_io(13)]),
    ])

    # Bus-number registers that do not stick, and an ID that changes per read.
    seeds['bus-lies'] = platform() + functions([
        fn(0, 1, 0, hdr=1, bridge=bridge_sel(), lies=[(6, LIE_FIXED, 0x00FF0100)]),
        fn(1, 0, 0, cls=CLS_NET, bars=[bar_mem32(12)]),
        fn(0, 2, 0, hdr=1, bridge=bridge_sel(), lies=[(6, LIE_FIXED, 0x00000000)]),
        fn(0, 3, 0, cls=CLS_NET, lies=[(0, LIE_COUNT, 0x10008086)]),
    ])

    # Bridges nested deeper than the enumerator allows.
    chain = []
    for d in range(20):
        chain.append(fn(d, 0, 0, hdr=1, bridge=bridge_sel(io=d % 2 == 0)))
    chain.append(fn(20, 0, 0, cls=CLS_NET, bars=[bar_mem32(12)]))
    seeds['deep'] = platform() + functions(chain)

    # Hundreds of functions: multi-function answer-all devices behind bridges.
    many = [fn(0, 0, 0, cls=CLS_HOST)]
    for b in range(12):
        many.append(fn(0, 1 + b, 0, hdr=1, bridge=bridge_sel(port=PORT_PCI)))
    for b in range(12):
        many.append(fn(1 + b, 0, 0, cls=CLS_NET, answer_all=True,
                       bars=[bar_mem32(12), bar_io(2), bar_mem64(20)], rom=rom_size(4)))
    seeds['many'] = platform(pctl=1) + functions(many)

    # Pins (good, over RAM, misaligned), ECAM, relocatable RAM, high RAM.
    seeds['pins'] = platform(pctl=0x3, low_mib16=191, high_gib=4, rsv=(0x40, 3), phys=10,
                             pins=[(0, 3, 0, 0, 0, 0x3E00), (0, 3, 0, 2, 2, 0x40),
                                   (0, 4, 0, 0, 3, 0x10000000), (0, 4, 0, 1, 3, 0xE0000800),
                                   (1, 0, 0, 0, 0, 0x3F00), (0, 9, 0, 0, 0, 0)]) + \
        functions([
            fn(0, 3, 0, cls=CLS_NET, bars=[bar_mem32(12), bar_none(), bar_mem64(24)]),
            fn(0, 4, 0, cls=CLS_NET, bars=[bar_mem32(12), bar_mem32(12)]),
            fn(0, 5, 0, hdr=1, bridge=bridge_sel(port=PORT_ROOT)),
            fn(1, 0, 0, cls=CLS_NET, bars=[bar_mem32(12)]),
        ])
    seeds['empty'] = b''
    return seeds


# ------------------------------------------------------ the parser targets
# Each mirrors the byte layout in the header comment of fuzz_<target>.c.

def lv(b):
    """A length byte and the bytes (values, names, payloads)."""
    if isinstance(b, str):
        b = b.encode()
    return u8(len(b)) + b


def config_seeds():
    s = {}
    hv = lambda *kv: u8(0) + b''.join(u8(k) + lv(v) for k, v in kv)
    s['hvmfw-keys'] = hv((0, 'debug'), (1, '00:03.0/bar0=0xf3000000 00:04.0/rom=0xfe000000'),
                         (2, '0xc0000000'))
    s['hvmfw-suffixes'] = hv((2, '3G'), (2, '3072M'), (2, '0x1k'), (2, '5\0'), (2, '99999999999999999999'))
    s['hvmfw-pins-bad'] = hv((1, '100:00.0/bar0=0x1000 00:20.0/bar0=0 00:03.0/bar6=0 00:03.0/bar0=0x1001'),
                             (1, ','.join('00:%02x.0/bar0=0x%x' % (i, 0xf0000000 + i * 0x1000)
                                          for i in range(20))),
                             (0, 'loud'), (3, 'x'))
    answers = lambda *vals: b''.join(u8(0) if v is None else
                                     (u8(0xFF) if v is ... else u8(0x80) + lv(v)) for v in vals)
    nums = b''.join(lv(v) for v in ('0x10', '0777', '12:34', '1'))
    s['xen-keys'] = u8(1) + nums + answers('seabios', '1', '0x40000000', '1', '0', '0', '0',
                                           None, None, 'Xen', '4.17', None, ...)
    s['xen-keys-bad'] = u8(1) + lv('0x') + lv('08') + lv('1:') + lv('2') + answers(
        'rombios', '2', '0x100', 'yes', ..., '1', '1', '1', 'x' * 80)
    return s


def xs_msg(typ, req_id, payload):
    return u32(typ) + u32(req_id) + u32(0) + u32(len(payload)) + payload


def xenstore_seeds():
    s = {}
    # read: nothing before the request, then a proper reply of 5 bytes
    s['read'] = u8(0) + u8(100) + u8(9) + u8(0) + lv('hello')
    s['read-after-watch'] = u8(0) + u8(100) + u8(9) + u8(3) + lv('a\0tok\0') + u8(0) + lv('value')
    s['error'] = u8(0) + u8(100) + u8(9) + u8(4) + u8(0)
    s['directory'] = u8(1) + u8(200) + u8(9) + u8(1) + lv('a\0b\0c\0')
    s['write'] = u8(2) + u8(10) + u8(9) + u8(2) + lv('OK\0')
    s['flood'] = u8(0) + u8(100) + u8(9) + (u8(3) + lv('e' * 60)) * 80
    s['too-long'] = u8(0) + u8(100) + u8(9) + u8(5) + u8(2) + u32(0x10000) + u8(8) + b'x' * 8
    s['corrupt'] = u8(0) + u8(100) + u8(9) + u8(7) + u8(0) + u32(0x7FFFFFFF) + u8(0) + lv('v')
    s['reset'] = u8(3) + u8(1) + u8(8) + u8(1) + u8(1) + u8(0) + u8(8) + u8(0) + u8(1) + u8(0)
    s['silent'] = u8(0) + u8(100)
    s['raw'] = u8(0) + u8(100) + u8(9) + u8(6) + lv(xs_msg(2, 0, b'raw\0'))
    return s


WIN = 0x100000


def start_info(version=1, nmod=1, modlist=0x38, memmap=0x100, nmem=3, name=b'firmware\0',
               mod_addr=0x200, mod_size=0x100, mem=None):
    b = bytearray(0x300)
    struct.pack_into('<IIIIQQQ', b, 0, 0x336ec578, version, 0, nmod,
                     WIN + modlist if modlist is not None else 0, 0, 0)
    struct.pack_into('<QII', b, 40, WIN + memmap, nmem, 0)
    for i in range(nmod):
        struct.pack_into('<QQQQ', b, modlist + 32 * i, WIN + mod_addr, mod_size, WIN + 0x80, 0)
    b[0x80:0x80 + len(name)] = name
    for i, (a, n, t) in enumerate(mem or [(0, 0xA0000, 1), (MiB, 511 * MiB, 1),
                                          (0xFC000000, 64 * MiB, 2)]):
        struct.pack_into('<QQII', b, memmap + 24 * i, a, n, t, 0)
    return bytes(b)


def start_info_seeds():
    s = {}
    s['v1'] = u16(0) + start_info()
    s['v0'] = u16(0) + start_info(version=0)
    s['two-modules'] = u16(0) + start_info(nmod=2)
    s['unnamed'] = u16(0) + start_info(name=b'ipxe\0')
    s['name-no-nul'] = u16(0) + start_info(name=b'x' * 0x80)
    s['memmap-overlap'] = u16(0) + start_info(nmem=4, mem=[(0, 0xA0000, 1), (MiB, 511 * MiB, 1),
                                                           (256 * MiB, MiB, 2), (0xFC000000, 64 * MiB, 2)])
    s['memmap-huge'] = u16(0) + start_info(nmem=0xFFFFFFF)
    s['odd-offset'] = u16(3) + b'\0' * 3 + start_info()
    return s


def hvm_info(nr=4, online=0x0F, length=48):
    t = b'HVM INFO' + u32(length) + u8(0) + u8(1) + b'\0\0' + u32(nr) + u32(0x3FF00) + \
        u32(0xFC000) + u32(0) + bytes([online & 0xFF]) + b'\0' * 15
    return t


def hvm_info_seeds():
    s = {}
    s['four-online'] = u8(0) + u8(0x81) + u8(0) + hvm_info()
    s['two-of-four'] = u8(0) + u8(0x81 | 0x10) + u8(2) + u8(0) + u8(2) + hvm_info(online=0x03)
    s['max'] = u8(0) + u8(0x81 | 0x7E) + u8(0) + hvm_info(nr=128, online=0xFF)
    s['short'] = u8(40) + u8(0) + u8(0) + hvm_info()[:40]
    s['long-length'] = u8(200) + u8(0x80) + u8(0) + hvm_info(length=300)
    s['seen-odd'] = u8(0) + u8(0x81) + u8(3) + u8(0) + u8(7) + u8(0xFF) + hvm_info(nr=1, online=1)
    return s


def mm_entry(addr64k, size64k, typ):
    return u8(0) + u16(addr64k) + u16(size64k) + u8(typ)


def memmap_seeds():
    s = {}
    base = [mm_entry(0, 0xA, 1), mm_entry(0x10, 0x3FF0, 1), mm_entry(0xFC00, 0x400, 2)]
    ops = u8(0) + u16(0x3FF00) + u16(0x1000) + u8(4) + u8(1) + u8(1)   # allocate
    ops += u8(1) + u8(1) + u16(0x10) + u16(0x20) + u8(0)                 # retype
    ops += u8(3) + u8(1) + u8(1)                                         # break
    s['plain'] = u8(3) + b''.join(base) + u32(0) + ops
    s['holes'] = u8(5) + b''.join(base) + mm_entry(0x2000, 0x10, 2) + mm_entry(0x1000, 0x1, 4) + \
        u32(0xFB000) + ops * 3
    s['move'] = u8(3) + b''.join(base) + u32(0) + u8(2) + u32(0x30000) + u16(0x100) + u16(0x10)
    s['raw'] = u8(2) + u8(0xF) + u64(1 << 63) + u64((1 << 64) - 1) + u8(1) + mm_entry(0x10, 0x10, 9) + u32(0)
    return s


def bzimage(align=0x200000, pref=0x1000000, init_size=0x1000000, max_initrd=0x7FFFFFFF, slen=0x400):
    b = bytearray(slen)
    struct.pack_into('<I', b, 0x22C, max_initrd)
    struct.pack_into('<I', b, 0x230, align)
    struct.pack_into('<Q', b, 0x258, pref)
    struct.pack_into('<I', b, 0x260, init_size)
    b[0x201] = 0x6A
    return bytes(b)


def linux(ctl=0x3, low_mib=1023, fw_end=0x200000, top=0x3F000000, ksize=0x800000, isize=0x100000,
          setup=None, hole=None):
    setup = setup or bzimage()
    out = u8(ctl | (4 if hole else 0)) + u16(low_mib - 1)
    if hole:
        out += u16(hole[0]) + u8(hole[1] - 1)
    return out + u32(fw_end) + u32(top) + u32(ksize) + u32(isize) + u16(len(setup)) + setup


def linux_seeds():
    s = {}
    s['plain'] = linux()
    s['align-0'] = linux(setup=bzimage(align=0))
    s['align-3'] = linux(setup=bzimage(align=3))
    s['pref-above-4g'] = linux(setup=bzimage(pref=0x100000000))
    s['init-size-huge'] = linux(setup=bzimage(init_size=0xFFFFF000))
    s['hole'] = linux(hole=(16, 64))
    s['initrd-max-low'] = linux(setup=bzimage(max_initrd=0x1000000))
    s['no-signature'] = linux(ctl=0)
    s['short-setup'] = linux(setup=bzimage()[:0x200])
    s['old-protocol'] = linux(ctl=1)
    return s


def smbios_record(data):
    return u32(len(data)) + data


def smbios_seeds():
    s = {}
    oem = smbios_record(bytes([11, 5, 0, 0, 1]) + b'hello\0\0')
    sys1 = smbios_record(bytes([1, 27, 0, 0, 1, 2, 0, 0]) + bytes(16) + bytes([6, 0, 0]) +
                         b'Vendor\0Product\0\0')
    s['oem'] = u8(0) + u16(0) + u8(1) + oem
    s['system'] = u8(1) + u16(0) + u8(2) + sys1 + oem
    s['small-buffer'] = u8(3) + u16(200) + u8(0) + oem
    s['bad-records'] = u8(0) + u16(0) + u8(0) + smbios_record(bytes([11, 3])) + u32(0xFFFF) + b'x'
    s['many'] = u8(0) + u16(0) + u8(0) + oem * 40
    return s


def acpi_table(sig, length, fill=0):
    b = bytearray([fill]) * length
    b[0:4] = sig
    struct.pack_into('<I', b, 4, length)
    b[8] = 2
    b[10:16] = b'TESTOE'
    b[16:24] = b'EXTRATBL'
    return bytes(b)


def acpi_extra_seeds():
    s = {}
    s['ssdt'] = u8(1) + u16(0) + acpi_table(b'SSDT', 40, 0xA3)
    s['several'] = u8(1 | 2 | 4) + u16(0) + acpi_table(b'SSDT', 64) + acpi_table(b'HPET', 56) + \
        acpi_table(b'TEST', 36) + b'\0' * 16
    s['bad-length'] = u8(1) + u16(0) + acpi_table(b'SSDT', 40)[:4] + u32(0x10000) + b'\0' * 32
    s['small-buffer'] = u8(1) + u16(0x100) + acpi_table(b'SSDT', 4000)
    s['many'] = u8(1 | 8) + u16(0) + acpi_table(b'OEM1', 36) * 20
    return s


def aml_seeds():
    s = {}
    prog = u8(7) + lv('\\_SB') + u8(8) + lv('PCI0') + u8(6) + lv('_UID') + u32(0) + \
        u8(9) + lv('_STA') + u8(0) + u8(0) + u8(16) + u8(2) + u8(0) + u8(0x0F) + u8(12) + \
        u8(19) + u8(0) + u8(0) + u8(0) + u8(1) + u8(0) + u32(0xC0000000) + u32(0xFEBFFFFF) + \
        u8(12) + u8(12)
    s['device'] = u16(0) + prog
    s['names'] = u16(0) + b''.join(u8(1) + lv(n) for n in ('\\_SB.PCI0.S08', '^^AB', 'A.B.C.D',
                                                         '', '\\', 'abc', '1ABC', 'TOOLONG'))
    s['ints'] = u16(0) + b''.join(u8(2) + u8(1) + u64(v) for v in (0, 1, 0xFF, 0x100, 0xFFFFFFFF,
                                                                 (1 << 64) - 1, 1 << 40))
    s['nesting'] = u16(0) + (u8(10) + u8(2)) * 14 + u8(12) * 14
    s['small'] = u16(24) + prog
    s['if-else'] = u16(0) + u8(9) + lv('TEST') + u8(1) + u8(0) + u8(14) + u8(2) + u8(0) + u8(1) + \
        u8(16) + u8(2) + u8(0) + u8(0) + u8(12) + u8(15) + u8(16) + u8(2) + u8(0) + u8(1) + u8(12) + u8(12)
    s['field'] = u16(0) + u8(17) + lv('PMIO') + u8(1) + u32(0xB000) + u32(0x40) + u8(18) + lv('PMIO') + \
        u8(0) + u8(2) + lv('PMST') + u16(16) + lv('PMEN') + u16(16) + u8(12)
    return s



# AML, enough to write DSDT-like seeds (the ACPI specification's encodings)
def aml_pkg(body):
    n = len(body) + 1
    if n <= 0x3F:
        return bytes([n]) + body
    n += 1
    if n <= 0xFFF:
        return bytes([0x40 | (n & 0xF), n >> 4]) + body
    n += 1
    return bytes([0x80 | (n & 0xF), (n >> 4) & 0xFF, n >> 12]) + body


def aml_name(path):
    out = b''
    if path.startswith('\\'):
        out, path = b'\\', path[1:]
    segs = [x.ljust(4, '_').encode() for x in path.split('.')]
    if len(segs) == 1:
        return out + segs[0]
    if len(segs) == 2:
        return out + b'\x2e' + b''.join(segs)
    return out + b'\x2f' + bytes([len(segs)]) + b''.join(segs)


def aml_int(v):
    if v in (0, 1):
        return bytes([v])
    if v < 0x100:
        return b'\x0a' + bytes([v])
    if v < 0x10000:
        return b'\x0b' + struct.pack('<H', v)
    return b'\x0c' + struct.pack('<I', v)


def aml_scope(path, body):
    return b'\x10' + aml_pkg(aml_name(path) + body)


def aml_device(name, body):
    return b'\x5b\x82' + aml_pkg(aml_name(name) + body)


def aml_name_int(name, v):
    return b'\x08' + aml_name(name) + aml_int(v)


def aml_method(name, nargs, body=b''):
    return b'\x14' + aml_pkg(aml_name(name) + bytes([nargs]) + body)


def qemu_like_dsdt(ports=((6, 1), (7, 0))):
    slot = lambda s: aml_device('S%02X' % (s * 8), aml_name_int('_ADR', s << 16) +
                                aml_name_int('_SUN', s) + aml_method('_EJ0', 1, b'\xa3'))
    devs = b''
    for dev, bsel in ports:
        devs += aml_device('S%02X' % (dev * 8), aml_name_int('_ADR', dev << 16) +
                           aml_name_int('BSEL', bsel) + slot(0) + slot(1) +
                           aml_method('PCNT', 0, b'\xa3'))
    region = b'\x5b\x80' + aml_name('PCST') + b'\x01' + aml_int(0xcc0) + aml_int(8)
    field = b'\x5b\x81' + aml_pkg(aml_name('PCST') + b'\x03' + aml_name('PCIU') + b'\x20')
    pci0 = aml_device('PCI0', aml_name_int('_HID', 0x080AD041) + aml_name_int('_ADR', 0) +
                      b'\x08' + aml_name('_CRS') + b'\x11' + aml_pkg(b'\x0a\x02\x79\x00'))
    return aml_scope('\\_SB', pci0) + aml_scope('\\_SB.PCI0', region + field + b'\x5b\x01' +
                                                 aml_name('BLCK') + b'\x00' + devs)


def dsdt_scan_seeds():
    s = {}
    bridges = u8(2) + u8(0xFF) + u8(0x30) + u8(0xFF) + u8(0x38)
    s['qemu-like'] = bridges + qemu_like_dsdt()
    s['nested'] = u8(2) + u8(0xFF) + u8(0x30) + u8(0) + u8(0x08) + aml_scope(
        '\\_SB.PCI0', aml_device('S30', aml_name_int('_ADR', 0x60000) + aml_device(
            'S08', aml_name_int('_ADR', 0x10000) + aml_name_int('BSEL', 3))))
    s['lying-length'] = bridges + u8(0xEE) + u32(0x10000) + qemu_like_dsdt()
    s['truncated'] = bridges + qemu_like_dsdt()[:-7]
    s['unknown-op'] = bridges + aml_scope('\\_SB.PCI0', b'\x99\x01\x02' + qemu_like_dsdt())
    return s

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  'corpus'))
    args = ap.parse_args()
    for target, seeds in (('plan', plan_seeds()), ('enum', enum_seeds()),
                          ('config', config_seeds()), ('xenstore', xenstore_seeds()),
                          ('start-info', start_info_seeds()), ('hvm-info', hvm_info_seeds()),
                          ('memmap', memmap_seeds()), ('linux', linux_seeds()),
                          ('smbios', smbios_seeds()), ('acpi-extra', acpi_extra_seeds()),
                          ('aml', aml_seeds()), ('dsdt-scan', dsdt_scan_seeds())):
        d = os.path.join(args.out, target)
        os.makedirs(d, exist_ok=True)
        for name in os.listdir(d):
            if name.startswith('seed-'):
                os.unlink(os.path.join(d, name))
        for name, data in sorted(seeds.items()):
            with open(os.path.join(d, 'seed-' + name), 'wb') as f:
                f.write(data)
        print('%s: %d seeds in %s' % (target, len(seeds), d))


if __name__ == '__main__':
    main()
