/* SPDX-License-Identifier: MIT */
/* plan_pack_children: bridge windows, pinned children, nesting. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "plan_fixture.h"

/* Independent check of a packed window at a given base. */
static void check_window(const struct plan_res *ch, size_t n, const struct plan_res *w,
			 uint64_t base)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t a = ch[i].align ? ch[i].align : ch[i].size, abs = base + ch[i].addr;

		if (ch[i].status != PLAN_ST_PLACED)
			continue;
		if (abs & (a - 1))
			fail_msg("child %zu at %#llx misaligned", i, (unsigned long long)abs);
		if (ch[i].pinned && abs != ch[i].pin_addr)
			fail_msg("child %zu pin moved", i);
		if (ch[i].addr + ch[i].size > w->size)
			fail_msg("child %zu outside window", i);
		for (size_t j = 0; j < i; j++)
			if (ch[j].status == PLAN_ST_PLACED && ch[i].addr < ch[j].addr + ch[j].size &&
			    ch[j].addr < ch[i].addr + ch[i].size)
				fail_msg("children %zu and %zu overlap", j, i);
	}
	if (w->size % MiB(1) && w->size % KiB(4))
		fail_msg("window size %#llx not granular", (unsigned long long)w->size);
}

static void test_pack_basic(void **state)
{
	struct plan_res ch[] = {
		mk_mov(PLAN_MEM32, PLAN_OWNER(1, 0, 0, 0), MiB(1)),
		mk_mov(PLAN_MEM32, PLAN_OWNER(1, 0, 0, 1), KiB(4)),
		mk_mov(PLAN_MEM32, PLAN_OWNER(1, 0, 0, 2), KiB(16)),
		mk_mov(PLAN_MEM32, PLAN_OWNER(1, 0, 1, 0), MiB(2)),
	};
	struct plan_res w = { .kind = PLAN_MEM32, .owner = PLAN_OWNER(0, 1, 0, PLAN_BAR_WIN_MEM) };

	assert_int_equal(plan_pack_children(ch, 4, MiB(1), &w), 0);
	assert_int_equal(w.size, MiB(4));
	assert_int_equal(w.align, MiB(2));
	assert_false(w.pinned);
	assert_int_equal(ch[3].addr, 0);
	assert_int_equal(ch[0].addr, MiB(2));
	assert_int_equal(ch[2].addr, MiB(3));
	assert_int_equal(ch[1].addr, MiB(3) + KiB(16));
	check_window(ch, 4, &w, GiB(3));
}

static void test_pack_padding_filled(void **state)
{
	/* A 3 MiB child window aligned 4 MiB leaves padding that a 1 MiB BAR fills. */
	struct plan_res ch[] = {
		mk_mov(PLAN_MEM32, PLAN_OWNER(2, 0, 0, PLAN_BAR_WIN_MEM), MiB(3)),
		mk_mov(PLAN_MEM32, PLAN_OWNER(2, 1, 0, 0), MiB(4)),
		mk_mov(PLAN_MEM32, PLAN_OWNER(2, 2, 0, 0), MiB(2)),
		mk_mov(PLAN_MEM32, PLAN_OWNER(2, 3, 0, 0), MiB(1)),
	};
	struct plan_res w = { .kind = PLAN_MEM32 };

	ch[0].align = MiB(4);
	assert_int_equal(plan_pack_children(ch, 4, MiB(1), &w), 0);
	check_window(ch, 4, &w, 0);
	assert_int_equal(w.size, MiB(10));	/* 4 + 3 + 1 (padding reused) + 2 */
	assert_int_equal(ch[3].addr, MiB(7));
}

static void test_pack_pinned(void **state)
{
	struct plan_res ch[] = {
		mk_pin(PLAN_MEM32, PLAN_OWNER(3, 0, 0, 0), MiB(1), 0xF0100000),
		mk_pin(PLAN_MEM32, PLAN_OWNER(3, 0, 0, 2), KiB(4), 0xF0300000),
		mk_mov(PLAN_MEM32, PLAN_OWNER(3, 0, 1, 0), MiB(1)),
		mk_mov(PLAN_MEM32, PLAN_OWNER(3, 0, 1, 1), KiB(64)),
		mk_pin(PLAN_MEM32, PLAN_OWNER(3, 0, 2, 0), MiB(1), 0xF0180000),	/* clashes */
	};
	struct plan_res w = { .kind = PLAN_MEM32 };

	ch[4].align = KiB(512);
	assert_int_equal(plan_pack_children(ch, 5, MiB(1), &w), 1);
	assert_true(w.pinned);
	assert_int_equal(w.pin_addr, 0xF0100000);
	assert_int_equal(w.align, MiB(1));
	check_window(ch, 5, &w, w.pin_addr);
	assert_int_equal(ch[0].addr, 0);
	assert_int_equal(ch[1].addr, MiB(2));
	assert_int_equal(ch[2].addr, MiB(1));	/* fills the gap between the pins */
	assert_int_equal(ch[3].addr, MiB(2) + KiB(64));
	assert_int_equal(w.size, MiB(3));
	assert_int_equal(ch[4].reason, PLAN_R_PIN_PIN);
	assert_int_equal(ch[4].conflict_index, 0);
	assert_int_equal(ch[4].overlap, KiB(512));
}

/* Pack random pow2 children: the window is exactly their sum (no holes). */
static void test_pack_random_tight(void **state)
{
	uint64_t s = 77;

	for (int c = 0; c < 200; c++) {
		struct plan_res ch[40], w = { .kind = PLAN_MEM32 };
		size_t n = 1 + rnd_below(&s, 40);
		uint64_t sum = 0;

		for (size_t i = 0; i < n; i++) {
			ch[i] = mk_mov(PLAN_MEM32, (uint32_t)i, 1ull << (12 + rnd_below(&s, 13)));
			sum += ch[i].size;
		}
		assert_int_equal(plan_pack_children(ch, n, MiB(1), &w), 0);
		check_window(ch, n, &w, 0);
		assert_int_equal(w.size, (sum + MiB(1) - 1) & ~(MiB(1) - 1));
	}
}

/* Two levels of bridges, then the planner at the root; check absolutes. */
static void test_pack_nested(void **state)
{
	struct plan_res leaf[] = {
		mk_mov(PLAN_MEM32, PLAN_OWNER(2, 0, 0, 0), MiB(8)),
		mk_mov(PLAN_MEM32, PLAN_OWNER(2, 0, 0, 1), KiB(16)),
	};
	struct plan_res mid[] = {
		{ .kind = PLAN_MEM32, .flags = PLAN_F_WINDOW,
		  .owner = PLAN_OWNER(1, 0, 0, PLAN_BAR_WIN_MEM) },
		mk_mov(PLAN_MEM32, PLAN_OWNER(1, 1, 0, 0), MiB(4)),
	};
	struct plan_res root[2] = {
		{ .kind = PLAN_MEM32, .flags = PLAN_F_WINDOW,
		  .owner = PLAN_OWNER(0, 1, 0, PLAN_BAR_WIN_MEM) },
		mk_mov(PLAN_MEM32, PLAN_OWNER(0, 2, 0, 0), MiB(32)),
	};
	struct fixture f;
	struct plan_output out;
	uint64_t mid_base, leaf_base;

	assert_int_equal(plan_pack_children(leaf, 2, MiB(1), &mid[0]), 0);
	assert_int_equal(mid[0].size, MiB(9));
	assert_int_equal(plan_pack_children(mid, 2, MiB(1), &root[0]), 0);
	assert_int_equal(root[0].size, MiB(16));	/* 9 MiB window at 0, 4 MiB BAR at 12 MiB */
	fixture_init(&f, 0xE0000000, 0);
	assert_int_equal(solve(&f.in, root, 2, &out), 0);
	assert_plan_ok(&f.in, root, 2, &out);
	mid_base = root[0].addr;
	leaf_base = mid_base + mid[0].addr;
	check_window(mid, 2, &root[0], mid_base);
	check_window(leaf, 2, &mid[0], leaf_base);
	for (int i = 0; i < 2; i++) {
		uint64_t a = leaf_base + leaf[i].addr;

		assert_true(a >= mid_base && a + leaf[i].size <= mid_base + root[0].size);
		assert_true(a + leaf[i].size <= root[1].addr || a >= root[1].addr + root[1].size);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pack_basic),
		cmocka_unit_test(test_pack_padding_filled),
		cmocka_unit_test(test_pack_pinned),
		cmocka_unit_test(test_pack_random_tight),
		cmocka_unit_test(test_pack_nested),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
