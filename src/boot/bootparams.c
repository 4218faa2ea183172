/* SPDX-License-Identifier: MIT */
/*
 * Zero page for the 32-bit boot protocol. Offsets follow the Linux
 * boot protocol document (Documentation/arch/x86/boot.rst).
 */
#include <hvmfw/linux.h>
#include <hvmfw/string.h>

#define HDR_START 0x1F1
#define HDR_SETUP_SECTS 0x1F1
#define HDR_BOOT_FLAG 0x1FE
#define HDR_MAGIC 0x202
#define HDR_VERSION 0x206
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_LOADFLAGS 0x211
#define HDR_CODE32_START 0x214
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21C
#define HDR_CMD_LINE_PTR 0x228
#define HDR_INITRD_ADDR_MAX 0x22C
#define HDR_KERNEL_ALIGNMENT 0x230
#define HDR_RELOCATABLE 0x234
#define HDR_XLOADFLAGS 0x236
#define HDR_CMDLINE_SIZE 0x238
#define HDR_PREF_ADDRESS 0x258
#define HDR_INIT_SIZE 0x260

#define ZP_ACPI_RSDP 0x070
#define ZP_E820_ENTRIES 0x1E8
#define ZP_SENTINEL 0x1EF
#define ZP_E820_TABLE 0x2D0

#define LOADED_HIGH 0x01
#define CAN_USE_HEAP 0x80

static uint16_t rd16(const uint8_t *p) { return p[0] | p[1] << 8; }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static void wr32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

int linux_parse_header(const uint8_t *s, uint32_t len, struct linux_header *h, char *why, size_t n)
{
	if (len < 0x270 || rd32(s + HDR_MAGIC) != 0x53726448 || rd16(s + HDR_BOOT_FLAG) != 0xAA55) {
		snprintf(why, n, "not a bzImage (no HdrS signature in the setup header)");
		return -1;
	}
	h->version = rd16(s + HDR_VERSION);
	h->setup_sects = s[HDR_SETUP_SECTS] ? s[HDR_SETUP_SECTS] : 4;
	h->loadflags = s[HDR_LOADFLAGS];
	if (h->version < 0x20A || !(h->loadflags & LOADED_HIGH)) {
		snprintf(why, n, "boot protocol %x.%02x is too old (hvmfw needs 2.10 or later)",
			 h->version >> 8, h->version & 0xFF);
		return -1;
	}
	h->relocatable = s[HDR_RELOCATABLE];
	h->xloadflags = rd16(s + HDR_XLOADFLAGS);
	h->kernel_alignment = rd32(s + HDR_KERNEL_ALIGNMENT);
	h->initrd_addr_max = rd32(s + HDR_INITRD_ADDR_MAX);
	h->cmdline_size = rd32(s + HDR_CMDLINE_SIZE);
	h->pref_address = rd32(s + HDR_PREF_ADDRESS) | (uint64_t)rd32(s + HDR_PREF_ADDRESS + 4) << 32;
	h->init_size = rd32(s + HDR_INIT_SIZE);
	if (!h->relocatable) {
		snprintf(why, n, "kernel is not relocatable (hvmfw occupies 1 MiB, its fixed load address)");
		return -1;
	}
	if (h->kernel_alignment & (h->kernel_alignment - 1)) {
		snprintf(why, n, "kernel_alignment 0x%x is not a power of two", h->kernel_alignment);
		return -1;
	}
	return 0;
}

int linux_build_zero_page(uint8_t *zp, const uint8_t *s, uint32_t len,
			  const struct linux_params *p, char *why, size_t n)
{
	struct linux_header h;
	uint32_t hdr_end;

	if (linux_parse_header(s, len, &h, why, n))
		return -1;
	if (p->e820->n > E820_MAX) {
		snprintf(why, n, "e820 has %u entries, the zero page holds %u", p->e820->n, E820_MAX);
		return -1;
	}
	/* Copy the header only from 0x1F1: the sentinel at 0x1EF must stay 0. */
	hdr_end = 0x202 + s[0x201];
	memset(zp, 0, LINUX_ZERO_PAGE_SIZE);
	memcpy(zp + HDR_START, s + HDR_START, MIN(hdr_end, len) - HDR_START);
	zp[HDR_TYPE_OF_LOADER] = 0xFF;
	zp[HDR_LOADFLAGS] = h.loadflags & ~CAN_USE_HEAP;
	wr32(zp + HDR_CODE32_START, p->kernel_addr);
	wr32(zp + HDR_CMD_LINE_PTR, p->cmdline_addr);
	wr32(zp + HDR_RAMDISK_IMAGE, p->initrd_addr);
	wr32(zp + HDR_RAMDISK_SIZE, p->initrd_size);
	wr32(zp + ZP_ACPI_RSDP, p->rsdp_addr);
	zp[ZP_SENTINEL] = 0;
	zp[ZP_E820_ENTRIES] = (uint8_t)p->e820->n;
	memcpy(zp + ZP_E820_TABLE, p->e820->e, p->e820->n * sizeof(struct e820_entry));
	return 0;
}
