/* SPDX-License-Identifier: MIT */
/*
 * The toolstack's xenstore keys hvmloader honours, parsed into one struct the
 * rest of the firmware reads. Pure: keys come through a getter.
 */
#ifndef HVMFW_XEN_PLATFORM_INFO_H
#define HVMFW_XEN_PLATFORM_INFO_H

#include <hvmfw/compiler.h>
#include <hvmfw/xen/start_info.h>

enum xen_bios { XEN_BIOS_SEABIOS, XEN_BIOS_OVMF };

/* SMBIOS strings under bios-strings/ (empty: not given, use the built-in default). */
enum xen_bios_string {
	XEN_STR_BIOS_VENDOR,
	XEN_STR_BIOS_VERSION,
	XEN_STR_SYSTEM_MANUFACTURER,
	XEN_STR_SYSTEM_PRODUCT_NAME,
	XEN_STR_SYSTEM_VERSION,
	XEN_STR_SYSTEM_SERIAL_NUMBER,
	XEN_STR_BASEBOARD_MANUFACTURER,
	XEN_STR_BASEBOARD_PRODUCT_NAME,
	XEN_STR_BASEBOARD_VERSION,
	XEN_STR_BASEBOARD_SERIAL_NUMBER,
	XEN_STR_BASEBOARD_ASSET_TAG,
	XEN_STR_BASEBOARD_LOCATION_IN_CHASSIS,
	XEN_STR_ENCLOSURE_MANUFACTURER,
	XEN_STR_ENCLOSURE_SERIAL_NUMBER,
	XEN_STR_ENCLOSURE_ASSET_TAG,
	XEN_STR_BATTERY_MANUFACTURER,
	XEN_STR_BATTERY_DEVICE_NAME,
	XEN_STR_COUNT
};
#define XEN_STR_MAX 64
#define XEN_OEM_STRINGS_MAX 16

struct xen_passthrough {
	uint32_t addr, len;     /* len 0: none */
};

struct xen_platform_info {
	enum xen_bios bios;
	bool allow_memory_relocate;     /* default true, libxl writes 0 for qemu-xen */
	uint64_t mmio_hole_size;        /* bytes; 0: not given */
	bool acpi, acpi_s3, acpi_s4, acpi_laptop_slate;
	bool dm_traditional;            /* platform/device-model = qemu_xen_traditional */
	uint64_t generation_id[2];      /* low, high; both 0: none */
	struct xen_passthrough acpi_pt, smbios_pt;
	bool smbios_default_battery;
	char strings[XEN_STR_COUNT][XEN_STR_MAX];
	unsigned n_oem;
	char oem[XEN_OEM_STRINGS_MAX][XEN_STR_MAX];
};

/* Copy key's value into buf as a C string; its length, or < 0 if absent. */
typedef int (*xen_key_get_fn)(void *ctx, const char *key, char *buf, size_t cap);
/* A value taken into account: the key and the value as given. */
typedef void (*xen_key_used_fn)(const char *key, const char *value);

void xen_platform_info_defaults(struct xen_platform_info *pi);
/* Read every key; each used value is reported to used, each bad one to refuse. */
void xen_platform_info_read(struct xen_platform_info *pi, xen_key_get_fn get, void *ctx,
			    xen_key_used_fn used, xen_refuse_fn refuse);
const char *xen_bios_string_key(enum xen_bios_string s);

/* Value parsers, strict: the whole string must parse. 0 on success, -1 otherwise. */
int xen_parse_bool(const char *s, bool *out);           /* "0" or "1" */
int xen_parse_num(const char *s, uint64_t *out);        /* 0x hex, leading 0 octal, decimal */
int xen_parse_genid(const char *s, uint64_t out[2]);    /* "<low>:<high>" decimal */

#endif
