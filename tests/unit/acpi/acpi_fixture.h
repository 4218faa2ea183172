/* SPDX-License-Identifier: MIT */
/* The machine the ACPI unit tests describe: i440FX or Q35, n CPUs, the usual fixed addresses. */
#ifndef HVMFW_TEST_ACPI_FIXTURE_H
#define HVMFW_TEST_ACPI_FIXTURE_H

#include <string.h>
#include <hvmfw/acpi.h>
#include <hvmfw/dsdt.h>

static inline void acpi_test_config(struct acpi_config *c, enum acpi_chipset chip, uint32_t ncpus)
{
	memset(c, 0, sizeof(*c));
	c->chipset = chip;
	c->ncpus = ncpus;
	for (uint32_t i = 0; i < ncpus; i++)
		c->apic_ids[i] = (uint8_t)(2 * i);
	c->lapic_addr = 0xFEE00000;
	c->ioapic_addr = 0xFEC00000;
	c->ioapic_id = 1;
	c->hpet_present = true;
	c->hpet_addr = 0xFED00000;
	c->pm_base = 0xB000;
	c->sci_irq = 9;
	c->reset_port = 0xCF9;
	c->reset_value = 6;
	c->bus_end = 0xFF;
	c->mem32[0] = (struct acpi_window){ 0xC0000000, 0x20000000 };
	if (chip == ACPI_CHIPSET_Q35) {
		c->dsdt = dsdt_q35_aml;
		c->dsdt_len = dsdt_q35_aml_len;
		c->gpe0_base = 0xB020;
		c->gpe0_len = 16;
		c->ecam = (struct acpi_window){ 0xE0000000, 0x10000000 };
	} else {
		c->dsdt = dsdt_i440fx_aml;
		c->dsdt_len = dsdt_i440fx_aml_len;
		c->gpe0_base = 0xAFE0;
		c->gpe0_len = 4;
	}
	memcpy(c->oem_id, "HVMFW ", 7);
	memcpy(c->oem_table_id, "TESTTBL ", 9);
}

#endif
