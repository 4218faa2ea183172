/* SPDX-License-Identifier: MIT */
/* From Xen's view of guest memory to the e820 hvmfw starts from. Pure code. */
#ifndef HVMFW_XEN_MEMMAP_H
#define HVMFW_XEN_MEMMAP_H

#include <hvmfw/e820.h>
#include <hvmfw/xen/memory.h>
#include <hvmfw/xen/start_info.h>

/*
 * Everything from here to 4 GiB is reserved, as hvmloader's map does: special
 * and ioreq-server pages, LAPIC/IOAPIC/HPET/TPM, GUEST_RESERVED, the shared
 * info page hvmfw maps and OVMF's high copy. PCI BARs go below it.
 */
#define XEN_RESERVED_BASE 0xFC000000u
/* Runtime tables (ACPI, SMBIOS, MP, TSS) go to the bottom of that range. */
#define XEN_RUNTIME_AREA_SIZE 0x01000000u
#define XEN_SPECIAL_END_PFN 0xFF000u
/* hvmfw maps the shared_info frame here (inside the reserved range, never RAM). */
#define XEN_SHARED_INFO_GPA 0xFDFFF000u

/* Start-info memory-map entries (24 bytes) to XENMEM-style entries (20 bytes). */
void xen_memmap_from_start_info(const struct hvm_memmap_entry *in, unsigned n,
				struct xen_e820_entry *out);

/*
 * Build the platform RAM map: Xen's entries (unsorted, possibly overlapping:
 * non-RAM wins over RAM), plus the 640 KiB Xen populates but does not list,
 * plus the reserved range above (from reserved_pgstart if that is lower).
 * Entries with an unknown type or zero size are refused. Returns 0 or -1 (full).
 */
int xen_memmap_build(struct e820_map *out, const struct xen_e820_entry *in, unsigned n,
		     uint32_t reserved_pgstart, void (*refuse)(const char *what, const char *why));

/*
 * Move [lo_pfn, lo_end) of RAM to start at hi_pfn in the map (what a gmfn_range
 * relocation does to the p2m). -1 if the source is not all RAM or the map is full.
 */
int xen_memmap_move(struct e820_map *m, uint64_t lo_pfn, uint64_t lo_end, uint64_t hi_pfn);

#endif
