/* SPDX-License-Identifier: MIT */
/* SMBIOS input: default strings and the names that override them. */
#include <hvmfw/smbios.h>
#include <hvmfw/string.h>

/* The Xen toolstack's bios-strings/<name> keys, so one name works everywhere. */
const char *const smbios_str_keys[SMBIOS_NSTR] = {
	[SMBIOS_BIOS_VENDOR] = "bios-vendor",
	[SMBIOS_BIOS_VERSION] = "bios-version",
	[SMBIOS_BIOS_DATE] = "bios-release-date",
	[SMBIOS_SYS_MANUFACTURER] = "system-manufacturer",
	[SMBIOS_SYS_PRODUCT] = "system-product-name",
	[SMBIOS_SYS_VERSION] = "system-version",
	[SMBIOS_SYS_SERIAL] = "system-serial-number",
	[SMBIOS_SYS_SKU] = "system-sku-number",
	[SMBIOS_SYS_FAMILY] = "system-family",
	[SMBIOS_CHASSIS_MANUFACTURER] = "enclosure-manufacturer",
	[SMBIOS_CHASSIS_VERSION] = "enclosure-version",
	[SMBIOS_CHASSIS_SERIAL] = "enclosure-serial-number",
	[SMBIOS_CHASSIS_ASSET_TAG] = "enclosure-asset-tag",
	[SMBIOS_CPU_MANUFACTURER] = NULL,       /* from CPUID */
	[SMBIOS_CPU_VERSION] = NULL,
	[SMBIOS_BATTERY_MANUFACTURER] = "battery-manufacturer",
	[SMBIOS_BATTERY_NAME] = "battery-device-name",
};

void smbios_defaults(struct smbios_config *c)
{
	memset(c, 0, sizeof(*c));
	c->str[SMBIOS_BIOS_VENDOR] = "hvmfw";
	c->str[SMBIOS_SYS_MANUFACTURER] = "hvmfw";
	c->str[SMBIOS_SYS_PRODUCT] = "Virtual Machine";
	c->str[SMBIOS_SYS_FAMILY] = "Virtual Machine";
	c->str[SMBIOS_CHASSIS_MANUFACTURER] = "hvmfw";
	c->str[SMBIOS_BATTERY_MANUFACTURER] = "hvmfw";
	c->str[SMBIOS_BATTERY_NAME] = "Virtual Battery";
	c->acpi = true;
}

bool smbios_set_string(struct smbios_config *c, const char *key, const char *value)
{
	for (unsigned i = 0; i < SMBIOS_NSTR; i++) {
		if (smbios_str_keys[i] && !strcmp(smbios_str_keys[i], key)) {
			c->str[i] = value;
			return true;
		}
	}
	return false;
}

const char *smbios_cpu_vendor(const char vendor[12])
{
	if (!memcmp(vendor, "GenuineIntel", 12))
		return "Intel";
	if (!memcmp(vendor, "AuthenticAMD", 12))
		return "AMD";
	if (!memcmp(vendor, "HygonGenuine", 12))
		return "Hygon";
	return NULL;
}
