/* SPDX-License-Identifier: MIT */
/* SMBIOS type 0: BIOS information. */
#include "smbios_priv.h"

#define T0_LEN 0x18                     /* the 2.4-3.0 layout */
#define T0_CHAR_PCI (1u << 7)
#define T0_EXT1_ACPI 0x01
#define T0_EXT2_TARGETED_CONTENT 0x04   /* the table describes this machine faithfully */
#define T0_EXT2_VIRTUAL_MACHINE 0x10

void smb_bios(struct smb_writer *w, const struct smbios_config *c)
{
	smb_begin(w, 0, T0_LEN);
	smb_put8(w, 0x04, smb_str(w, c->str[SMBIOS_BIOS_VENDOR]));
	smb_put8(w, 0x05, smb_str(w, c->str[SMBIOS_BIOS_VERSION]));
	/* The legacy window a BIOS runs from; its runtime size is 64 KiB (ROM size code 0). */
	smb_put16(w, 0x06, 0xF000);
	smb_put8(w, 0x08, smb_str(w, c->str[SMBIOS_BIOS_DATE]));
	smb_put8(w, 0x09, 0);
	/* Not upgradeable, no shadowing/boot-device claims: we cannot vouch for the payload. */
	smb_put64(w, 0x0A, T0_CHAR_PCI);
	smb_put8(w, 0x12, c->acpi ? T0_EXT1_ACPI : 0);
	smb_put8(w, 0x13, T0_EXT2_TARGETED_CONTENT | T0_EXT2_VIRTUAL_MACHINE);
	smb_put8(w, 0x14, c->bios_major);
	smb_put8(w, 0x15, c->bios_minor);
	/* No embedded controller. */
	smb_put8(w, 0x16, 0xFF);
	smb_put8(w, 0x17, 0xFF);
	smb_end(w);
}
