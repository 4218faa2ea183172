/* SPDX-License-Identifier: MIT */
/* Enumerator across bridges: bus numbers, windows, reservations, swizzle, pins. */
#include "pci_check.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

static int setup(void **state)
{
	m_reset();
	run_init();
	m_dev(0, 0, 0, 0x8086, 0x29c0, 0x060000, 0);
	return 0;
}

static void assert_buses(int br, unsigned sec, unsigned sub)
{
	assert_int_equal(m_reg8(br, 0x19), sec);
	assert_int_equal(m_reg8(br, 0x1A), sub);
}

static uint64_t win_size(int br, int w)
{
	uint64_t b, l;

	return m_window(br, w, &b, &l) ? l - b + 1 : 0;
}

/*
 * 00:01.0 root port (hot-plug) -> endpoint
 * 00:02.0 root port -> switch up -> down 0 (-> endpoint with 2 GiB 64-bit BAR, ROM), down 1 (empty, hot-plug)
 * 00:03.0 pcie-pci bridge -> 01.0 pci-bridge -> devices at 2 and 3
 * 00:04.0 bridge -> 05.0 bridge -> 06.0 bridge -> device at 7
 */
static void full_topology(void **state)
{
	int rp1 = m_bridge(0, 1, 0, 0x8086, 0x3420, M_BR_ALL, PCIE_TYPE_ROOT_PORT, true);
	int ep1 = m_dev(m_sec_seg(rp1), 0, 0, 0x1b36, 0x0005, 0x00ff00, 1);
	int rp2 = m_bridge(0, 2, 0, 0x8086, 0x3420, M_BR_ALL, PCIE_TYPE_ROOT_PORT, false);
	int up = m_bridge(m_sec_seg(rp2), 0, 0, 0x104c, 0x8232, M_BR_ALL, PCIE_TYPE_UPSTREAM, false);
	int dn0 = m_bridge(m_sec_seg(up), 0, 0, 0x104c, 0x8233, M_BR_ALL, PCIE_TYPE_DOWNSTREAM, true);
	int dn1 = m_bridge(m_sec_seg(up), 1, 0, 0x104c, 0x8233, M_BR_ALL, PCIE_TYPE_DOWNSTREAM, true);
	int gpu = m_dev(m_sec_seg(dn0), 0, 0, 0x10de, 0x1db6, 0x030200, 1);
	int ppb = m_bridge(0, 3, 0, 0x1b36, 0x000e, M_BR_ALL, PCIE_TYPE_PCIE_TO_PCI, false);
	int pb = m_bridge(m_sec_seg(ppb), 1, 0, 0x1b36, 0x0001, M_BR_ALL, PCIE_TYPE_NONE, true);
	int a = m_dev(m_sec_seg(pb), 2, 0, 0x1234, 0x11e8, 0x00ff00, 1);
	int b = m_dev(m_sec_seg(pb), 3, 0, 0x1b36, 0x0005, 0x00ff00, 2);
	int n1 = m_bridge(0, 4, 0, 0x1b36, 0x0001, M_BR_ALL, PCIE_TYPE_NONE, false);
	int n2 = m_bridge(m_sec_seg(n1), 5, 0, 0x1b36, 0x0001, M_BR_ALL, PCIE_TYPE_NONE, false);
	int n3 = m_bridge(m_sec_seg(n2), 6, 0, 0x1b36, 0x0001, M_BR_ALL, PCIE_TYPE_NONE, false);
	int deep = m_dev(m_sec_seg(n3), 7, 0, 0x1234, 0x11e8, 0x00ff00, 1);

	m_bar(rp1, 0, KiB(4), M_MEM32);
	m_bar(ep1, 0, KiB(16), M_MEM32);
	m_bar(ep1, 1, 32, M_IO);
	m_bar(gpu, 0, MiB(16), M_MEM32);
	m_bar(gpu, 1, GiB(2), M_MEM64 | M_PREF);
	m_bar(gpu, 3, MiB(32), M_MEM64 | M_PREF);
	m_rom(gpu, KiB(512));
	m_bar(a, 0, MiB(1), M_MEM32);
	m_bar(b, 0, KiB(4), M_MEM32);
	m_bar(b, 1, 256, M_IO);
	m_bar(deep, 0, MiB(1), M_MEM32);

	assert_int_equal(run_all(NULL, 0, 0), 0);
	assert_int_equal(R.t.nb, 10);
	assert_int_equal(R.t.last_bus, 10);
	assert_buses(rp1, 1, 1);
	assert_buses(rp2, 2, 5);
	assert_buses(up, 3, 5);
	assert_buses(dn0, 4, 4);
	assert_buses(dn1, 5, 5);
	assert_buses(ppb, 6, 7);
	assert_buses(pb, 7, 7);
	assert_buses(n1, 8, 10);
	assert_buses(n2, 9, 10);
	assert_buses(n3, 10, 10);
	/* Every function was found where the bus numbers say. */
	assert_non_null(run_func(deep));
	assert_int_equal(m_bdf(deep), PCI_BDF(10, 7, 0));
	assert_int_equal(m_bdf(b), PCI_BDF(7, 3, 0));

	/* The 2 GiB BAR sits in a 64-bit prefetchable window above 4 GiB, all the way up. */
	assert_true(m_bar_addr(gpu, 1) >= GiB(4));
	assert_true(win_size(dn0, PCI_WIN_PREF) >= GiB(2) + MiB(32));
	assert_true(win_size(rp2, PCI_WIN_PREF) >= GiB(2) + MiB(32));
	/* Empty hot-plug port keeps the default reservation; a plain one stays closed. */
	assert_int_equal(win_size(dn1, PCI_WIN_IO), PCI_HP_IO);
	assert_int_equal(win_size(dn1, PCI_WIN_MEM), PCI_HP_MEM);
	assert_int_equal(win_size(dn1, PCI_WIN_PREF), PCI_HP_PREF);
	assert_int_equal(win_size(rp1, PCI_WIN_PREF), PCI_HP_PREF);
	assert_int_equal(win_size(n3, PCI_WIN_PREF), 0);
	assert_int_equal(win_size(n3, PCI_WIN_IO), 0);
	assert_int_equal(win_size(n3, PCI_WIN_MEM), MiB(1));
	assert_int_equal(win_size(pb, PCI_WIN_IO), KiB(4));
	/* Bridges forward and master. */
	assert_int_equal(m_cmd(n3) & 6, 6);
	assert_int_equal(m_cmd(ep1), 7);

	/* Interrupt lines: pin swizzled at every bridge up to the bus-0 slot. */
	assert_int_equal(m_reg8(ep1, 0x3C), test_intx(1, 1));
	assert_int_equal(m_reg8(gpu, 0x3C), test_intx(2, 1));
	assert_int_equal(m_reg8(a, 0x3C), test_intx(3, 4));
	assert_int_equal(m_reg8(b, 0x3C), test_intx(3, 2));
	assert_int_equal(m_reg8(deep, 0x3C), test_intx(4, 3));
	check_invariants();
}

/* QEMU's resource-reserve capability, honoured on Red Hat bridges only. */
static void reserve_capability(void **state)
{
	int rh = m_bridge(0, 1, 0, 0x1b36, 0x000c, M_BR_ALL, PCIE_TYPE_ROOT_PORT, true);
	int other = m_bridge(0, 2, 0, 0x8086, 0x3420, M_BR_ALL, PCIE_TYPE_ROOT_PORT, true);

	m_reserve_cap(rh, 3, 0, MiB(8), 0xFFFFFFFF, MiB(64));
	m_reserve_cap(other, 3, 0, MiB(8), 0xFFFFFFFF, MiB(64));
	assert_int_equal(run_all(NULL, 0, 0), 0);
	assert_buses(rh, 1, 4);
	assert_buses(other, 5, 5);
	assert_int_equal(win_size(rh, PCI_WIN_IO), 0);
	assert_int_equal(win_size(rh, PCI_WIN_MEM), MiB(8));
	assert_int_equal(win_size(rh, PCI_WIN_PREF), MiB(64));
	assert_int_equal(win_size(other, PCI_WIN_IO), PCI_HP_IO);
	assert_int_equal(win_size(other, PCI_WIN_MEM), PCI_HP_MEM);
	assert_int_equal(win_size(other, PCI_WIN_PREF), PCI_HP_PREF);
	check_invariants();
}

/* A pinned BAR behind a root port lands exactly; the port's window follows it. */
static void pinned_behind_bridge(void **state)
{
	int rp = m_bridge(0, 1, 0, 0x8086, 0x3420, M_BR_ALL, PCIE_TYPE_ROOT_PORT, false);
	int d = m_dev(m_sec_seg(rp), 0, 0, 0x10de, 0x1db6, 0x030000, 1);
	int e = m_dev(0, 2, 0, 0x1234, 0x11e8, 0x00ff00, 1);

	m_bar(d, 0, MiB(16), M_MEM32);
	m_bar(d, 1, MiB(1), M_MEM32);
	m_bar(e, 0, MiB(1), M_MEM32);
	struct pci_pin pin = { PCI_BDF(1, 0, 0), 0, 0xF5000000 };

	assert_int_equal(run_all(&pin, 1, 0), 0);
	assert_int_equal(m_bar_addr(d, 0), 0xF5000000);
	check_invariants();
}

/*
 * A pin over RAM behind two bridges is refused alone: its bridge windows and
 * its siblings are placed as usual; only that device's memory decode is off.
 */
static void bad_pin_behind_bridges(void **state)
{
	int br = m_bridge(0, 1, 0, 0x1b36, 0x000e, M_BR_ALL, PCIE_TYPE_NONE, false);
	int nb = m_bridge(m_sec_seg(br), 1, 0, 0x1b36, 0x0001, M_BR_ALL, PCIE_TYPE_NONE, false);
	int d = m_dev(m_sec_seg(nb), 2, 0, 0x1234, 0x11e8, 0x00ff00, 1);
	int e = m_dev(m_sec_seg(nb), 3, 0, 0x8086, 0x100e, 0x020000, 1);

	m_bar(d, 0, MiB(1), M_MEM32);
	m_bar(e, 0, KiB(128), M_MEM32);
	m_bar(e, 1, 64, M_IO);
	struct pci_pin pin = { PCI_BDF(2, 2, 0), 0, 0x20000000 };

	assert_int_equal(run_all(&pin, 1, 0), 1);
	assert_true(m_logged("02:02.0 1234:11e8 BAR0 (0x100000 bytes) refused: pin overlaps RAM; "
			     "pin 0x20000000"));
	assert_false(m_logged("window above was refused"));
	assert_false(m_logged("window (0x"));
	assert_int_equal(m_bar_addr(d, 0), 0);
	assert_int_equal(m_cmd(d) & 2, 0);
	assert_int_not_equal(m_bar_addr(e, 0), 0);
	assert_int_equal(m_cmd(e) & 3, 3);
	check_invariants();
}

/* Behind a bridge without an I/O window, I/O BARs are refused; memory still works. */
static void bridge_without_io(void **state)
{
	int br = m_bridge(0, 1, 0, 0x1b36, 0x0001, M_BR_PREF | M_BR_PREF64, PCIE_TYPE_NONE, false);
	int d = m_dev(m_sec_seg(br), 0, 0, 0x1b36, 0x0005, 0x00ff00, 1);

	m_bar(d, 0, KiB(4), M_MEM32);
	m_bar(d, 1, 256, M_IO);
	assert_int_equal(run_all(NULL, 0, 0), 1);
	assert_int_equal(m_cmd(d), 6);
	assert_true(m_logged("01:00.0 1b36:0005 BAR1"));
	assert_true(m_logged("no window"));
	check_invariants();
}

/* A 32-bit prefetchable BAR behind a 64-bit prefetchable window stays below 4 GiB. */
static void pref32_behind_pref64(void **state)
{
	int rp = m_bridge(0, 1, 0, 0x8086, 0x3420, M_BR_ALL, PCIE_TYPE_ROOT_PORT, false);
	int d = m_dev(m_sec_seg(rp), 0, 0, 0x1234, 0x1111, 0x030000, 1);

	m_bar(d, 0, MiB(16), M_MEM32 | M_PREF);
	m_bar(d, 2, MiB(64), M_MEM64 | M_PREF);
	assert_int_equal(run_all(NULL, 0, 0), 0);
	assert_true(m_bar_addr(d, 0) + MiB(16) <= GiB(4));
	assert_true(m_bar_addr(d, 2) >= GiB(4));
	check_invariants();
}

/* Below a root or downstream port only device 0 can exist: the scan costs one probe. */
static void one_device_below_port(void **state)
{
	int rp = m_bridge(0, 1, 0, 0x8086, 0x3420, M_BR_ALL, PCIE_TYPE_ROOT_PORT, false);
	int d0 = m_dev(m_sec_seg(rp), 0, 0, 0x1234, 0x11e8, 0x00ff00, 1);
	/* Not possible on real PCIe; a model can show it is never looked for. */
	int phantom = m_dev(m_sec_seg(rp), 1, 0, 0x1234, 0x11e8, 0x00ff00, 1);

	m_bar(d0, 0, MiB(1), M_MEM32);
	m_bar(phantom, 0, MiB(1), M_MEM32);
	run_all(NULL, 0, 0);
	assert_non_null(run_func(d0));
	assert_null(run_func(phantom));
	check_invariants();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(full_topology, setup),
		cmocka_unit_test_setup(reserve_capability, setup),
		cmocka_unit_test_setup(pinned_behind_bridge, setup),
		cmocka_unit_test_setup(bad_pin_behind_bridges, setup),
		cmocka_unit_test_setup(bridge_without_io, setup),
		cmocka_unit_test_setup(pref32_behind_pref64, setup),
		cmocka_unit_test_setup(one_device_below_port, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
