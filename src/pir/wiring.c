/* SPDX-License-Identifier: MIT */
/* Bus-0 INTx to PIRQ wiring of the PIIX3 and ICH9 models. */
#include <hvmfw/pir.h>

unsigned pir_pirq(enum pir_router r, uint8_t slot, uint8_t pin)
{
	pin &= 3;
	if (r == PIR_PIIX3)
		return (slot + pin) & 3;        /* the swizzle every i440FX slot uses */
	/* ICH9 in QEMU: ordinary slots rotate over E-H; 0x1E (DMI-to-PCI) maps
	 * E-H by pin; the chipset's own 0x19-0x1D and 0x1F keep the D<n>IR
	 * reset default 0x3210, A-D by pin. */
	if (slot <= 0x18)
		return 4 + ((slot + pin) & 3);
	if (slot == 0x1E)
		return 4 + pin;
	return pin;
}

uint8_t pir_link(enum pir_router r, unsigned pirq)
{
	if (r == PIR_ICH9 && pirq >= 4)
		return (uint8_t)(0x68 + (pirq & 3));
	return (uint8_t)(0x60 + (pirq & 3));
}
