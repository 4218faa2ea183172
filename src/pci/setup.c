/* SPDX-License-Identifier: MIT */
/*
 * Firmware glue of the enumerator: binds the pure phases to the real config
 * space and console, builds the planner's platform input, programs the Q35
 * ECAM and memory-controller registers and reserves ECAM in the e820.
 */
#include <hvmfw/pci.h>
#include <hvmfw/pci_topo.h>
#include <hvmfw/pci_cfg.h>
#include <hvmfw/console.h>
#include <hvmfw/layout.h>
#include <hvmfw/io.h>
#include <hvmfw/ranges.h>
#include <hvmfw/string.h>
#include <hvmfw/scratch.h>

/* Platform reservations the table holds besides the e820's; more are merged, never dropped. */
#define MAX_RESERVED	64
#define ECAM_ALIGN	MiB(256)	/* QEMU before mid-2026 drops base bits 27:26 */

static struct pci_topo topo;
static struct plan_range ram_ranges[E820_MAX];
static struct plan_range mem_rsv[E820_MAX + MAX_RESERVED];
static char verify_msg[256];

/* Used when the caller knows no reservations: IOAPIC, HPET, LAPIC and the ROM up to 4 GiB. */
static const struct plan_range default_rsv[] = {
	{ 0xFEC00000, GiB(4) - 0xFEC00000, "IOAPIC..4G (default)" },
};

/* Fixed chipset I/O the planner must not hand out: Xen/QEMU hot-plug, GPE0, PM block. */
static const struct plan_range io_rsv[] = {
	{ 0xAE00, 0x300, "ACPI hot-plug, GPE0, PM" },
};

static uint32_t fw_read(void *ctx, uint16_t bdf, uint16_t off, unsigned width)
{
	return width == 1 ? pci_read8(bdf, off) : width == 2 ? pci_read16(bdf, off)
							    : pci_read32(bdf, off);
}

static void fw_write(void *ctx, uint16_t bdf, uint16_t off, unsigned width, uint32_t v)
{
	if (width == 1)
		pci_write8(bdf, off, (uint8_t)v);
	else if (width == 2)
		pci_write16(bdf, off, (uint16_t)v);
	else
		pci_write32(bdf, off, v);
}

static void fw_log(void *ctx, const char *line)
{
	log_info("%s", line);
}

static uint8_t phys_bits(void)
{
	uint32_t r[4];

	cpuid(0x80000000, 0, r);
	if (r[0] < 0x80000008)
		return 36;
	cpuid(0x80000008, 0, r);
	return (uint8_t)MIN(r[0] & 0xFF, 52u);
}

/*
 * RAM (and ACPI/NVS) ranges are the planner's RAM; e820-reserved ones are
 * reservations, and so is every platform reservation. None is ever dropped:
 * past the table's size the list is merged into covering ranges instead.
 */
static void platform_input(struct plan_input *in, const struct e820_map *ram,
			   const struct pci_platform *pp)
{
	const struct plan_range *reserved = pp->reserved;
	size_t nreserved = pp->nreserved, nr = 0, nm = 0, given = 0;
	bool merged = false;

	for (uint32_t i = 0; i < ram->n; i++) {
		const struct e820_entry *e = &ram->e[i];
		struct plan_range p = { e->addr, e->size, e820_type_name(e->type) };

		if (e->type != E820_RESERVED) {
			ram_ranges[nr++] = p;
			continue;
		}
		nm = ranges_add(mem_rsv, nm, ARRAY_SIZE(mem_rsv), &p, &merged);
		given++;
	}
	if (!reserved || !nreserved) {
		log_warn("pci: no platform MMIO reservations given; keeping 0xFEC00000-4G free");
		reserved = default_rsv;
		nreserved = ARRAY_SIZE(default_rsv);
	}
	for (size_t i = 0; i < nreserved; i++)
		nm = ranges_add(mem_rsv, nm, ARRAY_SIZE(mem_rsv), &reserved[i], &merged);
	given += nreserved;
	if (merged)
		log_warn("pci: %u reserved ranges (e820 and platform) exceed the %u-entry table: "
			 "merged into %u covering ranges, nothing dropped (gaps between the closest "
			 "ones are reserved too)", (unsigned)given, (unsigned)ARRAY_SIZE(mem_rsv),
			 (unsigned)nm);
	memset(in, 0, sizeof(*in));
	in->ram = ram_ranges;
	in->nram = nr;
	in->mem_reserved = mem_rsv;
	in->nmem_reserved = nm;
	in->io_reserved = io_rsv;
	in->nio_reserved = ARRAY_SIZE(io_rsv);
	in->io_base = 0x1000;
	in->io_limit = 0x10000;
	in->phys_bits = phys_bits();
	in->m64_policy = PLAN_M64_FALLBACK_LOW;
	in->may_relocate_ram = pp->relocate_ram != NULL;
	in->hole_min = pp->hole_min;
}

/* Smallest PCIEXBAR length covering the buses, base always 256 MiB aligned. */
static uint64_t ecam_size_for(uint8_t last_bus)
{
	return last_bus < 64 ? MiB(64) : last_bus < 128 ? MiB(128) : MiB(256);
}

static bool ecam_enable(const struct chipset *cs, uint64_t base, uint64_t size)
{
	cs->ecam_set(base, size);
	pci_cfg_set_ecam((uint32_t)base, (uint8_t)((size >> 20) - 1));
	uint32_t id = pci_read32(PCI_BDF(0, 0, 0), 0);

	if (id == ((uint32_t)cs->device << 16 | cs->vendor))
		return true;
	log_err("pci: ECAM at 0x%llx reads 0x%08x at 00:00.0; staying on ports 0xCF8/0xCFC",
		(unsigned long long)base, id);
	cs->ecam_set(0, 0);
	return false;
}

static void tell_ram_layout(const struct chipset *cs, const struct e820_map *ram,
			    const struct plan_output *out)
{
	uint64_t tolud = e820_ram_end_below_4g(ram), touud = GiB(4);

	for (uint32_t i = 0; i < ram->n; i++)
		if (ram->e[i].type == E820_RAM && ram->e[i].addr + ram->e[i].size > touud)
			touud = ram->e[i].addr + ram->e[i].size;
	tolud = ALIGN_UP(MIN(tolud, out->hole_start), MiB(1));
	cs->ram_layout(tolud, touud, out->ram_relocate ? touud : 0, out->ram_relocate);
}

void pci_setup(const struct chipset *cs, const struct e820_map *ram,
	       const struct pci_platform *pp, const struct pci_pin *pins, size_t npins,
	       struct pci_windows *out)
{
	const struct pci_access a = { fw_read, fw_write, fw_log, NULL, cs->funcs };
	struct pci_plan pl;
	uint32_t n0 = pci_cfg_access_count();

	/* The scan needs only the first 256 bytes: ports suffice until ECAM is placed. */
	pci_scan(&topo, &a);
	uint32_t n_scan = pci_cfg_access_count() - n0;

	memset(&pl, 0, sizeof(pl));
	platform_input(&pl.in, ram, pp);
	pl.pins = pins;
	pl.npins = npins;
	pl.scratch = scratch_take("the PCI plan");
	pl.scratch_bytes = SCRATCH_BYTES;
	/* The ECAM is one more resource of the hole; the 32-bit windows leave it out. */
	if (cs->ecam_set) {
		pl.ecam_size = ecam_size_for(topo.last_bus);
		pl.ecam_align = ECAM_ALIGN;
	}
	pci_plan(&topo, &a, &pl);
	/* The plan put the hole over low RAM: that RAM must move before any BAR lands there. */
	if (pl.solve_rc >= 0 && pl.out.ram_relocate && pp->relocate_ram(pl.out.ram_relocate))
		panic("pci: the plan needs 0x%llx bytes of low RAM moved above 4 GiB and that "
		      "failed; no BAR is programmed over RAM", (unsigned long long)pl.out.ram_relocate);
	if (pl.ecam_base && !ecam_enable(cs, pl.ecam_base, pl.ecam_size))
		pl.ecam_base = 0;
	if (pl.ecam_base)
		layout_reserve(pl.ecam_base, pl.ecam_size, E820_RESERVED);
	if (cs->ram_layout && pl.solve_rc >= 0)
		tell_ram_layout(cs, ram, &pl.out);
	pci_apply(&topo, &a, cs->intx_irq);
	pci_log_plan(&topo, &a);
	/* A broken rule would hand the OS overlapping or unreachable devices: stop, saying which. */
	if (pci_verify(&topo, &pl, verify_msg, sizeof(verify_msg)))
		panic("pci: plan check failed: %s", verify_msg);
	pci_windows_fill(&topo, &pl, out);
	scratch_give();
	log_info("pci: %u functions, %u bridges, buses %02x-%02x, %u refused, %u dropped; "
		 "%u config accesses (%u scanning)", topo.nf, topo.nb, out->bus_start,
		 topo.last_bus, pl.refused, topo.dropped, pci_cfg_access_count() - n0, n_scan);
	pci_log_windows(&a, out);
}
