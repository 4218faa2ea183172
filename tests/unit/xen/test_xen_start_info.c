/* SPDX-License-Identifier: MIT */
/* hvm_start_info parsing against a synthetic guest memory blob. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <hvmfw/xen/start_info.h>

#define BASE 0x174000u          /* where the toolstack puts the start info segment */
#define MEM_SIZE 0x4000u

static uint8_t mem[MEM_SIZE];
static uint64_t readable_end;   /* GPA where readable memory stops */
static int refusals;
static char last_what[128], last_why[128];

static const void *map(uint64_t gpa, uint64_t len, void *ctx)
{
	/* The firmware blob lives elsewhere: model it as a readable range we never touch. */
	if (gpa >= 0x134000 && gpa + len <= 0x174000)
		return mem;     /* content is irrelevant for modules */
	if (gpa < BASE || gpa + len > readable_end)
		return NULL;
	return mem + (gpa - BASE);
}

/*
 * Like map(), but what it returns is a copy of exactly len bytes, followed
 * by junk, at an odd address: a parser that reads past what it asked to
 * have mapped, or assumes alignment, sees garbage instead of the data.
 */
static uint8_t arena[1 << 20];
static size_t arena_used;

static const void *strict_map(uint64_t gpa, uint64_t len, void *ctx)
{
	const uint8_t *src = map(gpa, len, ctx);
	uint8_t *dst;

	if (gpa < BASE)
		return src;     /* the module's data: only its readability is asked */

	if (!src || arena_used + len + 64 > sizeof(arena))
		return NULL;
	dst = arena + arena_used + 1;   /* misaligned on purpose */
	memcpy(dst, src, len);
	memset(dst + len, 0xAA, 32);
	arena_used += len + 48;
	return dst;
}

static void refuse(const char *what, const char *why)
{
	refusals++;
	snprintf(last_what, sizeof(last_what), "%s", what);
	snprintf(last_why, sizeof(last_why), "%s", why);
}

/* Layout as the toolstack builds it: info, 2 modlist slots, names, memmap. */
static struct hvm_start_info *setup(uint32_t version, unsigned nmod)
{
	struct hvm_start_info *si = (void *)mem;

	memset(mem, 0, sizeof(mem));
	readable_end = BASE + MEM_SIZE;
	refusals = 0;
	si->magic = XEN_START_MAGIC;
	si->version = version;
	si->nr_modules = nmod;
	si->modlist_paddr = nmod ? BASE + 56 : 0;
	return si;
}

static void add_module(unsigned i, uint64_t addr, uint64_t size, const char *name)
{
	struct hvm_modlist_entry *m = (void *)(mem + 56 + 32 * i);
	uint32_t name_off = 120 + 1024 * i;

	m->paddr = addr;
	m->size = size;
	if (name) {
		m->cmdline_paddr = BASE + name_off;
		strcpy((char *)mem + name_off, name);
	}
}

/* A v1 start info with the firmware module and a one-entry memory map. */
static void firmware_and_memmap(void)
{
	struct hvm_start_info *si = setup(1, 1);
	struct hvm_memmap_entry *mm = (void *)(mem + 2168);

	add_module(0, 0x134000, 0x40000, "firmware");
	mm[0] = (struct hvm_memmap_entry){ 0x100000, 0x1ff00000, 1, 0 };
	si->memmap_paddr = BASE + 2168;
	si->memmap_entries = 1;
}

static void test_finds_firmware_module(void **state)
{
	struct xen_boot_info bi;
	const char *why = NULL;

	firmware_and_memmap();
	assert_int_equal(xen_start_info_parse(BASE, map, NULL, &bi, refuse, &why), 0);
	assert_int_equal(refusals, 0);
	assert_int_equal(bi.mod[XEN_MOD_FIRMWARE].addr, 0x134000);
	assert_int_equal(bi.mod[XEN_MOD_FIRMWARE].size, 0x40000);
	assert_int_equal(bi.mod[XEN_MOD_IPXE].size, 0);
	assert_int_equal(bi.memmap_addr, BASE + 2168);
	assert_int_equal(bi.memmap_entries, 1);
	assert_int_equal(bi.region_lo, 0x134000);
	assert_int_equal(bi.region_hi, BASE + 2168 + 24);
}

/* The same start info through strict_map: every read within what was mapped. */
static void test_reads_only_what_it_mapped(void **state)
{
	struct xen_boot_info bi;
	const char *why = NULL;

	firmware_and_memmap();
	arena_used = 0;
	assert_int_equal(xen_start_info_parse(BASE, strict_map, NULL, &bi, refuse, &why), 0);
	if (refusals)
		fail_msg("refused %s: %s", last_what, last_why);
	assert_int_equal(bi.mod[XEN_MOD_FIRMWARE].addr, 0x134000);
	assert_int_equal(bi.memmap_entries, 1);
}

static void test_unknown_module_refused_by_name(void **state)
{
	struct xen_boot_info bi;
	const char *why = NULL;

	setup(1, 2);
	add_module(0, 0x134000, 0x1000, "initrd");
	add_module(1, 0x135000, 0x1000, "ipxe");
	assert_int_equal(xen_start_info_parse(BASE, map, NULL, &bi, refuse, &why), 0);
	assert_int_equal(refusals, 1);
	assert_non_null(strstr(last_what, "\"initrd\""));
	assert_non_null(strstr(last_why, "unknown module name"));
	assert_int_equal(bi.mod[XEN_MOD_FIRMWARE].size, 0);
	assert_int_equal(bi.mod[XEN_MOD_IPXE].addr, 0x135000);
}

static void test_bad_modules_refused(void **state)
{
	struct xen_boot_info bi;
	const char *why = NULL;

	/* No name, then above 4 GiB, then a good one, then a duplicate. */
	setup(1, 2);
	add_module(0, 0x134000, 0x1000, NULL);
	add_module(1, 0x100000000ull, 0x1000, "firmware");
	assert_int_equal(xen_start_info_parse(BASE, map, NULL, &bi, refuse, &why), 0);
	assert_int_equal(refusals, 2);
	assert_non_null(strstr(last_why, "below 4 GiB"));
	assert_int_equal(bi.mod[XEN_MOD_FIRMWARE].size, 0);

	setup(1, 2);
	add_module(0, 0x134000, 0x1000, "firmware");
	add_module(1, 0x136000, 0x1000, "firmware");
	assert_int_equal(xen_start_info_parse(BASE, map, NULL, &bi, refuse, &why), 0);
	assert_int_equal(refusals, 1);
	assert_non_null(strstr(last_why, "second module"));
	assert_int_equal(bi.mod[XEN_MOD_FIRMWARE].addr, 0x134000);
}

static void test_name_without_nul_refused(void **state)
{
	struct xen_boot_info bi;
	const char *why = NULL;

	setup(1, 1);
	add_module(0, 0x134000, 0x1000, "firmware");
	memset(mem + 120, 'A', 1024);           /* fills the whole 1024-byte slot */
	mem[120 + 1024] = 0;
	assert_int_equal(xen_start_info_parse(BASE, map, NULL, &bi, refuse, &why), 0);
	assert_int_equal(refusals, 1);
	assert_non_null(strstr(last_why, "no NUL"));
}

static void test_version0_reads_no_memmap(void **state)
{
	struct hvm_start_info *si = setup(0, 0);
	struct xen_boot_info bi;
	const char *why = NULL;

	/* Only the 40 version-0 bytes are readable; junk where v1 fields would be. */
	readable_end = BASE + HVM_START_INFO_V0_LEN;
	si->memmap_paddr = 0xdeadbeef;
	si->memmap_entries = 99;
	assert_int_equal(xen_start_info_parse(BASE, map, NULL, &bi, refuse, &why), 0);
	assert_int_equal(bi.version, 0);
	assert_int_equal(bi.memmap_addr, 0);
	assert_int_equal(bi.memmap_entries, 0);
	assert_int_equal(refusals, 0);
}

static void test_bad_magic_fails(void **state)
{
	struct hvm_start_info *si = setup(1, 0);
	struct xen_boot_info bi;
	const char *why = NULL;

	si->magic ^= 1;
	assert_int_equal(xen_start_info_parse(BASE, map, NULL, &bi, refuse, &why), -1);
	assert_non_null(strstr(why, "magic"));
	assert_int_equal(xen_start_info_parse(0x10, map, NULL, &bi, refuse, &why), -1);
}

static void test_unreadable_module_list_refused(void **state)
{
	struct hvm_start_info *si = setup(1, 3);
	struct xen_boot_info bi;
	const char *why = NULL;

	si->modlist_paddr = 0x9000000;
	assert_int_equal(xen_start_info_parse(BASE, map, NULL, &bi, refuse, &why), 0);
	assert_int_equal(refusals, 1);
	assert_string_equal(last_what, "module list");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finds_firmware_module),
		cmocka_unit_test(test_reads_only_what_it_mapped),
		cmocka_unit_test(test_unknown_module_refused_by_name),
		cmocka_unit_test(test_bad_modules_refused),
		cmocka_unit_test(test_name_without_nul_refused),
		cmocka_unit_test(test_version0_reads_no_memmap),
		cmocka_unit_test(test_bad_magic_fails),
		cmocka_unit_test(test_unreadable_module_list_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
