/* SPDX-License-Identifier: MIT */
/*
 * Installing SMBIOS, the MP table and $PIR in guest memory (firmware only).
 * Structure tables go to reserved RAM from layout_alloc_high(). With 'fseg'
 * the anchors (entry points, floating pointer, $PIR) go to the F segment,
 * where an OS booted directly scans for them; without it they stay in that
 * reserved RAM for a BIOS payload to copy (Xen's SeaBIOS table list).
 */
#ifndef HVMFW_LEGACY_TABLES_H
#define HVMFW_LEGACY_TABLES_H

#include <hvmfw/acpi.h>
#include <hvmfw/smbios.h>

/* Where a platform's SMBIOS strings, UUID and extra structures come from. */
struct smbios_source {
	/* Value for a smbios_str_keys name; length, or -1 if not set. */
	int (*string)(const char *name, char *buf, size_t len);
	/* The machine's UUID in RFC 4122 order; false if it has none. */
	bool (*uuid)(uint8_t out[16]);
	/*
	 * Structures to pass through, as a blob for smbios_pt_parse() that stays
	 * in place until the table is built; false if there are none (may be NULL).
	 */
	bool (*passthrough)(const uint8_t **blob, uint32_t *len);
	/* Whether to add the default type 22 battery (may be NULL: no). */
	bool (*default_battery)(void);
};

extern const struct smbios_source smbios_source_qemu;
extern const struct smbios_source smbios_source_xen;

struct smbios_anchors {
	uint32_t ep3;           /* "_SM3_" */
	uint32_t ep2;           /* "_SM_" (0 if the table cannot have one) */
	uint32_t table;
};

/*
 * SMBIOS for ncpus vCPUs and the RAM in layout_orig, strings overridden from
 * src. The 3.0 entry point is placed below the 2.x one so scanners meet it first.
 */
void smbios_install(const struct smbios_source *src, uint32_t ncpus, bool acpi, bool fseg,
		    struct smbios_anchors *out);
/* MP tables for the CPUs, I/O APIC and SCI in cfg (after acpi_install); returns "_MP_". */
uint32_t mptable_install(const struct acpi_config *cfg, bool fseg);
/* $PIR for cfg's chipset, listing every bus-0 slot; returns its address. */
uint32_t pir_install(const struct acpi_config *cfg, bool fseg);

#endif
