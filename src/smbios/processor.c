/* SPDX-License-Identifier: MIT */
/* SMBIOS type 4: one processor structure per vCPU. */
#include "smbios_priv.h"
#include <hvmfw/string.h>

#define T4_LEN 0x30                     /* the 3.0 layout (core/thread counts as words) */
#define T4_TYPE_CENTRAL 3
#define T4_FAMILY_OTHER 0x01            /* the model name alone cannot tell us more */
#define T4_UPGRADE_OTHER 0x01
#define T4_STATUS_POPULATED 0x40
#define T4_STATUS_ENABLED 0x01
#define T4_CHAR_64BIT (1u << 2)

static void processor(struct smb_writer *w, const struct smbios_config *c, uint32_t n)
{
	char socket[16];

	snprintf(socket, sizeof(socket), "CPU %u", (unsigned)n);
	smb_begin(w, 4, T4_LEN);
	smb_put8(w, 0x04, smb_str(w, socket));
	smb_put8(w, 0x05, T4_TYPE_CENTRAL);
	smb_put8(w, 0x06, T4_FAMILY_OTHER);
	smb_put8(w, 0x07, smb_str(w, c->str[SMBIOS_CPU_MANUFACTURER]));
	/* Processor ID: CPUID.1 EAX then EDX, as on any x86 machine. */
	smb_put32(w, 0x08, c->cpu_signature);
	smb_put32(w, 0x0C, c->cpu_features);
	smb_put8(w, 0x10, smb_str(w, c->str[SMBIOS_CPU_VERSION]));
	smb_put8(w, 0x11, 0);                   /* voltage: unknown */
	smb_put16(w, 0x12, 0);                  /* external clock: unknown */
	smb_put16(w, 0x14, c->cpu_mhz);
	smb_put16(w, 0x16, c->cpu_mhz);
	smb_put8(w, 0x18, T4_STATUS_POPULATED | T4_STATUS_ENABLED);
	smb_put8(w, 0x19, T4_UPGRADE_OTHER);
	smb_put16(w, 0x1A, SMB_NO_HANDLE);      /* L1, L2, L3 cache: not described */
	smb_put16(w, 0x1C, SMB_NO_HANDLE);
	smb_put16(w, 0x1E, SMB_NO_HANDLE);
	/* Each vCPU is its own single-core, single-thread socket. */
	smb_put8(w, 0x23, 1);
	smb_put8(w, 0x24, 1);
	smb_put8(w, 0x25, 1);
	smb_put16(w, 0x26, c->cpu_64bit ? T4_CHAR_64BIT : 0);
	smb_put16(w, 0x28, T4_FAMILY_OTHER);
	smb_put16(w, 0x2A, 1);
	smb_put16(w, 0x2C, 1);
	smb_put16(w, 0x2E, 1);
	smb_end(w);
}

void smb_processors(struct smb_writer *w, const struct smbios_config *c)
{
	for (uint32_t i = 0; i < c->ncpus; i++)
		processor(w, c, i);
}
