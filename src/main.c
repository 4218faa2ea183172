/* SPDX-License-Identifier: MIT */
/* The boot sequence, the same on every platform. */
#include <hvmfw/boot.h>
#include <hvmfw/chipset.h>
#include <hvmfw/config.h>
#include <hvmfw/console.h>
#include <hvmfw/entry.h>
#include <hvmfw/layout.h>
#include <hvmfw/platform.h>
#include <hvmfw/tables.h>

static struct acpi_config acpi_cfg;
static struct config cfg;

void hvmfw_main(uint32_t magic, uint32_t start_info)
{
	struct boot_state bs = { 0 };
	struct e820_map ram;

	console_init();
	log_info("hvmfw %s", HVMFW_VERSION);
	platform = platform_detect(magic, start_info);
	log_info("platform: %s", platform->name);
	config_load(&cfg);

	platform->memory_map(&ram);
	layout_init(&ram);

	bs.chipset = chipset_probe();
	if (platform->shadow_legacy)
		bs.chipset->shadow_ram();
	bs.chipset->init();

	bs.ncpus = 1;
	acpi_cfg.ncpus = 1;
	acpi_cfg.apic_ids[0] = 0;

	acpi_cfg.chipset = bs.chipset->acpi_kind;
	acpi_cfg.dsdt = bs.chipset->dsdt;
	acpi_cfg.dsdt_len = *bs.chipset->dsdt_len;
	bs.chipset->acpi_fill(&acpi_cfg);
	bs.rsdp = acpi_install(&acpi_cfg, platform->shadow_legacy);

	layout_finish();
	bs.e820 = &layout_map;
	platform->boot(&bs);
}
