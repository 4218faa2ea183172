/* SPDX-License-Identifier: MIT */
/* smbios_build() and the entry points, read back with an independent walker. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <hvmfw/smbios.h>
#include "smbios_walk.h"

#define BUFSZ (256 * 1024)
#define MAXS 4096

static uint8_t buf[BUFSZ], buf2[BUFSZ];
static struct smb_struct st[MAXS];

static void fixture(struct smbios_config *c, uint32_t ncpus)
{
	smbios_defaults(c);
	c->str[SMBIOS_BIOS_VERSION] = "0.1.0";
	c->str[SMBIOS_BIOS_DATE] = "11/25/2026";
	c->str[SMBIOS_CPU_MANUFACTURER] = "Intel";
	c->ncpus = ncpus;
	c->cpu_signature = 0x000906EA;
	c->cpu_features = 0x0F8BFBFF;
	c->cpu_mhz = 2400;
	c->cpu_64bit = true;
	c->nram = 3;
	c->ram[0] = (struct smbios_range){ 0, 0x9FC00 };
	c->ram[1] = (struct smbios_range){ 0x100000, 0xBFF00000 };
	c->ram[2] = (struct smbios_range){ 0x100000000ull, 0x40000000ull };
}

static int build(const struct smbios_config *c, struct smbios_table *t)
{
	int rc = smbios_build(c, buf, BUFSZ, t);
	int n;

	assert_int_equal(rc, 0);
	n = smb_walk(buf, t->len, st, MAXS);
	assert_true(n > 0);
	assert_int_equal(n, t->count);
	return n;
}

static int count_type(int n, uint8_t type)
{
	int k = 0;

	for (int i = 0; i < n; i++)
		k += st[i].p[0] == type;
	return k;
}

static const struct smb_struct *find(int n, uint8_t type)
{
	for (int i = 0; i < n; i++)
		if (st[i].p[0] == type)
			return &st[i];
	return NULL;
}

/* String field at 'off' names an existing string, or 0. */
static const char *field_str(const struct smb_struct *s, uint32_t off)
{
	assert_true(off < s->len);
	assert_true(s->p[off] <= s->nstr);
	return smb_string(s, s->p[off]);
}

static void test_entry_points(void **state)
{
	struct smbios_config c;
	struct smbios_table t;
	uint8_t ep3[SMBIOS_EP3_LEN], ep2[SMBIOS_EP2_LEN];

	fixture(&c, 2);
	build(&c, &t);
	smbios_entry3(ep3, 0x7FFFE000ull, &t);
	assert_memory_equal(ep3, "_SM3_", 5);
	assert_int_equal(ep3[6], 24);
	assert_int_equal(ep3[7], 3);
	assert_int_equal(ep3[8], 0);
	assert_int_equal(ep3[0x0A], 1);
	assert_int_equal(smb_sum(ep3, ep3[6]), 0);
	assert_true(smb_rd32(ep3 + 0x0C) >= t.len);
	assert_true(smb_rd64(ep3 + 0x10) == 0x7FFFE000ull);

	assert_true(smbios_entry2(ep2, 0x7FFFE000ull, &t));
	assert_memory_equal(ep2, "_SM_", 4);
	assert_memory_equal(ep2 + 0x10, "_DMI_", 5);
	assert_int_equal(ep2[5], 0x1F);
	assert_int_equal(ep2[6], 2);
	assert_int_equal(smb_sum(ep2, 0x1F), 0);
	assert_int_equal(smb_sum(ep2 + 0x10, 0x0F), 0);
	assert_int_equal(smb_rd16(ep2 + 0x16), t.len);
	assert_int_equal(smb_rd32(ep2 + 0x18), 0x7FFFE000u);
	assert_int_equal(smb_rd16(ep2 + 0x1C), t.count);
	assert_int_equal(ep2[0x1E], (ep2[6] << 4) | ep2[7]);

	/* The 32-bit anchor cannot point above 4 GiB. */
	assert_false(smbios_entry2(ep2, 0x100000000ull, &t));
}

static void test_framing_and_strings(void **state)
{
	struct smbios_config c;
	struct smbios_table t;
	uint32_t max = 0, total = 0;
	int n;

	fixture(&c, 3);
	n = build(&c, &t);
	for (int i = 0; i < n; i++) {
		const uint8_t *end = st[i].p + st[i].size;

		/* Every structure ends in a double NUL, whether it has strings or not. */
		assert_int_equal(end[-1], 0);
		assert_int_equal(end[-2], 0);
		for (uint32_t k = 1; k <= st[i].nstr; k++)
			assert_true(strlen(smb_string(&st[i], (uint8_t)k)) > 0);
		max = st[i].size > max ? st[i].size : max;
		total += st[i].size;
	}
	assert_int_equal(total, t.len);
	assert_int_equal(max, t.max_struct);
	assert_int_equal(st[n - 1].p[0], 127);
	assert_int_equal(st[n - 1].len, 4);

	/* Formatted lengths of the layouts chosen (DSP0134 3.0). */
	assert_int_equal(find(n, 0)->len, 0x18);
	assert_int_equal(find(n, 1)->len, 0x1B);
	assert_int_equal(find(n, 3)->len, 0x16);
	assert_int_equal(find(n, 4)->len, 0x30);
	assert_int_equal(find(n, 16)->len, 0x17);
	assert_int_equal(find(n, 17)->len, 0x28);
	assert_int_equal(find(n, 19)->len, 0x1F);
	assert_int_equal(find(n, 32)->len, 0x0B);

	/* Handles are unique. */
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			assert_int_not_equal(smb_rd16(st[i].p + 2), smb_rd16(st[j].p + 2));
}

static void test_bios_and_system(void **state)
{
	static const uint8_t uuid[16] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
					  0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
	struct smbios_config c;
	struct smbios_table t;
	const struct smb_struct *s;
	int n;

	fixture(&c, 1);
	c.has_uuid = true;
	memcpy(c.uuid, uuid, 16);
	n = build(&c, &t);

	s = find(n, 0);
	assert_string_equal(field_str(s, 4), "hvmfw");
	assert_string_equal(field_str(s, 5), "0.1.0");
	assert_string_equal(field_str(s, 8), "11/25/2026");
	assert_int_equal(smb_rd64(s->p + 0x0A) & (1u << 11), 0);       /* not upgradeable */
	assert_int_equal(smb_rd64(s->p + 0x0A) & (1u << 7), 1u << 7);   /* PCI */
	assert_int_equal(s->p[0x12] & 1, 1);                            /* ACPI */
	assert_int_equal(s->p[0x13] & 0x14, 0x14);                      /* TCD, VM */

	s = find(n, 1);
	assert_string_equal(field_str(s, 4), "hvmfw");
	assert_string_equal(field_str(s, 7), "12345678-9abc-def0-0123-456789abcdef");
	/* Little-endian time_low, time_mid, time_hi; the rest as is. */
	assert_int_equal(s->p[8], 0x78);
	assert_int_equal(s->p[11], 0x12);
	assert_int_equal(s->p[12], 0xbc);
	assert_int_equal(s->p[14], 0xf0);
	assert_int_equal(s->p[16], 0x01);
	assert_int_equal(s->p[23], 0xef);
	assert_int_equal(s->p[0x18], 6);                                /* power switch */
	assert_null(field_str(s, 0x19));                                /* no SKU */
	assert_string_equal(field_str(s, 0x1A), "Virtual Machine");
}

static void test_overrides(void **state)
{
	struct smbios_config c;
	struct smbios_table t;
	int n;

	fixture(&c, 1);
	assert_true(smbios_set_string(&c, "system-product-name", "Box 9000"));
	assert_true(smbios_set_string(&c, "bios-vendor", "Acme"));
	assert_true(smbios_set_string(&c, "system-serial-number", "SN-1"));
	assert_true(smbios_set_string(&c, "enclosure-manufacturer", ""));
	assert_false(smbios_set_string(&c, "no-such-key", "x"));
	c.acpi = false;
	n = build(&c, &t);
	assert_string_equal(field_str(find(n, 1), 5), "Box 9000");
	assert_string_equal(field_str(find(n, 1), 7), "SN-1");
	assert_string_equal(field_str(find(n, 0), 4), "Acme");
	assert_null(field_str(find(n, 3), 4));
	assert_int_equal(find(n, 0)->p[0x12] & 1, 0);
}

static void test_cpu_count(void **state)
{
	static const uint32_t counts[] = { 1, 2, 7, 64, 255 };
	struct smbios_config c;
	struct smbios_table t;

	for (unsigned k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
		int n, seen = 0;

		fixture(&c, counts[k]);
		n = build(&c, &t);
		assert_int_equal(count_type(n, 4), counts[k]);
		for (int i = 0; i < n; i++) {
			const struct smb_struct *s = &st[i];

			if (s->p[0] != 4)
				continue;
			assert_int_equal(s->p[5], 3);                   /* central processor */
			assert_int_equal(smb_rd32(s->p + 8), 0x000906EA);
			assert_int_equal(smb_rd32(s->p + 12), 0x0F8BFBFF);
			assert_int_equal(smb_rd16(s->p + 0x14), 2400);
			assert_int_equal(smb_rd16(s->p + 0x16), 2400);
			assert_int_equal(s->p[0x18], 0x41);             /* populated, enabled */
			assert_string_equal(field_str(s, 7), "Intel");
			seen++;
		}
		assert_int_equal(seen, counts[k]);
	}
	fixture(&c, 0);
	assert_int_equal(smbios_build(&c, buf, BUFSZ, &t), SMBIOS_E_INVAL);
	fixture(&c, SMBIOS_MAX_CPUS + 1);
	assert_int_equal(smbios_build(&c, buf, BUFSZ, &t), SMBIOS_E_INVAL);
}

/* Type 19s give exactly the RAM (KiB); type 17s its MiB total in <= 16 GiB devices. */
static void check_memory(const struct smbios_config *c, uint64_t want_kib)
{
	struct smbios_table t;
	uint64_t kib19 = 0, mib17 = 0;
	const struct smb_struct *a;
	uint16_t ah;
	int n, n17;

	n = build(c, &t);
	a = find(n, 16);
	assert_non_null(a);
	ah = smb_rd16(a->p + 2);
	n17 = count_type(n, 17);
	assert_int_equal(smb_rd16(a->p + 0x0D), n17);
	for (int i = 0; i < n; i++) {
		const uint8_t *p = st[i].p;

		if (p[0] == 17) {
			uint64_t mib = smb_rd16(p + 0x0C);

			assert_int_equal(smb_rd16(p + 4), ah);
			assert_int_equal(mib & 0x8000, 0);              /* MiB units */
			if (mib == 0x7FFF)
				mib = smb_rd32(p + 0x1C);
			assert_true(mib > 0 && mib <= 16384);
			mib17 += mib;
		} else if (p[0] == 19) {
			uint64_t s = smb_rd32(p + 4), e = smb_rd32(p + 8);

			assert_int_equal(smb_rd16(p + 0x0C), ah);
			if (s == 0xFFFFFFFFu) {
				uint64_t xs = smb_rd64(p + 0x0F), xe = smb_rd64(p + 0x17);

				assert_int_equal(e, 0xFFFFFFFFu);
				assert_int_equal(xs & 1023, 0);
				assert_int_equal(xe & 1023, 1023);
				kib19 += (xe + 1 - xs) >> 10;
			} else {
				assert_true(e >= s);
				kib19 += e - s + 1;
			}
		}
	}
	assert_true(kib19 == want_kib);
	assert_true(mib17 == (want_kib + 1023) / 1024);
	if (mib17 << 10 < 0x80000000u)
		assert_true(smb_rd32(a->p + 7) == mib17 << 10);
	else
		assert_true(smb_rd32(a->p + 7) == 0x80000000u && smb_rd64(a->p + 0x0F) == mib17 << 20);
}

static void test_memory_cover(void **state)
{
	struct smbios_config c;

	fixture(&c, 1);
	check_memory(&c, 0x9FC00 / 1024 + 0xBFF00000ull / 1024 + 0x40000000ull / 1024);

	/* Odd sizes, unsorted, and two touching ranges that merge. */
	c.nram = 4;
	c.ram[0] = (struct smbios_range){ 0x200000, 0x300000 };
	c.ram[1] = (struct smbios_range){ 0, 0x9F000 };
	c.ram[2] = (struct smbios_range){ 0x100000, 0x100000 };
	c.ram[3] = (struct smbios_range){ 0x100000000ull, 0x4C0000000ull + 0x1000 };
	check_memory(&c, (0x9F000 + 0x400000 + 0x4C0000000ull + 0x1000) / 1024);

	/* No RAM at all cannot be described. */
	c.nram = 1;
	c.ram[0] = (struct smbios_range){ 0x1000, 0x200 };     /* less than a KiB */
	{
		struct smbios_table t;

		assert_int_equal(smbios_build(&c, buf, BUFSZ, &t), SMBIOS_E_INVAL);
	}
}

static void test_memory_above_4g(void **state)
{
	struct smbios_config c;
	struct smbios_table t;
	int n, ext = 0;

	/* 64 GiB high RAM: four full 16 GiB devices plus the low part. */
	fixture(&c, 1);
	c.ram[2] = (struct smbios_range){ 0x100000000ull, 64ull << 30 };
	check_memory(&c, 0x9FC00 / 1024 + 0xBFF00000ull / 1024 + (64ull << 20));

	/* RAM above 4 TiB needs the 64-bit type 19 fields; 3 TiB needs the type 16 one. */
	c.nram = 2;
	c.ram[0] = (struct smbios_range){ 0x100000, 0x7FF00000 };
	c.ram[1] = (struct smbios_range){ 1ull << 42, 3ull << 40 };
	check_memory(&c, 0x7FF00000 / 1024 + (3ull << 30));
	n = build(&c, &t);
	for (int i = 0; i < n; i++)
		if (st[i].p[0] == 19 && smb_rd32(st[i].p + 4) == 0xFFFFFFFFu) {
			assert_true(smb_rd64(st[i].p + 0x0F) == 1ull << 42);
			assert_true(smb_rd64(st[i].p + 0x17) == (1ull << 42) + (3ull << 40) - 1);
			ext++;
		}
	assert_int_equal(ext, 1);
	/* 2047 MiB + 3 TiB in 16 GiB devices */
	assert_int_equal(count_type(n, 17), 193);
}

static void test_nospace(void **state)
{
	struct smbios_config c;
	struct smbios_table t, t2;

	fixture(&c, 4);
	assert_int_equal(smbios_build(&c, NULL, 0, &t), SMBIOS_E_NOSPACE);
	assert_int_equal(smbios_build(&c, buf, t.len - 1, &t2), SMBIOS_E_NOSPACE);
	assert_int_equal(t2.len, t.len);
	memset(buf, 0xAA, BUFSZ);
	assert_int_equal(smbios_build(&c, buf, t.len, &t2), 0);
	assert_int_equal(t2.len, t.len);
	assert_int_equal(buf[t.len], 0xAA);     /* nothing written past the end */
}

static void test_deterministic(void **state)
{
	struct smbios_config c;
	struct smbios_table t1, t2;

	fixture(&c, 5);
	memset(buf, 0x55, BUFSZ);
	memset(buf2, 0xA5, BUFSZ);
	assert_int_equal(smbios_build(&c, buf, BUFSZ, &t1), 0);
	assert_int_equal(smbios_build(&c, buf2, BUFSZ, &t2), 0);
	assert_int_equal(t1.len, t2.len);
	assert_memory_equal(buf, buf2, t1.len);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_points),
		cmocka_unit_test(test_framing_and_strings),
		cmocka_unit_test(test_bios_and_system),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_cpu_count),
		cmocka_unit_test(test_memory_cover),
		cmocka_unit_test(test_memory_above_4g),
		cmocka_unit_test(test_nospace),
		cmocka_unit_test(test_deterministic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
