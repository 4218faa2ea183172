/* SPDX-License-Identifier: MIT */
/* Q35 MCH with the ICH9 LPC bridge. */
#include <hvmfw/chipset.h>
#include <hvmfw/dsdt.h>
#include <hvmfw/pci_cfg.h>

#define MCH PCI_BDF(0, 0, 0)
#define MCH_PAM0 0x90
#define LPC PCI_BDF(0, 0x1f, 0)
#define LPC_PMBASE 0x40
#define LPC_ACPI_CNTL 0x44
#define LPC_ACPI_EN 0x80
#define LPC_PIRQA_ROUT 0x60
#define LPC_PIRQE_ROUT 0x68

static void q35_shadow_ram(void)
{
	pci_write8(MCH, MCH_PAM0, 0x30);
	for (int i = 1; i <= 6; i++)
		pci_write8(MCH, MCH_PAM0 + i, 0x33);
}

static void q35_init(void)
{
	pci_write32(LPC, LPC_PMBASE, PM_BASE | 1);
	/* SCI_IRQ_SEL 000b = IRQ 9 */
	pci_write8(LPC, LPC_ACPI_CNTL, LPC_ACPI_EN);
	chipset_acpi_enable();
	chipset_route_pirqs(LPC, LPC_PIRQA_ROUT, 4);
	chipset_route_pirqs(LPC, LPC_PIRQE_ROUT, 4);
}

static uint8_t q35_intx_irq(uint8_t slot, uint8_t pin)
{
	unsigned p = pin - 1, pirq;

	if (!pin)
		return 0;
	/* QEMU's ICH9 wiring (D25-D29 and D31 use the default DnnIR 0x3210). */
	if (slot <= 24)
		pirq = 4 + ((slot + p) & 3);
	else if (slot == 30)
		pirq = 4 + (p & 3);
	else
		pirq = p & 3;
	return chipset_pirq_irq(pirq);
}

static void q35_acpi_fill(struct acpi_config *cfg)
{
	chipset_acpi_common(cfg);
	cfg->gpe0_base = PM_BASE + 0x20;
	cfg->gpe0_len = 0x10;
}

const struct chipset chipset_q35 = {
	.name = "Q35/ICH9",
	.vendor = 0x8086,
	.device = 0x29c0,
	.acpi_kind = ACPI_CHIPSET_Q35,
	.dsdt = dsdt_q35_aml,
	.dsdt_len = &dsdt_q35_aml_len,
	.shadow_ram = q35_shadow_ram,
	.init = q35_init,
	.intx_irq = q35_intx_irq,
	.acpi_fill = q35_acpi_fill,
};
