/* SPDX-License-Identifier: MIT */
/*
 * Which functions the enumerator leaves to the chipset code: those the
 * chipset layer lists by location and IDs, never a function of the same
 * class that sits elsewhere or has other IDs.
 */
#include "pci_check.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#define HOST(seg) m_dev(seg, 0, 0, 0x8086, 0x29c0, 0x060000, 0)

static int setup(void **state)
{
	m_reset();
	run_init();
	return 0;
}

/* A BAR-like register the enumerator would change if it sized it (no size: the checks skip it). */
static void writable_bar_reg(int f)
{
	for (int i = 0x10; i < 0x14; i++)
		M.f[f].wmask[i] = 0xFF;
	M.f[f].wmask[0x10] = 0xF0;
}

static void assert_untouched(int f, const uint8_t *before)
{
	if (memcmp(M.f[f].cfg, before, 256))
		fail_msg("chipset function %d: config space changed (command 0x%04x, line %u)", f,
			 m_cmd(f), m_reg8(f, 0x3C));
}

/*
 * Devices of the PM function's class 0x0680 that are not this chipset's:
 * a passed-through 1af4:1110 and, on Q35, a function carrying the i440FX
 * PIIX4 PM IDs at 00:01.3. Both get their BARs, decode and interrupt line.
 */
static void class_0680_devices_are_enumerated(void **state)
{
	HOST(0);
	int d0 = m_dev(0, 1, 0, 0x1234, 0x11e8, 0x00ff00, 0);
	int pm = m_dev(0, 1, 3, 0x8086, 0x7113, 0x068000, 1);
	int d = m_dev(0, 5, 0, 0x1af4, 0x1110, 0x068000, 1);

	m_bar(d0, 0, KiB(4), M_MEM32);
	m_bar(pm, 0, KiB(64), M_MEM32);
	m_bar(d, 0, MiB(1), M_MEM32);
	m_bar(d, 2, 256, M_IO);
	M.f[d].cfg[0x04] = 0x07;	/* left decoding by an earlier owner */
	assert_int_equal(run_all(NULL, 0, 0), 0);

	const struct pci_func *f = run_func(d), *fpm = run_func(pm);

	assert_non_null(f);
	assert_false(f->chipset);
	assert_int_equal(f->nres, 2);
	assert_true(m_bar_addr(d, 0) >= R.pl.out.hole_start);
	assert_true(m_bar_addr(d, 2) >= 0x1000);
	assert_int_equal(m_cmd(d), 7);
	assert_int_equal(m_reg8(d, 0x3C), test_intx(5, 1));
	assert_non_null(fpm);
	assert_false(fpm->chipset);
	assert_int_equal(fpm->nres, 1);
	assert_int_not_equal(m_bar_addr(pm, 0), 0);
	assert_int_equal(m_cmd(pm) & 2, 2);
	assert_int_equal(m_reg8(pm, 0x3C), test_intx(1, 1));
	check_invariants();
}

/*
 * A type-1 header whose class says host bridge (0x0600) on bus 0 is a
 * bridge like any other: its decode goes off before its BARs and windows
 * are sized, and it is numbered and programmed.
 */
static void bridge_with_host_class_is_sized_with_decode_off(void **state)
{
	HOST(0);
	int br = m_bridge(0, 3, 0, 0x1b36, 0x0001, M_BR_ALL, PCIE_TYPE_NONE, false);
	int d = m_dev(m_sec_seg(br), 1, 0, 0x1234, 0x11e8, 0x00ff00, 1);

	M.f[br].cfg[0x0A] = 0x00;	/* class 0x060000 */
	M.f[br].cfg[0x04] = 0x07;
	m_bar(br, 0, KiB(4), M_MEM32);
	m_bar(d, 0, MiB(1), M_MEM32);
	assert_int_equal(run_all(NULL, 0, 0), 0);
	assert_int_equal(M.addr_writes_while_decoding, 0);
	assert_false(run_func(br)->chipset);
	assert_int_equal(R.t.nb, 1);
	assert_int_equal(m_reg8(br, 0x19), 1);
	assert_int_not_equal(m_bar_addr(br, 0), 0);
	assert_int_not_equal(m_bar_addr(d, 0), 0);
	assert_int_equal(m_cmd(br) & 2, 2);
	check_invariants();
}

/* Q35: the MCH and the ICH9 LPC bridge keep every register, decode and line they had. */
static void q35_chipset_functions_left_alone(void **state)
{
	int host = HOST(0);
	int lpc = m_dev(0, 0x1f, 0, 0x8086, 0x2918, 0x060100, 1);
	int sata = m_dev(0, 0x1f, 2, 0x8086, 0x2922, 0x010601, 1);
	uint8_t before_host[256], before_lpc[256];

	writable_bar_reg(host);
	writable_bar_reg(lpc);
	M.f[host].cfg[0x04] = 0x06;
	M.f[lpc].cfg[0x04] = 0x07;
	M.f[lpc].cfg[0x3C] = 9;		/* the SCI line the chipset code wrote */
	m_bar(sata, 5, KiB(4), M_MEM32);
	memcpy(before_host, M.f[host].cfg, 256);
	memcpy(before_lpc, M.f[lpc].cfg, 256);
	assert_int_equal(run_all(NULL, 0, 0), 0);
	assert_untouched(host, before_host);
	assert_untouched(lpc, before_lpc);
	assert_true(run_func(host)->chipset);
	assert_true(run_func(lpc)->chipset);
	assert_int_equal(run_func(lpc)->nres, 0);
	/* AHCI in the same device is an ordinary function. */
	assert_false(run_func(sata)->chipset);
	assert_int_equal(run_func(sata)->nres, 1);
	assert_int_equal(m_cmd(sata) & 2, 2);
	check_invariants();
}

/* i440FX: host bridge, PIIX3 ISA and PIIX4 PM left alone; the IDE function enumerated. */
static void i440fx_chipset_functions_left_alone(void **state)
{
	int host = m_dev(0, 0, 0, 0x8086, 0x1237, 0x060000, 0);
	int isa = m_dev(0, 1, 0, 0x8086, 0x7000, 0x060100, 0);
	int ide = m_dev(0, 1, 1, 0x8086, 0x7010, 0x010180, 0);
	int pm = m_dev(0, 1, 3, 0x8086, 0x7113, 0x068000, 1);
	int fns[] = { host, isa, pm };
	uint8_t before[3][256];

	R.access.chipset = chipset_i440fx_funcs;
	m_bar(ide, 4, 16, M_IO);
	for (int i = 0; i < 3; i++) {
		writable_bar_reg(fns[i]);
		M.f[fns[i]].cfg[0x04] = 0x03;
		memcpy(before[i], M.f[fns[i]].cfg, 256);
	}
	M.f[pm].cfg[0x3C] = 9;
	memcpy(before[2], M.f[pm].cfg, 256);
	assert_int_equal(run_all(NULL, 0, 0), 0);
	for (int i = 0; i < 3; i++) {
		assert_untouched(fns[i], before[i]);
		assert_true(run_func(fns[i])->chipset);
	}
	assert_false(run_func(ide)->chipset);
	assert_int_equal(run_func(ide)->nres, 1);
	assert_true(m_bar_addr(ide, 4) >= 0x1000);
	check_invariants();

	/* The Q35 list claims none of them: there they are ordinary functions. */
	m_reset();
	run_init();
	host = m_dev(0, 0, 0, 0x8086, 0x1237, 0x060000, 0);
	pm = m_dev(0, 1, 3, 0x8086, 0x7113, 0x068000, 1);
	m_dev(0, 1, 0, 0x8086, 0x7000, 0x060100, 0);
	assert_int_equal(run_all(NULL, 0, 0), 0);
	assert_false(run_func(host)->chipset);
	assert_false(run_func(pm)->chipset);
}

/* The predicate itself: location and both IDs must match; no list, no chipset. */
static void chipset_owns_matches_location_and_ids(void **state)
{
	assert_true(chipset_owns(chipset_q35_funcs, PCI_BDF(0, 0x1f, 0), 0x8086, 0x2918));
	assert_false(chipset_owns(chipset_q35_funcs, PCI_BDF(0, 0x1e, 0), 0x8086, 0x2918));
	assert_false(chipset_owns(chipset_q35_funcs, PCI_BDF(1, 0x1f, 0), 0x8086, 0x2918));
	assert_false(chipset_owns(chipset_q35_funcs, PCI_BDF(0, 0x1f, 0), 0x8086, 0x2919));
	assert_true(chipset_owns(chipset_i440fx_funcs, PCI_BDF(0, 1, 3), 0x8086, 0x7113));
	assert_true(chipset_owns(chipset_i440fx_funcs, PCI_BDF(0, 1, 0), 0x8086, 0x7110));
	assert_false(chipset_owns(chipset_i440fx_funcs, PCI_BDF(0, 1, 1), 0x8086, 0x7010));
	assert_false(chipset_owns(NULL, PCI_BDF(0, 0, 0), 0x8086, 0x29c0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(class_0680_devices_are_enumerated, setup),
		cmocka_unit_test_setup(bridge_with_host_class_is_sized_with_decode_off, setup),
		cmocka_unit_test_setup(q35_chipset_functions_left_alone, setup),
		cmocka_unit_test_setup(i440fx_chipset_functions_left_alone, setup),
		cmocka_unit_test_setup(chipset_owns_matches_location_and_ids, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
