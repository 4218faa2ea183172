/* SPDX-License-Identifier: MIT */
/* Firmware side of ACPI: probe what the builder cannot know, place the tables. */
#include <hvmfw/tables.h>
#include <hvmfw/console.h>
#include <hvmfw/fseg.h>
#include <hvmfw/io.h>
#include <hvmfw/layout.h>
#include <hvmfw/string.h>

#define ACPI_AREA_SIZE 0x20000
#define HPET_BASE 0xFED00000
#define IOAPIC_BASE 0xFEC00000

static void probe_platform_devices(struct acpi_config *cfg)
{
	uint32_t hpet_cap = mmio_read32(HPET_BASE);

	cfg->lapic_addr = 0xFEE00000;
	cfg->ioapic_addr = IOAPIC_BASE;
	mmio_write32(IOAPIC_BASE, 0);
	cfg->ioapic_id = (mmio_read32(IOAPIC_BASE + 0x10) >> 24) & 0x0F;
	/* An HPET answers with a vendor ID in the top half of its capabilities. */
	cfg->hpet_present = (hpet_cap >> 16) != 0 && (hpet_cap >> 16) != 0xFFFF;
	cfg->hpet_addr = HPET_BASE;
	cfg->hpet_block_id = hpet_cap;
	memcpy(cfg->oem_id, "HVMFW ", 7);
	memcpy(cfg->oem_table_id, "HVMFW   ", 9);
}

/* One line per table of the platform's blob that is not added, and why. */
static void extra_refused(const struct acpi_extra_table *t)
{
	if (t->len)
		log_warn("acpi: passed-through table %s at +0x%x (%u bytes) left out: %s", t->sig,
			 t->off, t->len, t->refused);
	else
		log_warn("acpi: passed-through table %s at +0x%x left out: %s", t->sig, t->off,
			 t->refused);
}

uint32_t acpi_install(struct acpi_config *cfg, bool legacy_copy)
{
	struct acpi_result res;
	uint8_t *area;
	int rc;

	probe_platform_devices(cfg);
	cfg->extra_refused = extra_refused;
	area = layout_alloc_high(ACPI_AREA_SIZE, 4096, E820_ACPI);
	rc = acpi_build(cfg, area, ACPI_AREA_SIZE, (uint32_t)(uintptr_t)area, &res);
	if (rc)
		panic("building the ACPI tables failed (%d) in a %u-byte area", rc, ACPI_AREA_SIZE);
	for (uint32_t i = 0; i < res.ntables; i++)
		log_info("acpi: %s @ 0x%x len %u", res.tables[i].sig, res.tables[i].addr,
			 res.tables[i].len);
	if (legacy_copy)
		/* OSes without a boot-loader pointer scan 0xE0000-0xFFFFF for the RSDP. */
		memcpy(fseg_alloc(36, 16), (void *)(uintptr_t)res.rsdp, 36);
	log_info("acpi: RSDP @ 0x%x, %u tables, %u bytes", res.rsdp, res.ntables, res.total_len);
	return res.rsdp;
}
