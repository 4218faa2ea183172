/* SPDX-License-Identifier: MIT */
/* Enumerator on a single bus: sizing, placement, decode order, access budget, limits. */
#include "pci_check.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#define HOST(seg) m_dev(seg, 0, 0, 0x8086, 0x29c0, 0x060000, 0)

static int setup(void **state)
{
	m_reset();
	run_init();
	return 0;
}

static void bus0_basic(void **state)
{
	int host = HOST(0);
	int d1 = m_dev(0, 1, 0, 0x1b36, 0x0005, 0x00ff00, 1);
	int d2 = m_dev(0, 2, 0, 0x1af4, 0x1110, 0x050000, 2);
	int d3 = m_dev(0, 3, 0, 0x1234, 0x11e8, 0x00ff00, 1);
	int d31 = m_dev(0, 3, 1, 0x1234, 0x11e8, 0x00ff00, 3);
	int d4 = m_dev(0, 4, 0, 0x1b36, 0x0005, 0x00ff00, 0);

	m_bar(d1, 0, 256, M_IO);
	m_bar(d1, 1, KiB(4), M_MEM32);
	m_rom(d1, KiB(64));
	m_bar(d2, 0, GiB(2), M_MEM64 | M_PREF);
	m_bar(d2, 2, KiB(16), M_MEM32);
	m_bar(d3, 0, MiB(1), M_MEM32);
	m_bar(d31, 0, MiB(1), M_MEM32);
	m_bar(d4, 2, GiB(8), M_MEM64 | M_PREF);

	assert_int_equal(run_all(NULL, 0, 0), 0);
	assert_int_equal(R.t.nf, 6);
	assert_int_equal(R.t.nb, 0);
	/* The chipset's host bridge is neither sized nor switched on. */
	assert_int_equal(m_cmd(host), 0);
	assert_int_equal(R.t.f[0].nres, 0);

	assert_int_equal(m_cmd(d1), 7);
	uint64_t io = m_bar_addr(d1, 0);

	assert_true(io >= 0x1000 && io + 256 <= 0x10000 && io % 256 == 0);
	assert_int_equal(m_bar_addr(d1, 1) % KiB(4), 0);
	assert_int_not_equal(m_bar_addr(d1, 6), 0);
	/* 64-bit BAR: both halves written, aligned to its size, above RAM. */
	uint64_t big = m_bar_addr(d2, 0);

	assert_int_equal(big % GiB(2), 0);
	assert_true(big >= GiB(4));
	assert_int_equal(m_cmd(d2), 6);		/* no I/O BAR: memory + master only */
	/* Sizes above 4 GiB need the upper half of the sizing read. */
	assert_int_equal(m_bar_addr(d4, 2) % GiB(8), 0);
	assert_int_equal(R.t.r[run_func(d4)->res_first].p.size, GiB(8));
	assert_int_equal(m_reg8(d4, 0x3C), 0);	/* no pin: line untouched */
	/* Interrupt line from (slot, pin) directly on bus 0. */
	assert_int_equal(m_reg8(d1, 0x3C), test_intx(1, 1));
	assert_int_equal(m_reg8(d2, 0x3C), test_intx(2, 2));
	assert_int_equal(m_reg8(d31, 0x3C), test_intx(3, 3));
	check_invariants();
}

/* Config accesses are traps under Xen: pin the exact cost of a scan. */
static void access_budget(void **state)
{
	HOST(0);
	pci_scan(&R.t, &model_access);
	/* Host bridge: id, header, command, class, pin; 31 empty slots: one read each. */
	assert_int_equal(M.reads + M.writes, 5 + 31);

	m_reset();
	HOST(0);
	int d = m_dev(0, 1, 0, 0x1234, 0x11e8, 0x00ff00, 1);

	m_bar(d, 0, KiB(4), M_MEM32);
	assert_int_equal(run_all(NULL, 0, 0), 0);
	/*
	 * scan: 5 + 30 empty + device 5 + 6 BARs x 2 + ROM 2;
	 * apply: BAR0 1 + interrupt line 1 + command 1.
	 */
	assert_int_equal(M.reads + M.writes, 5 + 30 + 5 + 12 + 2 + 3);
}

/* Decode left on by someone else is turned off before sizing, on again only at the end. */
static void decode_off_while_programming(void **state)
{
	HOST(0);
	int d = m_dev(0, 1, 0, 0x1234, 0x11e8, 0x00ff00, 1);
	int e = m_dev(0, 2, 0, 0x1b36, 0x0005, 0x00ff00, 1);

	m_bar(d, 0, MiB(1), M_MEM32);
	m_bar(e, 1, 64, M_IO);
	M.f[d].cfg[0x04] = 0x07;
	M.f[e].cfg[0x04] = 0x03;
	run_all(NULL, 0, 0);
	assert_int_equal(M.addr_writes_while_decoding, 0);
	assert_true(M.first_decode_on != ~0u);
	assert_true(M.last_addr_write < M.first_decode_on);
	assert_int_equal(m_cmd(d), 6);
	assert_int_equal(m_cmd(e), 5);
	check_invariants();
}

/*
 * A pin over RAM is refused with one line naming the conflict: that device
 * loses memory decode (a moved 1:1 BAR would desync from its driver),
 * everything else works.
 */
static void refused_pin(void **state)
{
	HOST(0);
	int d = m_dev(0, 1, 0, 0x1b36, 0x0005, 0x00ff00, 1);
	int e = m_dev(0, 2, 0, 0x1234, 0x11e8, 0x00ff00, 1);

	m_bar(d, 0, KiB(4), M_MEM32);
	m_bar(d, 1, 256, M_IO);
	m_bar(d, 2, KiB(4), M_MEM32);
	m_bar(e, 0, MiB(1), M_MEM32);
	struct pci_pin pin = { PCI_BDF(0, 1, 0), 0, 0x10000000 };

	assert_int_equal(run_all(&pin, 1, 0), 1);
	/* BAR2 was placed, but memory decode would also open BAR0: it stays off. */
	assert_int_equal(m_cmd(d), 5);
	assert_int_equal(m_bar_addr(d, 0), 0);
	assert_int_not_equal(m_bar_addr(d, 2), 0);
	assert_int_equal(m_cmd(e), 6);
	assert_true(m_logged("00:01.0 1b36:0005 BAR0 (0x1000 bytes) refused: pin overlaps RAM; "
			     "pin 0x10000000 vs "));
	assert_true(m_logged("memory decode left off"));
	check_invariants();
}

/* A pinned BAR on bus 0 lands exactly where the configuration says. */
static void pinned_bus0(void **state)
{
	HOST(0);
	int d = m_dev(0, 1, 0, 0x10de, 0x1234, 0x030000, 1);

	m_bar(d, 0, MiB(16), M_MEM32);
	m_bar(d, 1, MiB(256), M_MEM64 | M_PREF);
	struct pci_pin pins[] = {
		{ PCI_BDF(0, 1, 0), 0, 0xF6000000 },
		{ PCI_BDF(0, 1, 0), 1, 0xE0000000 },
	};

	assert_int_equal(run_all(pins, 2, 0), 0);
	assert_int_equal(m_bar_addr(d, 0), 0xF6000000);
	assert_int_equal(m_bar_addr(d, 1), 0xE0000000);
	assert_true(m_logged("pinned"));
	check_invariants();
}

/* More bridges than the table holds: logged by name, skipped, no crash. */
static void bridge_limit(void **state)
{
	int last = 0;

	HOST(0);
	for (int i = 0; i < 70; i++) {
		last = m_bridge(0, 1 + i / 8, i % 8, 0x1b36, 0x0001, M_BR_ALL, PCIE_TYPE_NONE, false);
		m_bar(last, 0, KiB(4), M_MEM32);
	}
	run_all(NULL, 0, 0);
	/* A bridge left out never forwards: its reset windows would decode 0-1 MiB. */
	assert_int_equal(m_cmd(last) & 3, 0);
	assert_int_equal(m_reg8(last, 0x19), 0);
	assert_int_equal(R.t.nb, PCI_MAX_BRIDGES);
	assert_int_equal(R.t.nf, 71);
	assert_true(R.t.dropped >= 6);
	assert_true(m_logged("bridge table full"));
	assert_true(m_logged("00:09.0 1b36:0001: bridge table full"));
	check_invariants();
}

static void function_limit(void **state)
{
	HOST(0);
	for (int dev = 1; dev < 31; dev++)
		for (int fn = 0; fn < 8; fn++)
			m_bar(m_dev(0, dev, fn, 0x1234, 0x11e8, 0x00ff00, 1), 0, KiB(4), M_MEM32);
	int br = m_bridge(0, 31, 0, 0x1b36, 0x0001, M_BR_ALL, PCIE_TYPE_NONE, false);

	for (int dev = 0; dev < 20; dev++)
		m_bar(m_dev(m_sec_seg(br), dev, 0, 0x1234, 0x11e8, 0x00ff00, 1), 0, KiB(4), M_MEM32);
	run_all(NULL, 0, 0);
	assert_int_equal(R.t.nf, PCI_MAX_FUNCS);
	assert_int_equal(R.t.dropped, 262 - PCI_MAX_FUNCS);
	assert_true(m_logged("device table full"));
	check_invariants();
}

/*
 * Q35 with small BARs: the ECAM takes the lowest 256 MiB-aligned slot of
 * the hole and the BARs sit above it. The 32-bit windows are everything
 * from the hole's floor (the top of low RAM, room for hot-plug) up to the
 * IOAPIC except the ECAM: one below it, one above.
 */
static void ecam_window(void **state)
{
	struct pci_windows w;

	HOST(0);
	m_bar(m_dev(0, 1, 0, 0x1234, 0x11e8, 0x00ff00, 1), 0, MiB(1), M_MEM32);
	assert_int_equal(run_all(NULL, 0, MiB(64)), 0);
	assert_int_not_equal(R.pl.ecam_base, 0);
	assert_int_equal(R.pl.ecam_base % MiB(256), 0);
	pci_windows_fill(&R.t, &R.pl, &w);
	assert_int_equal(w.bus0_slots, 1u << 0 | 1u << 1);	/* host bridge and 00:01.0 */
	assert_int_equal(w.bus_start, 0);
	assert_int_equal(w.bus_end, 63);
	assert_int_equal(w.ecam_base, R.pl.ecam_base);
	assert_int_equal(w.ecam_len, MiB(64));
	assert_int_equal(w.hole_start, w.ecam_base);
	assert_true(R.pl.out.hole_floor < w.ecam_base);
	assert_int_equal(w.mem32[0].base, R.pl.out.hole_floor);
	assert_int_equal(w.mem32[0].base + w.mem32[0].len, w.ecam_base);
	assert_int_equal(w.mem32[1].base, w.ecam_base + MiB(64));
	assert_int_equal(w.mem32[1].base + w.mem32[1].len, 0xFEC00000);
	assert_int_equal(w.mem32[2].len, 0);
	assert_false(w.mem32_joined);
	assert_int_equal(w.io_base, 0x1000);
	assert_int_equal(w.io_len, 0xF000);
	uint64_t bar = m_bar_addr(1, 0);

	assert_true(bar >= w.mem32[1].base && bar < w.mem32[1].base + w.mem32[1].len);
	check_invariants();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(bus0_basic, setup),
		cmocka_unit_test_setup(access_budget, setup),
		cmocka_unit_test_setup(decode_off_while_programming, setup),
		cmocka_unit_test_setup(refused_pin, setup),
		cmocka_unit_test_setup(pinned_bus0, setup),
		cmocka_unit_test_setup(bridge_limit, setup),
		cmocka_unit_test_setup(function_limit, setup),
		cmocka_unit_test_setup(ecam_window, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
