/* SPDX-License-Identifier: MIT */
/* Firmware side of the MP table: read the APIC versions, route PCI INTx, place it. */
#include <hvmfw/legacy_tables.h>
#include <hvmfw/chipset.h>
#include <hvmfw/console.h>
#include <hvmfw/fseg.h>
#include <hvmfw/io.h>
#include <hvmfw/layout.h>
#include <hvmfw/mptable.h>
#include <hvmfw/pir.h>
#include <hvmfw/string.h>

#define LAPIC_VERSION_REG 0x30
#define IOAPIC_VERSION_INDEX 1
/* Keep in step with the MADT's level-triggered ISA IRQs (acpi/madt.c): 5, 9, 10, 11. */
#define MP_LEVEL_ISA_IRQS ((1u << 5) | (1u << 9) | (1u << 10) | (1u << 11))

static struct mptable_config mp;

/* The lines the DSDT's APIC-mode _PRT names: i440FX links stay on their ISA IRQ,
 * Q35 PIRQ A-H have fixed I/O APIC pins 16-23. */
static int route_i440fx(const void *ctx, uint8_t slot, uint8_t pin)
{
	return chipset_pirq_irq(pir_pirq(PIR_PIIX3, slot, pin));
}

static int route_q35(const void *ctx, uint8_t slot, uint8_t pin)
{
	return 16 + (int)pir_pirq(PIR_ICH9, slot, pin);
}

uint32_t mptable_install(const struct acpi_config *cfg, bool fseg)
{
	uint32_t r[4], size, len, table;
	uint8_t *area, *fp;

	memset(&mp, 0, sizeof(mp));
	mp.ncpus = MIN(cfg->ncpus, (uint32_t)MPTABLE_MAX_CPUS);
	memcpy(mp.apic_ids, cfg->apic_ids, mp.ncpus);
	memcpy(mp.absent, cfg->cpu_absent, sizeof(mp.absent));
	mp.lapic_addr = cfg->lapic_addr;
	/* QEMU answers only 32-bit reads of the local APIC. */
	mp.lapic_version = (uint8_t)mmio_read32(cfg->lapic_addr + LAPIC_VERSION_REG);
	cpuid(1, 0, r);
	mp.cpu_signature = r[0];
	mp.cpu_features = r[3];
	mp.ioapic_id = cfg->ioapic_id;
	mp.ioapic_addr = cfg->ioapic_addr;
	mmio_write32(cfg->ioapic_addr, IOAPIC_VERSION_INDEX);
	mp.ioapic_version = (uint8_t)mmio_read32(cfg->ioapic_addr + 0x10);
	mp.isa_level_irqs = (uint16_t)(MP_LEVEL_ISA_IRQS | (1u << (cfg->sci_irq & 15)));
	/* Only the slots in use: SeaBIOS on Xen drops an MP table over 600 bytes. */
	mp.pci_slots = cfg->bus0_slots ? cfg->bus0_slots : 0xFFFFFFFFu;
	mp.route = cfg->chipset == ACPI_CHIPSET_Q35 ? route_q35 : route_i440fx;

	size = mptable_size(&mp);
	area = layout_alloc_high(size + MPTABLE_FLOAT_LEN, 16, E820_RESERVED);
	/* The configuration table may be anywhere below 4 GiB; only the pointer is scanned for. */
	table = (uint32_t)(uintptr_t)(area + MPTABLE_FLOAT_LEN);
	len = mptable_build(&mp, area + MPTABLE_FLOAT_LEN, size);
	if (!len)
		panic("mptable: building for %u CPUs failed", mp.ncpus);
	fp = fseg ? fseg_alloc(MPTABLE_FLOAT_LEN, 16) : area;
	mptable_float(fp, table);
	log_info("mptable: _MP_ @ 0x%x, PCMP @ 0x%x len %u, %u CPUs", (uint32_t)(uintptr_t)fp,
		 table, len, mp.ncpus);
	return (uint32_t)(uintptr_t)fp;
}
