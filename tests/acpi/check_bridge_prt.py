#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check the bridges' _PRT in the SSDT against the DSDT's bus-0 _PRT.

usage: check_bridge_prt.py ACPIDUMP IASL ACPIEXEC WORKDIR CHIP

1. hvmfw-acpidump builds the tables for a bridge tree (--bridge D.F[:P]);
2. `iasl -d` must decode every table cleanly, and the SSDT must hold one
   Device (Sddf) per bridge;
3. acpiexec loads DSDT + SSDT + a helper table whose methods print
   \\_SB.PCI0._PRT and every bridge's _PRT to the debug stream (acpiexec's
   own `evaluate` cannot print a 128-entry package), in PIC and APIC mode;
4. every bridge must route all 32 slots x INTA-D, each to the link the
   bus-0 _PRT gives for its root slot and swizzled pin, with no ACPI error
   and `test predefined` clean.
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_tables as ct  # noqa: E402  (shares its failure list)

# (dev, fn, parent index or None): shapes QEMU builds with pci-bridge,
# pcie-root-port, switches and pcie-pci-bridge, over every bus-0 rule.
TREES = {
    'i440fx': [(3, 0, None), (1, 0, 0), (5, 0, 1), (5, 1, None), (0, 0, 3), (0x1F, 7, None)],
    'q35': [(0x1C, 0, None), (0, 0, 0), (2, 0, 1), (0, 0, 2), (4, 0, 3), (0x1E, 0, None),
            (1, 0, 5), (3, 1, None), (0x19, 0, None), (0x18, 2, None), (7, 0, 9)],
}


def bridge_paths(tree):
    """ACPI path, root slot and pin offset of each bridge, computed here independently."""
    out = []
    for dev, fn, parent in tree:
        name = 'S%02X%u' % (dev, fn)
        if parent is None:
            out.append(('\\_SB.PCI0.' + name, dev, 0))
        else:
            ppath, slot, off = out[parent]
            out.append((ppath + '.' + name, slot, (off + dev) % 4))
    return out


def helper_asl(chip, paths):
    """A table with \\DALL: print a marker and each _PRT to the debug stream."""
    lines = ['DefinitionBlock ("", "SSDT", 2, "TEST", "PRTDUMP", 1)', '{']
    root_kind = 'PkgObj' if chip == 'i440fx' else 'MethodObj'
    lines.append('    External (\\_SB.PCI0._PRT, %s)' % root_kind)
    for p, _, _ in paths:
        lines.append('    External (%s._PRT, MethodObj)' % p)
    lines.append('    Method (\\DALL, 0, Serialized)')
    lines.append('    {')
    lines.append('        Debug = "PRT \\\\_SB.PCI0"')
    lines.append('        Debug = \\_SB.PCI0._PRT' + ('' if chip == 'i440fx' else ' ()'))
    for p, _, _ in paths:
        lines.append('        Debug = "PRT %s"' % p.replace('\\', '\\\\'))
        lines.append('        Debug = %s._PRT ()' % p)
    lines += ['    }', '}', '']
    return '\n'.join(lines)


def parse_dumps(out):
    """[{path: {(slot, pin): link}}] for each evaluation of \\DALL, in order."""
    runs, cur, table, entry = [], None, None, None
    for line in out.splitlines():
        if line.startswith('Evaluating \\DALL'):
            cur = {}
            runs.append(cur)
            continue
        if cur is None or not line.startswith('ACPI Debug:'):
            continue
        body = line[len('ACPI Debug:'):].strip()
        m = re.match(r'^"PRT (\S+)"$', body)
        if m:
            table = cur.setdefault(m.group(1), {})
            continue
        m = re.match(r'^\((\w+)\) (.*)$', body)
        if not m or table is None:
            continue
        idx, val = int(m.group(1), 16), m.group(2)
        if val.startswith('Package') and 'Contains 0x04' in val:
            entry = []
        elif entry is not None:
            ref = re.search(r'\[(\w{4})\] Device', val)
            entry.append(ref.group(1) if ref else int(val, 16))
            if idx == 3:
                addr, pin, src, sidx = entry
                ct.check(addr & 0xFFFF == 0xFFFF and sidx == 0 and isinstance(src, str),
                         'odd _PRT entry %r' % (entry,))
                table[(addr >> 16, pin)] = src
                entry = None
    return runs


def check_routes(mode, dump, paths):
    bus0 = dump.get('\\_SB.PCI0')
    ct.check(bool(bus0), '%s: no bus-0 _PRT printed' % mode)
    if not bus0:
        return
    for path, slot, off in paths:
        got = dump.get(path)
        ct.check(got is not None, '%s: %s._PRT not printed' % (mode, path))
        if got is None:
            continue
        want = {(d, p): bus0.get((slot, (p + d + off) % 4)) for d in range(32) for p in range(4)}
        ct.check(None not in want.values(), '%s: bus 0 has no route for slot %#x' % (mode, slot))
        bad = sorted(k for k in want if got.get(k) != want[k])
        ct.check(not bad and len(got) == 128,
                 '%s: %s._PRT differs from the swizzled bus-0 route at %s (got %s, want %s)'
                 % (mode, path, bad[:4], [got.get(k) for k in bad[:4]],
                    [want[k] for k in bad[:4]]))


def main():
    dump, iasl, acpiexec, work, chip = sys.argv[1:6]
    os.makedirs(work, exist_ok=True)
    for f in os.listdir(work):
        os.remove(os.path.join(work, f))
    tree = TREES[chip]
    args = [dump, '-c', chip, '-n', '2', '-o', work, '--mem32', '%#x:%#x' % ct.MEM32,
            '--ecam', '%#x:%#x' % (ct.ECAM if chip == 'q35' else (0, 0))]
    for dev, fn, parent in tree:
        args += ['--bridge', '%x.%x%s' % (dev, fn, '' if parent is None else ':%d' % parent)]
    res = ct.run(args)
    ct.check(res.returncode == 0, 'hvmfw-acpidump failed: ' + res.stdout)
    if ct.failures:
        return 1
    tables = sorted(f[:-4] for f in os.listdir(work) if f.endswith('.dat') and f != 'RSDP.dat')
    ct.disassemble(iasl, work, tables)
    with open(os.path.join(work, 'SSDT.dsl')) as f:
        devices = re.findall(r'Device \((S[0-9A-F]{2}[0-7])\)', f.read())
    paths = bridge_paths(tree)
    ct.check(sorted(devices) == sorted(p.rsplit('.', 1)[1] for p, _, _ in paths),
             'SSDT bridge devices %s' % devices)

    with open(os.path.join(work, 'prtdump.asl'), 'w') as f:
        f.write(helper_asl(chip, paths))
    res = ct.run([iasl, '-vs', '-p', 'prtdump', 'prtdump.asl'], cwd=work)
    ct.check(res.returncode == 0, 'helper table does not compile:\n' + res.stdout)
    cmds = ['evaluate \\DALL', 'evaluate \\_PIC 1', 'evaluate \\DALL', 'test predefined']
    res = ct.run([acpiexec, '-b', '; '.join(cmds), 'FACP.dat', 'DSDT.dat', 'SSDT.dat',
                  'prtdump.aml'], cwd=work)
    out = res.stdout
    for line in out.splitlines():
        if ct.BAD_OUTPUT.search(line) and not ct.AETESTS_NOISE.match(line.strip()):
            ct.check(False, 'acpiexec: ' + line)
    ct.check('3 ACPI AML tables successfully acquired and loaded' in out, 'tables not loaded')
    runs = parse_dumps(out)
    ct.check(len(runs) == 2, '\\DALL printed %d times' % len(runs))
    for mode, dump_ in zip(('PIC', 'APIC'), runs):
        check_routes(mode, dump_, paths)
        links = {v for t in dump_.values() for v in t.values()}
        prefix = 'GSI' if mode == 'APIC' and chip == 'q35' else 'LNK'
        ct.check(all(v.startswith(prefix) for v in links), '%s mode routes to %s' % (mode, links))
    if ct.failures:
        print(out)
        return 1
    print('%s: %d bridges, every _PRT matches bus 0 in PIC and APIC mode' % (chip, len(paths)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
