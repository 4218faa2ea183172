/* SPDX-License-Identifier: MIT */
/* MADT ("APIC"): local APICs, the I/O APIC, ISA overrides, LINT1 NMI. */
#include <hvmfw/acpi_tables.h>
#include <hvmfw/cpu_table.h>

#define MADT_PCAT_COMPAT 1u             /* dual 8259s are present */
#define LAPIC_ENABLED 1u
#define INTI_LEVEL_HIGH 0x000D          /* MPS INTI: level triggered, active high */

/* ISA IRQs that carry PCI INTx (the DSDT links offer 5, 10, 11) plus the SCI. */
static const uint8_t pci_isa_irqs[] = { 5, 9, 10, 11 };

static uint32_t put_iso(uint8_t *t, uint32_t off, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	acpi_put8(t, off, 2);
	acpi_put8(t, off + 1, 10);
	acpi_put8(t, off + 2, 0);               /* bus: ISA */
	acpi_put8(t, off + 3, irq);
	acpi_put32(t, off + 4, gsi);
	acpi_put16(t, off + 8, flags);
	return off + 10;
}

static bool sci_listed(uint16_t sci)
{
	for (uint32_t i = 0; i < ARRAY_SIZE(pci_isa_irqs); i++)
		if (pci_isa_irqs[i] == sci)
			return true;
	return false;
}

uint32_t acpi_build_madt(uint8_t *dst, uint32_t room, const struct acpi_config *cfg)
{
	bool extra_sci = !sci_listed(cfg->sci_irq);
	uint32_t niso = 1 + ARRAY_SIZE(pci_isa_irqs) + (extra_sci ? 1 : 0);
	uint32_t len = MADT_LAPIC_OFF + 8 * cfg->ncpus + 12 + 10 * niso + 6;
	uint32_t off = MADT_LAPIC_OFF;

	if (room < len || cfg->ncpus == 0 || cfg->ncpus > ACPI_MAX_CPUS || cfg->sci_irq > 15)
		return 0;
	acpi_header(dst, "APIC", len, 4, cfg);
	acpi_put32(dst, 36, cfg->lapic_addr);
	acpi_put32(dst, 40, MADT_PCAT_COMPAT);

	/*
	 * Processor IDs are the indexes, matching the SSDT processor _UIDs. The
	 * entries come first: the CPU hot-plug AML finds them at MADT_LAPIC_OFF.
	 */
	for (uint32_t i = 0; i < cfg->ncpus; i++, off += 8) {
		acpi_put8(dst, off, 0);
		acpi_put8(dst, off + 1, 8);
		acpi_put8(dst, off + 2, (uint8_t)i);
		acpi_put8(dst, off + 3, cfg->apic_ids[i]);
		acpi_put32(dst, off + 4,
			   cpu_bit(cfg->cpu_absent, i) ? 0 : LAPIC_ENABLED);
	}

	acpi_put8(dst, off, 1);
	acpi_put8(dst, off + 1, 12);
	acpi_put8(dst, off + 2, cfg->ioapic_id);
	acpi_put32(dst, off + 4, cfg->ioapic_addr);
	acpi_put32(dst, off + 8, 0);            /* GSI base */
	off += 12;

	/* The PIT is wired to pin 2; edge/high as the ISA bus defines. */
	off = put_iso(dst, off, 0, 2, 0);
	for (uint32_t i = 0; i < ARRAY_SIZE(pci_isa_irqs); i++)
		off = put_iso(dst, off, pci_isa_irqs[i], pci_isa_irqs[i], INTI_LEVEL_HIGH);
	if (extra_sci)
		off = put_iso(dst, off, (uint8_t)cfg->sci_irq, cfg->sci_irq, INTI_LEVEL_HIGH);

	/* NMI on LINT1 of every processor */
	acpi_put8(dst, off, 4);
	acpi_put8(dst, off + 1, 6);
	acpi_put8(dst, off + 2, 0xFF);
	acpi_put16(dst, off + 3, 0);
	acpi_put8(dst, off + 5, 1);

	acpi_finish(dst);
	return len;
}
