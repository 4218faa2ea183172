/* SPDX-License-Identifier: MIT */
/* What the enumerator hands to ACPI and the log: the bridge tree for _PRT, the hole line. */
#include "pci_check.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
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
	assert_true(m_logged("bridge nested 17 deep (limit 16), left closed"));
	pci_windows_fill(&R.t, &R.pl, &W);
	assert_int_equal(W.bridges.n, PCI_MAX_DEPTH);
	assert_int_equal(W.bridges.b[PCI_MAX_DEPTH - 1].parent, PCI_MAX_DEPTH - 2);
	assert_int_equal(W.bridges.b[PCI_MAX_DEPTH - 1].root_slot, 3);
}

/* End of the fixture's RAM below 4 GiB. */
static uint64_t low_ram_top(void)
{
	uint64_t top = 0;

	for (size_t i = 0; i < R.pl.in.nram; i++)
		if (R.pl.in.ram[i].base < GiB(4))
			top = MAX(top, MIN(R.pl.in.ram[i].base + R.pl.in.ram[i].size, GiB(4)));
	return top;
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
	char want[160];

	m_bar(d, 0, MiB(256), M_MEM32 | M_PREF);
	m_bar(d, 2, MiB(1), M_MEM32);
	assert_int_equal(run_all(NULL, 0, 0), 0);
	pci_windows_fill(&R.t, &R.pl, &W);
	assert_false(W.need_more_hole);
	const char *log = hole_line();

	assert_non_null(strstr(log, "pci: hole 0xe0000000-0xffffffff (512 MiB), mmio_hole=512 "
				    "holds all 32-bit demand\n"));
	assert_null(strstr(log, "too small"));
	/* The window reaches down to the top of low RAM: room for hot-plug. */
	assert_int_equal(R.pl.out.hole_floor, low_ram_top());
	snprintf(want, sizeof(want), "pci: mem32 0x%llx+0x%llx, mem64 0x0+0x0, io 0x1000+0xf000, "
		 "ecam 0x0+0x0, 0 bridges for ACPI\n", (unsigned long long)low_ram_top(),
		 (unsigned long long)(0xFEC00000 - low_ram_top()));
	assert_non_null(strstr(log, want));
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
	assert_int_equal(R.pl.out.need_hole_start, 0xE0000000);
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

/* Does one 32-bit window hold [b, e)? */
static bool in_a_window(uint64_t b, uint64_t e)
{
	for (int i = 0; i < ACPI_MAX_MEM32; i++)
		if (W.mem32[i].len && b >= W.mem32[i].base && e <= W.mem32[i].base + W.mem32[i].len)
			return true;
	return false;
}

/* Every placed root-level memory resource below 4 GiB is in a window; the ECAM in none. */
static void check_windows_cover_plan(void)
{
	for (unsigned i = 0; i < R.t.nr; i++) {
		const struct pci_res *r = &R.t.r[i];
		uint64_t e = r->p.addr + r->p.size;

		if (r->parent < 0 && r->p.status == PLAN_ST_PLACED && r->p.kind != PLAN_IO &&
		    e <= GiB(4) && !in_a_window(r->p.addr, e))
			fail_msg("resource %u [0x%llx, 0x%llx) is in no 32-bit window", i,
				 (unsigned long long)r->p.addr, (unsigned long long)e);
	}
	for (int i = 0; i < ACPI_MAX_MEM32; i++)
		if (W.ecam_len && W.mem32[i].len && W.ecam_base < W.mem32[i].base + W.mem32[i].len &&
		    W.mem32[i].base < W.ecam_base + W.ecam_len)
			fail_msg("window %d overlaps the ECAM", i);
}

static const uint8_t fake_dsdt[36] = { 'D', 'S', 'D', 'T', 36 };

/* acpi_build with these windows; returns the SSDT. */
static const uint8_t *build_ssdt(uint32_t *len)
{
	static uint8_t buf[64 * 1024];
	static struct acpi_config cfg;
	struct acpi_result res;

	memset(&cfg, 0, sizeof(cfg));
	cfg.chipset = ACPI_CHIPSET_Q35;
	cfg.dsdt = fake_dsdt;
	cfg.dsdt_len = sizeof(fake_dsdt);
	cfg.ncpus = 1;
	cfg.pm_base = 0xB000;
	cfg.sci_irq = 9;
	pci_windows_to_acpi(&W, &cfg);
	assert_int_equal(acpi_build(&cfg, buf, sizeof(buf), 0xE0000, &res), 0);
	for (uint32_t i = 0; i < res.ntables; i++)
		if (!strcmp(res.tables[i].sig, "SSDT")) {
			*len = res.tables[i].len;
			return buf + (res.tables[i].addr - 0xE0000);
		}
	fail_msg("no SSDT");
	return NULL;
}

/* How many DWordMemory descriptors in p say exactly [base, base + len)? */
static unsigned dword_windows(const uint8_t *p, uint32_t n, uint64_t base, uint64_t len)
{
	uint8_t want[8];
	unsigned hits = 0;

	for (int i = 0; i < 4; i++) {
		want[i] = (uint8_t)(base >> (8 * i));
		want[4 + i] = (uint8_t)((base + len - 1) >> (8 * i));
	}
	/* 0x87, length 0x17, then type, flags, flags, granularity: min and max at +10. */
	for (uint32_t i = 0; i + 18 <= n; i++)
		hits += p[i] == 0x87 && p[i + 1] == 0x17 && !memcmp(p + i + 10, want, 8);
	return hits;
}

/*
 * qemu -M q35 -device VGA,vgamem_mb=256: the 256 MiB BAR takes the lowest
 * 256 MiB slot of the hole and the ECAM sits above it. The 32-bit windows
 * are the space from the top of low RAM on both sides of the ECAM; ACPI takes them (it used to
 * refuse the ECAM inside the one window and the boot stopped there).
 */
static void ecam_in_middle_two_windows(void **state)
{
	int vga = m_dev(0, 1, 0, 0x1234, 0x1111, 0x030000, 0);
	int nic = m_dev(0, 2, 0, 0x8086, 0x10d3, 0x020000, 1);
	uint32_t n;
	char line[256];

	m_bar(vga, 0, MiB(256), M_MEM32 | M_PREF);
	m_bar(vga, 2, KiB(4), M_MEM32);
	m_bar(nic, 0, KiB(128), M_MEM32);
	assert_int_equal(run_all(NULL, 0, MiB(64)), 0);
	check_invariants();
	pci_windows_fill(&R.t, &R.pl, &W);
	uint64_t e = W.ecam_base;

	assert_int_equal(W.ecam_len, MiB(64));
	assert_true(e > W.hole_start);
	assert_int_equal(W.mem32[0].base, low_ram_top());
	assert_int_equal(W.mem32[0].base + W.mem32[0].len, e);
	assert_int_equal(W.mem32[1].base, e + MiB(64));
	assert_int_equal(W.mem32[1].base + W.mem32[1].len, 0xFEC00000);
	assert_int_equal(W.mem32[2].len, 0);
	assert_false(W.mem32_joined);
	check_windows_cover_plan();

	const uint8_t *ssdt = build_ssdt(&n);

	assert_int_equal(dword_windows(ssdt, n, W.mem32[0].base, W.mem32[0].len), 1);
	assert_int_equal(dword_windows(ssdt, n, W.mem32[1].base, W.mem32[1].len), 1);
	snprintf(line, sizeof(line), "pci: mem32 0x%llx+0x%llx, mem64 0x%llx+0x%llx, io 0x1000+0xf000, "
		 "ecam 0x%llx+0x4000000, more mem32 0x%llx+0x%llx, 0 bridges for ACPI\n",
		 (unsigned long long)W.mem32[0].base, (unsigned long long)W.mem32[0].len,
		 (unsigned long long)W.mem64_base, (unsigned long long)W.mem64_len,
		 (unsigned long long)e, (unsigned long long)W.mem32[1].base,
		 (unsigned long long)W.mem32[1].len);
	assert_non_null(strstr(hole_line(), line));
}

/* A platform page inside the hole: the windows go around it, BARs too. */
static void windows_skip_reservations(void **state)
{
	struct plan_range rsv[2] = {
		{ 0xFE000000, MiB(1), "platform page" },
		{ 0xFEC00000, GiB(4) - 0xFEC00000, "ioapic..4g" },
	};
	int d = m_dev(0, 3, 0, 0x1234, 0x11e8, 0x00ff00, 1);

	m_bar(d, 0, MiB(32), M_MEM32);
	m_bar(d, 2, MiB(8), M_MEM32);
	m_bar(d, 4, MiB(1), M_MEM32);
	R.pl.in.mem_reserved = rsv;
	R.pl.in.nmem_reserved = 2;
	assert_int_equal(run_all(NULL, 0, 0), 0);
	check_invariants();
	pci_windows_fill(&R.t, &R.pl, &W);
	assert_true(low_ram_top() < W.hole_start);
	assert_int_equal(W.mem32[0].base, low_ram_top());
	assert_int_equal(W.mem32[0].base + W.mem32[0].len, 0xFE000000);
	assert_int_equal(W.mem32[1].base, 0xFE100000);
	assert_int_equal(W.mem32[1].base + W.mem32[1].len, 0xFEC00000);
	check_windows_cover_plan();
}

/*
 * Seven reservations scattered through the hole leave eight ranges: the
 * closest neighbours are joined across the reservations between them until
 * four remain, never across the ECAM, and the log says so.
 */
static void too_many_pieces_joined(void **state)
{
	struct plan_range rsv[8];
	int d = m_dev(0, 3, 0, 0x1234, 0x11e8, 0x00ff00, 1);
	uint32_t n;

	for (int i = 0; i < 7; i++)
		rsv[i] = (struct plan_range){ 0xF8000000 + (uint64_t)i * MiB(16), MiB(1) + i * KiB(64),
					      "scattered" };
	rsv[7] = (struct plan_range){ 0xFEC00000, GiB(4) - 0xFEC00000, "ioapic..4g" };
	m_bar(d, 0, MiB(64), M_MEM32);
	m_bar(d, 2, MiB(4), M_MEM32);
	R.pl.in.mem_reserved = rsv;
	R.pl.in.nmem_reserved = 8;
	assert_int_equal(run_all(NULL, 0, MiB(64)), 0);
	check_invariants();
	pci_windows_fill(&R.t, &R.pl, &W);
	assert_true(W.mem32_joined);
	for (int i = 0; i < ACPI_MAX_MEM32; i++) {
		assert_int_not_equal(W.mem32[i].len, 0);
		if (i)
			assert_true(W.mem32[i].base > W.mem32[i - 1].base + W.mem32[i - 1].len);
	}
	assert_int_equal(W.mem32[ACPI_MAX_MEM32 - 1].base + W.mem32[ACPI_MAX_MEM32 - 1].len,
			 0xFEC00000);
	check_windows_cover_plan();
	build_ssdt(&n);
	assert_non_null(strstr(hole_line(), "the closest were joined across the reservations"));
}

/*
 * Joining never crosses the ECAM, even where its gap is the smallest:
 * a hand-made plan with four 128 MiB reservations and a 64 MiB ECAM in a
 * 2 GiB hole leaves six ranges; two joins across reservations make four.
 */
static void join_never_covers_ecam(void **state)
{
	struct plan_range rsv[5] = {
		{ 0x88000000, MiB(128), "a" }, { 0x98000000, MiB(128), "b" },
		{ 0xA8000000, MiB(128), "c" }, { 0xD0000000, MiB(128), "d" },
		{ 0xFEC00000, GiB(4) - 0xFEC00000, "ioapic..4g" },
	};

	R.pl.in.mem_reserved = rsv;
	R.pl.in.nmem_reserved = 5;
	R.pl.out.hole_start = 0x80000000;
	R.pl.out.hole_floor = 0x80000000;
	R.pl.out.hole_size = GiB(2);
	R.pl.ecam_base = 0xC0000000;
	R.pl.ecam_size = MiB(64);
	pci_windows_fill(&R.t, &R.pl, &W);
	assert_true(W.mem32_joined);
	check_windows_cover_plan();
	/* The ECAM's neighbours stay apart: one window ends at it, the next starts after it. */
	bool below = false, above = false;

	for (int i = 0; i < ACPI_MAX_MEM32; i++) {
		assert_int_not_equal(W.mem32[i].len, 0);
		below |= W.mem32[i].base + W.mem32[i].len == 0xC0000000;
		above |= W.mem32[i].base == 0xC4000000;
	}
	assert_true(below && above);
	assert_int_equal(W.mem32[0].base, 0x80000000);
	assert_int_equal(W.mem32[3].base + W.mem32[3].len, 0xFEC00000);
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
		cmocka_unit_test_setup(ecam_in_middle_two_windows, setup),
		cmocka_unit_test_setup(windows_skip_reservations, setup),
		cmocka_unit_test_setup(too_many_pieces_joined, setup),
		cmocka_unit_test_setup(join_never_covers_ecam, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
