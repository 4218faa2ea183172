/* SPDX-License-Identifier: MIT */
/*
 * pci_verify: plans the enumerator makes pass; the same plans with one
 * thing broken at a time are caught, with a message naming both ranges.
 */
#include "pci_check.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#define HOST(seg) m_dev(seg, 0, 0, 0x8086, 0x29c0, 0x060000, 0)

static int d1, d2, br, c1, c2, br2, c3;

/*
 * 00:01.0  1 MiB mem32, 1 GiB mem64-pref, 256 B I/O
 * 00:02.0  64 KiB mem32
 * 00:03.0  bridge (I/O, 64-bit prefetchable) -> 01:00.0 1 MiB mem32, 1 MiB mem64
 *          (non-prefetchable: in the memory window), 64 B I/O; 01:01.0 4 KiB mem32
 * 00:04.0  bridge with a 32-bit prefetchable window -> 02:00.0 2 MiB mem64-pref
 * and a 64 MiB ECAM.
 */
static int setup(void **state)
{
	m_reset();
	run_init();
	HOST(0);
	d1 = m_dev(0, 1, 0, 0x1234, 0x11e8, 0x00ff00, 1);
	m_bar(d1, 0, MiB(1), M_MEM32);
	m_bar(d1, 2, GiB(1), M_MEM64 | M_PREF);
	m_bar(d1, 4, 256, M_IO);
	d2 = m_dev(0, 2, 0, 0x1b36, 0x0005, 0x00ff00, 1);
	m_bar(d2, 0, KiB(64), M_MEM32);
	br = m_bridge(0, 3, 0, 0x1b36, 0x0001, M_BR_ALL, PCIE_TYPE_NONE, false);
	c1 = m_dev(m_sec_seg(br), 0, 0, 0x8086, 0x100e, 0x020000, 1);
	m_bar(c1, 0, MiB(1), M_MEM32);
	m_bar(c1, 2, MiB(1), M_MEM64);
	m_bar(c1, 4, 64, M_IO);
	c2 = m_dev(m_sec_seg(br), 1, 0, 0x1234, 0x11e8, 0x00ff00, 1);
	m_bar(c2, 0, KiB(4), M_MEM32);
	br2 = m_bridge(0, 4, 0, 0x1b36, 0x0001, M_BR_IO | M_BR_PREF, PCIE_TYPE_NONE, false);
	c3 = m_dev(m_sec_seg(br2), 0, 0, 0x1234, 0x11e8, 0x00ff00, 1);
	m_bar(c3, 0, MiB(2), M_MEM64 | M_PREF);
	return 0;
}

static struct pci_func *func(int f)
{
	const struct pci_func *pf = run_func(f);

	assert_non_null(pf);
	return &R.t.f[pf - R.t.f];
}

static struct pci_res *res(int f, int bar)
{
	const struct pci_func *pf = func(f);

	for (unsigned i = pf->res_first; i < pf->res_first + pf->nres; i++)
		if (R.t.r[i].bar == bar)
			return &R.t.r[i];
	fail_msg("function %d has no BAR %d", f, bar);
	return NULL;
}

static struct pci_res *win(int bridge, int w)
{
	int i = R.t.b[func(bridge)->bridge].win[w];

	assert_true(i >= 0);
	return &R.t.r[i];
}

static uint64_t end(const struct pci_res *r)
{
	return r->p.addr + (r->p.span ? r->p.span : r->p.size);
}

/* "<name> [0x<b>, 0x<e>)" as the messages write a range. */
static const char *rng(const char *name, uint64_t b, uint64_t e)
{
	static char buf[8][96];
	static unsigned k;
	char *s = buf[k++ % 8];

	snprintf(s, sizeof(buf[0]), "%s [0x%llx, 0x%llx)", name, (unsigned long long)b,
		 (unsigned long long)e);
	return s;
}

static void valid(void)
{
	check_verify();
}

/* The message of the violation, which must name every part given. */
static void caught(const char *a, const char *b)
{
	char msg[256];

	if (pci_verify(&R.t, &R.pl, msg, sizeof(msg)) == 0)
		fail_msg("pci_verify accepted the broken plan (expected '%s' and '%s')", a, b);
	if (!strstr(msg, a) || !strstr(msg, b))
		fail_msg("message '%s' lacks '%s' or '%s'", msg, a, b);
}

static void plan(void)
{
	assert_int_equal(run_all(NULL, 0, MiB(64)), 0);
	check_invariants();	/* the model's view and pci_verify agree it is valid */
}

/* Plans the enumerator makes: plain, with pins (one 64-bit at 64 GiB), without ECAM. */
static void valid_plans_pass(void **state)
{
	struct pci_pin pins[] = {
		{ PCI_BDF(0, 2, 0), 0, 0xFD000000 },
		{ PCI_BDF(0, 1, 0), 2, GiB(64) },
	};

	plan();
	setup(state);
	assert_int_equal(run_all(pins, 2, MiB(64)), 0);
	assert_int_equal(res(d1, 2)->p.addr, GiB(64));
	valid();
	setup(state);
	assert_int_equal(run_all(NULL, 0, 0), 0);
	valid();
	/* A message buffer is optional. */
	assert_int_equal(pci_verify(&R.t, &R.pl, NULL, 0), 0);
}

static void overlapping_bars(void **state)
{
	plan();
	struct pci_res *a = res(d1, 0), *b = res(d2, 0);

	b->p.addr = a->p.addr;
	caught(rng("00:01.0 1234:11e8 BAR0", a->p.addr, end(a)),
	       rng("overlaps 00:02.0 1b36:0005 BAR0", b->p.addr, end(b)));
}

static void bar_outside_its_window(void **state)
{
	plan();
	struct pci_res *r = res(c2, 0), *w = win(br, PCI_WIN_MEM);

	r->p.addr = 0x80000000;		/* free space: neither RAM nor hole nor a window */
	caught(rng("01:01.0 1234:11e8 BAR0", 0x80000000, 0x80001000),
	       rng("outside the window above it, 00:03.0 1b36:0001 win-mem", w->p.addr, end(w)));
}

static void bar32_above_4g(void **state)
{
	plan();
	struct pci_res *r = res(d2, 0);

	r->p.addr = GiB(128);
	caught(rng("00:02.0 1b36:0005 BAR0", GiB(128), GiB(128) + KiB(64)),
	       "decodes only below 4 GiB but is above [0x0, 0x100000000)");
}

/* A 64-bit BAR may go high, but not while it sits in a window that decodes only below 4 GiB. */
static void bar64_above_4g_in_low_window(void **state)
{
	plan();
	struct pci_res *r = res(c1, 2), *w = win(br, PCI_WIN_MEM);

	r->p.addr = GiB(128);
	caught(rng("01:00.0 8086:100e BAR2", GiB(128), GiB(128) + MiB(1)),
	       rng("above 4 GiB inside 00:03.0 1b36:0001 win-mem", w->p.addr, end(w)));

	/* A bridge without 64-bit prefetchable support: its prefetchable window and all in it. */
	setup(state);
	plan();
	r = res(c3, 0);
	w = win(br2, PCI_WIN_PREF);
	assert_false(w->is64);
	r->p.addr += GiB(128);
	w->p.addr += GiB(128);
	caught(rng("02:00.0 1234:11e8 BAR0", r->p.addr, end(r)),
	       rng("above 4 GiB inside 00:04.0 1b36:0001 win-pref", w->p.addr, end(w)));
}

static void pin_moved(void **state)
{
	struct pci_pin pin = { PCI_BDF(0, 2, 0), 0, 0xFD000000 };

	assert_int_equal(run_all(&pin, 1, MiB(64)), 0);
	valid();
	res(d2, 0)->p.addr += KiB(64);
	caught(rng("00:02.0 1b36:0005 BAR0", 0xFD010000, 0xFD020000),
	       rng("is not at its pin", 0xFD000000, 0xFD010000));
}

static void refused_bar_with_decode_on(void **state)
{
	plan();
	res(d2, 0)->p.status = PLAN_ST_REFUSED;
	func(d2)->off = 0;
	caught("00:02.0 1b36:0005 BAR0 (0x10000 bytes) is not placed",
	       "00:02.0 1b36:0005 keeps memory decode on");
	func(d2)->off = PCI_OFF_MEM;
	valid();
	/* I/O is its own decode: memory off does not cover a refused I/O BAR. */
	res(d1, 4)->p.status = PLAN_ST_REFUSED;
	func(d1)->off = PCI_OFF_MEM;
	caught("00:01.0 1234:11e8 BAR4 (0x100 bytes) is not placed", "keeps I/O decode on");
	func(d1)->off = PCI_OFF_IO;
	valid();
}

static void bar_over_ram(void **state)
{
	plan();
	res(d2, 0)->p.addr = 0x10000000;
	caught(rng("00:02.0 1b36:0005 BAR0", 0x10000000, 0x10010000),
	       rng("overlaps RAM 'low'", 0x100000, GiB(1)));
}

/* RAM under the hole is fine only where the platform moves it away; never above 4 GiB. */
static void ram_in_hole_only_when_relocatable(void **state)
{
	struct plan_range ram[3];

	plan();
	memcpy(ram, R.ram, sizeof(R.ram));
	ram[2] = (struct plan_range){ R.pl.out.hole_start, 0xFEC00000 - R.pl.out.hole_start,
				      "movable" };
	R.pl.in.ram = ram;
	R.pl.in.nram = 3;
	caught("overlaps RAM 'movable'", rng("", R.pl.out.hole_start, 0xFEC00000));
	R.pl.in.may_relocate_ram = true;
	valid();
	ram[2] = (struct plan_range){ res(d1, 2)->p.addr, GiB(1), "high" };
	caught(rng("00:01.0 1234:11e8 BAR2", res(d1, 2)->p.addr, end(res(d1, 2))),
	       "overlaps RAM 'high'");
}

static void bar_over_ecam(void **state)
{
	plan();
	uint64_t e = R.pl.ecam_base;

	assert_int_not_equal(e, 0);
	res(d2, 0)->p.addr = e;
	caught(rng("00:02.0 1b36:0005 BAR0", e, e + KiB(64)), rng("overlaps ECAM", e, e + MiB(64)));
}

static void bar_over_reservation(void **state)
{
	plan();
	res(d2, 0)->p.addr = 0xFEC00000;
	caught(rng("00:02.0 1b36:0005 BAR0", 0xFEC00000, 0xFEC10000),
	       rng("overlaps reserved 'ioapic..4g'", 0xFEC00000, GiB(4)));
}

static void child_of_refused_window(void **state)
{
	plan();
	struct pci_res *w = win(br, PCI_WIN_MEM);

	w->p.status = PLAN_ST_REFUSED;
	caught(rng("01:00.0 8086:100e BAR0", res(c1, 0)->p.addr, end(res(c1, 0))),
	       "placed inside 00:03.0 1b36:0001 win-mem");
}

/* Sibling windows may not overlap, nor a window what is not inside it. */
static void window_over_foreign_bar(void **state)
{
	plan();
	struct pci_res *w = win(br2, PCI_WIN_PREF), *m = win(br, PCI_WIN_MEM);
	uint64_t len = end(w) - w->p.addr;

	w->p.addr = m->p.addr;
	caught("overlaps 00:04.0 1b36:0001 win-pref", rng("", m->p.addr, m->p.addr + len));
}

static void root_bar_outside_hole(void **state)
{
	plan();
	res(d2, 0)->p.addr = 0x80000000;
	caught(rng("00:02.0 1b36:0005 BAR0", 0x80000000, 0x80010000),
	       rng("outside the 32-bit hole", R.pl.out.hole_start, GiB(4)));
}

/* The fuzzer may hand anything: a broken index is reported, not followed. */
static void corrupt_index_reported(void **state)
{
	char msg[256];

	plan();
	res(c2, 0)->parent = 99;
	assert_int_equal(pci_verify(&R.t, &R.pl, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "out of range"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(valid_plans_pass, setup),
		cmocka_unit_test_setup(overlapping_bars, setup),
		cmocka_unit_test_setup(bar_outside_its_window, setup),
		cmocka_unit_test_setup(bar32_above_4g, setup),
		cmocka_unit_test_setup(bar64_above_4g_in_low_window, setup),
		cmocka_unit_test_setup(pin_moved, setup),
		cmocka_unit_test_setup(refused_bar_with_decode_on, setup),
		cmocka_unit_test_setup(bar_over_ram, setup),
		cmocka_unit_test_setup(ram_in_hole_only_when_relocatable, setup),
		cmocka_unit_test_setup(bar_over_ecam, setup),
		cmocka_unit_test_setup(bar_over_reservation, setup),
		cmocka_unit_test_setup(child_of_refused_window, setup),
		cmocka_unit_test_setup(window_over_foreign_bar, setup),
		cmocka_unit_test_setup(root_bar_outside_hole, setup),
		cmocka_unit_test_setup(corrupt_index_reported, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
