/* SPDX-License-Identifier: MIT */
/*
 * hvm_start_info: what the toolstack hands the firmware in EBX (module list,
 * memory map), and a pure parser for it. Layouts are natural-aligned.
 */
#ifndef HVMFW_XEN_START_INFO_H
#define HVMFW_XEN_START_INFO_H

#include <hvmfw/compiler.h>

#define XEN_START_MAGIC 0x336ec578

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	/* version >= 1 only */
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};
STATIC_ASSERT(sizeof(struct hvm_start_info) == 56, "start info v1 is 56 bytes");
#define HVM_START_INFO_V0_LEN 40

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};
STATIC_ASSERT(sizeof(struct hvm_modlist_entry) == 32, "modlist entries are 32 bytes");

struct hvm_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};
STATIC_ASSERT(sizeof(struct hvm_memmap_entry) == 24, "memmap entries are 24 bytes");

/* Modules hvmfw knows, by the name string the toolstack gives them. */
enum xen_module_id { XEN_MOD_FIRMWARE, XEN_MOD_IPXE, XEN_MOD_COUNT };
#define XEN_MODULE_NAME_MAX 1024
/* More list entries than this are refused unread (the toolstack makes at most 2). */
#define XEN_MODULES_MAX 16

struct xen_module {
	uint32_t addr, size;    /* size 0: absent */
};

struct xen_boot_info {
	uint32_t version;
	struct xen_module mod[XEN_MOD_COUNT];
	uint32_t memmap_addr;   /* GPA of hvm_memmap_entry[], 0: none */
	uint32_t memmap_entries;
	/* Lowest and highest+1 GPA of everything the start info points at. */
	uint32_t region_lo, region_hi;
};

/* Translate a guest address range to a pointer, or NULL if it is not readable. */
typedef const void *(*xen_map_fn)(uint64_t gpa, uint64_t len, void *ctx);
/* One refused item: what it is and why (the caller logs a line). */
typedef void (*xen_refuse_fn)(const char *what, const char *why);

const char *xen_module_name(enum xen_module_id id);

/*
 * Parse the start info at si_gpa. Bad modules are refused one by one and
 * skipped; returns 0, or -1 when the structure itself is unusable (bad magic,
 * unreadable), with *why set.
 */
int xen_start_info_parse(uint64_t si_gpa, xen_map_fn map, void *ctx, struct xen_boot_info *out,
			 xen_refuse_fn refuse, const char **why);

#endif
