/* SPDX-License-Identifier: MIT */
/*
 * fuzz-smbios: the SMBIOS pass-through blob a Xen toolstack hands over
 * (smbios_pt_parse) and the table built with what it kept (smbios_build),
 * as the firmware builds it, into a buffer of a size the input picks.
 *
 * Checked:
 *  - the blob and the output buffer are exactly their size (ASan);
 *  - every structure kept lies inside the blob, at most SMBIOS_MAX_PT;
 *    every refusal has a reason;
 *  - a table built reads back by DSP0134's framing rules alone
 *    (tests/unit/tables/smbios_walk.c, independent of the builder): as many
 *    structures as it says, the largest no larger than max_struct, handles
 *    unique, an end-of-table structure last, each kept structure's strings
 *    present; both entry points check-sum to 0;
 *  - a buffer too small gives SMBIOS_E_NOSPACE, never a partial table.
 *
 * Byte layout: ncpus u8 (1 + v % 8), cap u16 (output buffer; 0: 64 KiB),
 * flags u8 (bit0 battery, bit1 UUID), then the blob: the rest of the input
 * (records of u32 size + structure, as hvmloader's smbios_pt takes them).
 */
#include "fuzz_bytes.h"
#include "../unit/tables/smbios_walk.h"
#include <hvmfw/smbios.h>

static void refused(void *ctx, uint32_t off, int type, const char *why)
{
	(void)ctx;
	(void)off;
	(void)type;
	FUZZ_CHECK(why && *why && strlen(why) < 96, "refusal without a reason");
}

static bool same_but_refs(const uint8_t *a, const uint8_t *b, uint32_t n)
{
	static const uint8_t refs[][2] = { { 2, 0x0B }, { 27, 0x04 }, { 39, 0x10 }, { 39, 0x12 },
					   { 39, 0x14 } };

	for (uint32_t i = 4; i < n; i++) {
		bool ref = false;
		for (unsigned r = 0; r < ARRAY_SIZE(refs); r++)
			ref |= b[0] == refs[r][0] && (i == refs[r][1] || i == refs[r][1] + 1u) &&
			       refs[r][1] + 2u <= b[1];
		if (!ref && a[i] != b[i])
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct smb_struct s[2048];
	struct fz f = { data, size, 0 };
	struct smbios_config c;
	struct smbios_table t;
	uint32_t ncpus = 1 + fz_u8(&f) % 8, cap = fz_u16(&f), blen;
	uint8_t flags = fz_u8(&f), *blob, *buf, ep3[SMBIOS_EP3_LEN], ep2[SMBIOS_EP2_LEN];

	if (!cap)
		cap = 65536;
	blen = (uint32_t)fz_left(&f);
	blob = malloc(blen ? blen : 1);
	memcpy(blob, f.p + f.i, blen);

	smbios_defaults(&c);
	c.ncpus = ncpus;
	c.cpu_signature = 0x000806F8;
	c.cpu_64bit = true;
	c.acpi = true;
	c.battery = flags & 1;
	c.has_uuid = flags & 2;
	c.nram = 2;
	c.ram[0] = (struct smbios_range){ 0, 0x9FC00 };
	c.ram[1] = (struct smbios_range){ 0x100000, 0x3FF00000 };

	uint32_t taken = smbios_pt_parse(&c, blob, blen, refused, NULL);
	FUZZ_CHECK(taken == c.npt && c.npt <= SMBIOS_MAX_PT, "%u kept, %u listed", taken, c.npt);
	for (uint32_t i = 0; i < c.npt; i++)
		FUZZ_CHECK(c.pt[i].p >= blob && c.pt[i].size >= 4 &&
			   c.pt[i].p + c.pt[i].size <= blob + blen, "kept structure %u outside the blob", i);

	buf = malloc(cap);
	int rc = smbios_build(&c, buf, cap, &t);
	if (rc == SMBIOS_E_NOSPACE) {
		/* Then the same configuration must fit in a large buffer. */
		uint8_t *big = malloc(1 << 20);
		FUZZ_CHECK(smbios_build(&c, big, 1 << 20, &t) == 0 && t.len > cap,
			   "no space in %u bytes, but the table is %u bytes", cap, t.len);
		free(big);
	} else {
		FUZZ_CHECK(rc == 0, "smbios_build failed (%d) on a legal configuration", rc);
		FUZZ_CHECK(t.len <= cap, "table of %u bytes in a buffer of %u", t.len, cap);
		int n = smb_walk(buf, t.len, s, (int)ARRAY_SIZE(s));
		FUZZ_CHECK(n == t.count, "the table walks to %d structures, it says %u", n, t.count);
		FUZZ_CHECK(s[n - 1].p[0] == 127, "the last structure is type %u", s[n - 1].p[0]);
		for (int i = 0; i < n; i++) {
			FUZZ_CHECK(s[i].size <= t.max_struct, "structure %d is %u bytes, max_struct %u",
				   i, s[i].size, t.max_struct);
			for (int j = 0; j < i; j++)
				FUZZ_CHECK(smb_rd16(s[i].p + 2) != smb_rd16(s[j].p + 2),
					   "structures %d and %d share handle 0x%x", j, i,
					   smb_rd16(s[i].p + 2));
		}
		/* Each kept structure's formatted area and strings appear in the table,
		 * but for its handle and the handles it points at (DSP0134: a baseboard's
		 * chassis, a cooling device's probe, a power supply's probes and fan). */
		for (uint32_t i = 0; i < c.npt; i++) {
			bool found = false;
			for (int k = 0; k < n && !found; k++)
				found = s[k].p[0] == c.pt[i].p[0] && s[k].len == c.pt[i].p[1] &&
					s[k].size == c.pt[i].size && same_but_refs(s[k].p, c.pt[i].p,
										  c.pt[i].size);
			FUZZ_CHECK(found, "kept structure %u (type %u) is not in the table", i,
				   c.pt[i].p[0]);
		}
		smbios_entry3(ep3, 0xF0000, &t);
		FUZZ_CHECK(smb_sum(ep3, SMBIOS_EP3_LEN) == 0, "SMBIOS 3 entry point checksum");
		if (smbios_entry2(ep2, 0xF0000, &t))
			FUZZ_CHECK(smb_sum(ep2, 0x10) == 0 && smb_sum(ep2 + 0x10, 0x0F) == 0,
				   "SMBIOS 2 entry point checksums");
	}
	free(buf);
	free(blob);
	return 0;
}
