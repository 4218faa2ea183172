/* SPDX-License-Identifier: MIT */
/* SMBIOS input on QEMU: fw_cfg's UUID, strings from opt/org.hvmfw/smbios/<name>. */
#include <hvmfw/legacy_tables.h>
#include <hvmfw/fw_cfg.h>
#include <hvmfw/platform.h>
#include <hvmfw/string.h>

#define FW_CFG_UUID 0x02

static int qemu_string(const char *name, char *buf, size_t len)
{
	char key[48];

	if (snprintf(key, sizeof(key), "smbios/%s", name) >= (int)sizeof(key))
		return -1;
	return platform->config_get(key, buf, len);
}

static bool qemu_uuid(uint8_t out[16])
{
	/* Already in RFC 4122 order; all zero when QEMU was given no -uuid. */
	fw_cfg_read(FW_CFG_UUID, out, 16);
	for (int i = 0; i < 16; i++)
		if (out[i])
			return true;
	return false;
}

const struct smbios_source smbios_source_qemu = {
	.string = qemu_string,
	.uuid = qemu_uuid,
};
