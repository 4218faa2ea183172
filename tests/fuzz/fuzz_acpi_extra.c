/* SPDX-License-Identifier: MIT */
/*
 * fuzz-acpi-extra: the ACPI pass-through blob a Xen toolstack hands over
 * (acpi_extra_next), and acpi_build() adding what it takes to the tables it
 * builds, into a buffer of a size the input picks.
 *
 * Checked:
 *  - the blob and the output buffer are exactly their size (ASan);
 *  - the walk ends (offsets only grow), every table it returns lies inside
 *    the blob, and a table it does not refuse has a sane length, a zero
 *    checksum and a signature hvmfw does not build itself;
 *  - a build either fails with ACPI_E_NOSPACE (and, on one input in eight,
 *    succeeds with a large buffer) or gives tables that all lie in the buffer with their length
 *    fields and zero checksums; the RSDT and XSDT list exactly the tables
 *    of the result (FACS and DSDT aside); each extra table taken is copied
 *    byte for byte, and the refused ones are named.
 *
 * Byte layout: ctl u8 (bit0 fix up the blob's checksums, bit1 Q35, bits2-3
 * CPUs 1/2/4/8), cap u16 (in 16-byte units; 0: 256 KiB), then the blob.
 */
#include "fuzz_bytes.h"
#include "../unit/acpi/acpi_fixture.h"
#include <hvmfw/acpi.h>

#define PHYS 0x000E0000u

static unsigned nrefused;

static void refused(const struct acpi_extra_table *t)
{
	FUZZ_CHECK(t->refused && *t->refused, "a table left out without a reason");
	nrefused++;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint8_t sum(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* Make the blob's tables check-sum to 0 where their lengths allow, so the fuzzer gets past that check. */
static void fix_sums(uint8_t *b, uint32_t len)
{
	for (uint32_t off = 0; len - off >= 36;) {
		uint32_t l = rd32(b + off + 4);
		if (l < 36 || l > len - off)
			return;
		b[off + 9] = 0;
		b[off + 9] = (uint8_t)(0 - sum(b + off, l));
		off += l;
	}
}

static void check_walk(const uint8_t *b, uint32_t len)
{
	struct acpi_extra_table t;
	uint32_t off = 0, prev = 0;
	unsigned n = 0;

	while (acpi_extra_next(b, len, &off, &t)) {
		FUZZ_CHECK(++n <= len / 36 + 1, "the walk does not end");
		FUZZ_CHECK(off > prev || off == len, "the walk went back");
		FUZZ_CHECK(t.data == b + t.off && t.off < len, "a table outside the blob");
		FUZZ_CHECK(strlen(t.sig) == 4, "signature text");
		if (!t.refused)
			FUZZ_CHECK(t.len >= 36 && t.len <= len - t.off && sum(t.data, t.len) == 0 &&
				   !acpi_builtin_sig(t.data), "a bad table was taken at %u", t.off);
		prev = off;
	}
	FUZZ_CHECK(off == len || !b, "the walk stopped at %u of %u", off, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size, 0 };
	uint8_t ctl = fz_u8(&f);
	uint32_t cap = (uint32_t)fz_u16(&f) * 16, blen = (uint32_t)fz_left(&f);
	static struct acpi_result r;
	struct acpi_config c;
	uint8_t *blob = malloc(blen ? blen : 1), *buf;

	if (!cap)
		cap = 256 * 1024;
	memcpy(blob, f.p + f.i, blen);
	if (ctl & 1)
		fix_sums(blob, blen);
	check_walk(blob, blen);

	acpi_test_config(&c, ctl & 2 ? ACPI_CHIPSET_Q35 : ACPI_CHIPSET_I440FX, 1u << ((ctl >> 2) & 3));
	c.extra = blob;
	c.extra_len = blen;
	c.extra_refused = refused;
	nrefused = 0;
	buf = malloc(cap);
	memset(&r, 0, sizeof(r));
	int rc = acpi_build(&c, buf, cap, PHYS, &r);
	if (rc == ACPI_E_NOSPACE) {
		/* (checked on one input in eight: a second build is the cost of a run) */
		if (fz_hash(data, size) % 8)
			goto out;
		uint8_t *big = malloc(1 << 20);
		FUZZ_CHECK(acpi_build(&c, big, 1 << 20, PHYS, &r) == 0 && r.total_len > cap,
			   "no space in %u bytes, but the tables take %u", cap, r.total_len);
		free(big);
	} else {
		FUZZ_CHECK(rc == 0, "acpi_build failed (%d)", rc);
		FUZZ_CHECK(r.total_len <= cap && r.rsdp >= PHYS && r.rsdp - PHYS + 36 <= cap,
			   "tables run past the buffer");
		for (uint32_t i = 0; i < r.ntables; i++) {
			uint32_t a = r.tables[i].addr - PHYS, l = r.tables[i].len;
			FUZZ_CHECK(r.tables[i].addr >= PHYS && a <= cap && l <= cap - a && l >= 36,
				   "table %s outside the buffer", r.tables[i].sig);
			char sig[5];
			for (int k = 0; k < 4; k++)     /* the result shows unprintable bytes as '?' */
				sig[k] = buf[a + k] >= 0x20 && buf[a + k] < 0x7F ? (char)buf[a + k] : '?';
			sig[4] = '\0';
			FUZZ_CHECK(rd32(buf + a + 4) == l && !strcmp(sig, r.tables[i].sig),
				   "table %s: header says %.4s, %u bytes", r.tables[i].sig, buf + a,
				   rd32(buf + a + 4));
			if (memcmp(r.tables[i].sig, "FACS", 4))
				FUZZ_CHECK(sum(buf + a, l) == 0, "table %s checksum", r.tables[i].sig);
		}
		/* Extra tables taken are copied byte for byte. */
		struct acpi_extra_table t;
		uint32_t off = 0;
		unsigned taken = 0, usable = 0;
		while (acpi_extra_next(blob, blen, &off, &t)) {
			if (t.refused)
				continue;
			usable++;
			for (uint32_t i = 0; i < r.ntables; i++) {
				uint32_t a = r.tables[i].addr - PHYS;
				if (r.tables[i].len == t.len && !memcmp(buf + a, t.data, t.len)) {
					taken++;
					break;
				}
			}
		}
		FUZZ_CHECK(taken + nrefused >= usable, "%u usable extra tables, %u taken, %u refused",
			   usable, taken, nrefused);
	}
out:
	free(buf);
	free(blob);
	return 0;
}
