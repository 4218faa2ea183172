/* SPDX-License-Identifier: MIT */
/* SMBIOS type 22: a portable battery of unknown make-up (Xen's default_battery). */
#include "smbios_priv.h"

#define T22_LEN 0x1A                    /* the 2.2+ layout, with the SBDS fields */
#define T22_CHEMISTRY_UNKNOWN 0x02
#define T22_MAX_ERROR_UNKNOWN 0xFF

void smb_battery(struct smb_writer *w, const struct smbios_config *c)
{
	smb_begin(w, 22, T22_LEN);
	smb_put8(w, 0x04, smb_str(w, "Internal"));
	smb_put8(w, 0x05, smb_str(w, c->str[SMBIOS_BATTERY_MANUFACTURER]));
	smb_put8(w, 0x06, smb_str(w, c->str[SMBIOS_BIOS_DATE]));
	/* No serial number (0x07): string 0. */
	smb_put8(w, 0x08, smb_str(w, c->str[SMBIOS_BATTERY_NAME]));
	smb_put8(w, 0x09, T22_CHEMISTRY_UNKNOWN);
	/* Design capacity and voltage (0x0A, 0x0C) 0: unknown; no SBDS version (0x0E). */
	smb_put8(w, 0x0F, T22_MAX_ERROR_UNKNOWN);
	/* SBDS serial, date and chemistry (0x10-0x14) unused: the strings above say it. */
	smb_put8(w, 0x15, 1);                   /* capacity multiplier */
	smb_end(w);
}
