/* SPDX-License-Identifier: MIT */
/* acpi_build(): checksums, lengths, links between tables, refusal cases. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <hvmfw/acpi.h>
#include <hvmfw/dsdt.h>
#include "acpi_fixture.h"

#define PHYS 0x000E0000u
#define BUFSZ (64 * 1024)

static uint8_t buf[BUFSZ], buf2[BUFSZ];


static uint32_t rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }
static const uint8_t *at(uint32_t phys) { return buf + (phys - PHYS); }

static uint8_t sum(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

static const uint8_t *find(const struct acpi_result *r, const char *sig, uint32_t *len)
{
	for (uint32_t i = 0; i < r->ntables; i++)
		if (!strcmp(r->tables[i].sig, sig)) {
			if (len)
				*len = r->tables[i].len;
			return at(r->tables[i].addr);
		}
	return NULL;
}

static void build_ok(const struct acpi_config *c, struct acpi_result *r)
{
	memset(buf, 0xEE, sizeof(buf));
	assert_int_equal(acpi_build(c, buf, sizeof(buf), PHYS, r), 0);
	assert_true(r->total_len > 0 && r->total_len <= sizeof(buf));
}

static void checksums_and_lengths(void **state)
{
	static const enum acpi_chipset chips[] = { ACPI_CHIPSET_I440FX, ACPI_CHIPSET_Q35 };
	struct acpi_config c;
	struct acpi_result r;

	(void)state;
	for (int k = 0; k < 2; k++) {
		acpi_test_config(&c, chips[k], 2);
		build_ok(&c, &r);
		for (uint32_t i = 0; i < r.ntables; i++) {
			const uint8_t *t = at(r.tables[i].addr);
			assert_memory_equal(t, r.tables[i].sig, 4);
			assert_int_equal(rd32(t + 4), r.tables[i].len);
			if (strcmp(r.tables[i].sig, "FACS")) {
				assert_int_equal(sum(t, r.tables[i].len), 0);
				assert_memory_equal(t + 10, "HVMFW ", 6);
			}
		}
		const uint8_t *rsdp = at(r.rsdp);
		assert_memory_equal(rsdp, "RSD PTR ", 8);
		assert_int_equal(r.rsdp % 16, 0);
		assert_int_equal(sum(rsdp, 20), 0);
		assert_int_equal(sum(rsdp, 36), 0);
		assert_int_equal(rd32(rsdp + 20), 36);
	}
}

/* FADT -> FACS/DSDT; RSDT and XSDT list every other table and nothing else. */
static void tables_are_linked(void **state)
{
	struct acpi_config c;
	struct acpi_result r;
	uint32_t len, rsdt_len, xsdt_len, listed = 0;

	(void)state;
	acpi_test_config(&c, ACPI_CHIPSET_Q35, 4);
	build_ok(&c, &r);
	const uint8_t *fadt = find(&r, "FACP", &len);
	const uint8_t *rsdp = at(r.rsdp);
	assert_non_null(fadt);
	assert_int_equal(len, 276);
	assert_int_equal(rd32(fadt + 36) % 64, 0);
	assert_memory_equal(at(rd32(fadt + 36)), "FACS", 4);
	assert_memory_equal(at(rd32(fadt + 40)), "DSDT", 4);
	assert_int_equal(rd64(fadt + 140), rd32(fadt + 40));
	assert_int_equal(rd32(at(rd32(fadt + 40)) + 4), c.dsdt_len);

	const uint8_t *rsdt = at(rd32(rsdp + 16)), *xsdt = at((uint32_t)rd64(rsdp + 24));
	assert_memory_equal(rsdt, "RSDT", 4);
	assert_memory_equal(xsdt, "XSDT", 4);
	rsdt_len = rd32(rsdt + 4);
	xsdt_len = rd32(xsdt + 4);
	assert_int_equal((rsdt_len - 36) / 4, (xsdt_len - 36) / 8);
	for (uint32_t i = 0; i < (rsdt_len - 36) / 4; i++) {
		uint32_t a = rd32(rsdt + 36 + 4 * i);
		assert_int_equal(rd64(xsdt + 36 + 8 * i), a);
		assert_memory_not_equal(at(a), "FACS", 4);
		assert_memory_not_equal(at(a), "DSDT", 4);
		listed++;
	}
	/* all tables but FACS, DSDT, RSDT, XSDT */
	assert_int_equal(listed, r.ntables - 4);
}

static void madt_has_one_lapic_per_cpu(void **state)
{
	static const uint32_t counts[] = { 1, 2, 9, ACPI_MAX_CPUS };
	struct acpi_config c;
	struct acpi_result r;
	uint32_t len = 0;

	(void)state;
	for (int k = 0; k < 4; k++) {
		uint32_t lapics = 0, ioapics = 0;
		acpi_test_config(&c, ACPI_CHIPSET_I440FX, counts[k]);
		build_ok(&c, &r);
		const uint8_t *m = find(&r, "APIC", &len);
		assert_non_null(m);
		for (uint32_t off = 44; off < len; off += m[off + 1]) {
			assert_true(m[off + 1] >= 2);
			if (m[off] == 0) {
				assert_int_equal(m[off + 2], lapics);           /* processor ID */
				assert_int_equal(m[off + 3], c.apic_ids[lapics]);
				lapics++;
			}
			ioapics += m[off] == 1;
		}
		assert_int_equal(lapics, counts[k]);
		assert_int_equal(ioapics, 1);
		/* Each CPU also gets one processor device in the SSDT. */
		const uint8_t *s = find(&r, "SSDT", &len);
		uint32_t devs = 0;
		for (uint32_t i = 0; i + 8 <= len; i++)
			devs += !memcmp(s + i, "ACPI0007", 8);
		assert_int_equal(devs, counts[k]);
	}
}

static void mcfg_only_with_ecam(void **state)
{
	struct acpi_config c;
	struct acpi_result r;
	uint32_t len = 0;

	(void)state;
	acpi_test_config(&c, ACPI_CHIPSET_I440FX, 1);
	build_ok(&c, &r);
	assert_null(find(&r, "MCFG", NULL));

	acpi_test_config(&c, ACPI_CHIPSET_Q35, 1);
	c.bus_end = 0x7F;
	build_ok(&c, &r);
	const uint8_t *m = find(&r, "MCFG", &len);
	assert_non_null(m);
	assert_int_equal(len, 60);
	assert_int_equal(rd64(m + 44), c.ecam.base);
	assert_int_equal(m[54], 0);
	assert_int_equal(m[55], 0x7F);

	c.hpet_present = false;
	build_ok(&c, &r);
	assert_null(find(&r, "HPET", NULL));
}

static void deterministic(void **state)
{
	struct acpi_config c;
	struct acpi_result r1, r2;

	(void)state;
	acpi_test_config(&c, ACPI_CHIPSET_Q35, 3);
	c.mem64 = (struct acpi_window){ 0x800000000ull, 0x800000000ull };
	memset(buf, 0x11, sizeof(buf));
	memset(buf2, 0x77, sizeof(buf2));
	assert_int_equal(acpi_build(&c, buf, sizeof(buf), PHYS, &r1), 0);
	assert_int_equal(acpi_build(&c, buf2, sizeof(buf2), PHYS, &r2), 0);
	assert_int_equal(r1.total_len, r2.total_len);
	assert_memory_equal(&r1, &r2, sizeof(r1));
	assert_memory_equal(buf, buf2, r1.total_len);
}

static void too_small_is_refused(void **state)
{
	struct acpi_config c;
	struct acpi_result r;
	uint32_t need;

	(void)state;
	acpi_test_config(&c, ACPI_CHIPSET_Q35, 2);
	build_ok(&c, &r);
	need = r.total_len;
	for (uint32_t size = 0; size < need; size += (size < 64 || need - size < 64) ? 1 : 61) {
		memset(buf, 0xC3, sizeof(buf));
		assert_int_equal(acpi_build(&c, buf, size, PHYS, &r), ACPI_E_NOSPACE);
		for (uint32_t i = size; i < need + 64; i++)
			assert_int_equal(buf[i], 0xC3);
	}
	assert_int_equal(acpi_build(&c, buf, need, PHYS, &r), 0);
}

static void invalid_config_is_refused(void **state)
{
	struct acpi_config c;
	struct acpi_result r;

	(void)state;
	acpi_test_config(&c, ACPI_CHIPSET_Q35, 0);
	assert_int_equal(acpi_build(&c, buf, sizeof(buf), PHYS, &r), ACPI_E_INVAL);
	acpi_test_config(&c, ACPI_CHIPSET_Q35, 1);
	c.mem32[0] = (struct acpi_window){ 0xD0000000, 0x20000000 };   /* covers ECAM */
	assert_int_equal(acpi_build(&c, buf, sizeof(buf), PHYS, &r), ACPI_E_INVAL);
	acpi_test_config(&c, ACPI_CHIPSET_Q35, 1);
	c.mem32[2] = (struct acpi_window){ 0xEF000000, 0x2000000 };     /* a later one covers ECAM */
	assert_int_equal(acpi_build(&c, buf, sizeof(buf), PHYS, &r), ACPI_E_INVAL);
	acpi_test_config(&c, ACPI_CHIPSET_Q35, 1);
	c.mem32[1] = (struct acpi_window){ 0xDFF00000, 0x100000 };      /* inside mem32[0] */
	assert_int_equal(acpi_build(&c, buf, sizeof(buf), PHYS, &r), ACPI_E_INVAL);
	acpi_test_config(&c, ACPI_CHIPSET_Q35, 1);
	c.mem32[3] = (struct acpi_window){ 0xFFF00000, 0x200000 };      /* past 4 GiB */
	assert_int_equal(acpi_build(&c, buf, sizeof(buf), PHYS, &r), ACPI_E_INVAL);
	acpi_test_config(&c, ACPI_CHIPSET_Q35, 1);
	c.ecam.len = 0x4000000;                                         /* 64 buses < 0..255 */
	assert_int_equal(acpi_build(&c, buf, sizeof(buf), PHYS, &r), ACPI_E_INVAL);
	acpi_test_config(&c, ACPI_CHIPSET_I440FX, 1);
	c.io = (struct acpi_window){ 0x0C00, 0x1000 };                  /* overlaps 0xCF8 */
	assert_int_equal(acpi_build(&c, buf, sizeof(buf), PHYS, &r), ACPI_E_INVAL);
	acpi_test_config(&c, ACPI_CHIPSET_I440FX, 1);
	c.dsdt = NULL;
	assert_int_equal(acpi_build(&c, buf, sizeof(buf), PHYS, &r), ACPI_E_INVAL);
}

/* DWordMemory (0x87, 23 bytes) with exactly [base, base + len) as min and max; NULL if none. */
static const uint8_t *dword_mem(const uint8_t *p, uint32_t n, uint32_t base, uint32_t len)
{
	for (uint32_t i = 0; i + 26 <= n; i++)
		if (p[i] == 0x87 && p[i + 1] == 0x17 && p[i + 2] == 0 && rd32(p + i + 10) == base &&
		    rd32(p + i + 14) == base + len - 1 && rd32(p + i + 22) == len)
			return p + i;
	return NULL;
}

/*
 * The 32-bit hole cut in two by an ECAM in its middle: one DWordMemory
 * each, in order, and nothing else in the SSDT changes but those 26 bytes.
 */
static void mem32_windows_around_ecam(void **state)
{
	struct acpi_config c;
	struct acpi_result r;
	const uint8_t *ssdt, *w0, *w1;
	uint32_t len1 = 0, len2 = 0;
	static uint8_t one[BUFSZ];

	(void)state;
	acpi_test_config(&c, ACPI_CHIPSET_Q35, 1);
	c.mem32[0] = (struct acpi_window){ 0xC0000000, 0x20000000 };
	build_ok(&c, &r);
	ssdt = find(&r, "SSDT", &len1);
	memcpy(one, ssdt, len1);
	assert_non_null(dword_mem(one, len1, 0xC0000000, 0x20000000));

	c.mem32[1] = (struct acpi_window){ 0xF0000000, 0x0EC00000 };
	build_ok(&c, &r);
	ssdt = find(&r, "SSDT", &len2);
	assert_int_equal(sum(ssdt, len2), 0);
	assert_int_equal(len2, len1 + 26);
	w0 = dword_mem(ssdt, len2, 0xC0000000, 0x20000000);
	w1 = dword_mem(ssdt, len2, 0xF0000000, 0x0EC00000);
	assert_non_null(w0);
	assert_non_null(w1);
	assert_ptr_equal(w1, w0 + 26);
	/* What follows the windows (64-bit window, end tag, the rest of the SSDT) is unchanged. */
	const uint8_t *w0_one = dword_mem(one, len1, 0xC0000000, 0x20000000);
	uint32_t tail = len1 - (uint32_t)(w0_one - one + 26);

	assert_memory_equal(w1 + 26, w0_one + 26, tail);
	/* Unused entries between used ones are skipped. */
	c.mem32[1] = (struct acpi_window){ 0, 0 };
	c.mem32[3] = (struct acpi_window){ 0xF0000000, 0x0EC00000 };
	build_ok(&c, &r);
	ssdt = find(&r, "SSDT", &len2);
	assert_int_equal(len2, len1 + 26);
}

static unsigned int count(const uint8_t *p, uint32_t len, const char *s)
{
	unsigned int n = 0;
	size_t k = strlen(s);

	for (uint32_t i = 0; i + k <= len; i++)
		n += memcmp(p + i, s, k) == 0;
	return n;
}

/*
 * Bridge entries that cannot be described (same name twice in a scope, a
 * parent not listed before, an impossible device number) are left out with
 * everything below them; the rest still gets its device and the SSDT builds.
 */
static void bad_bridges_are_left_out(void **state)
{
	static const struct acpi_pci_bridge list[] = {
		{ ACPI_BRIDGE_ROOT, 3, 0, 1, 3, 0, 0, 0 },    /* ok: S030 */
		{ ACPI_BRIDGE_ROOT, 3, 0, 2, 3, 0, 0, 0 },    /* same name as 0 */
		{ 5, 1, 0, 3, 3, 1, 0, 0 },                   /* parent after it */
		{ 1, 2, 0, 4, 3, 2, 0, 0 },                   /* below a dropped one */
		{ ACPI_BRIDGE_ROOT, 40, 0, 5, 8, 0, 0, 0 },   /* no such device */
		{ 0, 1, 0, 6, 3, 1, 0, 0 },                   /* ok: S030.S010 */
	};
	struct acpi_config c;
	struct acpi_result r;
	const uint8_t *ssdt;
	uint32_t len = 0, len0 = 0;

	acpi_test_config(&c, ACPI_CHIPSET_Q35, 1);
	build_ok(&c, &r);
	ssdt = find(&r, "SSDT", &len0);
	assert_int_equal(count(ssdt, len0, "_ADR"), 0);

	c.bridges.n = sizeof(list) / sizeof(list[0]);
	memcpy(c.bridges.b, list, sizeof(list));
	build_ok(&c, &r);
	ssdt = find(&r, "SSDT", &len);
	assert_int_equal(sum(ssdt, len), 0);
	assert_int_equal(count(ssdt, len, "_ADR"), 2);
	assert_int_equal(count(ssdt, len, "_PRT"), 2);
	/* Both route through slot 3: rotation 3 (S030) and 0 (S010) of E-H, both models. */
	assert_int_equal(count(ssdt, len, "BPE3"), 2);
	assert_int_equal(count(ssdt, len, "BAE3"), 2);
	assert_int_equal(count(ssdt, len, "BPE0"), 2);
	assert_int_equal(count(ssdt, len, "BAE0"), 2);
	assert_int_equal(count(ssdt, len, "BPA"), 0);
}

static const uint8_t *find_bytes(const uint8_t *p, uint32_t len, const uint8_t *s, size_t k)
{
	for (uint32_t i = 0; i + k <= len; i++)
		if (!memcmp(p + i, s, k))
			return p + i;
	return NULL;
}

/*
 * A VM generation ID adds \_SB.VGID at the end of the SSDT, after the
 * bytes the SSDT has without one; ADDR returns the address in two halves.
 */
static void vmgenid_device(void **state)
{
	/* Method (ADDR, 0) { Return (Package (2) { 0x45678000, 0x00012345 }) } */
	static const uint8_t addr64[] = {
		0x14, 0x14, 'A', 'D', 'D', 'R', 0x00, 0xA4, 0x12, 0x0C, 0x02,
		0x0C, 0x00, 0x80, 0x67, 0x45, 0x0C, 0x45, 0x23, 0x01, 0x00,
	};
	/* ... { 0xFC00A000, Zero } */
	static const uint8_t addr32[] = {
		0x14, 0x10, 'A', 'D', 'D', 'R', 0x00, 0xA4, 0x12, 0x08, 0x02,
		0x0C, 0x00, 0xA0, 0x00, 0xFC, 0x00,
	};
	static const struct { uint64_t addr; const uint8_t *method; size_t len; } cases[] = {
		{ 0x0001234545678000ull, addr64, sizeof(addr64) },
		{ 0xFC00A000, addr32, sizeof(addr32) },
	};
	static uint8_t plain[BUFSZ];
	struct acpi_config c;
	struct acpi_result r;
	const uint8_t *ssdt, *dev;
	uint32_t len0 = 0, len = 0;

	(void)state;
	for (int chip = ACPI_CHIPSET_I440FX; chip <= ACPI_CHIPSET_Q35; chip++) {
		acpi_test_config(&c, (enum acpi_chipset)chip, 2);
		build_ok(&c, &r);
		ssdt = find(&r, "SSDT", &len0);
		assert_int_equal(count(ssdt, len0, "VGID"), 0);
		assert_int_equal(count(ssdt, len0, "VM_Gen_Counter"), 0);
		assert_int_equal(count(ssdt, len0, "ADDR"), 0);
		memcpy(plain, ssdt, len0);

		for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
			c.vmgenid_addr = cases[k].addr;
			build_ok(&c, &r);
			ssdt = find(&r, "SSDT", &len);
			assert_int_equal(sum(ssdt, len), 0);
			assert_true(len > len0);
			/* Same body as without; only the length and checksum differ. */
			assert_memory_equal(ssdt + 36, plain + 36, len0 - 36);
			/* Scope (\_SB) { Device (VGID) ... } starts where the old SSDT ended. */
			assert_int_equal(ssdt[len0], 0x10);
			dev = find_bytes(ssdt + len0, len - len0, (const uint8_t *)"\x5B\x82", 2);
			assert_non_null(dev);
			assert_non_null(find_bytes(dev, len - (uint32_t)(dev - ssdt),
						   (const uint8_t *)"VGID", 4));
			assert_int_equal(count(ssdt, len, "VM_Gen_Counter"), 2);      /* _CID, _DDN */
			/* _HID EisaId ("XEN0000") */
			assert_non_null(find_bytes(ssdt, len, (const uint8_t *)
						   "_HID\x0B\x60\xAE", 7));
			assert_int_equal(count(ssdt, len, "_STA\x0A\x0F"),
					 count(plain, len0, "_STA\x0A\x0F") + 1);
			/* ADDR is the last thing in the table. */
			assert_true(len >= cases[k].len);
			assert_memory_equal(ssdt + len - cases[k].len, cases[k].method, cases[k].len);
		}
	}
}

/*
 * \_S3 and \_S4 are in the SSDT exactly when asked for, with the SLP_TYP
 * given; the DSDT never has them (only \_S5).
 */
static void sleep_states(void **state)
{
	/* Name (\_S3, Package (4) { One, One, Zero, Zero }) */
	static const uint8_t s3[] = { 0x08, '\\', '_', 'S', '3', '_', 0x12, 0x06, 0x04,
				      0x01, 0x01, 0x00, 0x00 };
	/* Name (\_S4, Package (4) { Zero, Zero, Zero, Zero }) */
	static const uint8_t s4[] = { 0x08, '\\', '_', 'S', '4', '_', 0x12, 0x06, 0x04,
				      0x00, 0x00, 0x00, 0x00 };
	struct acpi_config c;
	struct acpi_result r;
	const uint8_t *ssdt, *dsdt;
	uint32_t len = 0, dlen = 0;

	(void)state;
	for (int chip = ACPI_CHIPSET_I440FX; chip <= ACPI_CHIPSET_Q35; chip++) {
		acpi_test_config(&c, (enum acpi_chipset)chip, 2);
		build_ok(&c, &r);
		ssdt = find(&r, "SSDT", &len);
		dsdt = find(&r, "DSDT", &dlen);
		assert_int_equal(count(ssdt, len, "_S3_") + count(dsdt, dlen, "_S3_"), 0);
		assert_int_equal(count(ssdt, len, "_S4_") + count(dsdt, dlen, "_S4_"), 0);
		assert_int_equal(count(dsdt, dlen, "_S5_"), 1);

		c.s3 = (struct acpi_sleep_state){ true, 1 };
		c.s4 = (struct acpi_sleep_state){ true, 0 };
		build_ok(&c, &r);
		ssdt = find(&r, "SSDT", &len);
		assert_int_equal(sum(ssdt, len), 0);
		assert_non_null(find_bytes(ssdt, len, s3, sizeof(s3)));
		assert_non_null(find_bytes(ssdt, len, s4, sizeof(s4)));
		assert_int_equal(count(ssdt, len, "_S3_"), 1);
		assert_int_equal(count(ssdt, len, "_S4_"), 1);

		c.s4.present = false;
		build_ok(&c, &r);
		ssdt = find(&r, "SSDT", &len);
		assert_non_null(find_bytes(ssdt, len, s3, sizeof(s3)));
		assert_int_equal(count(ssdt, len, "_S4_"), 0);

		c.s3.present = false;
		c.s4.present = true;
		build_ok(&c, &r);
		ssdt = find(&r, "SSDT", &len);
		assert_int_equal(count(ssdt, len, "_S3_"), 0);
		assert_non_null(find_bytes(ssdt, len, s4, sizeof(s4)));

		/* SLP_TYP is 3 bits. */
		c.s4.slp_typ = 8;
		assert_int_equal(acpi_build(&c, buf, sizeof(buf), PHYS, &r), ACPI_E_INVAL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(checksums_and_lengths),
		cmocka_unit_test(tables_are_linked),
		cmocka_unit_test(madt_has_one_lapic_per_cpu),
		cmocka_unit_test(mcfg_only_with_ecam),
		cmocka_unit_test(deterministic),
		cmocka_unit_test(too_small_is_refused),
		cmocka_unit_test(invalid_config_is_refused),
		cmocka_unit_test(mem32_windows_around_ecam),
		cmocka_unit_test(bad_bridges_are_left_out),
		cmocka_unit_test(vmgenid_device),
		cmocka_unit_test(sleep_states),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
