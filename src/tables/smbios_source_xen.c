/* SPDX-License-Identifier: MIT */
/*
 * SMBIOS input on Xen: the toolstack's bios-strings/<name> keys, then
 * hvmfw's own smbios/<name> config keys; the UUID is the domain handle;
 * hvmloader/smbios/{address,length} name structures the toolstack loaded
 * into RAM to pass through, hvmloader/smbios/default_battery asks for a
 * battery.
 */
#include <hvmfw/legacy_tables.h>
#include <hvmfw/console.h>
#include <hvmfw/layout.h>
#include <hvmfw/platform.h>
#include <hvmfw/string.h>
#include <hvmfw/xen/state.h>

static int xen_string(const char *name, char *buf, size_t len)
{
	char key[64];
	int rc;

	if (snprintf(key, sizeof(key), "bios-strings/%s", name) < (int)sizeof(key)) {
		rc = xen_store_read(key, buf, len);
		if (rc >= 0)
			return rc;
	}
	if (snprintf(key, sizeof(key), "smbios/%s", name) >= (int)sizeof(key))
		return -1;
	return platform->config_get(key, buf, len);
}

static bool xen_uuid(uint8_t out[16])
{
	/* xen_domain_handle_t: the domain's UUID bytes in RFC 4122 order. */
	if (xen_hc2(XEN_HC_XEN_VERSION, XENVER_GUEST_HANDLE, out) < 0)
		return false;
	for (int i = 0; i < 16; i++)
		if (out[i])
			return true;
	return false;
}

static bool xen_passthrough(const uint8_t **blob, uint32_t *len)
{
	const struct xen_passthrough *pt = &xen.pi.smbios_pt;

	if (!pt->len)
		return false;
	if (!e820_covers(&layout_orig, pt->addr, pt->len, E820_RAM)) {
		log_warn("smbios: hvmloader/smbios structures at 0x%x+0x%x are not in RAM; "
			 "none passed through", pt->addr, pt->len);
		return false;
	}
	*blob = (const uint8_t *)(uintptr_t)pt->addr;
	*len = pt->len;
	return true;
}

static bool xen_default_battery(void)
{
	return xen.pi.smbios_default_battery;
}

const struct smbios_source smbios_source_xen = {
	.string = xen_string,
	.uuid = xen_uuid,
	.passthrough = xen_passthrough,
	.default_battery = xen_default_battery,
};
