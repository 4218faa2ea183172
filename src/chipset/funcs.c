/* SPDX-License-Identifier: MIT */
/*
 * The functions each chipset's code owns, by location and IDs. The
 * enumerator leaves them as they are: not sized, decode untouched, no
 * interrupt line written. Anything else on bus 0 is an ordinary device,
 * whatever its class (a passed-through 0x0680 device still gets its BARs).
 */
#include <hvmfw/chipset.h>
#include <hvmfw/pci_cfg.h>

const struct chipset_func chipset_i440fx_funcs[] = {
	{ PCI_BDF(0, 0, 0), 0x8086, 0x1237 },	/* i440FX host bridge */
	{ PCI_BDF(0, 1, 0), 0x8086, 0x7000 },	/* PIIX3 ISA bridge */
	{ PCI_BDF(0, 1, 0), 0x8086, 0x7110 },	/* PIIX4 ISA bridge (QEMU's PIIX4 south bridge) */
	{ PCI_BDF(0, 1, 3), 0x8086, 0x7113 },	/* PIIX4 ACPI/PM function */
	{ 0, 0, 0 },
};

const struct chipset_func chipset_q35_funcs[] = {
	{ PCI_BDF(0, 0, 0), 0x8086, 0x29c0 },	/* Q35 MCH host bridge */
	{ PCI_BDF(0, 0x1f, 0), 0x8086, 0x2918 },	/* ICH9 LPC bridge */
	{ 0, 0, 0 },
};

bool chipset_owns(const struct chipset_func *list, uint16_t bdf, uint16_t vendor,
		  uint16_t device)
{
	for (; list && list->vendor; list++)
		if (list->bdf == bdf && list->vendor == vendor && list->device == device)
			return true;
	return false;
}
