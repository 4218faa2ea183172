/* SPDX-License-Identifier: MIT */
/* Firmware side of $PIR: pick the router and place the table. */
#include <hvmfw/legacy_tables.h>
#include <hvmfw/console.h>
#include <hvmfw/fseg.h>
#include <hvmfw/layout.h>
#include <hvmfw/pir.h>

uint32_t pir_install(const struct acpi_config *cfg, bool fseg)
{
	enum pir_router r = cfg->chipset == ACPI_CHIPSET_Q35 ? PIR_ICH9 : PIR_PIIX3;
	uint32_t size = pir_size(PIR_ALL_SLOTS);
	/* 16-byte aligned: scanners look for "$PIR" on paragraph boundaries. */
	uint8_t *p = fseg ? fseg_alloc(size, 16) : layout_alloc_high(size, 16, E820_RESERVED);

	if (!pir_build(r, PIR_ALL_SLOTS, PIR_IRQ_MASK, p, size))
		panic("pir: building the table failed");
	log_info("pir: $PIR @ 0x%x, %u bytes, router %s", (uint32_t)(uintptr_t)p, size,
		 r == PIR_ICH9 ? "ICH9 00:1f.0" : "PIIX3 00:01.0");
	return (uint32_t)(uintptr_t)p;
}
