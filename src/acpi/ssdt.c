/* SPDX-License-Identifier: MIT */
/*
 * The SSDT holds what varies per boot and is generated with the AML writer:
 * \_S3 and \_S4 when the platform offers those sleep states (the DSDT has
 * only \_S5), processor devices and their hot-plug (ssdt_cpu.c), PCI0._CRS from the planned windows and, on
 * Q35, a motherboard-resource device claiming the ECAM window (Linux checks
 * MCFG against PNP0C01/PNP0C02 _CRS before trusting it). The DSDT's HPET device
 * gets its _STA here so that it agrees with the HPET table being listed.
 * On Q35, PCI0.OSCC holds the _OSC control bits this machine can grant.
 * Bridges below PCI0 get devices with their own _PRT (ssdt_prt.c), bus 0's
 * other slots hot-plug devices where the chipset offers it (ssdt_pcihp.c). Last,
 * when there is a VM generation ID, the device that points at it
 * (ssdt_vmgenid.c).
 */
#include <hvmfw/acpi_tables.h>
#include <hvmfw/aml.h>
#include "ssdt_prt.h"
#include "ssdt_vmgenid.h"

#define LEGACY_IO_END 0x0CF7            /* below the config ports */
#define PCI_CFG_PORT 0x0CF8
#define HIGH_IO_START 0x0D00
#define VGA_MEM_START 0xA0000
#define VGA_MEM_END 0xBFFFF

/* PCI host bridge _OSC control bits (PCI Firmware spec 3.x, §4.5.1). */
#define OSC_CTRL_PCIE_HP 0x01           /* native PCIe hot-plug */
#define OSC_CTRL_ALL 0x1F               /* PCIe HP, SHPC HP, PME, AER, PCIe capability */

static uint64_t last(const struct acpi_window *w)
{
	return w->base + w->len - 1;
}

/* Host bridge windows; nothing that is not a window except the config ports. */
static void pci0_crs(struct aml *a, const struct acpi_config *cfg)
{
	aml_name(a, "_CRS");
	aml_restemplate_open(a);
	aml_res_word_bus(a, cfg->bus_start, cfg->bus_end);
	aml_res_io(a, PCI_CFG_PORT, PCI_CFG_PORT, 1, 8);
	aml_res_word_io(a, 0x0000, LEGACY_IO_END);
	if (cfg->io.len)
		aml_res_word_io(a, (uint16_t)cfg->io.base, (uint16_t)last(&cfg->io));
	else
		aml_res_word_io(a, HIGH_IO_START, 0xFFFF);
	aml_res_dword_mem(a, AML_CACHEABLE, true, VGA_MEM_START, VGA_MEM_END);
	for (unsigned i = 0; i < ACPI_MAX_MEM32; i++)
		if (cfg->mem32[i].len)
			aml_res_dword_mem(a, AML_NONCACHEABLE, true, (uint32_t)cfg->mem32[i].base,
					  (uint32_t)last(&cfg->mem32[i]));
	if (cfg->mem64.len)
		aml_res_qword_mem(a, AML_CACHEABLE, true, cfg->mem64.base, last(&cfg->mem64));
	aml_restemplate_close(a);
}

static void ecam_claim(struct aml *a, const struct acpi_config *cfg)
{
	aml_device_open(a, "ECAM");
	aml_name_eisaid(a, "_HID", "PNP0C02");
	aml_name_string(a, "_UID", "ECAM");
	aml_name(a, "_CRS");
	aml_restemplate_open(a);
	if (last(&cfg->ecam) <= 0xFFFFFFFFu)
		aml_res_mem32_fixed(a, false, (uint32_t)cfg->ecam.base, (uint32_t)cfg->ecam.len);
	else
		aml_res_qword_mem(a, AML_NONCACHEABLE, true, cfg->ecam.base, last(&cfg->ecam));
	aml_restemplate_close(a);
	aml_close(a);
}

/* Name (\_Sx, Package (4) { SLP_TYP for PM1a, the same for PM1b, reserved, reserved }) */
static void sleep_state(struct aml *a, const char *name, const struct acpi_sleep_state *s)
{
	if (!s->present)
		return;
	aml_name(a, name);
	aml_package_open(a, 4);
	aml_int(a, s->slp_typ);
	aml_int(a, s->slp_typ);
	aml_int(a, 0);
	aml_int(a, 0);
	aml_close(a);
}

uint32_t acpi_build_ssdt(uint8_t *dst, uint32_t room, const struct acpi_config *cfg,
			 uint32_t madt)
{
	struct aml a;

	if (room < ACPI_HDR_LEN)
		return 0;
	acpi_header(dst, "SSDT", ACPI_HDR_LEN, 2, cfg);  /* revision 2: 64-bit integers */
	aml_init(&a, dst + ACPI_HDR_LEN, room - ACPI_HDR_LEN);
	sleep_state(&a, "\\_S3", &cfg->s3);
	sleep_state(&a, "\\_S4", &cfg->s4);
	ssdt_cpus(&a, cfg, madt);
	aml_scope_open(&a, "\\_SB.HPET");
	aml_name_int(&a, "_STA", cfg->hpet_present ? 0x0F : 0x00);
	aml_close(&a);
	aml_scope_open(&a, "\\_SB.PCI0");
	pci0_crs(&a, cfg);
	/* _OSC control bits the platform grants (acpi/q35-osc.asi reads it). */
	if (cfg->chipset == ACPI_CHIPSET_Q35)
		aml_name_int(&a, "OSCC", cfg->acpi_pci_hotplug ? OSC_CTRL_ALL & ~OSC_CTRL_PCIE_HP
							       : OSC_CTRL_ALL);
	if (cfg->ecam.len)
		ecam_claim(&a, cfg);
	aml_close(&a);
	ssdt_pci_bridges(&a, cfg);
	ssdt_pci_hotplug(&a, cfg);
	ssdt_vmgenid(&a, cfg->vmgenid_addr);
	if (!aml_ok(&a))
		return 0;
	acpi_put32(dst, 4, ACPI_HDR_LEN + a.len);
	acpi_finish(dst);
	return ACPI_HDR_LEN + a.len;
}
