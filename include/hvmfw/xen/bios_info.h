/* SPDX-License-Identifier: MIT */
/*
 * What SeaBIOS and OVMF look for when hvmloader's successor hands over: the
 * info table at 0x1000 and the CMOS memory-size bytes. Pure builders.
 */
#ifndef HVMFW_XEN_BIOS_INFO_H
#define HVMFW_XEN_BIOS_INFO_H

#include <hvmfw/e820.h>

#define XEN_BIOS_INFO_GPA 0x1000u
#define XEN_BIOS_INFO_ROOM 0x1000u
#define XEN_SEABIOS_SIG "XenHVMSeaBIOS"
#define XEN_OVMF_SIG "XenHVMOVMF"

struct xen_seabios_info {
	char signature[14];     /* NUL padded */
	uint8_t length;
	uint8_t checksum;       /* byte sum of length bytes is 0 */
	uint32_t tables;        /* GPA of u32[tables_nr] table addresses */
	uint32_t tables_nr;
	uint32_t e820;          /* GPA of 20-byte e820 entries */
	uint32_t e820_nr;
} __packed;
STATIC_ASSERT(sizeof(struct xen_seabios_info) == 32, "SeaBIOS info is 32 bytes");

struct xen_ovmf_info {
	char signature[14];
	uint8_t length;
	uint8_t checksum;
	uint64_t tables;
	uint32_t tables_nr;
	uint64_t e820;
	uint32_t e820_nr;
} __packed;
STATIC_ASSERT(sizeof(struct xen_ovmf_info) == 40, "OVMF info is 40 bytes");

/*
 * Build the SeaBIOS table at buf (seen by the guest at gpa), followed by the
 * non-zero entries of tables[] and the e820. Returns bytes used, 0 if cap is
 * too small.
 */
size_t xen_seabios_info_build(void *buf, uint32_t gpa, size_t cap, const uint32_t *tables,
			      unsigned ntables, const struct e820_map *m);
size_t xen_ovmf_info_build(void *buf, uint32_t gpa, size_t cap, const struct e820_map *m);

/* Byte sum, for the checksum fields and the tests. */
uint8_t xen_byte_sum(const void *p, size_t n);

/* CMOS memory-size bytes for low RAM ending at low_end (bytes). */
struct xen_cmos_byte {
	uint8_t reg, val;
};
#define XEN_CMOS_MEM_BYTES 8
void xen_cmos_memory(uint32_t low_end, struct xen_cmos_byte out[XEN_CMOS_MEM_BYTES]);

#endif
