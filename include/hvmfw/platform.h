/* SPDX-License-Identifier: MIT */
/* What differs between the platforms hvmfw runs on (QEMU's -bios, Xen's HVM loader). */
#ifndef HVMFW_PLATFORM_H
#define HVMFW_PLATFORM_H

#include <hvmfw/compiler.h>
#include <hvmfw/e820.h>
#include <hvmfw/plan.h>

struct acpi_config;
struct cpu_platform;
struct boot_state;
struct smbios_source;

struct platform {
	const char *name;
	/* RAM as the platform created it (no firmware areas yet). */
	int (*memory_map)(struct e820_map *map);
	/* Called once the layout exists (may be NULL). */
	void (*memory_ready)(void);
	/* The vCPUs: how many may ever run, which run at boot (cpu_table.h). */
	void (*cpus)(struct cpu_platform *p);
	/* Read a configuration value by key; returns length or -1 if absent. */
	int (*config_get)(const char *key, char *buf, size_t len);
	/* Transfer control to the payload; never returns. */
	__noreturn void (*boot)(struct boot_state *bs);
	/* Stop the guest after a fatal error. */
	__noreturn void (*stop)(void);
	/* The legacy BIOS area must be made RAM through the chipset (PAM). */
	bool shadow_legacy;
	/* MMIO below 4 GiB that no BAR may take (APICs, HPET, firmware, platform pages). */
	const struct plan_range *mmio_reserved;
	size_t nmmio_reserved;
	/*
	 * Low RAM under a larger MMIO hole may move above 4 GiB (NULL or false: no).
	 * relocate_ram moves it and redoes the layout (before anything is reserved).
	 */
	bool (*ram_relocatable)(void);
	/* Lowest start the platform allows for the 32-bit hole (NULL or 0: none). */
	uint64_t (*hole_floor)(void);
	int (*relocate_ram)(uint64_t bytes);
	/* Where SMBIOS strings and the UUID come from. */
	const struct smbios_source *smbios;
	/* ECAM was placed and enabled at [base, base + size) for buses 0..end_bus (may be NULL). */
	void (*ecam_ready)(uint64_t base, uint64_t size, uint8_t end_bus);
	/* Tell the BIOS payload where SMBIOS, the MP table and $PIR are (NULL: nothing to tell). */
	void (*bios_tables)(uint32_t smbios, uint32_t mp, uint32_t pir);
	/*
	 * Add what only the platform knows to the ACPI description, once the
	 * chipset and PCI have filled it and before the tables are built
	 * (may be NULL).
	 */
	void (*acpi_extras)(struct acpi_config *cfg);
};

extern const struct platform platform_qemu;
extern const struct platform *platform;

const struct platform *platform_detect(uint32_t magic, uint32_t start_info);

#endif
