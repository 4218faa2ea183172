/* SPDX-License-Identifier: MIT */
/* i440FX host bridge with PIIX3 ISA bridge and PIIX4 power management. */
#include <hvmfw/chipset.h>
#include <hvmfw/dsdt.h>
#include <hvmfw/pci_cfg.h>

#define I440FX_PAM0 0x59
#define PIIX3_ISA PCI_BDF(0, 1, 0)
#define PIIX3_IDE PCI_BDF(0, 1, 1)
#define PIIX4_PM PCI_BDF(0, 1, 3)
#define PIIX_PIRQRC 0x60
#define PIIX4_PMBA 0x40
#define PIIX4_PMREGMISC 0x80
#define PIIX4_GPE0 0xAFE0

static void i440fx_shadow_ram(void)
{
	/* PAM0 (0xF0000) and PAM1-6 (0xC0000-0xEFFFF): read/write RAM. */
	pci_write8(PCI_BDF(0, 0, 0), I440FX_PAM0, 0x30);
	for (int i = 1; i <= 6; i++)
		pci_write8(PCI_BDF(0, 0, 0), I440FX_PAM0 + i, 0x33);
}

static void i440fx_init(void)
{
	if (pci_read32(PIIX4_PM, 0) == 0x71138086) {
		pci_write32(PIIX4_PM, PIIX4_PMBA, PM_BASE | 1);
		pci_write8(PIIX4_PM, PIIX4_PMREGMISC, pci_read8(PIIX4_PM, PIIX4_PMREGMISC) | 1);
		pci_write8(PIIX4_PM, 0x3C, SCI_IRQ);
		chipset_acpi_enable();
	}
	chipset_route_pirqs(PIIX3_ISA, PIIX_PIRQRC, 4);
	chipset_set_elcr();
	/* Both IDE channels on, as a legacy BIOS leaves them. */
	if ((pci_read32(PIIX3_IDE, 0) & 0xFFFF) == 0x8086) {
		pci_write16(PIIX3_IDE, 0x40, 0x8000);
		pci_write16(PIIX3_IDE, 0x42, 0x8000);
	}
}

/* One bit per CPU, read-only; GPE0 bit 2 on a change. */
#define PIIX4_CPU_MAP 0xAF00
/* Bus 0 slots' up/down/eject bitmaps; GPE0 bit 1 on a change. */
#define PIIX4_PCI_HOTPLUG 0xAE00

static uint8_t i440fx_intx_irq(uint8_t slot, uint8_t pin)
{
	/* PIIX3 wiring: INTx of slot s reaches PIRQ (s + pin - 1) mod 4. */
	return pin ? chipset_pirq_irq((slot + pin - 1) & 3) : 0;
}

static void i440fx_acpi_fill(struct acpi_config *cfg)
{
	chipset_acpi_common(cfg);
	cfg->gpe0_base = PIIX4_GPE0;
	cfg->gpe0_len = 4;
	/* PIIX4 PM's CPU present map (QEMU, and qemu-xen for xl vcpu-set). */
	cfg->cpu_hotplug_port = PIIX4_CPU_MAP;
	cfg->pci_hotplug_port = PIIX4_PCI_HOTPLUG;
	cfg->pci_hotplug_bus0 = true;   /* selector 0: bus 0's free slots */
}

const struct chipset chipset_i440fx = {
	.name = "i440FX/PIIX",
	.vendor = 0x8086,
	.device = 0x1237,
	.funcs = chipset_i440fx_funcs,
	.acpi_kind = ACPI_CHIPSET_I440FX,
	.dsdt = dsdt_i440fx_aml,
	.dsdt_len = &dsdt_i440fx_aml_len,
	.shadow_ram = i440fx_shadow_ram,
	.init = i440fx_init,
	.intx_irq = i440fx_intx_irq,
	.acpi_fill = i440fx_acpi_fill,
};
