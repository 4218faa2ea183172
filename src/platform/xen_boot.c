/* SPDX-License-Identifier: MIT */
/*
 * Hand-off to the BIOS from the "firmware" module: SeaBIOS ending at 1 MiB,
 * or OVMF at the top of 4 GiB with its last 64 KiB at 0xF0000; the info table
 * at 0x1000; and what hvmloader leaves behind for them (SCI on, vm86 TSS,
 * CMOS memory bytes, a clean xenstore ring). Ends in real mode at F000:FFF0.
 */
#include <hvmfw/xen/xen.h>
#include <hvmfw/xen/bios_info.h>
#include <hvmfw/xen/memmap.h>
#include <hvmfw/xen/params.h>
#include <hvmfw/xen/state.h>
#include <hvmfw/acpi.h>
#include <hvmfw/chipset.h>
#include <hvmfw/console.h>
#include <hvmfw/io.h>
#include <hvmfw/layout.h>
#include <hvmfw/string.h>

#define SEABIOS_MAX KiB(256)
#define OVMF_LOW_COPY 0xF0000u
#define OVMF_RSDP_GPA 0xEA020u
#define APM_CNT 0xB2
#define VM86_TSS_SIZE 384u      /* TSS 104 + redirection map 32 + ISA I/O bitmap, rounded */

static void acpi_sci_check(const struct chipset *cs)
{
	if (!xen.pi.acpi)
		return;
	if (!(inw(PM1A_CNT) & PM1_SCI_EN)) {
		/* The APM "enable ACPI" command both device models understand. */
		outb(APM_CNT, cs->acpi_kind == ACPI_CHIPSET_Q35 ? 0x02 : 0xF1);
		if (!(inw(PM1A_CNT) & PM1_SCI_EN)) {
			log_err("xen: SCI_EN still clear in PM1a_CNT (0x%x): the OS will get no "
				"ACPI events", PM1A_CNT);
			return;
		}
	}
	log_info("xen: ACPI mode on (SCI_EN set)");
}

/* Early, with the other allocations: its page must be in the e820 that is printed. */
void xen_vm86_tss_install(void)
{
	/* Xen runs real-mode code through vm86 on VT-x without unrestricted guest. */
	uint32_t tss = (uint32_t)(uintptr_t)layout_alloc_high(4096, 4096, E820_RESERVED);
	int rc = xen_param_set(HVM_PARAM_VM86_TSS_SIZED, ((uint64_t)VM86_TSS_SIZE << 32) | tss);

	if (rc)
		log_warn("xen: HVM_PARAM_VM86_TSS_SIZED failed (%d): real mode may not run on VT-x "
			 "hosts without unrestricted guest", rc);
	else
		log_info("xen: vm86 TSS at 0x%x (%u bytes)", tss, VM86_TSS_SIZE);
}

static void cmos_memory(void)
{
	struct xen_cmos_byte b[XEN_CMOS_MEM_BYTES];
	uint32_t low_end = xen.hvm_info->low_mem_pgend << 12;

	xen_cmos_memory(low_end, b);
	for (unsigned i = 0; i < XEN_CMOS_MEM_BYTES; i++) {
		outb(0x70, b[i].reg);
		outb(0x71, b[i].val);
	}
	log_info("xen: CMOS memory bytes written for low RAM ending at 0x%x", low_end);
}

static const struct xen_module *firmware_module(const char *what, uint32_t max)
{
	const struct xen_module *m = &xen.boot.mod[XEN_MOD_FIRMWARE];

	if (!m->size)
		panic("xen: no \"firmware\" module: the toolstack loaded no %s image", what);
	if (m->size > max)
		panic("xen: \"firmware\" module is %u bytes, more than %u for %s", m->size, max, what);
	return m;
}

static void info_table_log(const char *sig, size_t used)
{
	if (!used)
		panic("xen: %s info table and e820 do not fit in 0x%x bytes at 0x%x", sig,
		      XEN_BIOS_INFO_ROOM, XEN_BIOS_INFO_GPA);
	log_info("xen: %s table at 0x%x, %u bytes, %u e820 entries", sig, XEN_BIOS_INFO_GPA,
		 (unsigned)used, layout_map.n);
}

static void load_seabios(const struct boot_state *bs)
{
	static const char *const names[] = { "SMBIOS entry point", "MP table", "$PIR table" };
	const struct xen_module *m = firmware_module("SeaBIOS", SEABIOS_MAX);
	uint32_t dst = 0x100000 - m->size, tables[4];
	size_t used;

	memmove((void *)(uintptr_t)dst, (const void *)(uintptr_t)m->addr, m->size);
	log_info("xen: SeaBIOS (%u bytes) copied to 0x%x-0xfffff", m->size, dst);
	for (unsigned i = 0; i < 3; i++) {
		tables[i] = xen.bios_tables[i];
		if (!tables[i])
			log_info("xen: no %s made yet; SeaBIOS gets none", names[i]);
	}
	tables[3] = xen.pi.acpi ? bs->rsdp : 0;
	if (!tables[3])
		log_info("xen: no RSDP passed to SeaBIOS (%s)", xen.pi.acpi ? "none built" :
			 "platform/acpi is 0");
	used = xen_seabios_info_build((void *)(uintptr_t)XEN_BIOS_INFO_GPA, XEN_BIOS_INFO_GPA,
				      XEN_BIOS_INFO_ROOM, tables, 4, bs->e820);
	info_table_log(XEN_SEABIOS_SIG, used);
}

/*
 * Early, before the firmware's own allocations: OVMF's 2 MiB take most of the
 * pages Xen lets a domain add, and pages taken from low RAM instead must be
 * out of low RAM before the CMOS bytes and the e820 are made.
 */
void xen_ovmf_place(void)
{
	const struct xen_module *m = firmware_module("OVMF", MiB(16));
	uint32_t span = (uint32_t)ALIGN_UP((uint64_t)m->size, MiB(1));
	uint32_t dst = (uint32_t)(GiB(4) - span);
	int rc;

	if (m->size < KiB(64))
		panic("xen: OVMF image of %u bytes is smaller than its 64 KiB reset block", m->size);
	if (dst < ((uint64_t)XEN_SPECIAL_END_PFN << 12))
		panic("xen: OVMF image of %u bytes would cover Xen's special pages", m->size);
	rc = xen_back_pages(dst >> 12, (uint32_t)(ALIGN_UP((uint64_t)m->size, 4096) >> 12));
	if (rc)
		panic("xen: no RAM for the OVMF image at 0x%x (%d)", dst, rc);
	memcpy((void *)(uintptr_t)dst, (const void *)(uintptr_t)m->addr, m->size);
	/* The reset vector runs from the copy of the last 64 KiB below 1 MiB. */
	memcpy((void *)OVMF_LOW_COPY, (const void *)(uintptr_t)(m->addr + m->size - KiB(64)),
	       KiB(64));
	log_info("xen: OVMF (%u bytes) copied to 0x%x, last 64 KiB to 0x%x", m->size, dst,
		 OVMF_LOW_COPY);
}

static void load_ovmf(const struct boot_state *bs)
{
	if (xen.pi.acpi && bs->rsdp) {
		/* OVMF looks for the RSDP from 0xEA020 upward. */
		memcpy((void *)OVMF_RSDP_GPA, (const void *)(uintptr_t)bs->rsdp, 36);
		log_info("xen: RSDP copied to 0x%x for OVMF", OVMF_RSDP_GPA);
	}
	info_table_log(XEN_OVMF_SIG, xen_ovmf_info_build((void *)(uintptr_t)XEN_BIOS_INFO_GPA,
							 XEN_BIOS_INFO_GPA, XEN_BIOS_INFO_ROOM,
							 bs->e820));
}

void xen_boot(struct boot_state *bs)
{
	acpi_sci_check(bs->chipset);
	cmos_memory();
	/* Layout changes above must be in the e820 before it is copied for the BIOS. */
	if (xen.pi.bios == XEN_BIOS_OVMF)
		load_ovmf(bs);
	else
		load_seabios(bs);
	xen_store_shutdown();
	log_info("xen: entering %s at F000:FFF0 in real mode",
		 xen.pi.bios == XEN_BIOS_OVMF ? "OVMF" : "SeaBIOS");
	xen_realmode_reset();
}
