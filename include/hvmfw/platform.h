/* SPDX-License-Identifier: MIT */
/* What differs between the platforms hvmfw runs on (QEMU's -bios, Xen's HVM loader). */
#ifndef HVMFW_PLATFORM_H
#define HVMFW_PLATFORM_H

#include <hvmfw/compiler.h>
#include <hvmfw/e820.h>
#include <hvmfw/plan.h>

struct boot_state;
struct smbios_source;

struct platform {
	const char *name;
	/* RAM as the platform created it (no firmware areas yet). */
	int (*memory_map)(struct e820_map *map);
	/* Called once the layout exists (may be NULL). */
	void (*memory_ready)(void);
	/* Number of vCPUs the platform started (0: unknown). */
	unsigned (*cpu_count)(void);
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
	/* Where SMBIOS strings and the UUID come from. */
	const struct smbios_source *smbios;
	/* Tell the BIOS payload where SMBIOS, the MP table and $PIR are (NULL: nothing to tell). */
	void (*bios_tables)(uint32_t smbios, uint32_t mp, uint32_t pir);
};

extern const struct platform platform_qemu;
extern const struct platform *platform;

const struct platform *platform_detect(uint32_t magic, uint32_t start_info);

#endif
