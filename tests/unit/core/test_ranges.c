/* SPDX-License-Identifier: MIT */
/* Reserved-range lists that merge instead of dropping (src/mem/ranges.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <hvmfw/ranges.h>

/* Does the list cover every byte of [b, e)? (Ranges may come in any order.) */
static bool covers(const struct plan_range *r, size_t n, uint64_t b, uint64_t e)
{
	while (b < e) {
		bool moved = false;

		for (size_t i = 0; i < n; i++) {
			uint64_t end = r[i].base + r[i].size < r[i].base ? UINT64_MAX
									 : r[i].base + r[i].size;

			if (r[i].base <= b && b < end) {
				b = end;
				moved = true;
			}
		}
		if (!moved)
			return false;
	}
	return true;
}

static void fits_untouched(void **state)
{
	struct plan_range r[3] = { { 0x3000, 0x1000, "c" }, { 0x1000, 0x1000, "a" } };
	struct plan_range before[3];

	(void)state;
	memcpy(before, r, sizeof(r));
	assert_int_equal(ranges_fit(r, 2, 3), 2);
	assert_int_equal(ranges_fit(r, 2, 2), 2);
	assert_memory_equal(r, before, sizeof(r));
}

/* Overlapping and touching ranges become one without covering anything more. */
static void coalesce_first(void **state)
{
	struct plan_range r[] = {
		{ 0x5000, 0x1000, "e" },
		{ 0x1000, 0x2000, "a" },
		{ 0x2000, 0x1000, "b" },	/* inside a */
		{ 0x3000, 0x1000, "c" },	/* touches a */
		{ 0x9000, 0x1000, "f" },
	};

	(void)state;
	assert_int_equal(ranges_fit(r, 5, 3), 3);
	assert_int_equal(r[0].base, 0x1000);
	assert_int_equal(r[0].size, 0x3000);
	assert_string_equal(r[0].name, RANGES_MERGED_NAME);
	assert_int_equal(r[1].base, 0x5000);
	assert_int_equal(r[1].size, 0x1000);
	assert_string_equal(r[1].name, "e");
	assert_int_equal(r[2].base, 0x9000);
	assert_false(covers(r, 3, 0x4000, 0x5000));	/* no gap covered yet */
}

/* Still too many: the closest neighbours are joined across their gap; nothing is lost. */
static void closest_neighbours_joined(void **state)
{
	struct plan_range r[] = {
		{ 0x10000, 0x1000, "a" },
		{ 0x40000, 0x1000, "b" },
		{ 0x12000, 0x1000, "c" },	/* 0x1000 after a: the closest pair */
		{ 0x80000, 0x1000, "d" },
	};
	struct plan_range orig[4];

	(void)state;
	memcpy(orig, r, sizeof(r));
	assert_int_equal(ranges_fit(r, 4, 3), 3);
	assert_int_equal(r[0].base, 0x10000);
	assert_int_equal(r[0].size, 0x3000);
	assert_int_equal(r[1].base, 0x40000);
	assert_int_equal(r[2].base, 0x80000);
	for (int i = 0; i < 4; i++)
		assert_true(covers(r, 3, orig[i].base, orig[i].base + orig[i].size));
	/* Down to one: a single range over all of them. */
	assert_int_equal(ranges_fit(r, 3, 1), 1);
	assert_int_equal(r[0].base, 0x10000);
	assert_int_equal(r[0].size, 0x71000);
}

/* A range reaching the top of the address space does not wrap when joined. */
static void top_of_space(void **state)
{
	struct plan_range r[] = {
		{ 0xFFFFFFFFFFFFF000ull, 0x1000, "top" },
		{ 0xFEC00000, 0x100000000ull - 0xFEC00000, "apic" },
		{ 0x1000, 0x1000, "low" },
	};

	(void)state;
	/* The gap below the APICs is the smaller one (the other runs to 2^64). */
	assert_int_equal(ranges_fit(r, 3, 2), 2);
	assert_int_equal(r[0].base, 0x1000);
	assert_int_equal(r[0].size, 0x100000000ull - 0x1000);
	assert_int_equal(r[1].base, 0xFFFFFFFFFFFFF000ull);
	assert_int_equal(r[1].size, 0x1000);
	assert_true(covers(r, 2, 0xFFFFFFFFFFFFF000ull, 0xFFFFFFFFFFFFFFFFull));
	/* And to one: from the lowest base to the top (the end saturates at 2^64 - 1). */
	assert_int_equal(ranges_fit(r, 2, 1), 1);
	assert_int_equal(r[0].base, 0x1000);
	assert_int_equal(r[0].size, UINT64_MAX - 0x1000);
}

/*
 * Adding one by one past the capacity (what the firmware does with the
 * platform's list): every range stays covered, the count never passes the
 * capacity, and the caller is told once something had to be merged.
 */
static void add_never_drops(void **state)
{
	enum { CAP = 8, N = 100 };
	struct plan_range r[CAP], all[N];
	bool merged = false;
	size_t n = 0;

	(void)state;
	for (int i = 0; i < N; i++) {
		/* Scattered, out of order, different gaps. */
		uint64_t b = 0xC0000000ull + (uint64_t)((i * 37) % N) * 0x100000 + (i % 3) * 0x1000;

		all[i] = (struct plan_range){ b, 0x1000 + (i % 5) * 0x1000, "rsv" };
		n = ranges_add(r, n, CAP, &all[i], &merged);
		assert_true(n <= CAP);
		assert_int_equal(merged, i >= CAP);
	}
	for (int i = 0; i < N; i++)
		assert_true(covers(r, n, all[i].base, all[i].base + all[i].size));
	/* Below capacity, adding is appending, with names kept. */
	n = 0;
	merged = false;
	n = ranges_add(r, n, CAP, &all[0], &merged);
	n = ranges_add(r, n, CAP, &all[1], &merged);
	assert_int_equal(n, 2);
	assert_false(merged);
	assert_memory_equal(&r[1], &all[1], sizeof(r[1]));
	/* A one-entry list grows its entry. */
	n = ranges_add(r, 0, 1, &all[0], NULL);
	n = ranges_add(r, n, 1, &all[1], &merged);
	assert_int_equal(n, 1);
	assert_true(covers(r, 1, all[0].base, all[0].base + all[0].size));
	assert_true(covers(r, 1, all[1].base, all[1].base + all[1].size));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fits_untouched),
		cmocka_unit_test(coalesce_first),
		cmocka_unit_test(closest_neighbours_joined),
		cmocka_unit_test(top_of_space),
		cmocka_unit_test(add_never_drops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
