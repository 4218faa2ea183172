/* SPDX-License-Identifier: MIT */
/* Xen memory map to hvmfw's starting e820, and the RAM-move bookkeeping. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <hvmfw/xen/memmap.h>

static int refusals;

static void refuse(const char *what, const char *why)
{
	refusals++;
}

/* What libxl makes for 2.5 GiB with the default 256 MiB hole: low RAM to 0xF0000000. */
static void test_typical_map(void **state)
{
	struct xen_e820_entry in[] = {
		{ 0x100000, 0xF0000000 - 0x100000, 1 },
		{ 0x100000000ull, 0x10000000, 1 },
	};
	struct e820_map m;

	refusals = 0;
	assert_int_equal(xen_memmap_build(&m, in, 2, 0xFEFF0, refuse), 0);
	assert_int_equal(refusals, 0);
	assert_true(e820_covers(&m, 0, 0xA0000, E820_RAM));
	assert_false(e820_overlaps_any(&m, 0xA0000, 0x60000));  /* VGA + BIOS area left to layout */
	assert_true(e820_covers(&m, 0x100000, 0xF0000000 - 0x100000, E820_RAM));
	assert_false(e820_overlaps_any(&m, 0xF0000000, XEN_RESERVED_BASE - 0xF0000000));
	assert_true(e820_covers(&m, XEN_RESERVED_BASE, GiB(4) - XEN_RESERVED_BASE, E820_RESERVED));
	/* Special pages, ioreq pages and the shared-info slot are all inside. */
	assert_true(e820_covers(&m, 0xFEFF0000, 0x10000, E820_RESERVED));
	assert_true(e820_covers(&m, XEN_SHARED_INFO_GPA, 0x1000, E820_RESERVED));
	assert_true(e820_covers(&m, GiB(4), 0x10000000, E820_RAM));
	assert_int_equal(e820_ram_end_below_4g(&m), 0xF0000000);
	assert_int_equal(m.n, 4);
}

static void test_acpi_module_and_rmrr_cut_ram(void **state)
{
	struct xen_e820_entry in[] = {
		{ 0x100000, 0x3FF00000, 1 },
		{ 0x3F000000, 0x100000, 2 },            /* RMRR inside low RAM */
		{ 0x200000, 0x3000, 3 },                /* acpi_firmware module */
	};
	struct e820_map m;

	refusals = 0;
	assert_int_equal(xen_memmap_build(&m, in, 3, 0xFEFF0, refuse), 0);
	assert_true(e820_covers(&m, 0x200000, 0x3000, E820_ACPI));
	assert_true(e820_covers(&m, 0x3F000000, 0x100000, E820_RESERVED));
	assert_true(e820_covers(&m, 0x203000, 0x3F000000 - 0x203000, E820_RAM));
	assert_true(e820_covers(&m, 0x3F100000, 0xF00000, E820_RAM));
}

static void test_bad_entries_refused(void **state)
{
	struct xen_e820_entry in[] = {
		{ 0x100000, 0x1FF00000, 1 },
		{ 0x30000000, 0, 1 },
		{ 0x30000000, 0x1000, 42 },
	};
	struct e820_map m;

	refusals = 0;
	assert_int_equal(xen_memmap_build(&m, in, 3, 0, refuse), 0);
	assert_int_equal(refusals, 2);
	assert_false(e820_overlaps_any(&m, 0x30000000, 0x1000));
}

static void test_low_reserved_pgstart_extends_reservation(void **state)
{
	struct xen_e820_entry in[] = { { 0x100000, 0x1FF00000, 1 } };
	struct e820_map m;

	assert_int_equal(xen_memmap_build(&m, in, 1, 0xFB000, refuse), 0);
	assert_true(e820_covers(&m, 0xFB000000, GiB(4) - 0xFB000000, E820_RESERVED));
}

static void test_move_ram_above_4g(void **state)
{
	struct xen_e820_entry in[] = { { 0x100000, 0xEFF00000, 1 } };
	struct e820_map m;

	assert_int_equal(xen_memmap_build(&m, in, 1, 0xFEFF0, refuse), 0);
	/* Grow the hole to 0xE0000000: 64K pages go to 4 GiB. */
	assert_int_equal(xen_memmap_move(&m, 0xE0000, 0xF0000, 0x100000), 0);
	assert_int_equal(e820_ram_end_below_4g(&m), 0xE0000000);
	assert_true(e820_covers(&m, GiB(4), 0x10000000, E820_RAM));
	assert_false(e820_overlaps_any(&m, 0xE0000000, 0x10000000));
	/* The source must be RAM and the target free. */
	assert_int_equal(xen_memmap_move(&m, 0xE0000, 0xE0010, 0x200000), -1);
	assert_int_equal(xen_memmap_move(&m, 0xD0000, 0xD0010, 0x100000), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typical_map),
		cmocka_unit_test(test_acpi_module_and_rmrr_cut_ram),
		cmocka_unit_test(test_bad_entries_refused),
		cmocka_unit_test(test_low_reserved_pgstart_extends_reservation),
		cmocka_unit_test(test_move_ram_above_4g),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
