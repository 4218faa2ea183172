/* SPDX-License-Identifier: MIT */
/*
 * The SMBIOS structure table, in a fixed order so the output is
 * reproducible: ascending types, hvmfw's own structures and passed-through
 * ones merged, vendor types in the order given, then the end marker.
 */
#include "smbios_priv.h"
#include <hvmfw/string.h>

#define T32_LEN 0x0B
#define T127_LEN 4
/* Handles from 0xFF00 up are reserved. */
#define SMB_HANDLE_LIMIT 0xFF00

/*
 * Handle fields of passed-through structures that point at another
 * structure: its type, and whether the field is set even when the source
 * said "none" (a board is always in hvmfw's one chassis).
 */
static const struct {
	uint8_t type, off, target;
	bool always;
} pt_refs[] = {
	{ 2, 0x0B, 3, true },           /* baseboard: chassis */
	{ 27, 0x04, 28, false },        /* cooling device: temperature probe */
	{ 39, 0x10, 26, false },        /* power supply: input voltage probe */
	{ 39, 0x12, 27, false },        /* cooling device */
	{ 39, 0x14, 29, false },        /* input current probe */
};

struct build {
	struct smb_writer w;
	const struct smbios_config *c;
	uint16_t handle[SMB_PT_VENDOR]; /* first structure of each DMTF type; SMB_NO_HANDLE: none */
	uint32_t nfix;
	struct {
		uint32_t off;           /* in the table */
		uint8_t target;
	} fix[ARRAY_SIZE(pt_refs)];
};

static const struct smbios_pt *pt_find(const struct smbios_config *c, unsigned type)
{
	for (uint32_t i = 0; i < c->npt; i++)
		if (c->pt[i].p[0] == type)
			return &c->pt[i];
	return NULL;
}

static void noted(struct build *b, unsigned type)
{
	if (type < SMB_PT_VENDOR && b->handle[type] == SMB_NO_HANDLE)
		b->handle[type] = b->w.handle;
}

static void pass(struct build *b, const struct smbios_pt *s, uint16_t handle)
{
	uint8_t len = s->p[1];

	smb_copy(&b->w, s, handle);
	noted(b, s->p[0]);
	for (unsigned i = 0; i < ARRAY_SIZE(pt_refs); i++) {
		uint16_t v;

		if (pt_refs[i].type != s->p[0] || pt_refs[i].off + 2u > len)
			continue;
		v = (uint16_t)(s->p[pt_refs[i].off] | s->p[pt_refs[i].off + 1] << 8);
		if (!pt_refs[i].always && (v == SMB_NO_HANDLE || v == SMB_NOT_PROVIDED))
			continue;
		b->fix[b->nfix].off = b->w.start + pt_refs[i].off;
		b->fix[b->nfix++].target = pt_refs[i].target;
	}
}

/* A type hvmfw builds: the passed-through one instead, if there is one. */
static void own(struct build *b, unsigned type, void (*fn)(struct smb_writer *, const struct smbios_config *))
{
	const struct smbios_pt *s = pt_find(b->c, type);

	if (s)
		pass(b, s, smb_handle(&b->w));
	else
		fn(&b->w, b->c);
	noted(b, type);
}

/* Passed-through types hvmfw does not build, [from, to), and the default battery. */
static void added(struct build *b, unsigned from, unsigned to)
{
	for (unsigned t = from; t < to; t++) {
		const struct smbios_pt *s = pt_find(b->c, t);

		if (s) {
			pass(b, s, smb_handle(&b->w));
		} else if (t == 22 && b->c->battery) {
			smb_battery(&b->w, b->c);
			noted(b, t);
		}
	}
}

static void boot_info(struct smb_writer *w)
{
	smb_begin(w, 32, T32_LEN);
	smb_put8(w, 0x0A, 0);                   /* no errors detected */
	smb_end(w);
}

int smbios_build(const struct smbios_config *c, uint8_t *buf, uint32_t cap, struct smbios_table *out)
{
	struct build b;
	uint16_t vendor[SMBIOS_MAX_PT];
	uint32_t nvendor = 0;

	if (!c->ncpus || c->ncpus > SMBIOS_MAX_CPUS || c->nram > SMBIOS_MAX_RANGES ||
	    c->npt > SMBIOS_MAX_PT)
		return SMBIOS_E_INVAL;
	memset(&b, 0, sizeof(b));
	smb_init(&b.w, buf, cap);
	b.c = c;
	memset(b.handle, 0xFF, sizeof(b.handle));
	/* Vendor structures keep their handles (smbios_pt_parse made them unique). */
	for (uint32_t i = 0; i < c->npt; i++)
		if (c->pt[i].p[0] >= SMB_PT_VENDOR)
			vendor[nvendor++] = (uint16_t)(c->pt[i].p[2] | c->pt[i].p[3] << 8);
	b.w.taken = vendor;
	b.w.ntaken = nvendor;

	own(&b, 0, smb_bios);
	own(&b, 1, smb_system);
	added(&b, 2, 3);
	own(&b, 3, smb_chassis);
	smb_processors(&b.w, c);
	added(&b, 5, 16);
	if (!smb_memory(&b.w, c))
		return SMBIOS_E_INVAL;
	added(&b, 20, 32);
	boot_info(&b.w);
	added(&b, 33, SMB_PT_VENDOR);
	for (uint32_t i = 0; i < c->npt; i++)
		if (c->pt[i].p[0] >= SMB_PT_VENDOR)
			pass(&b, &c->pt[i], (uint16_t)(c->pt[i].p[2] | c->pt[i].p[3] << 8));
	for (uint32_t i = 0; i < b.nfix; i++)
		smb_patch16(&b.w, b.fix[i].off, b.handle[b.fix[i].target]);
	smb_begin(&b.w, 127, T127_LEN);
	smb_end(&b.w);
	if (b.w.next_handle > SMB_HANDLE_LIMIT)
		return SMBIOS_E_INVAL;
	/* Filled in either way: after SMBIOS_E_NOSPACE, len is the size needed. */
	out->len = b.w.off;
	out->count = b.w.count;
	out->max_struct = b.w.max_struct;
	return b.w.overflow ? SMBIOS_E_NOSPACE : 0;
}
