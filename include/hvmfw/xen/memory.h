/* SPDX-License-Identifier: MIT */
/* memory_op sub-ops and their compat-ABI argument layouts. */
#ifndef HVMFW_XEN_MEMORY_H
#define HVMFW_XEN_MEMORY_H

#include <hvmfw/compiler.h>

#define XENMEM_POPULATE_PHYSMAP 6
#define XENMEM_ADD_TO_PHYSMAP 7
#define XENMEM_MEMORY_MAP 9

#define XENMAPSPACE_SHARED_INFO 0
#define XENMAPSPACE_GMFN 2
#define XENMAPSPACE_GMFN_RANGE 3

/* A gmfn_range call moves at most this many pages (its size field is 16 bits). */
#define XEN_GMFN_RANGE_MAX 0xFFFF

struct xen_memory_reservation {
	uint32_t extent_start;  /* GPA of a u32 gpfn array */
	uint32_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;
	uint16_t domid;
	uint16_t pad;
};
STATIC_ASSERT(sizeof(struct xen_memory_reservation) == 20, "compat reservation is 20 bytes");

struct xen_add_to_physmap {
	uint16_t domid;
	uint16_t size;          /* pages, gmfn_range only */
	uint32_t space;
	uint32_t idx;
	uint32_t gpfn;
};
STATIC_ASSERT(sizeof(struct xen_add_to_physmap) == 16, "compat add_to_physmap is 16 bytes");

struct xen_memory_map {
	uint32_t nr_entries;    /* in: capacity, out: count */
	uint32_t buffer;        /* GPA of xen_e820_entry[] */
};

/* The map Xen returns: e820 layout, 20 bytes each. */
struct xen_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __packed;
STATIC_ASSERT(sizeof(struct xen_e820_entry) == 20, "xen e820 entries are 20 bytes");

#endif
