/* SPDX-License-Identifier: MIT */
/* The Xen HVM platform: what the rest of hvmfw may ask of it. */
#ifndef HVMFW_XEN_XEN_H
#define HVMFW_XEN_XEN_H

#include <hvmfw/platform.h>
#include <hvmfw/xen/platform_info.h>

extern const struct platform platform_xen;

/*
 * Called by platform_detect when EBX points at a start info with Xen's magic:
 * checks the version, finds Xen, installs the hypercall page, reads the
 * start info, hvm_info_table, HVM params and xenstore keys. Never returns NULL:
 * a Xen start that cannot go on ends the domain.
 */
const struct platform *xen_platform_init(uint32_t start_info);

/* Toolstack settings (after xen_platform_init). */
const struct xen_platform_info *xen_platform_info(void);

/*
 * Move the top npages of low RAM above the end of high RAM with
 * XENMEM_add_to_physmap(gmfn_range), when hvmloader/allow-memory-relocate
 * permits. Updates hvm_info and map (call before layout_init, or call
 * layout_init(map) again after). 0, or a negative Xen errno (-XEN_EPERM when
 * the toolstack forbids relocation).
 */
int xen_relocate_low_ram(uint32_t npages, struct e820_map *map);

/*
 * Tell Xen where the ECAM window is (HVMOP_set_ecam_space, Q35 series v1).
 * Returns 0 if Xen took it, 1 if this Xen learns ECAM from the chipset
 * (-ENOSYS, or a Xen where op 16 means something else), or a negative errno.
 */
int xen_register_ecam(uint64_t base, uint64_t size, uint8_t start_bus, uint8_t end_bus);

/*
 * If platform/generation-id is non-zero: put the 16-byte ID in reserved memory,
 * tell Xen (HVM_PARAM_VM_GENERATION_ID_ADDR, so libxl can rewrite it on restore)
 * and return its GPA for the SSDT's VGID device; 0 when there is no ID.
 * Call once, before the ACPI tables are built.
 */
uint32_t xen_generation_id_install(void);

/* Tables made by other code for SeaBIOS's list (0: not made). */
void xen_set_bios_tables(uint32_t smbios_ep, uint32_t mp_fp, uint32_t pir);

#endif
