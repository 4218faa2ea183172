/* SPDX-License-Identifier: MIT */
/* The SMBIOS structure table, in a fixed order so the output is reproducible. */
#include "smbios_priv.h"

#define T32_LEN 0x0B
#define T127_LEN 4
/* Handles from 0xFF00 up are reserved. */
#define SMB_HANDLE_LIMIT 0xFF00

static void boot_info(struct smb_writer *w)
{
	smb_begin(w, 32, T32_LEN);
	smb_put8(w, 0x0A, 0);                   /* no errors detected */
	smb_end(w);
}

int smbios_build(const struct smbios_config *c, uint8_t *buf, uint32_t cap, struct smbios_table *out)
{
	struct smb_writer w;

	if (!c->ncpus || c->ncpus > SMBIOS_MAX_CPUS || c->nram > SMBIOS_MAX_RANGES)
		return SMBIOS_E_INVAL;
	smb_init(&w, buf, cap);
	smb_bios(&w, c);
	smb_system(&w, c);
	smb_chassis(&w, c);
	smb_processors(&w, c);
	if (!smb_memory(&w, c))
		return SMBIOS_E_INVAL;
	boot_info(&w);
	smb_begin(&w, 127, T127_LEN);
	smb_end(&w);
	if (w.next_handle > SMB_HANDLE_LIMIT)
		return SMBIOS_E_INVAL;
	/* Filled in either way: after SMBIOS_E_NOSPACE, len is the size needed. */
	out->len = w.off;
	out->count = w.count;
	out->max_struct = w.max_struct;
	return w.overflow ? SMBIOS_E_NOSPACE : 0;
}
