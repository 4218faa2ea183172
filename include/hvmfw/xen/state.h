/* SPDX-License-Identifier: MIT */
/* Shared between the Xen platform's own files only. */
#ifndef HVMFW_XEN_STATE_H
#define HVMFW_XEN_STATE_H

#include <hvmfw/boot.h>
#include <hvmfw/xen/hvm_info.h>
#include <hvmfw/xen/hypercall.h>
#include <hvmfw/xen/platform_info.h>
#include <hvmfw/xen/start_info.h>
#include <hvmfw/xen/xenstore.h>

/* GPA the real-mode hand-off code is copied to (below 64 KiB, clear of 0x1000 and 0x8000). */
#define XEN_REALMODE_GPA 0x2000u

struct xen_state {
	struct xen_version ver;
	struct xen_boot_info boot;
	struct hvm_info_table *hvm_info;
	struct xen_platform_info pi;
	uint32_t bios_tables[3];        /* SMBIOS entry point, MP floating pointer, $PIR */
};
extern struct xen_state xen;

/* xen_store.c */
bool xen_store_init(void);
int xen_store_read(const char *path, char *buf, size_t cap);
void xen_store_shutdown(void);

/* xen_memory.c */
int xen_memory_map_fetch(struct e820_map *out);
/* Back [pfn, pfn+n) with RAM: populate, then take pages from below the firmware's
 * allocations if Xen has no more to give. 0 or a negative Xen errno. */
int xen_back_pages(uint32_t pfn, uint32_t n);
/* Back and fill OVMF's pages below 4 GiB (bios = OVMF; call before other allocations). */
void xen_ovmf_place(void);
/* Allocate the vm86 TSS and tell Xen (HVM_PARAM_VM86_TSS_SIZED). */
void xen_vm86_tss_install(void);

/* xen_boot.c */
__noreturn void xen_boot(struct boot_state *bs);

/* xen_realmode.asm: copy the real-mode stub to XEN_REALMODE_GPA, drop to real mode,
 * jump to F000:FFF0. */
__noreturn void xen_realmode_reset(void);

#endif
