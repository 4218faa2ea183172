/* SPDX-License-Identifier: MIT */
/*
 * Seeded random planner tests: scale, determinism, optimality of the hole
 * against an exhaustive search, and tight packing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "plan_fixture.h"

static uint64_t pow2_between(uint64_t *s, int lo_log, int hi_log)
{
	return 1ull << (lo_log + rnd_below(s, hi_log - lo_log + 1));
}

/* A mixed population; owners are unique (index based). */
static void gen_many(uint64_t seed, struct plan_res *r, size_t n)
{
	uint64_t s = seed;

	for (size_t i = 0; i < n; i++) {
		uint32_t owner = PLAN_OWNER(i >> 8, (i >> 3) & 31, i & 7, rnd_below(&s, 6));
		unsigned pick = rnd_below(&s, 100);

		/* owner must be unique: fold the index into the BAR byte's spare range */
		owner = (uint32_t)(i << 8) | (owner & 0xff);
		if (pick < 55) {
			r[i] = mk_mov(PLAN_MEM32, owner, pow2_between(&s, 4, 22));
		} else if (pick < 75) {
			r[i] = mk_mov(PLAN_MEM64, owner, pow2_between(&s, 12, 33));
			r[i].flags = PLAN_F_PREF;
		} else if (pick < 85) {
			r[i] = mk_mov(PLAN_IO, owner, pow2_between(&s, 2, 8));
		} else if (pick < 92) {
			/* bridge window: 1 MiB granules, alignment up to 16 MiB */
			r[i] = mk_mov(PLAN_MEM32, owner, MiB(1 + rnd_below(&s, 24)));
			r[i].align = pow2_between(&s, 20, 24);
			r[i].flags = PLAN_F_WINDOW;
		} else if (pick < 97) {
			uint64_t sz = pow2_between(&s, 12, 24);
			r[i] = mk_pin(PLAN_MEM32, owner, sz,
				      0xC0000000 + (rnd_below(&s, 0x40000000) & ~(sz - 1)));
		} else {
			uint64_t sz = pow2_between(&s, 20, 30);
			r[i] = mk_pin(PLAN_MEM64, owner, sz,
				      GiB(8) + (rnd_below(&s, GiB(64)) & ~(sz - 1)));
		}
	}
}

static void run_many(size_t n, uint64_t seed)
{
	struct fixture f;
	struct plan_output out;
	struct plan_res *r = calloc(n, sizeof(*r));
	struct plan_violation v;
	int rc;

	fixture_init(&f, 0xC0000000, GiB(4));
	f.in.phys_bits = 46;
	gen_many(seed, r, n);
	rc = solve(&f.in, r, n, &out);
	assert_true(rc >= 0);
	assert_int_equal(out.placed + out.refused, n);
	assert_int_equal((size_t)rc, out.refused);
	assert_plan_ok(&f.in, r, n, &out);
	assert_int_equal(plan_verify(&f.in, r, n, &out, &v), 0);
	assert_true(out.placed > n / 2);
	free(r);
}

static void test_many_seeded(void **state)
{
	run_many(200, 1);
	run_many(1000, 2);
	run_many(4000, 3);
}

static void shuffle(struct plan_res *r, size_t n, uint64_t *s)
{
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = rnd_below(s, i + 1);
		struct plan_res t = r[i];

		r[i] = r[j];
		r[j] = t;
	}
}

static int by_owner(const void *a, const void *b)
{
	const struct plan_res *x = a, *y = b;

	return x->owner < y->owner ? -1 : x->owner > y->owner;
}

static void test_determinism(void **state)
{
	const size_t n = 600;
	struct fixture f;
	struct plan_output o1, o2;
	struct plan_res *a = calloc(n, sizeof(*a)), *b = calloc(n, sizeof(*b));
	uint64_t s = 99;

	fixture_init(&f, 0xC0000000, GiB(4));
	gen_many(7, a, n);
	memcpy(b, a, n * sizeof(*a));
	solve(&f.in, a, n, &o1);
	assert_plan_ok(&f.in, a, n, &o1);
	qsort(a, n, sizeof(*a), by_owner);
	for (int round = 0; round < 4; round++) {
		shuffle(b, n, &s);
		solve(&f.in, b, n, &o2);
		assert_memory_equal(&o1, &o2, sizeof(o1));
		qsort(b, n, sizeof(*b), by_owner);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(a[i].owner, b[i].owner);
			assert_int_equal(a[i].status, b[i].status);
			assert_int_equal(a[i].addr, b[i].addr);
			assert_int_equal(a[i].reason, b[i].reason);
			assert_int_equal(a[i].conflict_base, b[i].conflict_base);
		}
	}
	free(a);
	free(b);
}

/* ---- independent exhaustive search for the smallest hole ---- */

struct iv {
	uint64_t lo, hi;
};

/* First fit from S in the given order: over all orders this is exhaustive
 * (any valid layout, sorted by address, is matched or beaten item by item). */
static bool bf_order(const struct iv *fixed, size_t nf, const uint64_t *sz, const int *perm,
		     int m, uint64_t S)
{
	struct iv placed[8];

	for (int k = 0; k < m; k++) {
		uint64_t size = sz[perm[k]], a = (S + size - 1) & ~(size - 1);
		bool moved = true;

		while (moved) {
			moved = false;
			if (a + size > T4G)
				return false;
			for (size_t j = 0; j < nf + k; j++) {
				const struct iv *x = j < nf ? &fixed[j] : &placed[j - nf];

				if (a < x->hi && x->lo < a + size) {
					a = (x->hi + size - 1) & ~(size - 1);
					moved = true;
				}
			}
		}
		placed[k] = (struct iv){ a, a + size };
	}
	return true;
}

static bool bf_perm(const struct iv *fixed, size_t nf, const uint64_t *sz, int *perm, int k,
		    int m, uint64_t S)
{
	if (k == m)
		return bf_order(fixed, nf, sz, perm, m, S);
	for (int i = k; i < m; i++) {
		int t = perm[k];
		bool ok;

		perm[k] = perm[i];
		perm[i] = t;
		ok = bf_perm(fixed, nf, sz, perm, k + 1, m, S);
		perm[i] = perm[k];
		perm[k] = t;
		if (ok)
			return true;
	}
	return false;
}

static bool bf_fits(const struct iv *fixed, size_t nf, const uint64_t *sz, int m, uint64_t S)
{
	int perm[8];

	for (int i = 0; i < m; i++)
		perm[i] = i;
	return bf_perm(fixed, nf, sz, perm, 0, m, S);
}

static void test_optimal_small(void **state)
{
	static const uint64_t ram_ends[] = { 0x80000000, 0xC0000000, 0xE0000000, 0xF0000000 };
	uint64_t s = 12345;
	int compared = 0, infeasible = 0;

	for (int c = 0; c < 400; c++) {
		struct fixture f;
		struct plan_output out;
		struct plan_res r[8];
		struct iv fixed[16];
		uint64_t sz[8], floor, top = T4G, best;
		int m = 1 + (int)rnd_below(&s, 6), np = (int)rnd_below(&s, 3), n = 0;
		size_t nf = 0;

		fixture_init(&f, ram_ends[rnd_below(&s, 4)], 0);
		floor = f.ram[1].base + f.ram[1].size;
		for (int j = 0; j < RSV_N; j++)
			fixed[nf++] = (struct iv){ f.rsv[j].base, f.rsv[j].base + f.rsv[j].size };
		fixed[nf++] = (struct iv){ 0, floor };
		for (int p = 0; p < np; p++) {
			uint64_t psz = pow2_between(&s, 12, 26);
			uint64_t pa = (floor + rnd_below(&s, 0xFC000000 - floor)) & ~(psz - 1);
			bool clash = pa < floor || pa + psz > 0xFC000000;

			for (size_t j = 0; j < nf; j++)
				clash |= pa < fixed[j].hi && fixed[j].lo < pa + psz;
			if (clash)
				continue;
			r[n++] = mk_pin(PLAN_MEM32, PLAN_OWNER(0, 20 + p, 0, 0), psz, pa);
			fixed[nf++] = (struct iv){ pa, pa + psz };
			top = top < (pa & ~(MiB(1) - 1)) ? top : (pa & ~(MiB(1) - 1));
		}
		for (int i = 0; i < m; i++) {
			sz[i] = pow2_between(&s, 12, 28);
			r[n++] = mk_mov(PLAN_MEM32, PLAN_OWNER(0, 1 + i, 0, 0), sz[i]);
		}
		solve(&f.in, r, n, &out);
		assert_plan_ok(&f.in, r, n, &out);
		if (!bf_fits(fixed, nf, sz, m, floor)) {
			/* Refusing is right only when no layout exists at all. */
			assert_true(out.refused > 0);
			infeasible++;
			continue;
		}
		assert_int_equal(out.refused, 0);
		/* Exact feasibility is monotone in S: binary search is exhaustive. */
		uint64_t lo = floor >> 20, hi = top >> 20;

		if (bf_fits(fixed, nf, sz, m, hi << 20)) {
			best = hi << 20;
		} else {
			while (hi - lo > 1) {
				uint64_t mid = (lo + hi) / 2;

				if (bf_fits(fixed, nf, sz, m, mid << 20))
					lo = mid;
				else
					hi = mid;
			}
			best = lo << 20;
		}
		if (out.hole_start != best)
			fail_msg("case %d: planner hole start %#llx, optimum %#llx", c,
				 (unsigned long long)out.hole_start, (unsigned long long)best);
		compared++;
	}
	print_message("optimality: %d compared, %d infeasible\n", compared, infeasible);
	assert_true(compared > 300);
}

static uint64_t eff_align(const struct plan_res *r)
{
	uint64_t a = r->align ? r->align : r->size;

	return r->kind == PLAN_IO ? a : (a < KiB(4) ? KiB(4) : a);
}

static int by_addr(const void *a, const void *b)
{
	const struct plan_res *x = *(const struct plan_res *const *)a;
	const struct plan_res *y = *(const struct plan_res *const *)b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The hole is packed downwards from 4 GiB: between a movable resource and
 * the next one above it (nothing fixed in between) the gap must be smaller
 * than the lower one's alignment, otherwise it could have gone higher. */
static void test_no_large_gaps(void **state)
{
	uint64_t s = 4242;

	for (int c = 0; c < 60; c++) {
		const size_t n = 150;
		struct fixture f;
		struct plan_output out;
		struct plan_res r[150], *low[150];
		size_t nl = 0;

		fixture_init(&f, 0xA0000000, 0);
		for (size_t i = 0; i < n; i++) {
			if (rnd_below(&s, 10) == 0) {
				uint64_t sz = pow2_between(&s, 12, 24);
				r[i] = mk_pin(PLAN_MEM32, (uint32_t)i << 8, sz,
					      (0xE0000000 + rnd_below(&s, 0x1C000000)) & ~(sz - 1));
			} else {
				r[i] = mk_mov(PLAN_MEM32, (uint32_t)i << 8, pow2_between(&s, 4, 24));
				if (rnd_below(&s, 5) == 0) {	/* a window */
					r[i].size = MiB(1 + rnd_below(&s, 6));
					r[i].align = MiB(1);
				}
			}
		}
		solve(&f.in, r, n, &out);
		assert_plan_ok(&f.in, r, n, &out);
		for (size_t i = 0; i < n; i++)
			if (r[i].status == PLAN_ST_PLACED)
				low[nl++] = &r[i];
		qsort(low, nl, sizeof(low[0]), by_addr);
		for (size_t k = 0; k + 1 < nl; k++) {
			const struct plan_res *b = low[k], *up = low[k + 1];
			uint64_t end = b->addr + b->size;
			bool fixed_between = false;

			for (int j = 0; j < RSV_N; j++)
				fixed_between |= f.rsv[j].base < up->addr &&
						 f.rsv[j].base + f.rsv[j].size > end;
			/* Could b have gone higher, below up? */
			if (!b->pinned && !fixed_between && up->addr >= end + b->size &&
			    ((up->addr - b->size) & ~(eff_align(b) - 1)) > b->addr)
				fail_msg("case %d: gap %#llx above %#llx (align %#llx)", c,
					 (unsigned long long)(up->addr - end),
					 (unsigned long long)b->addr, (unsigned long long)eff_align(b));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_seeded),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_optimal_small),
		cmocka_unit_test(test_no_large_gaps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
