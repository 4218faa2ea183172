/* SPDX-License-Identifier: MIT */
/* smbios_build() and the entry points, read back with an independent walker. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
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

/* Pass-through blobs: records of a 32-bit length and one structure. */
struct blob {
	uint8_t b[4096];
	uint32_t len;
};

/* Append a record: header (type, formatted length, handle), body, then the string set. */
static uint32_t rec(struct blob *bl, uint8_t type, uint8_t flen, uint16_t handle,
		    const uint8_t *body, const char *strings, uint32_t strings_len)
{
	uint32_t at = bl->len, size = flen + strings_len;
	uint8_t *p = bl->b + at + 4;

	assert_true(at + 4 + size <= sizeof(bl->b));
	bl->b[at] = (uint8_t)size;
	bl->b[at + 1] = (uint8_t)(size >> 8);
	bl->b[at + 2] = 0;
	bl->b[at + 3] = 0;
	memset(p, 0, flen);
	p[0] = type;
	p[1] = flen;
	p[2] = (uint8_t)handle;
	p[3] = (uint8_t)(handle >> 8);
	if (body)
		memcpy(p + 4, body, flen - 4u);
	memcpy(p + flen, strings, strings_len);
	bl->len += 4 + size;
	return at;
}

struct refusal {
	uint32_t off;
	int type;
	char why[128];
};
static struct refusal refused[16];
static int nrefused;

static void on_refuse(void *ctx, uint32_t off, int type, const char *why)
{
	assert_ptr_equal(ctx, &nrefused);
	assert_true(nrefused < 16);
	refused[nrefused].off = off;
	refused[nrefused].type = type;
	snprintf(refused[nrefused].why, sizeof(refused[nrefused].why), "%s", why);
	nrefused++;
}

static uint32_t parse(struct smbios_config *c, const struct blob *bl)
{
	nrefused = 0;
	return smbios_pt_parse(c, bl->b, bl->len, on_refuse, &nrefused);
}

/* Sizes, counts and handles of a built table, checked against the walk. */
static void check_table(int n, const struct smbios_table *t)
{
	uint32_t max = 0, total = 0;
	uint8_t ep3[SMBIOS_EP3_LEN], ep2[SMBIOS_EP2_LEN];

	for (int i = 0; i < n; i++) {
		max = st[i].size > max ? st[i].size : max;
		total += st[i].size;
		for (int j = i + 1; j < n; j++)
			assert_int_not_equal(smb_rd16(st[i].p + 2), smb_rd16(st[j].p + 2));
		assert_true(smb_rd16(st[i].p + 2) < 0xFF00);
	}
	assert_int_equal(total, t->len);
	assert_int_equal(max, t->max_struct);
	assert_int_equal(n, t->count);
	assert_int_equal(st[n - 1].p[0], 127);
	smbios_entry3(ep3, 0x7FFF0000ull, t);
	assert_int_equal(smb_sum(ep3, SMBIOS_EP3_LEN), 0);
	assert_true(smb_rd32(ep3 + 0x0C) == t->len);
	assert_true(smbios_entry2(ep2, 0x7FFF0000ull, t));
	assert_int_equal(smb_sum(ep2, SMBIOS_EP2_LEN), 0);
	assert_int_equal(smb_sum(ep2 + 0x10, SMBIOS_EP2_LEN - 0x10), 0);
	assert_int_equal(smb_rd16(ep2 + 0x08), t->max_struct);
	assert_int_equal(smb_rd16(ep2 + 0x16), t->len);
	assert_int_equal(smb_rd16(ep2 + 0x1C), t->count);
}

static const char sys_strings[] = "Passed Inc\0PT Product\0PT-SERIAL\0";
static const char oem_strings[] = "oem-a\0oem-b\0";

/* A type 1 (replacing hvmfw's) and a type 11 (added). */
static void two_records(struct blob *bl)
{
	uint8_t t1[0x1B - 4] = { 1, 2, 0, 3 };  /* manufacturer, product, no version, serial */
	uint8_t t11[1] = { 2 };                 /* two strings */

	t1[0x18 - 4] = 6;                       /* wake-up: power switch */
	rec(bl, 1, 0x1B, 0x1234, t1, sys_strings, sizeof(sys_strings));
	rec(bl, 11, 0x05, 0x0B00, t11, oem_strings, sizeof(oem_strings));
}

static void test_pt_replace_and_add(void **state)
{
	struct smbios_config c;
	struct smbios_table t0, t;
	struct blob bl = { .len = 0 };
	const struct smb_struct *s;
	uint32_t base_t1;
	int n0, n;

	fixture(&c, 2);
	n0 = build(&c, &t0);
	base_t1 = find(n0, 1)->size;

	two_records(&bl);
	assert_int_equal(parse(&c, &bl), 2);
	assert_int_equal(nrefused, 0);
	assert_int_equal(c.npt, 2);
	n = build(&c, &t);
	check_table(n, &t);

	/* One more structure; type 1 swapped for the record's. */
	assert_int_equal(n, n0 + 1);
	assert_int_equal(t.len, t0.len - base_t1 + (0x1B + sizeof(sys_strings)) +
				(0x05 + sizeof(oem_strings)));
	assert_int_equal(count_type(n, 1), 1);
	s = find(n, 1);
	assert_string_equal(field_str(s, 4), "Passed Inc");
	assert_string_equal(field_str(s, 5), "PT Product");
	assert_null(field_str(s, 6));
	assert_string_equal(field_str(s, 7), "PT-SERIAL");
	/* It takes the handle hvmfw's own type 1 had, not the record's. */
	assert_int_equal(smb_rd16(s->p + 2), smb_rd16(st[1].p + 2));
	assert_int_not_equal(smb_rd16(s->p + 2), 0x1234);

	s = find(n, 11);
	assert_non_null(s);
	assert_int_equal(s->len, 5);
	assert_int_equal(s->p[4], 2);
	assert_string_equal(smb_string(s, 1), "oem-a");
	assert_string_equal(smb_string(s, 2), "oem-b");
	/* Merged in type order: 11 comes after the CPUs, before the memory array. */
	for (int i = 1; i < n - 1; i++)
		assert_true(st[i - 1].p[0] <= st[i].p[0]);

	/* The dry run asks for exactly what the real run writes. */
	{
		struct smbios_table dry;

		assert_int_equal(smbios_build(&c, NULL, 0, &dry), SMBIOS_E_NOSPACE);
		assert_int_equal(dry.len, t.len);
		assert_int_equal(dry.count, t.count);
		assert_int_equal(dry.max_struct, t.max_struct);
	}
}

static bool refused_with(int i, int type, const char *part)
{
	return i < nrefused && refused[i].type == type && strstr(refused[i].why, part);
}

static void test_pt_unterminated(void **state)
{
	struct smbios_config c;
	struct blob bl = { .len = 0 };
	uint8_t t11[1] = { 1 };
	uint32_t off;

	fixture(&c, 1);
	/* One string, one NUL: the set never gets its second NUL. */
	off = rec(&bl, 11, 0x05, 0, t11, "abc", 4);
	two_records(&bl);
	assert_int_equal(parse(&c, &bl), 2);    /* the walk goes on by the record lengths */
	assert_int_equal(nrefused, 1);
	assert_int_equal(refused[0].off, off);
	assert_true(refused_with(0, 11, "double NUL"));
	assert_int_equal(c.pt[0].p[0], 1);

	/* No strings and a single NUL. */
	fixture(&c, 1);
	bl.len = 0;
	rec(&bl, 0x80, 0x06, 0x4000, (const uint8_t *)"\x01\x02", "", 1);
	assert_int_equal(parse(&c, &bl), 0);
	assert_true(refused_with(0, 0x80, "double NUL"));

	/* No NUL at all. */
	fixture(&c, 1);
	bl.len = 0;
	rec(&bl, 0x80, 0x06, 0x4000, (const uint8_t *)"\x01\x02", "xyz", 3);
	assert_int_equal(parse(&c, &bl), 0);
	assert_true(refused_with(0, 0x80, "double NUL"));

	/* An empty string first. */
	fixture(&c, 1);
	bl.len = 0;
	rec(&bl, 0x80, 0x06, 0x4000, (const uint8_t *)"\x01\x02", "\0ab\0", 5);
	assert_int_equal(parse(&c, &bl), 0);
	assert_true(refused_with(0, 0x80, "empty string"));
}

static void test_pt_truncated(void **state)
{
	struct smbios_config c;
	struct smbios_table t;
	struct blob bl = { .len = 0 };
	uint32_t full;
	int n;

	fixture(&c, 1);
	two_records(&bl);
	full = bl.len;

	/* The blob ends inside the second record: the first still goes through. */
	bl.len = full - 3;
	assert_int_equal(parse(&c, &bl), 1);
	assert_int_equal(nrefused, 1);
	assert_true(refused_with(0, 11, "blob ends"));
	assert_int_equal(refused[0].off, 4 + 0x1B + sizeof(sys_strings));
	n = build(&c, &t);
	check_table(n, &t);
	assert_string_equal(field_str(find(n, 1), 5), "PT Product");
	assert_null(find(n, 11));

	/* The blob ends inside a record's length. */
	fixture(&c, 1);
	bl.len = full + 2;
	bl.b[full] = 0x10;
	bl.b[full + 1] = 0;
	assert_int_equal(parse(&c, &bl), 2);
	assert_int_equal(nrefused, 1);
	assert_true(refused_with(0, -1, "too few"));
	assert_int_equal(refused[0].off, full);

	/* A length with nothing after it. */
	fixture(&c, 1);
	memset(bl.b, 0, 4);
	bl.b[0] = 0x20;
	bl.len = 4;
	assert_int_equal(parse(&c, &bl), 0);
	assert_true(refused_with(0, -1, "blob ends"));

	/* Nothing at all is fine. */
	fixture(&c, 1);
	bl.len = 0;
	assert_int_equal(parse(&c, &bl), 0);
	assert_int_equal(nrefused, 0);
}

/* Append a record of 'size' bytes holding 'bytes' as they are. */
static uint32_t raw(struct blob *bl, uint32_t size, const void *bytes)
{
	uint32_t at = bl->len;

	bl->b[at] = (uint8_t)size;
	bl->b[at + 1] = (uint8_t)(size >> 8);
	bl->b[at + 2] = 0;
	bl->b[at + 3] = 0;
	memcpy(bl->b + at + 4, bytes, size);
	bl->len += 4 + size;
	return at;
}

static void test_pt_bad_length(void **state)
{
	struct smbios_config c;
	struct smbios_table t;
	struct blob bl = { .len = 0 };
	uint8_t t1[0x1B - 4] = { 1 };
	uint32_t o[7];
	int n;

	fixture(&c, 1);
	/* Header length below the header's own 4 bytes. */
	o[0] = raw(&bl, 6, "\x81\x03\x01\x40\0\0");
	/* Header length beyond the record: 6 bytes, the header says 0x20. */
	o[1] = raw(&bl, 6, "\x82\x20\x02\x40\0\0");
	/* The record is longer than the structure: bytes after the double NUL. */
	o[2] = raw(&bl, 12, "\x83\x04\x03\x40" "ab\0\0junk");
	/* A formatted area shorter than DSP0134 gives type 1. */
	o[3] = rec(&bl, 1, 0x19, 0, t1, "x\0", 3);
	/* A record too short for a header, and an empty one. */
	o[4] = raw(&bl, 3, "\x84\x04\x04");
	o[5] = raw(&bl, 0, "");
	/* Then a good record, still found: the walk goes by the record lengths. */
	o[6] = rec(&bl, 0x85, 0x06, 0x4005, (const uint8_t *)"\x07\x08", "ok\0", 4);

	assert_int_equal(parse(&c, &bl), 1);
	assert_int_equal(nrefused, 6);
	assert_true(refused_with(0, 0x81, "less than the header"));
	assert_true(refused_with(1, 0x82, "more than the record"));
	assert_true(refused_with(2, 0x83, "4 bytes after"));
	assert_true(refused_with(3, 1, "0x19 is less than the 0x1b"));
	assert_true(refused_with(4, 0x84, "cannot hold"));
	assert_true(refused_with(5, -1, "cannot hold"));
	for (int i = 0; i < 6; i++)
		assert_int_equal(refused[i].off, o[i]);

	n = build(&c, &t);
	check_table(n, &t);
	assert_non_null(find(n, 0x85));
	assert_int_equal(smb_rd16(find(n, 0x85)->p + 2), 0x4005);
	assert_string_equal(smb_string(find(n, 0x85), 1), "ok");
	/* hvmfw's own type 1 stays. */
	assert_string_equal(field_str(find(n, 1), 4), "hvmfw");
}

static void test_pt_types(void **state)
{
	struct smbios_config c;
	struct smbios_table t;
	struct blob bl = { .len = 0 };
	uint8_t t4[0x30 - 4] = { 0 }, t2[0x0F - 4] = { 1, 2 }, t28[0x16 - 4] = { 1 };
	uint8_t t27[0x0F - 4] = { 0x00, 0x1C, 0x63, 0x01 };     /* probe 0x1C00, fan, OK */
	uint8_t t39[0x16 - 4] = { 0 };
	int n;

	fixture(&c, 3);
	t2[0x09 - 4] = 0x09;                                    /* hosting board, replaceable */
	t2[0x0C - 4] = 0x03;                                    /* chassis: hvmloader's 0x0300 */
	t2[0x0D - 4] = 0x0A;                                    /* motherboard */
	rec(&bl, 4, 0x30, 0, t4, "\0", 2);                      /* hvmfw's CPUs stay */
	rec(&bl, 127, 0x04, 0, NULL, "\0", 2);                  /* the end is ours */
	rec(&bl, 20, 0x13, 0, t4, "\0", 2);                     /* not passed through */
	rec(&bl, 2, 0x0F, 0x0200, t2, "Board Co\0B-1\0", 14);
	rec(&bl, 2, 0x0F, 0x0201, t2, "Other\0B-2\0", 11);      /* a second type 2 */
	rec(&bl, 0x90, 0x05, 0x0003, (const uint8_t *)"\x01", "v1\0", 4);
	rec(&bl, 0x90, 0x05, 0x0003, (const uint8_t *)"\x02", "v2\0", 4); /* same handle */
	rec(&bl, 0x91, 0x05, 0xFF10, (const uint8_t *)"\x03", "\0", 2);   /* reserved handle */
	rec(&bl, 0x91, 0x05, 0x0005, (const uint8_t *)"\x04", "\0", 2);
	/* A cooling device pointing at its probe by the toolstack's handles. */
	rec(&bl, 27, 0x0F, 0x1B00, t27, "Fan\0", 5);
	rec(&bl, 28, 0x16, 0x1C00, t28, "Probe\0", 7);
	t39[0x10 - 4] = 0xFF;                                   /* voltage probe: none */
	t39[0x11 - 4] = 0xFF;
	t39[0x12 - 4] = 0x00;                                   /* cooling device: toolstack's 0x1B00 */
	t39[0x13 - 4] = 0x1B;
	t39[0x14 - 4] = 0x34;                                   /* current probe: not in the table */
	t39[0x15 - 4] = 0x12;
	rec(&bl, 39, 0x16, 0x2700, t39, "\0", 2);

	assert_int_equal(parse(&c, &bl), 6);
	assert_int_equal(nrefused, 6);
	assert_true(refused_with(0, 4, "not a type"));
	assert_true(refused_with(1, 127, "not a type"));
	assert_true(refused_with(2, 20, "not a type"));
	assert_true(refused_with(3, 2, "earlier record"));
	assert_true(refused_with(4, 0x90, "handle 0x0003"));
	assert_true(refused_with(5, 0x91, "reserved"));

	n = build(&c, &t);
	check_table(n, &t);
	assert_int_equal(count_type(n, 4), 3);
	assert_int_equal(count_type(n, 2), 1);
	assert_int_equal(count_type(n, 127), 1);
	assert_int_equal(count_type(n, 0x90), 1);
	/* Vendor structures keep their handles; hvmfw's own skip them. */
	assert_int_equal(smb_rd16(find(n, 0x90)->p + 2), 0x0003);
	assert_int_equal(smb_rd16(find(n, 0x91)->p + 2), 0x0005);
	assert_string_equal(smb_string(find(n, 0x90), 1), "v1");
	/* The board sits in hvmfw's chassis, whatever the record said. */
	assert_string_equal(field_str(find(n, 2), 4), "Board Co");
	assert_int_equal(smb_rd16(find(n, 2)->p + 0x0B), smb_rd16(find(n, 3)->p + 2));
	/* References follow the passed-through structures' new handles. */
	assert_int_equal(smb_rd16(find(n, 27)->p + 4), smb_rd16(find(n, 28)->p + 2));
	assert_int_equal(smb_rd16(find(n, 39)->p + 0x10), 0xFFFF);
	assert_int_equal(smb_rd16(find(n, 39)->p + 0x12), smb_rd16(find(n, 27)->p + 2));
	assert_int_equal(smb_rd16(find(n, 39)->p + 0x14), 0xFFFF);
	/* The record itself is left as it was. */
	assert_int_equal(c.pt[3].p[0], 27);
	assert_int_equal(smb_rd16(c.pt[3].p + 2), 0x1B00);
}

static void test_pt_limit(void **state)
{
	struct smbios_config c;
	struct smbios_table t;
	struct blob bl = { .len = 0 };

	fixture(&c, 1);
	for (unsigned i = 0; i < SMBIOS_MAX_PT + 2; i++)
		rec(&bl, 0xC0, 0x04, (uint16_t)(0x5000 + i), NULL, "\0", 2);
	assert_int_equal(parse(&c, &bl), SMBIOS_MAX_PT);
	assert_int_equal(nrefused, 2);
	assert_true(refused_with(0, 0xC0, "more than the 32 structures"));
	check_table(build(&c, &t), &t);
	c.npt = SMBIOS_MAX_PT + 1;
	assert_int_equal(smbios_build(&c, buf, BUFSZ, &t), SMBIOS_E_INVAL);
}

static void test_battery(void **state)
{
	struct smbios_config c;
	struct smbios_table t;
	struct blob bl = { .len = 0 };
	uint8_t t22[0x1A - 4] = { 1, 2, 0, 0, 3, 0x05 };
	const struct smb_struct *s;
	int n;

	fixture(&c, 1);
	n = build(&c, &t);
	assert_null(find(n, 22));

	c.battery = true;
	n = build(&c, &t);
	check_table(n, &t);
	s = find(n, 22);
	assert_non_null(s);
	assert_int_equal(s->len, 0x1A);
	assert_string_equal(field_str(s, 5), "hvmfw");
	assert_string_equal(field_str(s, 6), "11/25/2026");
	assert_null(field_str(s, 7));
	assert_string_equal(field_str(s, 8), "Virtual Battery");
	assert_int_equal(s->p[9], 2);                           /* chemistry unknown */
	assert_int_equal(s->p[0x0F], 0xFF);                     /* max error unknown */
	assert_true(smbios_set_string(&c, "battery-manufacturer", "Acme Cells"));
	assert_true(smbios_set_string(&c, "battery-device-name", "ACME-1"));
	n = build(&c, &t);
	assert_string_equal(field_str(find(n, 22), 5), "Acme Cells");
	assert_string_equal(field_str(find(n, 22), 8), "ACME-1");

	/* A passed-through battery wins over the default one. */
	rec(&bl, 22, 0x1A, 0x1600, t22, "Left\0PT Cells\0PT-BAT\0", 22);
	assert_int_equal(parse(&c, &bl), 1);
	n = build(&c, &t);
	check_table(n, &t);
	assert_int_equal(count_type(n, 22), 1);
	assert_string_equal(field_str(find(n, 22), 5), "PT Cells");
	assert_string_equal(field_str(find(n, 22), 8), "PT-BAT");
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
		cmocka_unit_test(test_pt_replace_and_add),
		cmocka_unit_test(test_pt_unterminated),
		cmocka_unit_test(test_pt_truncated),
		cmocka_unit_test(test_pt_bad_length),
		cmocka_unit_test(test_pt_types),
		cmocka_unit_test(test_pt_limit),
		cmocka_unit_test(test_battery),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
