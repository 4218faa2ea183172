/* SPDX-License-Identifier: MIT */
/*
 * Xen HVM (started by the toolstack in place of hvmloader): find Xen, read
 * what the toolstack left (start info, hvm_info_table, HVM params, xenstore),
 * and offer it through struct platform.
 */
#include <hvmfw/xen/xen.h>
#include <hvmfw/xen/memmap.h>
#include <hvmfw/xen/params.h>
#include <hvmfw/xen/state.h>
#include <hvmfw/console.h>
#include <hvmfw/cpu_table.h>
#include <hvmfw/entry.h>
#include <hvmfw/io.h>
#include <hvmfw/layout.h>
#include <hvmfw/legacy_tables.h>
#include <hvmfw/string.h>

struct xen_state xen;

/* Everything below 4 GiB is identity-mapped (paging is off); address 0 is never valid. */
static const void *map_identity(uint64_t gpa, uint64_t len, void *ctx)
{
	if (!gpa || gpa >= GiB(4) || len > GiB(4) - gpa)
		return NULL;
	return (const void *)(uintptr_t)gpa;
}

static void refuse(const char *what, const char *why)
{
	log_warn("xen: refused %s: %s", what, why);
}

static void key_used(const char *key, const char *value)
{
	log_info("xen: %s = \"%s\"", key, value);
}

static int key_get(void *ctx, const char *key, char *buf, size_t cap)
{
	int rc = xen_store_read(key, buf, cap);

	if (rc == -XEN_E2BIG)
		return (int)cap;        /* the parser refuses over-long values by length */
	if (rc < 0 && rc != -XEN_ENOENT && rc != -XEN_ENOSYS)
		log_warn("xen: reading %s failed (%s); using the default", key, xs_error_name(rc));
	return rc;
}

static void read_version(void)
{
	char extra[17] = { 0 };

	xen_hc2(XEN_HC_XEN_VERSION, XENVER_EXTRAVERSION, extra);
	extra[16] = '\0';
	log_info("xen: Xen %u.%u%s (CPUID leaves at 0x%x)", xen.ver.major, xen.ver.minor, extra,
		 xen.ver.cpuid_base);
}

static void read_start_info(uint32_t si)
{
	const char *why = "";

	if (xen_start_info_parse(si, map_identity, NULL, &xen.boot, refuse, &why))
		panic("xen: start info at 0x%x unusable: %s", si, why);
	for (int id = 0; id < XEN_MOD_COUNT; id++)
		if (xen.boot.mod[id].size)
			log_info("xen: module \"%s\" at 0x%x, %u bytes", xen_module_name(id),
				 xen.boot.mod[id].addr, xen.boot.mod[id].size);
	/* Firmware data is placed from the top of low RAM down to 16 MiB at the lowest. */
	if (xen.boot.region_hi > MiB(16))
		log_warn("xen: start info and modules reach 0x%x, above 16 MiB: firmware "
			 "allocations could overwrite them", xen.boot.region_hi);
}

static void read_hvm_info(void)
{
	struct hvm_info_table *t = (struct hvm_info_table *)HVM_INFO_GPA;
	const char *why = "";

	if (xen_hvm_info_check(t, 0xA0000 - HVM_INFO_GPA, &why))
		panic("xen: hvm_info_table at 0x%x is invalid: %s", HVM_INFO_GPA, why);
	xen.hvm_info = t;
	log_info("xen: hvm_info: %u vCPUs, apic_mode %u, low RAM to 0x%x, high RAM to 0x%llx, "
		 "special pages from 0x%x", t->nr_vcpus, t->apic_mode, t->low_mem_pgend << 12,
		 (unsigned long long)t->high_mem_pgend << 12, t->reserved_mem_pgstart << 12);
}

static void read_params(void)
{
	uint64_t pfn = 0, port = 0;

	if (!xen_param_get(HVM_PARAM_CONSOLE_PFN, &pfn) &&
	    !xen_param_get(HVM_PARAM_CONSOLE_EVTCHN, &port))
		log_info("xen: PV console ring at 0x%llx, event channel %llu (left to the OS)",
			 (unsigned long long)(pfn << 12), (unsigned long long)port);
}

static uint64_t read_kib(const char *key)
{
	char v[24];
	uint64_t n;

	if (xen_store_read(key, v, sizeof(v)) <= 0 || xen_parse_num(v, &n))
		return 0;
	return n;
}

static void note_populate_on_demand(void)
{
	/* libxl's memory/target leaves out video RAM; static-max includes it. */
	uint64_t t = read_kib("memory/target"), m = read_kib("memory/static-max");
	uint64_t vram = read_kib("memory/videoram");

	if (t && m && t + vram < m)
		log_info("xen: populate-on-demand guest (target %llu KiB + %llu KiB video of %llu "
			 "KiB): hvmfw touches only the RAM it uses", (unsigned long long)t,
			 (unsigned long long)vram, (unsigned long long)m);
}

static void acpi_ports(void)
{
	/* Xen's PM timer and PM1a status move to 0xB000/0xB008, where our FADT and the
	 * PIIX4/ICH9 PM block are; done early so that every PM timer read is Xen's. */
	int rc = xen_param_set(HVM_PARAM_ACPI_IOPORTS_LOCATION, 1);

	if (rc)
		log_warn("xen: HVM_PARAM_ACPI_IOPORTS_LOCATION = 1 failed (%d): Xen's PM timer "
			 "stays at 0x1F48", rc);
	else
		log_info("xen: ACPI PM ports moved to 0xB000 (HVM_PARAM_ACPI_IOPORTS_LOCATION = 1)");
}

const struct platform *xen_platform_init(uint32_t si)
{
	const struct hvm_start_info *s = (const struct hvm_start_info *)(uintptr_t)si;

	/* From here on a fatal error should end the domain through Xen. */
	platform = &platform_xen;
	if (s->version > 1)
		log_warn("xen: start info version %u; reading it as version 1", s->version);
	if (!xen_hypercall_init(&xen.ver))
		panic("xen: started with Xen's start info at 0x%x but CPUID shows no Xen "
		      "hypervisor leaves", si);
	read_version();
	log_info("xen: start info at 0x%x, version %u", si, s->version);
	read_start_info(si);
	read_hvm_info();
	read_params();
	xen_platform_info_defaults(&xen.pi);
	if (xen_store_init()) {
		xen_platform_info_read(&xen.pi, key_get, NULL, key_used, refuse);
		note_populate_on_demand();
	}
	log_info("xen: payload %s, ACPI %s, memory relocation %s",
		 xen.pi.bios == XEN_BIOS_OVMF ? "OVMF" : "SeaBIOS", xen.pi.acpi ? "on" : "off",
		 xen.pi.allow_memory_relocate ? "allowed" : "forbidden");
	if (xen.pi.acpi)
		acpi_ports();
	return &platform_xen;
}

const struct xen_platform_info *xen_platform_info(void)
{
	return &xen.pi;
}

uint32_t xen_generation_id_install(void)
{
	const uint64_t *id = xen.pi.generation_id;
	uint64_t *buf;
	int rc;

	if (!id[0] && !id[1])
		return 0;
	buf = layout_alloc_high(4096, 4096, E820_RESERVED);
	buf[0] = id[0];
	buf[1] = id[1];
	rc = xen_param_set(HVM_PARAM_VM_GENERATION_ID_ADDR, (uint32_t)(uintptr_t)buf);
	if (rc)
		log_warn("xen: HVM_PARAM_VM_GENERATION_ID_ADDR failed (%d): the ID will not change "
			 "on restore", rc);
	log_info("xen: VM generation ID at 0x%x", (uint32_t)(uintptr_t)buf);
	return (uint32_t)(uintptr_t)buf;
}

/*
 * PM1a_CNT.SLP_TYP values the Xen device models act on (PIIX4 and ICH9
 * alike): 1 suspends to RAM, 0 powers off, which is also what S4 does once
 * the guest has saved its image.
 */
#define XEN_SLP_TYP_S3 1
#define XEN_SLP_TYP_S4 0

/*
 * What the toolstack asked for on top of the machine: the VM generation ID
 * device, S3 and S4 (platform/acpi_s3, acpi_s4; after S3 Xen restarts the
 * guest at the reset vector, where SeaBIOS or OVMF wake it), and the tables
 * of hvmloader/acpi, left where the toolstack loaded them in RAM.
 */
static void xen_acpi_extras(struct acpi_config *cfg)
{
	const struct xen_passthrough *pt = &xen.pi.acpi_pt;

	cfg->vmgenid_addr = xen_generation_id_install();
	cfg->s3 = (struct acpi_sleep_state){ xen.pi.acpi_s3, XEN_SLP_TYP_S3 };
	cfg->s4 = (struct acpi_sleep_state){ xen.pi.acpi_s4, XEN_SLP_TYP_S4 };
	if (!pt->len)
		return;
	if (!e820_covers(&layout_orig, pt->addr, pt->len, E820_RAM)) {
		log_warn("xen: hvmloader/acpi tables at 0x%x+0x%x are not in RAM; none added",
			 pt->addr, pt->len);
		return;
	}
	cfg->extra = (const uint8_t *)(uintptr_t)pt->addr;
	cfg->extra_len = pt->len;
}

void xen_set_bios_tables(uint32_t smbios_ep, uint32_t mp_fp, uint32_t pir)
{
	xen.bios_tables[0] = smbios_ep;
	xen.bios_tables[1] = mp_fp;
	xen.bios_tables[2] = pir;
}

static int xen_memory_map(struct e820_map *map)
{
	return xen_memory_map_fetch(map);
}

/*
 * Tables live above RAM in Xen's reserved range, as hvmloader keeps them:
 * qemu-xen's direct kernel boot and SeaBIOS both use the top of low RAM.
 */
static void xen_memory_ready(void)
{
	/* The memory map already reserves [XEN_RESERVED_BASE, 4 GiB). */
	layout_set_runtime_area(XEN_RESERVED_BASE, XEN_RUNTIME_AREA_SIZE, xen_back_pages);
	if (xen.pi.bios == XEN_BIOS_OVMF)
		xen_ovmf_place();
	xen_vm86_tss_install();
}

/* xl's mmio_hole: hvmloader starts the hole exactly there; hvmfw never goes lower. */
static uint64_t xen_hole_floor(void)
{
	uint64_t size = xen.pi.mmio_hole_size;

	if (!size || size >= GiB(4))
		return 0;
	log_info("xen: mmio_hole %llu MiB: the MMIO hole starts at 0x%llx or higher",
		 (unsigned long long)(size >> 20), (unsigned long long)(GiB(4) - size));
	return GiB(4) - size;
}

static bool xen_ram_relocatable(void)
{
	return xen.pi.allow_memory_relocate;
}

/* Runs inside pci_setup, before the layout holds any reservation of ours. */
static int xen_relocate_ram(uint64_t bytes)
{
	struct e820_map m = layout_orig;
	int rc = xen_relocate_low_ram((uint32_t)(ALIGN_UP(bytes, 4096) >> 12), &m);

	if (!rc)
		layout_init(&m);
	return rc;
}

static void xen_ecam_ready(uint64_t base, uint64_t size, uint8_t end_bus)
{
	xen_register_ecam(base, size, 0, end_bus);
}

/* maxvcpus= is nr_vcpus; vcpus= (and the avail bitmap) is vcpu_online. */
static void xen_cpus(struct cpu_platform *p)
{
	const struct hvm_info_table *t = xen.hvm_info;

	if (!t)
		return;
	p->max = MIN(t->nr_vcpus, (uint32_t)HVM_INFO_MAX_VCPUS);
	p->xen_ids = true;
	memcpy(p->online, t->vcpu_online, MIN(sizeof(p->online), sizeof(t->vcpu_online)));
	p->boot = 0;
	for (unsigned i = 0; i < p->max; i++)
		p->boot += i == 0 || cpu_bit(p->online, i);
}

/* hvmfw's own keys live in hvmfw/<key> under the domain's home (relative path). */
static int xen_config_get(const char *key, char *buf, size_t len)
{
	char path[64];
	int rc;

	if (snprintf(path, sizeof(path), "hvmfw/%s", key) >= (int)sizeof(path))
		return -1;
	rc = xen_store_read(path, buf, len);
	if (rc == -XEN_E2BIG)
		return (int)len;        /* config_load refuses it as too long */
	return rc < 0 ? -1 : rc;
}

static __noreturn void xen_stop(void)
{
	struct xen_sched_shutdown s = { .reason = XEN_SHUTDOWN_CRASH };

	if (xen_hypercall_ready()) {
		log_err("xen: SCHEDOP_shutdown(crash)");
		xen_hc2(XEN_HC_SCHED_OP, SCHEDOP_SHUTDOWN, &s);
	}
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* hvmloader's reserved area: special/ioreq pages, APICs, HPET, TPM, shared_info, OVMF's copy. */
static const struct plan_range xen_mmio_reserved[] = {
	{ XEN_RESERVED_BASE, GiB(4) - XEN_RESERVED_BASE, "Xen reserved area" },
};

const struct platform platform_xen = {
	.name = "Xen HVM",
	.memory_map = xen_memory_map,
	.memory_ready = xen_memory_ready,
	.cpus = xen_cpus,
	.config_get = xen_config_get,
	.boot = xen_boot,
	.stop = xen_stop,
	.shadow_legacy = false,
	.mmio_reserved = xen_mmio_reserved,
	.nmmio_reserved = ARRAY_SIZE(xen_mmio_reserved),
	.smbios = &smbios_source_xen,
	.bios_tables = xen_set_bios_tables,
	.acpi_extras = xen_acpi_extras,
	.ecam_ready = xen_ecam_ready,
	.ram_relocatable = xen_ram_relocatable,
	.hole_floor = xen_hole_floor,
	.relocate_ram = xen_relocate_ram,
};
