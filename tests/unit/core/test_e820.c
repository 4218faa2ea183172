/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <hvmfw/e820.h>

static void qemu_like(struct e820_map *m)
{
	m->n = 0;
	e820_add(m, GiB(4), GiB(1), E820_RAM);
	e820_add(m, 0, GiB(2), E820_RAM);
	e820_add(m, 0xFD00000000ull, 0x300000000ull, E820_RESERVED);
}

static void test_normalize_sorts_and_merges(void **state)
{
	struct e820_map m = { 0 };

	e820_add(&m, 0x2000, 0x1000, E820_RAM);
	e820_add(&m, 0x0, 0x1000, E820_RAM);
	e820_add(&m, 0x1000, 0x1000, E820_RAM);
	e820_add(&m, 0x5000, 0x1000, E820_RESERVED);
	assert_int_equal(e820_normalize(&m), 0);
	assert_int_equal(m.n, 2);
	assert_int_equal(m.e[0].addr, 0);
	assert_int_equal(m.e[0].size, 0x3000);
	assert_int_equal(m.e[1].type, E820_RESERVED);
}

static void test_normalize_rejects_type_overlap(void **state)
{
	struct e820_map m = { 0 };

	e820_add(&m, 0x0, 0x2000, E820_RAM);
	e820_add(&m, 0x1000, 0x2000, E820_RESERVED);
	assert_int_equal(e820_normalize(&m), -1);
}

static void test_set_splits_ram(void **state)
{
	struct e820_map m;

	qemu_like(&m);
	assert_int_equal(e820_normalize(&m), 0);
	assert_int_equal(e820_set(&m, 0x9FC00, 0x100000 - 0x9FC00, E820_RESERVED), 0);
	assert_int_equal(e820_set(&m, GiB(2) - 0x20000, 0x20000, E820_ACPI), 0);
	assert_int_equal(m.n, 6);
	assert_true(e820_covers(&m, 0, 0x9FC00, E820_RAM));
	assert_true(e820_covers(&m, 0x9FC00, 0x400, E820_RESERVED));
	assert_true(e820_covers(&m, 0x100000, GiB(2) - 0x120000, E820_RAM));
	assert_true(e820_covers(&m, GiB(2) - 0x20000, 0x20000, E820_ACPI));
	assert_false(e820_overlaps_any(&m, GiB(2), GiB(1)));
	assert_int_equal(e820_ram_end_below_4g(&m), GiB(2) - 0x20000);
}

static void test_check_accepts_carved_map(void **state)
{
	struct e820_map orig, fin;
	char why[96];

	qemu_like(&orig);
	e820_normalize(&orig);
	fin = orig;
	e820_set(&fin, 0x9FC00, 0x100000 - 0x9FC00, E820_RESERVED);
	e820_set(&fin, GiB(2) - 0x20000, 0x20000, E820_ACPI);
	e820_set(&fin, 0xB0000000, 0x10000000, E820_RESERVED);  /* ECAM: outside RAM */
	assert_int_equal(e820_check(&fin, &orig, why, sizeof(why)), 0);
	assert_int_equal(e820_total(&fin, E820_RAM) + e820_total(&fin, E820_ACPI) +
			 0x100000 - 0x9FC00, e820_total(&orig, E820_RAM));
}

static void test_check_catches_lost_ram(void **state)
{
	struct e820_map orig, fin = { 0 };
	char why[96];

	qemu_like(&orig);
	e820_normalize(&orig);
	e820_add(&fin, 0, GiB(2), E820_RAM);    /* the above-4G RAM went missing */
	assert_int_equal(e820_check(&fin, &orig, why, sizeof(why)), -3);
	assert_non_null(strstr(why, "lost"));
}

static void test_check_catches_invented_ram(void **state)
{
	struct e820_map orig, fin;
	char why[96];

	qemu_like(&orig);
	e820_normalize(&orig);
	fin = orig;
	e820_set(&fin, GiB(3), MiB(16), E820_RAM);  /* RAM inside the hole */
	assert_int_equal(e820_check(&fin, &orig, why, sizeof(why)), -2);
}

static void test_check_catches_overlap(void **state)
{
	struct e820_map orig, fin = { 0 };
	char why[96];

	orig.n = 0;
	e820_add(&orig, 0, MiB(64), E820_RAM);
	fin.n = 2;
	fin.e[0] = (struct e820_entry){ 0, MiB(64), E820_RAM };
	fin.e[1] = (struct e820_entry){ MiB(32), MiB(1), E820_RESERVED };
	assert_int_equal(e820_check(&fin, &orig, why, sizeof(why)), -1);
}

static void test_check_catches_acpi_above_ram(void **state)
{
	struct e820_map orig = { 0 }, fin;
	char why[96];

	/* Xen-like: low RAM to 504 MiB, tables in the reserved range below 4 GiB */
	e820_add(&orig, 0, 0x9F000, E820_RAM);
	e820_add(&orig, MiB(1), MiB(503), E820_RAM);
	e820_add(&orig, 0xFC000000, MiB(64), E820_RESERVED);
	fin = orig;
	e820_set(&fin, 0xFC000000, 0x20000, E820_NVS);
	assert_int_equal(e820_check(&fin, &orig, why, sizeof(why)), 0);
	e820_set(&fin, 0xFC000000, 0x20000, E820_ACPI);
	assert_int_equal(e820_check(&fin, &orig, why, sizeof(why)), -4);
	assert_non_null(strstr(why, "0xfc000000"));
}

static void test_full_map_is_refused(void **state)
{
	struct e820_map m = { 0 };

	for (unsigned i = 0; i < E820_MAX; i++)
		assert_int_equal(e820_add(&m, (uint64_t)i * 0x2000, 0x1000, E820_RAM), 0);
	assert_int_equal(e820_add(&m, GiB(1), 0x1000, E820_RAM), -1);
	assert_int_equal(e820_add(&m, GiB(1), 0, E820_RAM), -1);
}

/*
 * Runtime data goes at the top of low RAM, but only where it is RAM: the old
 * allocator counted down from where low RAM ends and could land in a hole.
 */
static void test_fit_below_skips_holes(void **state)
{
	struct e820_map m = { 0 };

	e820_add(&m, 0, 0x9FC00, E820_RAM);
	e820_add(&m, MiB(1), MiB(199), E820_RAM);               /* [1M, 200M) */
	e820_add(&m, MiB(200), MiB(10), E820_RESERVED);         /* a hole inside low RAM */
	e820_add(&m, MiB(210), KiB(64), E820_RAM);              /* a small piece on top */
	assert_int_equal(e820_normalize(&m), 0);
	/* 128 KiB do not fit in the top piece: below the hole, not across it */
	assert_int_equal(e820_fit_below(&m, MiB(210) + KiB(64), KiB(128), KiB(4), MiB(16)),
			 MiB(200) - KiB(128));
	/* 64 KiB fit exactly in the top piece */
	assert_int_equal(e820_fit_below(&m, MiB(210) + KiB(64), KiB(64), KiB(4), MiB(16)), MiB(210));
	/* alignment and the floor are honoured; nothing fits: 0 */
	assert_int_equal(e820_fit_below(&m, MiB(210) + KiB(64), MiB(1), MiB(1), MiB(16)),
			 MiB(199));
	assert_int_equal(e820_fit_below(&m, MiB(210) + KiB(64), MiB(300), KiB(4), MiB(16)), 0);
	assert_int_equal(e820_fit_below(&m, MiB(20), MiB(8), KiB(4), MiB(16)), 0);
	assert_int_equal(e820_fit_below(&m, MiB(20), KiB(4), 3, 0), 0);     /* bad alignment */
}

/*
 * When a hole is skipped the block is rounded to whole pages: those pages
 * must be RAM too. Here the block first found ends 0x100 bytes into a
 * reserved page; rounded out from there it would retype the reservation.
 */
static void test_take_below_takes_only_ram(void **state)
{
	struct e820_map m = { 0 };
	uint64_t base = 0;

	e820_add(&m, MiB(1), MiB(31) + 0x900, E820_RAM);      /* [1M, 32M + 0x900) */
	e820_add(&m, MiB(32) + 0x900, 0x700, E820_RESERVED);
	e820_add(&m, MiB(32) + 0x1000, 0x400, E820_RAM);        /* too small a piece on top */
	assert_int_equal(e820_normalize(&m), 0);
	assert_int_equal(e820_take_below(&m, MiB(32) + 0x1400, 0x800, 16, MiB(16), E820_ACPI,
					 &base), 0);
	assert_int_equal(base, MiB(32) - 0x1000);
	assert_true(e820_covers(&m, MiB(32) + 0x900, 0x700, E820_RESERVED));
	assert_true(e820_covers(&m, MiB(32) + 0x1000, 0x400, E820_RAM));
	assert_true(e820_covers(&m, base, 0x1000, E820_ACPI));
	/* no hole in between: the slack up to top goes with the block */
	assert_int_equal(e820_take_below(&m, base, 0x20, 16, MiB(16), E820_ACPI, &base), 0);
	assert_int_equal(base, MiB(32) - 0x1020);
	assert_true(e820_covers(&m, base, 0x1020, E820_ACPI));
	/* nothing fits */
	assert_int_equal(e820_take_below(&m, MiB(17), MiB(2), 16, MiB(16), E820_ACPI, &base), -1);
}

/* A reservation in the platform's map must still be in the final one. */
static void test_check_catches_lost_reservation(void **state)
{
	struct e820_map orig = { 0 }, fin = { 0 };
	char why[96];

	e820_add(&orig, 0, MiB(64), E820_RAM);
	e820_add(&orig, 0xFC000000, MiB(64), E820_RESERVED);
	fin = orig;
	assert_int_equal(e820_check(&fin, &orig, why, sizeof(why)), 0);
	fin.n = 1;
	assert_int_equal(e820_check(&fin, &orig, why, sizeof(why)), -5);
	assert_non_null(strstr(why, "lost"));
	/* retyped is fine */
	fin = orig;
	fin.e[1].type = E820_NVS;
	assert_int_equal(e820_check(&fin, &orig, why, sizeof(why)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize_sorts_and_merges),
		cmocka_unit_test(test_normalize_rejects_type_overlap),
		cmocka_unit_test(test_set_splits_ram),
		cmocka_unit_test(test_check_accepts_carved_map),
		cmocka_unit_test(test_check_catches_lost_ram),
		cmocka_unit_test(test_check_catches_invented_ram),
		cmocka_unit_test(test_check_catches_acpi_above_ram),
		cmocka_unit_test(test_check_catches_overlap),
		cmocka_unit_test(test_full_map_is_refused),
		cmocka_unit_test(test_fit_below_skips_holes),
		cmocka_unit_test(test_take_below_takes_only_ram),
		cmocka_unit_test(test_check_catches_lost_reservation),
	};
	return cmocka_run_group_tests_name("e820", tests, NULL, NULL);
}
