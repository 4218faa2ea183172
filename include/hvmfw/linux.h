/* SPDX-License-Identifier: MIT */
/* Linux x86 boot protocol: building the zero page (pure, host-testable). */
#ifndef HVMFW_LINUX_H
#define HVMFW_LINUX_H

#include <hvmfw/e820.h>

#define LINUX_ZERO_PAGE_SIZE 4096

/* What the setup header tells a loader. */
struct linux_header {
	uint16_t version;
	uint8_t setup_sects;
	uint8_t loadflags;
	uint8_t relocatable;
	uint16_t xloadflags;
	uint32_t kernel_alignment;
	uint32_t initrd_addr_max;
	uint32_t cmdline_size;
	uint64_t pref_address;
	uint32_t init_size;
};

struct linux_params {
	uint32_t kernel_addr;           /* where the protected-mode part was loaded */
	uint32_t cmdline_addr;
	uint32_t initrd_addr, initrd_size;
	uint32_t rsdp_addr;
	const struct e820_map *e820;
};

/* Where the loader may put the kernel and initrd. */
struct linux_place_in {
	const struct e820_map *ram;     /* the memory map (only E820_RAM counts) */
	uint64_t fw_end;                /* the firmware's own ranges end here */
	uint64_t top;                   /* nothing at or above (high allocations) */
};

/*
 * Choose kernel_addr (and initrd_addr, initrd_size) in p; 0, or -1 with the
 * reason when the header's fields leave no valid place.
 */
int linux_place(const struct linux_header *h, uint32_t kernel_size, uint32_t initrd_size,
		const struct linux_place_in *in, struct linux_params *p, char *why, size_t whylen);

/* Parse and validate the setup header; 0 or -1 with a reason in why. */
int linux_parse_header(const uint8_t *setup, uint32_t len, struct linux_header *h,
		       char *why, size_t whylen);
/* Fill a zeroed 4 KiB zero page from the setup header and the parameters. */
int linux_build_zero_page(uint8_t *zp, const uint8_t *setup, uint32_t len,
			  const struct linux_params *p, char *why, size_t whylen);

#endif
