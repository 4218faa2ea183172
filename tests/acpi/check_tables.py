#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check the tables acpi_build() produces, with ACPICA's own tools.

usage: check_tables.py ACPIDUMP IASL ACPIEXEC WORKDIR CHIP NCPUS [mem64] [vmgenid]
                       [sleep] [extra] [split]

1. hvmfw-acpidump writes every table for the described machine;
2. `iasl -d` must decode each one with no error, warning or bad checksum;
3. the bus-0 _PRT in the disassembled DSDT must follow the chipset wiring;
4. acpiexec loads FADT + DSDT + SSDT + the rest and evaluates PCI0._CRS
   (decoded here and compared with the configured windows), the ECAM claim,
   a link device's _SRS/_CRS/_DIS/_STA, _OSC on Q35 and `test predefined`;
5. with vmgenid, the VM generation ID device: ADDR must give back the
   address in two halves and _CID must read as one of the IDs Linux's
   vmgenid driver matches (ACPICA upper-cases it); without, no such device;
6. with sleep, \\_S3 and \\_S4 as Xen asks for them (SLP_TYP 1 and 0);
   without, no table declares either;
7. with extra, a blob of passed-through tables: two SSDTs compiled here are
   added and load, a table with a signature of ours and one with a bad
   checksum are left out (and said so);
8. with split, the 32-bit hole in two windows with the ECAM (Q35) between
   them: PCI0._CRS lists both, in order;
9. with cpuhp (4 CPUs, the last 2 absent): the MADT lists all four, the
   last two disabled; acpiexec, its simulated memory and ports set through
   an init file as the MADT and the chipset's CPU present map would read
   (CPUs 0 and 1 running; 1 unplugged and 3 plugged in the map), runs
   \_SB.CSCN: CPU 3 must be notified 1 (device check), CPU 1 notified 3
   (eject), their flags and _STA follow, CPU 2 stays absent, and the MADT
   checksum byte moves by what the flags did (here: back to where it was).
   Without cpuhp every CPU runs and the SSDT still carries the hot-plug AML.
   On i440FX also PCI hot-plug: with slot 5 in the "up" and slot 6 in the
   "down" bitmap, \\_SB.PCI0.PCNT must notify SL05 1 and SL06 3, and
   SL06._EJ0 must write bit 6 to the eject register.
"""
import os
import re
import subprocess
import sys

MEM32 = (0xC0000000, 0x20000000)
MEM32_ABOVE_ECAM = (0xF0000000, 0x0EC00000)    # second window with split
ECAM = (0xE0000000, 0x10000000)
MEM64 = (0x800000000, 0x800000000)
VMGENID = 0x12345678000         # distinct halves: 0x45678000, 0x123
PCI_UUID = '5b 4d db 33 f7 1f 1c 40 96 57 74 41 c0 3d d7 66'
BAD_OUTPUT = re.compile(r'error|warning|failed|incorrect|AE_(?!OK\b)[A-Z_]+', re.I)
# acpiexec's built-in interface tests (aetests.c) assume its sample FADT with
# PM2 and GPE1 blocks; with a real FADT they report these. Not table faults.
AETESTS_NOISE = re.compile(r'^Unexpected AE_\w+ from Acpi\w+ \(aetests-\d+\)$')

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def run(cmd, cwd=None):
    return subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)


def disassemble(iasl, work, names):
    for name in names:
        args = [iasl, '-vs']
        if name == 'SSDT':
            args += ['-e', 'DSDT.dat']      # resolve \_SB.PCI0 from the DSDT
        res = run(args + ['-d', name + '.dat'], cwd=work)
        out = res.stdout
        check(res.returncode == 0 and os.path.exists(os.path.join(work, name + '.dsl')),
              '%s: iasl -d failed\n%s' % (name, out))
        for line in out.splitlines():
            check(not BAD_OUTPUT.search(line) or 'Errors' in line and '0 Errors' in line,
                  '%s: iasl -d says: %s' % (name, line))
        with open(os.path.join(work, name + '.dsl')) as f:
            dsl = f.read()
        check('Incorrect checksum' not in dsl, '%s: bad checksum' % name)


def prt_entries(dsl, table):
    """{(slot, pin): source} from 'Name (<table>, Package' in a disassembly."""
    start = dsl.find('Name (%s, Package' % table)
    if start < 0:
        return None
    end = dsl.find('Name (', start + 1)
    body = dsl[start:end if end > 0 else len(dsl)]
    num = r'(0x[0-9A-Fa-f]+|Zero|One)'
    pat = re.compile(r'Package \(0x04\)\s*\{\s*%s,\s*%s,\s*(\w+),\s*%s\s*\}' % (num, num, num))
    val = lambda s: {'Zero': 0, 'One': 1}.get(s) if s in ('Zero', 'One') else int(s, 16)
    out = {}
    for addr, pin, src, idx in pat.findall(body):
        a = val(addr)
        check(a & 0xFFFF == 0xFFFF and val(idx) == 0, '%s: odd entry %s' % (table, addr))
        out[(a >> 16, val(pin))] = src
    return out


def check_prt(work, chip):
    with open(os.path.join(work, 'DSDT.dsl')) as f:
        dsl = f.read()
    if chip == 'i440fx':
        # PIIX3: pin p of slot s -> PIRQ (s + p) mod 4, same table in both modes
        want = {(s, p): 'LNK' + 'ABCD'[(s + p) % 4] for s in range(1, 32) for p in range(4)}
        check(prt_entries(dsl, '_PRT') == want, 'i440fx _PRT does not follow (slot+pin) mod 4')
        return

    def q35(s, p):      # QEMU ICH9 wiring
        if s <= 0x18:
            return 'EFGH'[(s + p) % 4]
        return 'EFGH'[p] if s == 0x1E else 'ABCD'[p]
    for table, prefix in (('PRTP', 'LNK'), ('PRTA', 'GSI')):
        want = {(s, p): prefix + q35(s, p) for s in range(32) for p in range(4)}
        check(prt_entries(dsl, table) == want, 'q35 %s does not follow the ICH9 wiring' % table)


def sections(out):
    """Split acpiexec output into {evaluated path: text} (last one wins)."""
    res, cur = {}, None
    for line in out.splitlines():
        m = re.match(r'^Evaluating (\S+)', line)
        if m:
            cur = m.group(1)
            res[cur] = ''
        elif cur:
            res[cur] += line + '\n'
    return res


def buffer_bytes(text):
    data = []
    for m in re.finditer(r'\b[0-9A-F]{4}: ((?:[0-9A-F]{2} )+)', text):
        data += [int(b, 16) for b in m.group(1).split()]
    return bytes(data)


def integer(text):
    m = re.search(r'\[Integer\] = ([0-9A-Fa-f]+)', text)
    return int(m.group(1), 16) if m else None


def integers(text):
    return [int(v, 16) for v in re.findall(r'\[Integer\] = ([0-9A-Fa-f]+)', text)]


def string(text):
    m = re.search(r'\[String\] Length [0-9A-F]+ = "([^"]*)"', text)
    return m.group(1) if m else None


def eisaid(s):
    v = 0
    for c in s[:3]:
        v = v << 5 | (ord(c) - 0x40)
    v = v << 16 | int(s[3:], 16)
    return int.from_bytes(v.to_bytes(4, 'big'), 'little')


def descriptors(buf):
    """Decode a resource template into (tag, fields) tuples."""
    out, i = [], 0
    le = lambda b: int.from_bytes(b, 'little')
    while i < len(buf):
        tag = buf[i]
        if tag & 0x80 == 0:
            n = tag & 7
            body, i = buf[i + 1:i + 1 + n], i + 1 + n
            kind = tag >> 3
            if kind == 0x0F:
                out.append(('end',))
                break
            if kind == 0x08:
                out.append(('io', le(body[1:3]), le(body[3:5]), body[6]))
            continue
        n = le(buf[i + 1:i + 3])
        body, i = buf[i + 3:i + 3 + n], i + 3 + n
        if tag in (0x87, 0x88, 0x8A):
            w = {0x88: 2, 0x87: 4, 0x8A: 8}[tag]
            f = [le(body[3 + k * w:3 + (k + 1) * w]) for k in range(5)]
            kind = {0: 'mem', 1: 'iorange', 2: 'bus'}[body[0]]
            check(f[2] - f[1] + 1 == f[4], 'descriptor length mismatch %r' % (f,))
            check(body[1] == 0x0C, 'window is not producer/fixed: %r' % (f,))
            out.append((kind, f[1], f[2]))
        elif tag == 0x86:
            out.append(('mem32fixed', le(body[1:5]), le(body[5:9])))
        else:
            out.append(('tag%02x' % tag,))
    return out


EXTRA_ASL = [
    'DefinitionBlock ("", "SSDT", 2, "TEST", "EXTRA1", 1) { Name (\\XTR1, 0x12345678) }\n',
    'DefinitionBlock ("", "SSDT", 2, "TEST", "EXTRA2", 1) { Name (\\XTR2, "two") }\n',
]


def raw_table(sig, body, good_checksum=True):
    hdr = sig + (36 + len(body)).to_bytes(4, 'little') + bytes([1, 0]) + b'TESTOE' + \
        b'RAWTABLE' + (1).to_bytes(4, 'little') + b'TEST' + (1).to_bytes(4, 'little')
    t = bytearray(hdr + body)
    t[9] = (-sum(t) + (0 if good_checksum else 1)) & 0xFF
    return bytes(t)


def extra_blob(iasl, work):
    """SSDT, HPET (ours), OEMX (bad checksum), SSDT, then zero padding."""
    aml = []
    for i, src in enumerate(EXTRA_ASL):
        base = os.path.join(work, 'extra%d' % i)
        with open(base + '.asl', 'w') as f:
            f.write(src)
        res = run([iasl, '-vs', '-p', base, base + '.asl'])
        check(res.returncode == 0, 'iasl on extra%d.asl:\n%s' % (i, res.stdout))
        with open(base + '.aml', 'rb') as f:
            aml.append(f.read())
        os.remove(base + '.aml')
    blob = aml[0] + raw_table(b'HPET', bytes(20)) + raw_table(b'OEMX', b'x' * 9, False) + \
        aml[1] + bytes(64)
    path = os.path.join(work, 'extra.blob')
    with open(path, 'wb') as f:
        f.write(blob)
    # Where the two refused ones are: after the first SSDT, then after the HPET.
    return path, len(aml[0]), len(aml[0]) + 56


def madt_enabled(work):
    """Enabled flags of the MADT's Processor Local APIC entries, in order."""
    with open(os.path.join(work, 'APIC.dat'), 'rb') as f:
        t = f.read()
    flags, off = [], 44
    while off + 2 <= len(t) and t[off + 1] >= 2:
        if t[off] == 0:
            flags.append(bool(t[off + 4] & 1))
        off += t[off + 1]
    return flags, t[9]


def check_cpus(acpiexec, work, order, ncpus, cpuhp):
    """MADT flags, and with cpuhp the CSCN scan on a simulated present map."""
    flags, csum = madt_enabled(work)
    want = [True] * ncpus if not cpuhp else [True] * (ncpus - 2) + [False, False]
    check(flags == want, 'MADT enabled flags %s, expected %s' % (flags, want))
    if not cpuhp:
        return
    # As the machine would read: flags and checksum from the MADT; in the map
    # CPU 0 present, 1 gone, 3 arrived.
    init = ['\\_SB.F%03X %d' % (i, int(f)) for i, f in enumerate(flags)]
    init += ['\\_SB.MSUM %#x' % csum, '\\_SB.P000 1', '\\_SB.P001 0', '\\_SB.P002 0',
             '\\_SB.P003 1']
    with open(os.path.join(work, 'cpuhp-init.txt'), 'w') as f:
        f.write('\n'.join(init) + '\n')
    cmds = ['evaluate \\_SB.CSCN'] + ['evaluate \\_SB.C%03X._STA' % i for i in range(4)]
    cmds += ['evaluate \\_SB.F%03X' % i for i in range(4)] + ['evaluate \\_SB.MSUM']
    res = run([acpiexec, '-fi', 'cpuhp-init.txt', '-b', '; '.join(cmds)] +
              [t + '.dat' for t in order], cwd=work)
    out = res.stdout
    for line in out.splitlines():
        if BAD_OUTPUT.search(line) and not AETESTS_NOISE.match(line.strip()):
            check(False, 'acpiexec (cpuhp): ' + line)
    notes = re.findall(r'Notify on \[(C\w{3})\].*Value (0x[0-9A-Fa-f]+)', out)
    check(sorted(notes) == [('C001', '0x03'), ('C003', '0x01')],
          'CSCN notified %s, expected C001 eject (3) and C003 device check (1)' % notes)
    sec = sections(out)
    sta = [integer(sec.get('\\_SB.C%03X._STA' % i, '')) for i in range(4)]
    check(sta == [0x0F, 0, 0, 0x0F], '_STA after the scan %s, expected [15, 0, 0, 15]' % sta)
    fl = [integer(sec.get('\\_SB.F%03X' % i, '')) for i in range(4)]
    check(fl == [1, 0, 0, 1], 'MADT flags after the scan %s, expected [1, 0, 0, 1]' % fl)
    # One flag set (-1) and one cleared (+1): the checksum byte is back where it was.
    check(integer(sec.get('\\_SB.MSUM', '')) == csum,
          'MADT checksum byte %r after the scan, expected %#x' % (sec.get('\\_SB.MSUM'), csum))


def run_pcihp(acpiexec, work, order, up, down, evaluate, what):
    """acpiexec with the hot-plug registers simulated (PCIU = up, PCID = down):
    evaluate each of `evaluate`, then read B0EJ and BNUM. Returns the sorted
    (slot, value) notifications and the evaluation sections."""
    with open(os.path.join(work, 'pcihp-init.txt'), 'w') as f:
        f.write('\\_SB.PCI0.PCIU %#x\n\\_SB.PCI0.PCID %#x\n' % (up, down))
    cmds = ['evaluate ' + e for e in evaluate] + ['evaluate \\_SB.PCI0.B0EJ',
                                                  'evaluate \\_SB.PCI0.BNUM']
    res = run([acpiexec, '-fi', 'pcihp-init.txt', '-b', '; '.join(cmds)] +
              [t + '.dat' for t in order], cwd=work)
    for line in res.stdout.splitlines():
        if BAD_OUTPUT.search(line) and not AETESTS_NOISE.match(line.strip()):
            check(False, 'acpiexec (%s): %s' % (what, line))
    notes = re.findall(r'Notify on \[(SL\w\w)\].*Value (0x[0-9A-Fa-f]+)', res.stdout)
    return sorted(notes), sections(res.stdout)


def check_pcihp(acpiexec, work, order, chip):
    """i440FX: the PCNT scan on simulated up/down registers, and an _EJ0."""
    with open(os.path.join(work, 'SSDT.dsl')) as f:
        dsl = f.read()
    slots = sorted(int(x, 16) for x in re.findall(r'Device \(SL([0-9A-F]{2})\)', dsl))
    if chip != 'i440fx':
        check(not slots, 'q35: hot-plug slot devices %s, expected none' % slots)
        return
    check(slots == list(range(2, 32)), 'hot-plug slots %s, expected 2..31' % slots)
    notes, sec = run_pcihp(acpiexec, work, order, 0x20, 0x40,
                           ['\\_SB.PCI0.PCNT', '\\_SB.PCI0.SL06._EJ0 0'], 'pcihp')
    check(notes == [('SL05', '0x01'), ('SL06', '0x03')],
          'PCNT notified %s, expected SL05 device check (1) and SL06 eject (3)' % notes)
    check(integer(sec.get('\\_SB.PCI0.B0EJ', '')) == 0x40,
          'B0EJ after SL06._EJ0 is %r, expected 0x40' % sec.get('\\_SB.PCI0.B0EJ'))
    check(integer(sec.get('\\_SB.PCI0.BNUM', '')) == 0, 'BNUM is not 0 after PCNT')


# --bridge arguments for the 'pcihp' variant: a root port (selector 1, slot 0),
# a PCI bridge (selector 0, every slot) and a bridge behind it in its slot 1
# (selector 2, slots 0-2), as QEMU's DSDT would give them.
PCIHP_BRIDGES = ['6.0=1/0x1', '7.0=0/0xffffffff', '1.0:1=2/0x7']


def check_pcihp_bridges(acpiexec, work, order, chip):
    """\\_GPE._E01 runs every bus's PCNT through PCIO; an _EJ0 behind a bridge
    selects that bridge's bus before it ejects."""
    with open(os.path.join(work, 'SSDT.dsl')) as f:
        dsl = f.read()
    slots = re.findall(r'Device \((SL[0-9A-F]{2})\)', dsl)
    # bus 0 on i440FX: 2-31 less the bridges at 6 and 7; the bridges: 1 + 31 + 3
    want = (28 if chip == 'i440fx' else 0) + 1 + 31 + 3
    check(len(slots) == want, '%d hot-plug slot devices, expected %d' % (len(slots), want))
    notes, sec = run_pcihp(acpiexec, work, order, 0x3, 0x2,
                           ['\\_GPE._E01', '\\_SB.PCI0.S070.S010.SL02._EJ0 0'],
                           'pcihp bridges')
    # up = slots 0 and 1, down = slot 1, on every bus (the simulated registers
    # ignore the selector): bus 0's slots 0 and 1 are taken; S060 has slot 0;
    # S070 has slot 0 (slot 1 is the bridge S010); S010 has slots 0 and 1.
    want = sorted([('SL00', '0x01')] * 3 + [('SL01', '0x01'), ('SL01', '0x03')])
    check(notes == want, '_E01 notified %s, expected %s' % (notes, want))
    check(integer(sec.get('\\_SB.PCI0.B0EJ', '')) == 0x4,
          'B0EJ after S010.SL02._EJ0 is %r, expected 0x4' % sec.get('\\_SB.PCI0.B0EJ'))
    check(integer(sec.get('\\_SB.PCI0.BNUM', '')) == 2,
          'BNUM after S010.SL02._EJ0 is %r, expected selector 2' % sec.get('\\_SB.PCI0.BNUM'))


def main():
    dump, iasl, acpiexec, work, chip, ncpus = sys.argv[1:7]
    flags = set(sys.argv[7:])
    mem64 = 'mem64' in flags
    vmgenid = 'vmgenid' in flags
    sleep = 'sleep' in flags
    extra = 'extra' in flags
    split = 'split' in flags
    cpuhp = 'cpuhp' in flags
    pcihp = 'pcihp' in flags
    os.makedirs(work, exist_ok=True)
    for f in os.listdir(work):
        os.remove(os.path.join(work, f))
    args = [dump, '-c', chip, '-n', ncpus, '-o', work, '--mem32', '%#x:%#x' % MEM32,
            '--ecam', '%#x:%#x' % (ECAM if chip == 'q35' else (0, 0))]
    if split:
        args += ['--mem32', '%#x:%#x' % MEM32_ABOVE_ECAM]
    if mem64:
        args += ['--mem64', '%#x:%#x' % MEM64]
    if vmgenid:
        args += ['--vmgenid', '%#x' % VMGENID]
    if sleep:
        args += ['--s3', '1', '--s4', '0']
    if extra:
        blob, hpet_at, oemx_at = extra_blob(iasl, work)
        args += ['--extra', blob]
    if cpuhp:
        args += ['--absent', '2']
    if pcihp:
        args += sum((['--bridge', b] for b in PCIHP_BRIDGES), [])
        if chip == 'q35':
            args += ['--pcihp', '0xcc0']
    res = run(args)
    check(res.returncode == 0, 'hvmfw-acpidump failed: ' + res.stdout)
    if extra:
        refusals = [l for l in res.stdout.splitlines() if 'left out' in l]
        want = ['extra table HPET at +%#x (56 bytes) left out: hvmfw builds this table itself'
                % hpet_at,
                'extra table OEMX at +%#x (45 bytes) left out: bad checksum' % oemx_at]
        check(refusals == want, 'extra tables refused: %r, expected %r' % (refusals, want))
    if failures:
        return 1
    tables = sorted(f[:-4] for f in os.listdir(work) if f.endswith('.dat') and f != 'RSDP.dat')
    expect = {'FACP', 'FACS', 'DSDT', 'SSDT', 'APIC', 'HPET', 'WAET', 'RSDT', 'XSDT'}
    expect |= {'MCFG'} if chip == 'q35' else set()
    expect |= {'SSDT2', 'SSDT3'} if extra else set()
    check(set(tables) == expect, 'tables %s, expected %s' % (tables, sorted(expect)))

    disassemble(iasl, work, tables)
    check_prt(work, chip)

    cmds = ['evaluate \\_SB.PCI0._CRS', 'evaluate \\_SB.HPET._STA',
            'evaluate \\_SB.LNKA._SRS (89 06 00 09 01 0b 00 00 00 79 00)',
            'evaluate \\_SB.LNKA._CRS', 'evaluate \\_SB.LNKA._STA',
            'evaluate \\_SB.LNKB._DIS', 'evaluate \\_SB.LNKB._STA',
            'evaluate \\_PIC 1', 'test predefined', 'businfo']
    if chip == 'q35':
        cmds += ['evaluate \\_SB.PCI0.ECAM._CRS',
                 'evaluate \\_SB.PCI0._OSC (%s) 1 3 (00 00 00 00 1f 01 00 00 ff 00 00 00)'
                 % PCI_UUID]
    vgid = ['ADDR', '_STA', '_HID', '_UID', '_CID', '_DDN']
    if vmgenid:
        cmds += ['evaluate \\_SB.VGID.' + m for m in vgid]
    if sleep:
        cmds += ['evaluate \\_S3', 'evaluate \\_S4']
    if extra:
        cmds += ['evaluate \\XTR1', 'evaluate \\XTR2']
    cmds.append('evaluate \\_S5')
    cmds += ['evaluate \\_SB.C%03X._MAT' % i for i in range(int(ncpus))]
    order = ['FACP', 'DSDT', 'SSDT'] + [t for t in tables if t not in
                                        ('FACP', 'DSDT', 'SSDT', 'FACS', 'RSDT', 'XSDT')]
    res = run([acpiexec, '-b', '; '.join(cmds)] + [t + '.dat' for t in order], cwd=work)
    out = res.stdout
    for line in out.splitlines():
        if BAD_OUTPUT.search(line) and not AETESTS_NOISE.match(line.strip()):
            check(False, 'acpiexec: ' + line)
    naml = len([t for t in tables if t == 'DSDT' or t.startswith('SSDT')])
    check('%d ACPI AML tables successfully acquired and loaded' % naml in out,
          'tables not loaded')
    sec = sections(out)

    crs = descriptors(buffer_bytes(sec.get('\\_SB.PCI0._CRS', '')))
    want = [('bus', 0, 255), ('io', 0xCF8, 0xCF8, 8), ('iorange', 0, 0xCF7),
            ('iorange', 0xD00, 0xFFFF), ('mem', 0xA0000, 0xBFFFF),
            ('mem', MEM32[0], MEM32[0] + MEM32[1] - 1)]
    if split:
        want.append(('mem', MEM32_ABOVE_ECAM[0], MEM32_ABOVE_ECAM[0] + MEM32_ABOVE_ECAM[1] - 1))
    if mem64:
        want.append(('mem', MEM64[0], MEM64[0] + MEM64[1] - 1))
    check(crs == want + [('end',)], 'PCI0._CRS is %r' % crs)
    check(integer(sec.get('\\_SB.HPET._STA', '')) == 0x0F, 'HPET._STA not 0x0F')
    lnka = descriptors(buffer_bytes(sec.get('\\_SB.LNKA._CRS', '')))
    check(buffer_bytes(sec.get('\\_SB.LNKA._CRS', ''))[5] == 11 and lnka[-1] == ('end',),
          'LNKA._CRS after _SRS(IRQ 11) is %r' % sec.get('\\_SB.LNKA._CRS'))
    check(integer(sec.get('\\_SB.LNKA._STA', '')) == 0x0B, 'LNKA._STA not 0x0B when routed')
    check(integer(sec.get('\\_SB.LNKB._STA', '')) == 0x09, 'LNKB._STA not 0x09 after _DIS')
    check(out.count('Is PCI Root Bridge') == 1, 'businfo does not see one PCI root')
    if chip == 'q35':
        ecam = descriptors(buffer_bytes(sec.get('\\_SB.PCI0.ECAM._CRS', '')))
        check(ecam == [('mem32fixed',) + ECAM, ('end',)], 'ECAM._CRS is %r' % ecam)
        osc = buffer_bytes(sec.get('\\_SB.PCI0._OSC', ''))
        check(osc == bytes.fromhex('10000000 1f010000 1f000000'), '_OSC returned %s' % osc.hex())
    with open(os.path.join(work, 'SSDT.dsl')) as f:
        has_vgid = 'Device (VGID)' in f.read()
    check(has_vgid == vmgenid, 'SSDT %s a VGID device' % ('lacks' if vmgenid else 'has'))
    if vmgenid:
        vg = {m: sec.get('\\_SB.VGID.' + m, '') for m in vgid}
        addr = integers(vg['ADDR'])
        check('[Package] Contains 2 Elements' in vg['ADDR'] and
              addr == [VMGENID & 0xFFFFFFFF, VMGENID >> 32],
              'VGID.ADDR returned %r' % vg['ADDR'])
        check(integer(vg['_STA']) == 0x0F, 'VGID._STA not 0x0F')
        check(integer(vg['_HID']) == eisaid('XEN0000'), 'VGID._HID is %r' % vg['_HID'])
        check(integer(vg['_UID']) == 0, 'VGID._UID is %r' % vg['_UID'])
        # Linux 6.1 vmgenid: ACPI IDs "VMGENCTR" and "VM_GEN_COUNTER", compared exactly.
        check(string(vg['_CID']) in ('VMGENCTR', 'VM_GEN_COUNTER'),
              'VGID._CID reads %r: no Linux match' % string(vg['_CID']))
        check(string(vg['_DDN']) == 'VM_Gen_Counter', 'VGID._DDN is %r' % vg['_DDN'])
    # Sleep states: \_S5 always (DSDT), \_S3 and \_S4 only when asked for.
    check(integers(sec.get('\\_S5', '')) == [0, 0, 0, 0], '_S5 is %r' % sec.get('\\_S5'))
    declared = set()
    for t in tables:
        if t == 'DSDT' or t.startswith('SSDT'):
            with open(os.path.join(work, t + '.dsl')) as f:
                declared |= set(re.findall(r'Name \(\\?(_S[0-5])\b', f.read()))
    check(declared == ({'_S3', '_S4', '_S5'} if sleep else {'_S5'}),
          'sleep state objects declared: %s' % sorted(declared))
    if sleep:
        check('[Package] Contains 4 Elements' in sec.get('\\_S3', '') and
              integers(sec['\\_S3']) == [1, 1, 0, 0], '_S3 is %r' % sec.get('\\_S3'))
        check('[Package] Contains 4 Elements' in sec.get('\\_S4', '') and
              integers(sec['\\_S4']) == [0, 0, 0, 0], '_S4 is %r' % sec.get('\\_S4'))
    if extra:
        check(integer(sec.get('\\XTR1', '')) == 0x12345678, 'XTR1 is %r' % sec.get('\\XTR1'))
        check(string(sec.get('\\XTR2', '')) == 'two', 'XTR2 is %r' % sec.get('\\XTR2'))
    for i in range(int(ncpus)):
        mat = sec.get('\\_SB.C%03X._MAT' % i, '')
        check('[Buffer] Length 08' in mat, 'C%03X._MAT is %r' % (i, mat))
    check_cpus(acpiexec, work, order, int(ncpus), cpuhp)
    if cpuhp:
        check_pcihp(acpiexec, work, order, chip)
    if pcihp:
        check_pcihp_bridges(acpiexec, work, order, chip)
    print(out if failures else '%s %s cpus%s%s%s%s%s%s: %d tables ok' %
          (chip, ncpus, ' mem64' if mem64 else '', ' vmgenid' if vmgenid else '',
           ' sleep' if sleep else '', ' extra' if extra else '', ' split' if split else '',
           ' cpuhp' if cpuhp else '', len(tables)) + (' (bridge hot-plug ok)' if pcihp else ''))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
