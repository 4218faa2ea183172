/* SPDX-License-Identifier: MIT */
/*
 * Tables a platform passes through: acpi_extra_next() on good and bad blobs,
 * then acpi_build() copying the usable ones and listing them in RSDT/XSDT,
 * refusing those that do not fit without writing past its buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <hvmfw/acpi.h>
#include <hvmfw/dsdt.h>
#include "acpi_fixture.h"

#define PHYS 0x000E0000u
#define BUFSZ (64 * 1024)

static uint8_t buf[BUFSZ + 256];
static uint8_t blob[BUFSZ];

static uint32_t rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }
static const uint8_t *at(uint32_t phys) { return buf + (phys - PHYS); }

static void wr32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint8_t sum(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* A well-formed table of len bytes at p: header, body of 'fill' bytes, checksum. */
static uint32_t table(uint8_t *p, const char *sig, uint32_t len, uint8_t fill)
{
	memset(p, fill, len);
	memcpy(p, sig, 4);
	wr32(p + 4, len);
	p[8] = 1;
	memcpy(p + 10, "TESTOE", 6);
	memcpy(p + 16, "EXTRATBL", 8);
	p[9] = 0;
	p[9] = (uint8_t)(0 - sum(p, len));
	return len;
}

/* Every step of a walk, for checking. */
struct step {
	char sig[5];
	uint32_t off, len;
	const char *refused;
};

static unsigned walk(const uint8_t *b, uint32_t len, struct step *s, unsigned max)
{
	struct acpi_extra_table t;
	uint32_t off = 0;
	unsigned n = 0;

	while (acpi_extra_next(b, len, &off, &t)) {
		assert_true(n < max);
		assert_ptr_equal(t.data, b + t.off);
		memcpy(s[n].sig, t.sig, 5);
		s[n].off = t.off;
		s[n].len = t.len;
		s[n].refused = t.refused;
		n++;
	}
	assert_int_equal(off, len);
	return n;
}

static void two_good_tables(void **state)
{
	struct step s[4];
	uint32_t len;

	(void)state;
	len = table(blob, "SSDT", 60, 0xA5);
	len += table(blob + len, "MSDM", 85, 0x11);             /* odd length, next unaligned */
	assert_int_equal(walk(blob, len, s, 4), 2);
	assert_string_equal(s[0].sig, "SSDT");
	assert_int_equal(s[0].off, 0);
	assert_int_equal(s[0].len, 60);
	assert_null(s[0].refused);
	assert_string_equal(s[1].sig, "MSDM");
	assert_int_equal(s[1].off, 60);
	assert_int_equal(s[1].len, 85);
	assert_null(s[1].refused);
}

/* A bad checksum drops that table only: its length still leads to the next. */
static void bad_checksum(void **state)
{
	struct step s[4];
	uint32_t len;

	(void)state;
	len = table(blob, "SLIC", 100, 0x22);
	blob[50] ^= 0x01;
	len += table(blob + len, "SSDT", 40, 0x00);
	assert_int_equal(walk(blob, len, s, 4), 2);
	assert_string_equal(s[0].sig, "SLIC");
	assert_string_equal(s[0].refused, "bad checksum");
	assert_string_equal(s[1].sig, "SSDT");
	assert_int_equal(s[1].off, 100);
	assert_null(s[1].refused);
}

/* A table running past the blob, or a blob ending inside a header, ends the walk. */
static void truncated(void **state)
{
	struct step s[4];
	uint32_t len;

	(void)state;
	len = table(blob, "SSDT", 48, 0x33);
	len += table(blob + len, "TPM2", 76, 0x44);
	assert_int_equal(walk(blob, len - 1, s, 4), 2);
	assert_null(s[0].refused);
	assert_string_equal(s[1].sig, "TPM2");
	assert_int_equal(s[1].len, 76);
	assert_string_equal(s[1].refused, "its length runs past the end of the blob");

	assert_int_equal(walk(blob, 48 + 20, s, 4), 2);
	assert_string_equal(s[1].sig, "TPM2");
	assert_string_equal(s[1].refused, "the blob ends inside its header");

	/* Not even the length field: only what is there is named. */
	assert_int_equal(walk(blob, 48 + 6, s, 4), 2);
	assert_int_equal(s[1].len, 0);
	assert_string_equal(s[1].refused, "the blob ends inside its header");
	assert_int_equal(walk(blob, 48 + 2, s, 4), 2);
	assert_string_equal(s[1].sig, "TP??");
}

static void shorter_than_header(void **state)
{
	static const uint32_t lens[] = { 0, 8, 35 };
	struct step s[4];
	uint32_t len;

	(void)state;
	for (unsigned k = 0; k < 3; k++) {
		len = table(blob, "SSDT", 36, 0x55);            /* a header alone is fine */
		len += table(blob + len, "BAD!", 64, 0x66);
		len += table(blob + len, "SSDT", 40, 0x77);
		wr32(blob + 36 + 4, lens[k]);
		assert_int_equal(walk(blob, len, s, 4), 2);
		assert_null(s[0].refused);
		assert_string_equal(s[1].sig, "BAD!");
		assert_int_equal(s[1].len, lens[k]);
		assert_string_equal(s[1].refused, "its length is shorter than a table header");
	}
}

static void builtin_signatures(void **state)
{
	static const char *const ours[] = { "DSDT", "FACP", "FACS", "APIC", "HPET", "WAET",
					    "MCFG", "RSDT", "XSDT" };
	static const char *const theirs[] = { "SSDT", "SLIC", "MSDM", "SRAT", "SLIT", "TPM2",
					      "BGRT", "apic" };
	struct step s[4];
	uint32_t len;

	(void)state;
	for (unsigned k = 0; k < sizeof(ours) / sizeof(ours[0]); k++) {
		assert_true(acpi_builtin_sig((const uint8_t *)ours[k]));
		len = table(blob, ours[k], 44, 0x12);
		len += table(blob + len, "SSDT", 44, 0x34);
		assert_int_equal(walk(blob, len, s, 4), 2);
		assert_string_equal(s[0].sig, ours[k]);
		assert_string_equal(s[0].refused, "hvmfw builds this table itself");
		assert_null(s[1].refused);
	}
	for (unsigned k = 0; k < sizeof(theirs) / sizeof(theirs[0]); k++)
		assert_false(acpi_builtin_sig((const uint8_t *)theirs[k]));
}

/* Zeros after the last table are padding; a zero-length blob is nothing. */
static void padding_and_empty(void **state)
{
	struct step s[4];
	struct acpi_extra_table t;
	uint32_t off = 0;

	(void)state;
	memset(blob, 0, 4096);
	table(blob, "SSDT", 50, 0x01);
	assert_int_equal(walk(blob, 4096, s, 4), 1);
	assert_null(s[0].refused);
	assert_int_equal(walk(blob, 50 + 3, s, 4), 1);
	assert_false(acpi_extra_next(blob, 0, &off, &t));
	assert_false(acpi_extra_next(NULL, 0, &off, &t));
	/* Non-printable signature bytes are shown as '?'. */
	table(blob, "\x01" "AB\x7f", 40, 0);
	blob[9] ^= 1;
	assert_int_equal(walk(blob, 40, s, 4), 1);
	assert_string_equal(s[0].sig, "?AB?");
	assert_string_equal(s[0].refused, "bad checksum");
}

/* acpi_build() side */

static struct step refused[64];
static unsigned nrefused;

static void note_refused(const struct acpi_extra_table *t)
{
	assert_true(nrefused < 64);
	memcpy(refused[nrefused].sig, t->sig, 5);
	refused[nrefused].off = t->off;
	refused[nrefused].len = t->len;
	refused[nrefused].refused = t->refused;
	nrefused++;
}

static void config(struct acpi_config *c)
{
	acpi_test_config(c, ACPI_CHIPSET_Q35, 2);
	c->extra_refused = note_refused;
	nrefused = 0;
}

/* Addresses RSDT lists; XSDT must list the same ones in the same order. */
static uint32_t roots(const struct acpi_result *r, uint32_t *addr, uint32_t max)
{
	const uint8_t *rsdp = at(r->rsdp);
	const uint8_t *rsdt = at(rd32(rsdp + 16)), *xsdt = at((uint32_t)rd64(rsdp + 24));
	uint32_t n = (rd32(rsdt + 4) - 36) / 4;

	assert_int_equal(sum(rsdt, rd32(rsdt + 4)), 0);
	assert_int_equal(sum(xsdt, rd32(xsdt + 4)), 0);
	assert_int_equal((rd32(xsdt + 4) - 36) / 8, n);
	assert_true(n <= max);
	for (uint32_t i = 0; i < n; i++) {
		addr[i] = rd32(rsdt + 36 + 4 * i);
		assert_int_equal(rd64(xsdt + 36 + 8 * i), addr[i]);
	}
	return n;
}

static uint32_t build(const struct acpi_config *c, uint32_t size, struct acpi_result *r)
{
	memset(buf, 0xEE, sizeof(buf));
	assert_int_equal(acpi_build(c, buf, size, PHYS, r), 0);
	assert_true(r->total_len <= size);
	for (uint32_t i = size; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xEE);
	return r->total_len;
}

/*
 * Usable tables are copied byte for byte, 16-byte aligned, after the built-in
 * ones and listed last in RSDT and XSDT; refused ones are reported once each
 * and appear nowhere.
 */
static void build_adds_usable_tables(void **state)
{
	struct acpi_config c;
	struct acpi_result r0, r;
	uint32_t a0[64], a[64], n0, n, len, ssdt2, msdm;

	(void)state;
	config(&c);
	build(&c, BUFSZ, &r0);
	n0 = roots(&r0, a0, 64);

	len = ssdt2 = 0;
	len += table(blob + len, "SSDT", 77, 0x5A);
	len += table(blob + len, "DSDT", 40, 0x01);                  /* ours */
	msdm = len;
	len += table(blob + len, "MSDM", 85, 0x3C);
	len += table(blob + len, "BGRT", 56, 0x3C);
	blob[len - 1] ^= 0xFF;                                          /* bad checksum */
	c.extra = blob;
	c.extra_len = len;
	build(&c, BUFSZ, &r);
	n = roots(&r, a, 64);
	assert_int_equal(n, n0 + 2);
	assert_int_equal(r.ntables, r0.ntables + 2);
	/* The built-in tables did not move. */
	for (uint32_t i = 0; i < n0; i++)
		assert_int_equal(a[i], a0[i]);
	assert_int_equal(a[n0] % 16, 0);
	assert_int_equal(a[n0 + 1] % 16, 0);
	assert_memory_equal(at(a[n0]), blob + ssdt2, 77);
	assert_memory_equal(at(a[n0 + 1]), blob + msdm, 85);
	assert_true(a[n0 + 1] >= a[n0] + 77);
	assert_string_equal(r.tables[r0.ntables - 2].sig, "SSDT");      /* before RSDT, XSDT */
	assert_string_equal(r.tables[r0.ntables - 1].sig, "MSDM");
	assert_int_equal(r.tables[r0.ntables - 1].len, 85);

	assert_int_equal(nrefused, 2);
	assert_string_equal(refused[0].sig, "DSDT");
	assert_int_equal(refused[0].off, 77);
	assert_string_equal(refused[0].refused, "hvmfw builds this table itself");
	assert_string_equal(refused[1].sig, "BGRT");
	assert_string_equal(refused[1].refused, "bad checksum");
}

/*
 * An area too small for a table refuses it and builds the rest; a smaller
 * table after it still goes in. Nothing is written past the area.
 */
static void build_refuses_what_does_not_fit(void **state)
{
	struct acpi_config c;
	struct acpi_result r0, r;
	uint32_t a[64], n0, n, base, len;

	(void)state;
	config(&c);
	base = build(&c, BUFSZ, &r0);
	n0 = roots(&r0, a, 64);

	len = table(blob, "SSDT", 4000, 0x61);
	len += table(blob + len, "SLIC", 100, 0x62);
	c.extra = blob;
	c.extra_len = len;

	/* Room for both: base + 4000 + 100 + alignment + two more root entries. */
	build(&c, base + 4200, &r);
	assert_int_equal(nrefused, 0);
	assert_int_equal(roots(&r, a, 64), n0 + 2);

	/* Room for the small one only. */
	nrefused = 0;
	build(&c, base + 1000, &r);
	n = roots(&r, a, 64);
	assert_int_equal(n, n0 + 1);
	assert_memory_equal(at(a[n0]), blob + 4000, 100);
	assert_int_equal(nrefused, 1);
	assert_string_equal(refused[0].sig, "SSDT");
	assert_int_equal(refused[0].len, 4000);
	assert_string_equal(refused[0].refused, "no room left in the ACPI area");

	/* Every size from "nothing extra fits" to "both fit" builds, never overflowing. */
	for (uint32_t size = base; size < base + 4300; size += 7) {
		nrefused = 0;
		build(&c, size, &r);
		n = roots(&r, a, 64);
		assert_int_equal(n - n0 + nrefused, 2);
	}
}

static void build_caps_extra_count(void **state)
{
	struct acpi_config c;
	struct acpi_result r0, r;
	uint32_t a[64], n0, len = 0;
	char sig[5];

	(void)state;
	config(&c);
	build(&c, BUFSZ, &r0);
	n0 = roots(&r0, a, 64);
	for (unsigned i = 0; i < ACPI_MAX_EXTRA_TABLES + 2; i++) {
		snprintf(sig, sizeof(sig), "T%03u", i);
		len += table(blob + len, sig, 36 + i, (uint8_t)i);
	}
	c.extra = blob;
	c.extra_len = len;
	build(&c, BUFSZ, &r);
	assert_int_equal(roots(&r, a, 64), n0 + ACPI_MAX_EXTRA_TABLES);
	assert_int_equal(nrefused, 2);
	assert_string_equal(refused[0].sig, "T016");
	assert_string_equal(refused[0].refused, "too many tables passed through");
	assert_string_equal(refused[1].sig, "T017");
	assert_int_equal(r.ntables, r0.ntables + ACPI_MAX_EXTRA_TABLES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_good_tables),
		cmocka_unit_test(bad_checksum),
		cmocka_unit_test(truncated),
		cmocka_unit_test(shorter_than_header),
		cmocka_unit_test(builtin_signatures),
		cmocka_unit_test(padding_and_empty),
		cmocka_unit_test(build_adds_usable_tables),
		cmocka_unit_test(build_refuses_what_does_not_fit),
		cmocka_unit_test(build_caps_extra_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
