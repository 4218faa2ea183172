/* SPDX-License-Identifier: MIT */
/*
 * Table limits: what does not fit is left out by name, with its decode off,
 * and only that; everything else is planned and programmed as usual.
 */
#include "pci_check.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#define HOST(seg) m_dev(seg, 0, 0, 0x8086, 0x29c0, 0x060000, 0)

static int setup(void **state)
{
	m_reset();
	run_init();
	return 0;
}

static unsigned count_logged(const char *s)
{
	unsigned n = 0;

	for (const char *p = M.log; (p = strstr(p, s)); p += strlen(s))
		n++;
	return n;
}

/*
 * 90 functions with six BARs each on bus 0: 540 BARs for 512 table entries.
 * Functions 0-84 fit whole (510), function 85 has two memory BARs in and
 * four I/O BARs out, functions 86-89 are out whole. Each of the 28 excess
 * BARs gets exactly one line naming it; function 85 keeps memory decode
 * (its two BARs work) and loses only I/O; 86-89 lose memory decode; the
 * 512 admitted BARs are all placed and the plan passes pci_verify.
 */
static void resource_table_full(void **state)
{
	enum { NFN = 90, PART = 85 };
	int fn[NFN];
	char line[160], name[24];

	HOST(0);
	for (int i = 0; i < NFN; i++) {
		fn[i] = m_dev(0, 1 + i / 8, i % 8, 0x1234, 0x11e8, 0x00ff00, 1);
		for (int b = 0; b < 6; b++)
			m_bar(fn[i], b, i == PART && b >= 2 ? 16 : KiB(4),
			      i == PART && b >= 2 ? M_IO : M_MEM32);
	}
	assert_int_equal(run_all(NULL, 0, 0), 0);
	assert_int_equal(R.t.nr, PCI_MAX_RES);
	assert_int_equal(R.t.dropped, 28);
	assert_int_equal(R.pl.refused, 0);
	for (unsigned i = 0; i < R.t.nr; i++)
		assert_int_equal(R.t.r[i].p.status, PLAN_ST_PLACED);
	assert_int_equal(count_logged("left out: resource table full (512 entries)"), 28);
	for (int i = PART; i < NFN; i++)
		for (int b = i == PART ? 2 : 0; b < 6; b++) {
			uint16_t bdf = m_bdf(fn[i]);

			snprintf(name, sizeof(name), "%02x:%02x.%x 1234:11e8", PCI_BUS(bdf),
				 PCI_DEV(bdf), PCI_FN(bdf));
			snprintf(line, sizeof(line), "pci: %s BAR%d (0x%llx bytes) left out: resource "
				 "table full (512 entries); %s decode left off\n", name, b,
				 i == PART ? 16ull : (unsigned long long)KiB(4),
				 i == PART ? "I/O" : "memory");
			assert_int_equal(count_logged(line), 1);
			/* The sizing pattern does not stay in the register. */
			assert_int_equal(m_bar_addr(fn[i], b), 0);
		}
	for (int i = 0; i < PART; i++)
		assert_int_equal(m_cmd(fn[i]), 6);
	assert_int_equal(m_cmd(fn[PART]), 6);	/* memory on, I/O off */
	assert_int_not_equal(m_bar_addr(fn[PART], 0), 0);
	assert_int_not_equal(m_bar_addr(fn[PART], 1), 0);
	for (int i = PART + 1; i < NFN; i++)
		assert_int_equal(m_cmd(fn[i]) & 3, 0);
	check_invariants();
}

/* A ROM past the table: named as ROM, nothing else of its function changes. */
static void rom_past_table(void **state)
{
	int last = 0;

	HOST(0);
	/* 85 functions x 6 BARs = 510 entries, then one with a BAR and a ROM and one more BAR. */
	for (int i = 0; i < 85; i++) {
		int f = m_dev(0, 1 + i / 8, i % 8, 0x1234, 0x11e8, 0x00ff00, 0);

		for (int b = 0; b < 6; b++)
			m_bar(f, b, KiB(4), M_MEM32);
	}
	last = m_dev(0, 12, 0, 0x8086, 0x100e, 0x020000, 1);
	m_bar(last, 0, KiB(128), M_MEM32);
	m_bar(last, 1, 64, M_IO);
	m_rom(last, KiB(64));
	run_all(NULL, 0, 0);
	assert_true(m_logged("pci: 00:0c.0 8086:100e ROM (0x10000 bytes) left out: resource table "
			     "full (512 entries); ROM decode left off\n"));
	assert_int_equal(R.t.dropped, 1);
	assert_int_equal(m_cmd(last), 7);	/* both BARs decode */
	assert_int_equal(m_bar_addr(last, 6), 0);
	check_invariants();
}

/*
 * More functions than the table holds: each left-out function is named and
 * stops decoding what an earlier boot left it (its BAR would otherwise sit
 * at a stale address inside the plan).
 */
static void function_table_full_left_out_decode_off(void **state)
{
	int behind[20];
	char line[160];

	HOST(0);
	for (int dev = 1; dev < 31; dev++)
		for (int fn = 0; fn < 8; fn++)
			m_bar(m_dev(0, dev, fn, 0x1234, 0x11e8, 0x00ff00, 1), 0, KiB(4), M_MEM32);
	int br = m_bridge(0, 31, 0, 0x1b36, 0x0001, M_BR_ALL, PCIE_TYPE_NONE, false);

	for (int dev = 0; dev < 20; dev++) {
		behind[dev] = m_dev(m_sec_seg(br), dev, 0, 0x1234, 0x11e8, 0x00ff00, 1);
		m_bar(behind[dev], 0, KiB(4), M_MEM32);
		M.f[behind[dev]].cfg[0x04] = 0x07;
	}
	run_all(NULL, 0, 0);
	assert_int_equal(R.t.nf, PCI_MAX_FUNCS);
	/* 242 functions on bus 0, so 14 behind the bridge fit and 6 do not. */
	for (int dev = 0; dev < 20; dev++) {
		snprintf(line, sizeof(line), "pci: 01:%02x.0 1234:11e8: device table full (256 "
			 "functions), left unconfigured, decode off\n", dev);
		assert_int_equal(count_logged(line), dev < 14 ? 0 : 1);
		if (dev >= 14)
			assert_int_equal(m_cmd(behind[dev]) & 7, 0);
		else
			assert_int_equal(m_cmd(behind[dev]), 6);	/* memory + master */
	}
	assert_int_equal(R.t.dropped, 6);
	check_invariants();
}

/*
 * A bridge past the bridge table: named, its decode off and its bus numbers
 * closed, even those an earlier boot left (they would claim config cycles
 * of buses handed to others).
 */
static void bridge_table_full_closes_stale_buses(void **state)
{
	int br[PCI_MAX_BRIDGES + 2];

	HOST(0);
	for (int i = 0; i < PCI_MAX_BRIDGES + 2; i++) {
		br[i] = m_bridge(0, 1 + i / 8, i % 8, 0x1b36, 0x0001, M_BR_ALL, PCIE_TYPE_NONE,
				 false);
		m_bar(br[i], 0, KiB(4), M_MEM32);
	}
	for (int i = PCI_MAX_BRIDGES; i < PCI_MAX_BRIDGES + 2; i++) {
		M.f[br[i]].cfg[0x04] = 0x07;
		M.f[br[i]].cfg[0x19] = 0x40;
		M.f[br[i]].cfg[0x1A] = 0x41;
	}
	run_all(NULL, 0, 0);
	assert_int_equal(R.t.nb, PCI_MAX_BRIDGES);
	assert_int_equal(R.t.dropped, 2);
	for (int i = PCI_MAX_BRIDGES; i < PCI_MAX_BRIDGES + 2; i++) {
		assert_int_equal(m_reg8(br[i], 0x19), 0);
		assert_int_equal(m_reg8(br[i], 0x1A), 0);
		assert_int_equal(m_cmd(br[i]) & 3, 0);
	}
	assert_true(m_logged("pci: 00:09.0 1b36:0001: bridge table full (64 bridges), left closed"));
	assert_true(m_logged("pci: 00:09.1 1b36:0001: bridge table full (64 bridges), left closed"));
	/* Bridges that fit got consecutive bus numbers and forward as planned. */
	assert_int_equal(m_reg8(br[PCI_MAX_BRIDGES - 1], 0x19), PCI_MAX_BRIDGES);
	check_invariants();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(resource_table_full, setup),
		cmocka_unit_test_setup(rom_past_table, setup),
		cmocka_unit_test_setup(function_table_full_left_out_decode_off, setup),
		cmocka_unit_test_setup(bridge_table_full_closes_stale_buses, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
