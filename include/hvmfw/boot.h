/* SPDX-License-Identifier: MIT */
/* What the boot sequence hands to the platform's payload loader. */
#ifndef HVMFW_BOOT_H
#define HVMFW_BOOT_H

#include <hvmfw/e820.h>

struct chipset;

struct boot_state {
	const struct chipset *chipset;
	uint32_t rsdp;                  /* RSDP physical address */
	uint32_t ncpus;
	const struct e820_map *e820;    /* final map (layout_map) */
};

#endif
