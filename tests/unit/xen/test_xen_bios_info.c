/* SPDX-License-Identifier: MIT */
/* SeaBIOS / OVMF info tables and the CMOS memory bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <hvmfw/xen/bios_info.h>

static uint8_t page[4096];

static void sample_map(struct e820_map *m)
{
	m->n = 0;
	e820_add(m, 0, 0x9FC00, E820_RAM);
	e820_add(m, 0x9FC00, 0x60400, E820_RESERVED);
	e820_add(m, 0x100000, 0x1FE00000, E820_RAM);
	e820_add(m, 0x1FF00000, 0x100000, E820_ACPI);
	e820_add(m, 0xFC000000, 0x4000000, E820_RESERVED);
}

static void test_seabios_table(void **state)
{
	struct e820_map m;
	uint32_t tables[4] = { 0, 0, 0, 0x1FF00000 };     /* only the RSDP exists */
	const struct xen_seabios_info *t = (const void *)page;
	uint32_t list;
	size_t used;

	sample_map(&m);
	memset(page, 0xAA, sizeof(page));
	used = xen_seabios_info_build(page, 0x1000, sizeof(page), tables, 4, &m);
	assert_int_equal(used, 32 + 4 + 5 * 20);
	assert_memory_equal(t->signature, "XenHVMSeaBIOS\0", 14);
	assert_int_equal(t->length, 32);
	assert_int_equal(xen_byte_sum(t, t->length), 0);
	assert_int_equal(t->tables_nr, 1);
	assert_int_equal(t->tables, 0x1020);
	memcpy(&list, page + (t->tables - 0x1000), 4);
	assert_int_equal(list, 0x1FF00000);
	assert_int_equal(t->e820_nr, 5);
	assert_int_equal(t->e820, 0x1024);
	assert_memory_equal(page + (t->e820 - 0x1000), m.e, 5 * 20);
}

static void test_seabios_no_tables(void **state)
{
	struct e820_map m;
	uint32_t tables[4] = { 0 };
	const struct xen_seabios_info *t = (const void *)page;

	sample_map(&m);
	assert_int_not_equal(xen_seabios_info_build(page, 0x1000, sizeof(page), tables, 4, &m), 0);
	assert_int_equal(t->tables_nr, 0);
	assert_int_equal(t->tables, 0);
	assert_int_equal(t->e820, 0x1020);
	assert_int_equal(xen_byte_sum(t, 32), 0);
}

static void test_ovmf_table(void **state)
{
	struct e820_map m;
	const struct xen_ovmf_info *t = (const void *)page;

	sample_map(&m);
	assert_int_equal(xen_ovmf_info_build(page, 0x1000, sizeof(page), &m), 40 + 5 * 20);
	assert_memory_equal(t->signature, "XenHVMOVMF\0\0\0\0", 14);
	assert_int_equal(t->length, 40);
	assert_int_equal(xen_byte_sum(t, 40), 0);
	assert_int_equal(t->tables, 0);
	assert_int_equal(t->tables_nr, 0);
	assert_int_equal(t->e820, 0x1028);
	assert_int_equal(t->e820_nr, 5);
}

static void test_too_small(void **state)
{
	struct e820_map m;
	uint32_t tables[1] = { 0x1234 };

	sample_map(&m);
	assert_int_equal(xen_seabios_info_build(page, 0x1000, 100, tables, 1, &m), 0);
	assert_int_equal(xen_ovmf_info_build(page, 0x1000, 39, &m), 0);
}

static uint8_t cmos(const struct xen_cmos_byte *b, uint8_t reg)
{
	for (int i = 0; i < XEN_CMOS_MEM_BYTES; i++)
		if (b[i].reg == reg)
			return b[i].val;
	fail_msg("register 0x%x not written", reg);
	return 0;
}

static void test_cmos_bytes(void **state)
{
	struct xen_cmos_byte b[XEN_CMOS_MEM_BYTES];

	/* 512 MiB: 511 MiB above 1 MiB = 523264 KiB (capped), 496 MiB above 16 MiB = 7936 units. */
	xen_cmos_memory(0x20000000, b);
	assert_int_equal(cmos(b, 0x15) | cmos(b, 0x16) << 8, 640);
	assert_int_equal(cmos(b, 0x17) | cmos(b, 0x18) << 8, 0xFFFF);
	assert_int_equal(cmos(b, 0x30) | cmos(b, 0x31) << 8, 0xFFFF);
	assert_int_equal(cmos(b, 0x34) | cmos(b, 0x35) << 8, 7936);
	/* 32 MiB: 31744 KiB above 1 MiB, 256 units above 16 MiB. */
	xen_cmos_memory(0x2000000, b);
	assert_int_equal(cmos(b, 0x17) | cmos(b, 0x18) << 8, 31744);
	assert_int_equal(cmos(b, 0x34) | cmos(b, 0x35) << 8, 256);
	/* 3.75 GiB low RAM: units stay within 16 bits. */
	xen_cmos_memory(0xF0000000, b);
	assert_int_equal(cmos(b, 0x34) | cmos(b, 0x35) << 8, (0xF0000000 - 0x1000000) >> 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seabios_table),
		cmocka_unit_test(test_seabios_no_tables),
		cmocka_unit_test(test_ovmf_table),
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_cmos_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
