/* SPDX-License-Identifier: MIT */
/* Chipset identification and what i440FX and Q35 do alike. */
#include <hvmfw/chipset.h>
#include <hvmfw/console.h>
#include <hvmfw/io.h>
#include <hvmfw/pci_cfg.h>

static const struct chipset *const known[] = { &chipset_i440fx, &chipset_q35 };

/* The IRQs PIRQA, B, C, D are routed to (E-H repeat the pattern on ICH9). */
static const uint8_t pirq_irq[4] = { 10, 10, 11, 11 };

const struct chipset *chipset_probe(void)
{
	uint32_t id = pci_read32(PCI_BDF(0, 0, 0), 0);
	uint16_t vendor = id & 0xFFFF, device = id >> 16;

	for (unsigned i = 0; i < ARRAY_SIZE(known); i++)
		if (known[i]->vendor == vendor && known[i]->device == device) {
			log_info("chipset: %s (%04x:%04x at 00:00.0)", known[i]->name, vendor, device);
			return known[i];
		}
	panic("unsupported chipset: host bridge 00:00.0 is %04x:%04x "
	      "(hvmfw knows i440FX 8086:1237 and Q35 8086:29c0)", vendor, device);
}

void chipset_route_pirqs(uint16_t bdf, uint8_t reg, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		pci_write8(bdf, reg + i, pirq_irq[i & 3]);
}

void chipset_set_elcr(void)
{
	/* PCI interrupts (10, 11) and the SCI (9) are level triggered; IRQ 0-2, 8, 13 stay edge. */
	outb(ELCR1, 0x00);
	outb(ELCR2, (1 << (SCI_IRQ - 8)) | (1 << (10 - 8)) | (1 << (11 - 8)));
}

uint8_t chipset_pirq_irq(unsigned pirq)
{
	return pirq_irq[pirq & 3];
}

void chipset_acpi_common(struct acpi_config *cfg)
{
	cfg->pm_base = PM_BASE;
	cfg->smi_cmd = 0;
	cfg->sci_irq = SCI_IRQ;
	cfg->reset_port = RESET_PORT;
	cfg->reset_value = 0x06;
	cfg->s5_slp_typ = 0;
}

void chipset_acpi_enable(void)
{
	outw(PM1A_CNT, inw(PM1A_CNT) | PM1_SCI_EN);
}

void chipset_poweroff(void)
{
	outw(PM1A_CNT, (inw(PM1A_CNT) & ~0x1C00) | PM1_SLP_EN);
}

void chipset_reset(void)
{
	outb(RESET_PORT, 0x02);
	outb(RESET_PORT, 0x06);
	for (;;)
		__asm__ volatile("cli; hlt");
}
