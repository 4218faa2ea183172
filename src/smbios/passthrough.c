/* SPDX-License-Identifier: MIT */
/* Structures handed in by the platform (Xen's hvmloader/smbios blob), checked one by one. */
#include "smbios_priv.h"
#include <hvmfw/string.h>

#define PT_RECORD_HDR 4                 /* the 32-bit byte count before each structure */
#define PT_SIZE_MAX 0xFFFFu             /* what the 2.x entry point's max size field holds */
#define PT_HANDLE_RESERVED 0xFF00u

/*
 * The DMTF types taken, each with the shortest formatted area DSP0134 gives
 * it (type 0: the 2.4 layout, with both characteristics extension bytes).
 * Vendor types (128 and up) need just the header.
 */
static const struct {
	uint8_t type, min_len;
} pt_types[] = {
	{ 0, 0x18 }, { 1, 0x1B }, { 2, 0x08 }, { 3, 0x0D }, { 7, 0x13 }, { 8, 0x09 }, { 9, 0x0D },
	{ 11, 0x05 }, { 22, 0x1A }, { 26, 0x14 }, { 27, 0x0C }, { 28, 0x14 }, { 39, 0x10 },
};

static int min_len(uint8_t type)
{
	if (type >= SMB_PT_VENDOR)
		return 4;
	for (unsigned i = 0; i < ARRAY_SIZE(pt_types); i++)
		if (pt_types[i].type == type)
			return pt_types[i].min_len;
	return -1;
}

static uint32_t rd32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/*
 * The string set at s, with n bytes left in the record: how many bytes it
 * takes up to its double NUL (an empty set is just the two NULs), or 0.
 */
static uint32_t string_set(const uint8_t *s, uint32_t n, const char **why)
{
	uint32_t i = 0;

	if (n >= 1 && !s[0]) {
		if (n >= 2 && !s[1])
			return 2;
		*why = n < 2 ? "the string set has no double NUL before the record ends" :
			       "the string set starts with an empty string";
		return 0;
	}
	for (;;) {
		const uint8_t *z = memchr(s + i, 0, n - i);

		i = z ? (uint32_t)(z - s) + 1 : n;
		if (i >= n) {
			*why = "the string set has no double NUL before the record ends";
			return 0;
		}
		if (!s[i])
			return i + 1;
	}
}

/* NULL if the structure at p (size bytes) can be taken, else why not (maybe in buf). */
static const char *check(const struct smbios_config *c, const uint8_t *p, uint32_t size,
			 char *buf, size_t cap)
{
	const char *why = NULL;
	uint32_t len, set;
	int min;

	if (size < 4) {
		snprintf(buf, cap, "a record of %u bytes cannot hold a structure header",
			 (unsigned)size);
		return buf;
	}
	if (size > PT_SIZE_MAX)
		return "longer than 65535 bytes";
	len = p[1];
	if (len < 4) {
		snprintf(buf, cap, "header length %u is less than the header itself", (unsigned)len);
		return buf;
	}
	if (len > size) {
		snprintf(buf, cap, "header length %u is more than the record's %u bytes",
			 (unsigned)len, (unsigned)size);
		return buf;
	}
	set = string_set(p + len, size - len, &why);
	if (!set)
		return why;
	if (set != size - len) {
		snprintf(buf, cap, "%u bytes after the string set's end", (unsigned)(size - len - set));
		return buf;
	}
	min = min_len(p[0]);
	if (min < 0)
		return "not a type that is passed through (0-3, 7-9, 11, 22, 26-28, 39, 128-255)";
	if ((int)len < min) {
		snprintf(buf, cap, "header length 0x%x is less than the 0x%x DSP0134 requires",
			 (unsigned)len, (unsigned)min);
		return buf;
	}
	for (uint32_t i = 0; i < c->npt; i++) {
		const uint8_t *q = c->pt[i].p;

		if (p[0] < SMB_PT_VENDOR && q[0] == p[0])
			return "an earlier record passed this type through already";
		if (p[0] >= SMB_PT_VENDOR && q[0] >= SMB_PT_VENDOR && rd16(q + 2) == rd16(p + 2)) {
			snprintf(buf, cap, "handle 0x%04x is an earlier vendor structure's",
				 (unsigned)rd16(p + 2));
			return buf;
		}
	}
	if (p[0] >= SMB_PT_VENDOR && rd16(p + 2) >= PT_HANDLE_RESERVED) {
		snprintf(buf, cap, "handle 0x%04x is in the reserved range", (unsigned)rd16(p + 2));
		return buf;
	}
	return NULL;
}

uint32_t smbios_pt_parse(struct smbios_config *c, const uint8_t *blob, uint32_t len,
			 smbios_pt_refuse_fn refuse, void *ctx)
{
	uint32_t off = 0, taken = 0;
	char buf[96];

	while (off < len) {
		uint32_t rest = len - off, size;
		const uint8_t *p;
		const char *why;

		if (rest < PT_RECORD_HDR) {
			snprintf(buf, sizeof(buf), "%u bytes left, too few for a record's length",
				 (unsigned)rest);
			if (refuse)
				refuse(ctx, off, -1, buf);
			break;
		}
		size = rd32(blob + off);
		p = blob + off + PT_RECORD_HDR;
		if (size > rest - PT_RECORD_HDR) {
			/* The walk cannot go on: where the next record starts is unknown. */
			snprintf(buf, sizeof(buf), "a record of %u bytes, but the blob ends %u bytes on",
				 (unsigned)size, (unsigned)(rest - PT_RECORD_HDR));
			if (refuse)
				refuse(ctx, off, rest > PT_RECORD_HDR ? p[0] : -1, buf);
			break;
		}
		why = check(c, p, size, buf, sizeof(buf));
		if (!why && c->npt == SMBIOS_MAX_PT) {
			snprintf(buf, sizeof(buf), "more than the %u structures hvmfw takes",
				 SMBIOS_MAX_PT);
			why = buf;
		}
		if (why) {
			if (refuse)
				refuse(ctx, off, size ? p[0] : -1, why);
		} else {
			c->pt[c->npt++] = (struct smbios_pt){ p, size };
			taken++;
		}
		off += PT_RECORD_HDR + size;
	}
	return taken;
}
