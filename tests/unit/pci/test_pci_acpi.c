/* SPDX-License-Identifier: MIT */
/* What the enumerator hands to ACPI and the log: the bridge tree for _PRT, the hole line. */
#include "pci_check.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <hvmfw/acpi.h>

#define HOST(seg) m_dev(seg, 0, 0, 0x8086, 0x29c0, 0x060000, 0)

static struct pci_windows W;

static int setup(void **state)
{
	m_reset();
	run_init();
	HOST(0);
	memset(&W, 0, sizeof(W));
	return 0;
}

/* Index of the description entry for the enumerator's bridge at bdf, -1 if absent. */
static int desc_of(const struct acpi_pci_bridges *d, uint16_t bdf)
{
	for (int i = 0; i < d->n; i++) {
		uint8_t bus = d->b[i].parent == ACPI_BRIDGE_ROOT ? 0
				: d->b[d->b[i].parent].secondary;

		if (PCI_BDF(bus, d->b[i].dev, d->b[i].fn) == bdf)
			return i;
	}
	return -1;
}

/*
 * 00:02.0 root port -> switch up 00.0 -> down 00.0 / 03.0 -> endpoints
 * 00:05.0 pcie-pci -> 01.0 pci-bridge -> devices at 2 (INTA) and 7.1 (INTC)
 * 00:1e.3 pci-bridge -> device at 4 (INTB)
 */
static void tree(int *ends, int *nends)
{
	int rp = m_bridge(0, 2, 0, 0x1b36, 0x000c, M_BR_ALL, PCIE_TYPE_ROOT_PORT, true);
	int up = m_bridge(m_sec_seg(rp), 0, 0, 0x104c, 0x8232, M_BR_ALL, PCIE_TYPE_UPSTREAM, false);
	int dn0 = m_bridge(m_sec_seg(up), 0, 0, 0x104c, 0x8233, M_BR_ALL, PCIE_TYPE_DOWNSTREAM, 0);
	int dn3 = m_bridge(m_sec_seg(up), 3, 0, 0x104c, 0x8233, M_BR_ALL, PCIE_TYPE_DOWNSTREAM, 0);
	int ppb = m_bridge(0, 5, 0, 0x1b36, 0x000e, M_BR_ALL, PCIE_TYPE_PCIE_TO_PCI, false);
	int pb = m_bridge(m_sec_seg(ppb), 1, 0, 0x1b36, 0x0001, M_BR_ALL, PCIE_TYPE_NONE, true);
	int pb2 = m_bridge(0, 0x1e, 3, 0x1b36, 0x0001, M_BR_ALL, PCIE_TYPE_NONE, false);
	int n = 0;

	ends[n++] = m_dev(m_sec_seg(dn0), 0, 0, 0x1af4, 0x1041, 0x020000, 1);
	ends[n++] = m_dev(m_sec_seg(dn3), 0, 0, 0x1af4, 0x1042, 0x010000, 4);
	ends[n++] = m_dev(m_sec_seg(pb), 2, 0, 0x8086, 0x100e, 0x020000, 1);
	ends[n++] = m_dev(m_sec_seg(pb), 7, 0, 0x1234, 0x11e8, 0x00ff00, 0);
	ends[n++] = m_dev(m_sec_seg(pb), 7, 1, 0x1234, 0x11e8, 0x00ff00, 3);
	ends[n++] = m_dev(m_sec_seg(pb2), 4, 0, 0x1234, 0x11e8, 0x00ff00, 2);
	/* 0x1e.3 sits on bus 0 without a function 0: the model must still find it. */
	m_dev(0, 0x1e, 0, 0x1234, 0x11e8, 0x00ff00, 0);
	for (int i = 0; i < n; i++)
		m_bar(ends[i], 0, KiB(4), M_MEM32);
	*nends = n;
}

/*
 * Every bridge is described, parents first, and for every interrupt pin
 * behind one the description reaches the same bus-0 slot and pin as the
 * swizzle the enumerator used to program the interrupt line.
 */
static void bridges_follow_swizzle(void **state)
{
	int ends[8], n;
	struct acpi_config cfg;

	tree(ends, &n);
	assert_int_equal(run_all(NULL, 0, 0), 0);
	pci_windows_fill(&R.t, &R.pl, &W);
	assert_int_equal(W.bridges.n, R.t.nb);
	assert_int_equal(W.bridges.n, 7);
	for (int i = 0; i < W.bridges.n; i++) {
		const struct acpi_pci_bridge *b = &W.bridges.b[i];

		assert_true(b->parent == ACPI_BRIDGE_ROOT || b->parent < i);
		assert_true(b->pin_off < 4);
		assert_int_equal(b->secondary, R.t.b[i].secondary);
	}
	/* The deepest: 00:02.0 -> 00.0 -> 03.0 adds 0 + 3 to the pin at root slot 2. */
	int rp = desc_of(&W.bridges, PCI_BDF(0, 2, 0));
	int up = desc_of(&W.bridges, PCI_BDF(W.bridges.b[rp].secondary, 0, 0));
	int dn3 = desc_of(&W.bridges, PCI_BDF(W.bridges.b[up].secondary, 3, 0));

	assert_true(rp >= 0 && up > rp && dn3 > up);
	assert_int_equal(W.bridges.b[dn3].parent, up);
	assert_int_equal(W.bridges.b[dn3].root_slot, 2);
	assert_int_equal(W.bridges.b[dn3].pin_off, 3);
	assert_int_equal(W.bridges.b[desc_of(&W.bridges, PCI_BDF(0, 0x1e, 3))].fn, 3);

	for (int i = 0; i < n; i++) {
		const struct pci_func *f = run_func(ends[i]);
		uint8_t slot = 0xFF, pin;

		assert_non_null(f);
		pin = pci_swizzle(&R.t, f, &slot);
		if (!f->pin) {
			assert_int_equal(pin, 0);
			continue;
		}
		int d = desc_of(&W.bridges, R.t.f[R.t.b[f->parent].func].bdf);

		assert_true(d >= 0);
		assert_int_equal(W.bridges.b[d].root_slot, slot);
		assert_int_equal((f->pin - 1 + PCI_DEV(f->bdf) + W.bridges.b[d].pin_off) % 4 + 1, pin);
		/* ... and that is the line apply wrote. */
		assert_int_equal(f->irq, test_intx(slot, pin));
	}

	memset(&cfg, 0, sizeof(cfg));
	pci_windows_to_acpi(&W, &cfg);
	assert_memory_equal(&cfg.bridges, &W.bridges, sizeof(W.bridges));
}

/* A bridge the scan left closed (too deep) has nothing to route: left out, and all below it. */
static void closed_bridge_left_out(void **state)
{
	int seg = 0;

	for (int i = 0; i < PCI_MAX_DEPTH + 2; i++)
		seg = m_sec_seg(m_bridge(seg, i == 0 ? 3 : 0, 0, 0x1b36, 0x0001, M_BR_ALL,
					 PCIE_TYPE_NONE, false));
	run_all(NULL, 0, 0);
	assert_true(m_logged("no bus number left"));
	pci_windows_fill(&R.t, &R.pl, &W);
	assert_int_equal(W.bridges.n, PCI_MAX_DEPTH);
	assert_int_equal(W.bridges.b[PCI_MAX_DEPTH - 1].parent, PCI_MAX_DEPTH - 2);
	assert_int_equal(W.bridges.b[PCI_MAX_DEPTH - 1].root_slot, 3);
}

/* Log lines of pci_log_windows only. */
static const char *hole_line(void)
{
	M.loglen = 0;
	M.log[0] = '\0';
	pci_log_windows(&model_access, &W);
	return M.log;
}

/*
 * A 256 MiB BAR must sit 256 MiB-aligned below the IOAPIC: the smallest
 * hole starts at 0xE0000000, 512 MiB, and xl's mmio_hole=512 would hold it.
 */
static void hole_line_fits(void **state)
{
	int d = m_dev(0, 3, 0, 0x1234, 0x11e8, 0x030000, 1);

	m_bar(d, 0, MiB(256), M_MEM32 | M_PREF);
	m_bar(d, 2, MiB(1), M_MEM32);
	assert_int_equal(run_all(NULL, 0, 0), 0);
	pci_windows_fill(&R.t, &R.pl, &W);
	assert_false(W.need_more_hole);
	const char *log = hole_line();

	assert_non_null(strstr(log, "pci: hole 0xe0000000-0xffffffff (512 MiB), mmio_hole=512 "
				    "holds all 32-bit demand\n"));
	assert_null(strstr(log, "too small"));
	assert_non_null(strstr(log, "pci: mem32 0xe0000000+0x1ec00000, mem64 0x0+0x0, "
				    "io 0x1000+0xf000, ecam 0x0+0x0, 0 bridges for ACPI\n"));
}

/*
 * The same demand with the hole capped at 256 MiB (xl mmio_hole=256): the
 * 256 MiB BAR is refused and the line names the value that would hold it.
 */
static void hole_line_refused(void **state)
{
	int d = m_dev(0, 3, 0, 0x1234, 0x11e8, 0x030000, 1);

	m_bar(d, 0, MiB(256), M_MEM32 | M_PREF);
	m_bar(d, 2, MiB(1), M_MEM32);
	R.pl.in.max_hole = MiB(256);
	assert_int_equal(run_all(NULL, 0, 0), 1);
	pci_windows_fill(&R.t, &R.pl, &W);
	assert_true(W.need_more_hole);
	const char *log = hole_line();

	assert_non_null(strstr(log, "too small, 32-bit demand refused; mmio_hole=512 "
				    "(hole from 0xe0000000) would hold it\n"));
	assert_non_null(strstr(log, "pci: hole 0xf"));
	assert_null(strstr(log, "holds all"));
}

/*
 * A BAR pinned (1:1 pass-through) below a hole capped at 256 MiB: nothing
 * movable ran short, yet the hole is too small for the pin.
 */
static void hole_line_pin_below(void **state)
{
	int d = m_dev(0, 3, 0, 0x1234, 0x11e8, 0x030000, 1);
	struct pci_pin pin = { PCI_BDF(0, 3, 0), 0, 0xE0000000 };

	m_bar(d, 0, MiB(16), M_MEM32);
	R.pl.in.max_hole = MiB(256);
	/* The pin is refused before planning; the hole it needs is still reported. */
	assert_int_equal(run_all(&pin, 1, 0), 1);
	assert_false(R.pl.out.need_more_hole);
	assert_int_equal(R.pl.pin_need_start, 0xE0000000);
	pci_windows_fill(&R.t, &R.pl, &W);
	assert_true(W.need_more_hole);
	assert_non_null(strstr(hole_line(), "32-bit demand refused; mmio_hole=512 "
					    "(hole from 0xe0000000) would hold it\n"));
}

/* A bridge window that does not fit is demand too: 3 x 128 MiB behind a bridge. */
static void hole_line_bridge_demand(void **state)
{
	int br = m_bridge(0, 4, 0, 0x1b36, 0x0001, M_BR_ALL, PCIE_TYPE_NONE, false);

	for (int i = 0; i < 3; i++)
		m_bar(m_dev(m_sec_seg(br), i, 0, 0x1234, 0x11e8, 0x030000, 1), 0, MiB(128), M_MEM32);
	R.pl.in.max_hole = MiB(256);
	assert_true(run_all(NULL, 0, 0) > 0);
	pci_windows_fill(&R.t, &R.pl, &W);
	const char *log = hole_line();

	/* 384 MiB in one window, 128 MiB-aligned, under 0xFEC00000: from 0xE0000000. */
	assert_non_null(strstr(log, "32-bit demand refused; mmio_hole=512 (hole from 0xe0000000)"));
	assert_non_null(strstr(log, "1 bridges for ACPI"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(bridges_follow_swizzle, setup),
		cmocka_unit_test_setup(closed_bridge_left_out, setup),
		cmocka_unit_test_setup(hole_line_fits, setup),
		cmocka_unit_test_setup(hole_line_refused, setup),
		cmocka_unit_test_setup(hole_line_pin_below, setup),
		cmocka_unit_test_setup(hole_line_bridge_demand, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
