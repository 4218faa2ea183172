/* SPDX-License-Identifier: MIT */
/* SMBIOS types 16, 17 and 19: the memory array, its devices and where it is mapped. */
#include "smbios_priv.h"
#include <hvmfw/string.h>

#define T16_LEN 0x17
#define T16_LOC_SYSTEM_BOARD 0x03
#define T16_USE_SYSTEM 0x03
#define T16_ECC_NONE 0x03
#define T16_CAP_USE_EXTENDED 0x80000000u
#define T17_LEN 0x28                    /* 2.8 layout: extended size, voltages */
#define T17_FORM_DIMM 0x09
#define T17_TYPE_RAM 0x07
#define T17_DETAIL_OTHER 0x0002
#define T17_SIZE_USE_EXTENDED 0x7FFF
#define T19_LEN 0x1F
#define T19_USE_EXTENDED 0xFFFFFFFFu

/* A RAM range in whole KiB, [start, end). */
struct kib_range {
	uint64_t start, end;
};

/* Sort by start and merge touching ranges: one type 19 per contiguous block. */
static uint32_t ranges_kib(const struct smbios_config *c, struct kib_range *r)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < c->nram; i++) {
		uint64_t s = (c->ram[i].base + 1023) >> 10;
		uint64_t e = (c->ram[i].base + c->ram[i].size) >> 10;
		uint32_t j;

		if (!c->ram[i].size || e <= s)
			continue;
		for (j = n; j > 0 && r[j - 1].start > s; j--)
			r[j] = r[j - 1];
		r[j] = (struct kib_range){ s, e };
		n++;
	}
	for (uint32_t i = 0; i + 1 < n;) {
		if (r[i + 1].start <= r[i].end) {
			r[i].end = MAX(r[i].end, r[i + 1].end);
			memmove(&r[i + 1], &r[i + 2], (n - i - 2) * sizeof(*r));
			n--;
		} else {
			i++;
		}
	}
	return n;
}

static uint16_t array(struct smb_writer *w, uint64_t total_mib, uint32_t ndev)
{
	uint64_t kib = total_mib << 10;
	uint16_t h = smb_begin(w, 16, T16_LEN);

	smb_put8(w, 0x04, T16_LOC_SYSTEM_BOARD);
	smb_put8(w, 0x05, T16_USE_SYSTEM);
	smb_put8(w, 0x06, T16_ECC_NONE);
	/* The KiB field stops at 2 TiB; beyond, a marker and the 64-bit byte count. */
	if (kib < T16_CAP_USE_EXTENDED) {
		smb_put32(w, 0x07, (uint32_t)kib);
	} else {
		smb_put32(w, 0x07, T16_CAP_USE_EXTENDED);
		smb_put64(w, 0x0F, total_mib << 20);
	}
	smb_put16(w, 0x0B, SMB_NOT_PROVIDED);
	smb_put16(w, 0x0D, (uint16_t)ndev);
	smb_end(w);
	return h;
}

static void device(struct smb_writer *w, uint16_t array_handle, uint32_t i, uint64_t mib)
{
	char locator[16];

	snprintf(locator, sizeof(locator), "DIMM %u", (unsigned)i);
	smb_begin(w, 17, T17_LEN);
	smb_put16(w, 0x04, array_handle);
	smb_put16(w, 0x06, SMB_NOT_PROVIDED);
	smb_put16(w, 0x08, 64);                 /* total and data width, bits */
	smb_put16(w, 0x0A, 64);
	if (mib < T17_SIZE_USE_EXTENDED) {
		smb_put16(w, 0x0C, (uint16_t)mib);
	} else {
		smb_put16(w, 0x0C, T17_SIZE_USE_EXTENDED);
		smb_put32(w, 0x1C, (uint32_t)mib);
	}
	smb_put8(w, 0x0E, T17_FORM_DIMM);
	smb_put8(w, 0x10, smb_str(w, locator));
	smb_put8(w, 0x12, T17_TYPE_RAM);
	smb_put16(w, 0x13, T17_DETAIL_OTHER);
	smb_end(w);
}

static void mapped(struct smb_writer *w, uint16_t array_handle, const struct kib_range *r)
{
	smb_begin(w, 19, T19_LEN);
	/* The KiB fields end at 4 TiB - 1 KiB; above, the 64-bit byte fields take over. */
	if (r->end - 1 < T19_USE_EXTENDED) {
		smb_put32(w, 0x04, (uint32_t)r->start);
		smb_put32(w, 0x08, (uint32_t)(r->end - 1));
	} else {
		smb_put32(w, 0x04, T19_USE_EXTENDED);
		smb_put32(w, 0x08, T19_USE_EXTENDED);
		smb_put64(w, 0x0F, r->start << 10);
		smb_put64(w, 0x17, (r->end << 10) - 1);
	}
	smb_put16(w, 0x0C, array_handle);
	smb_put8(w, 0x0E, 1);                   /* partition width */
	smb_end(w);
}

bool smb_memory(struct smb_writer *w, const struct smbios_config *c)
{
	struct kib_range r[SMBIOS_MAX_RANGES];
	uint64_t total_kib = 0, total_mib, left;
	uint64_t dimm_mib = SMBIOS_DIMM_MAX >> 20;
	uint32_t n = ranges_kib(c, r), ndev;
	uint16_t h;

	for (uint32_t i = 0; i < n; i++)
		total_kib += r[i].end - r[i].start;
	if (!total_kib)
		return false;
	/* Devices come in whole MiB; the last one rounds the total up. */
	total_mib = (total_kib + 1023) >> 10;
	ndev = (uint32_t)((total_mib + dimm_mib - 1) / dimm_mib);
	if (ndev > 0xFFFF)
		return false;
	h = array(w, total_mib, ndev);
	left = total_mib;
	for (uint32_t i = 0; i < ndev; i++) {
		uint64_t mib = MIN(left, dimm_mib);

		device(w, h, i, mib);
		left -= mib;
	}
	for (uint32_t i = 0; i < n; i++)
		mapped(w, h, &r[i]);
	return true;
}
