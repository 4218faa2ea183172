/* SPDX-License-Identifier: MIT */
/* Q35 MCH with the ICH9 LPC bridge. */
#include <hvmfw/chipset.h>
#include <hvmfw/console.h>
#include <hvmfw/dsdt.h>
#include <hvmfw/io.h>
#include <hvmfw/pci_cfg.h>

#define MCH PCI_BDF(0, 0, 0)
#define MCH_PAM0 0x90
#define MCH_PCIEXBAR 0x60
#define MCH_REMAPBASE 0x98
#define MCH_REMAPLIMIT 0x9A
#define MCH_TOUUD 0xA2
#define MCH_TOLUD 0xB0
#define LPC PCI_BDF(0, 0x1f, 0)
#define LPC_PMBASE 0x40
#define LPC_ACPI_CNTL 0x44
#define LPC_ACPI_EN 0x80
#define LPC_PIRQA_ROUT 0x60
#define LPC_PIRQE_ROUT 0x68

/*
 * QEMU's ICH9 ACPI PCI hot-plug block (docs/specs/acpi_pci_hotplug.rst in
 * QEMU): 32-bit registers, +0x10 selects the bus the others describe. It is
 * there only while ICH9-LPC.acpi-pci-hotplug-with-bridge-support is on (the
 * default since QEMU 6.1); unclaimed ports read as all-ones.
 */
#define PCIHP_BASE 0x0CC0
#define PCIHP_SEL (PCIHP_BASE + 0x10)

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
	chipset_set_elcr();
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

static void q35_ecam_set(uint64_t base, uint64_t size)
{
	/* Length code in bits 2:1: 00 = 256 MiB, 01 = 128 MiB, 10 = 64 MiB. */
	uint32_t len = size == MiB(64) ? 2 : size == MiB(128) ? 1 : 0;

	/* We are about to move the window we might be reading through. */
	pci_cfg_set_ecam(0, 0);
	pci_write32(MCH, MCH_PCIEXBAR, 0);
	if (!size)
		return;
	pci_write32(MCH, MCH_PCIEXBAR + 4, (uint32_t)(base >> 32));
	pci_write32(MCH, MCH_PCIEXBAR, (uint32_t)base | len << 1 | 1);
}

static void q35_ram_layout(uint64_t tolud, uint64_t touud, uint64_t remap_base, uint64_t remap_size)
{
	/* Remapping is off when base > limit (64 MiB units). */
	uint16_t rbase = 0x3FF, rlimit = 0;

	if (remap_size) {
		rbase = (uint16_t)(remap_base >> 26);
		rlimit = (uint16_t)((remap_base + remap_size - 1) >> 26);
	}
	/* QEMU does not model these; real firmware sets them and OSes may read them. */
	pci_write16(MCH, MCH_TOLUD, (uint16_t)((tolud >> 20) << 4));
	pci_write16(MCH, MCH_TOUUD, (uint16_t)MIN(touud >> 20, 0xFFFFu));
	pci_write16(MCH, MCH_REMAPBASE, rbase);
	pci_write16(MCH, MCH_REMAPLIMIT, rlimit);
}

/*
 * Does the machine hot-plug PCI devices through ACPI? Then the bus select
 * register keeps what is written to it (any value below 256 reads back).
 */
static bool q35_acpi_pci_hotplug(void)
{
	static const uint32_t probe[] = { 0x15, 0x2A };
	bool found = true;

	for (unsigned i = 0; i < ARRAY_SIZE(probe) && found; i++) {
		outl(PCIHP_SEL, probe[i]);
		found = inl(PCIHP_SEL) == probe[i];
	}
	if (found)
		outl(PCIHP_SEL, 0);
	return found;
}

/* QEMU's ICH9 CPU present map: one bit per APIC ID, GPE0 bit 2 on a change. */
#define ICH9_CPU_MAP 0x0CD8

static void q35_acpi_fill(struct acpi_config *cfg)
{
	chipset_acpi_common(cfg);
	/*
	 * With ACPI PCI hot-plug, QEMU leaves Presence Detect and Data Link
	 * Layer Link Active clear in every PCIe slot, populated or not, so a
	 * natively driven slot looks empty and gets powered off by the OS.
	 */
	cfg->acpi_pci_hotplug = q35_acpi_pci_hotplug();
	log_info("acpi: PCI hot-plug through %s; _OSC %s native PCIe hot-plug",
		 cfg->acpi_pci_hotplug ? "ACPI (ICH9 hot-plug registers at 0xcc0)" : "native slots",
		 cfg->acpi_pci_hotplug ? "keeps" : "grants");
	/* Bus 0 is PCIe's root complex (no hot-plug); bridges get QEMU's selectors. */
	if (cfg->acpi_pci_hotplug)
		cfg->pci_hotplug_port = PCIHP_BASE;
	cfg->gpe0_base = PM_BASE + 0x20;
	cfg->gpe0_len = 0x10;
	cfg->cpu_hotplug_port = ICH9_CPU_MAP;
}

const struct chipset chipset_q35 = {
	.name = "Q35/ICH9",
	.vendor = 0x8086,
	.device = 0x29c0,
	.funcs = chipset_q35_funcs,
	.acpi_kind = ACPI_CHIPSET_Q35,
	.dsdt = dsdt_q35_aml,
	.dsdt_len = &dsdt_q35_aml_len,
	.shadow_ram = q35_shadow_ram,
	.init = q35_init,
	.intx_irq = q35_intx_irq,
	.acpi_fill = q35_acpi_fill,
	.ecam_set = q35_ecam_set,
	.ram_layout = q35_ram_layout,
};
