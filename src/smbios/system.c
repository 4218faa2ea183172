/* SPDX-License-Identifier: MIT */
/* SMBIOS types 1 (system) and 3 (chassis). */
#include "smbios_priv.h"
#include <hvmfw/string.h>

#define T1_LEN 0x1B
#define T1_WAKE_POWER_SWITCH 6
#define T3_LEN 0x16                     /* 2.7+: SKU string after an empty element list */
#define T3_TYPE_OTHER 0x01
#define T3_STATE_SAFE 3
#define T3_SECURITY_UNKNOWN 2

/* Since 2.6 the first three UUID fields are stored little-endian. */
static void uuid_to_smbios(uint8_t out[16], const uint8_t in[16])
{
	static const uint8_t order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };

	for (int i = 0; i < 16; i++)
		out[i] = in[order[i]];
}

static void uuid_text(char out[37], const uint8_t u[16])
{
	static const char hex[] = "0123456789abcdef";
	char *p = out;

	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[u[i] >> 4];
		*p++ = hex[u[i] & 15];
	}
	*p = '\0';
}

void smb_system(struct smb_writer *w, const struct smbios_config *c)
{
	const char *serial = c->str[SMBIOS_SYS_SERIAL];
	uint8_t uuid[16] = { 0 };       /* all zero: no UUID */
	char text[37];

	if (c->has_uuid) {
		uuid_to_smbios(uuid, c->uuid);
		uuid_text(text, c->uuid);
		if (!serial || !*serial)
			serial = text;
	}
	smb_begin(w, 1, T1_LEN);
	smb_put8(w, 0x04, smb_str(w, c->str[SMBIOS_SYS_MANUFACTURER]));
	smb_put8(w, 0x05, smb_str(w, c->str[SMBIOS_SYS_PRODUCT]));
	smb_put8(w, 0x06, smb_str(w, c->str[SMBIOS_SYS_VERSION]));
	smb_put8(w, 0x07, smb_str(w, serial));
	for (int i = 0; i < 16; i++)
		smb_put8(w, 0x08 + i, uuid[i]);
	smb_put8(w, 0x18, T1_WAKE_POWER_SWITCH);
	smb_put8(w, 0x19, smb_str(w, c->str[SMBIOS_SYS_SKU]));
	smb_put8(w, 0x1A, smb_str(w, c->str[SMBIOS_SYS_FAMILY]));
	smb_end(w);
}

void smb_chassis(struct smb_writer *w, const struct smbios_config *c)
{
	smb_begin(w, 3, T3_LEN);
	smb_put8(w, 0x04, smb_str(w, c->str[SMBIOS_CHASSIS_MANUFACTURER]));
	smb_put8(w, 0x05, T3_TYPE_OTHER);
	smb_put8(w, 0x06, smb_str(w, c->str[SMBIOS_CHASSIS_VERSION]));
	smb_put8(w, 0x07, smb_str(w, c->str[SMBIOS_CHASSIS_SERIAL]));
	smb_put8(w, 0x08, smb_str(w, c->str[SMBIOS_CHASSIS_ASSET_TAG]));
	smb_put8(w, 0x09, T3_STATE_SAFE);       /* boot-up, power supply, thermal */
	smb_put8(w, 0x0A, T3_STATE_SAFE);
	smb_put8(w, 0x0B, T3_STATE_SAFE);
	smb_put8(w, 0x0C, T3_SECURITY_UNKNOWN);
	/* OEM word, height, power cords, contained elements: all 0 (none/unspecified). */
	smb_put8(w, 0x15, 0);                   /* SKU: none */
	smb_end(w);
}
