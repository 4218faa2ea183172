/* SPDX-License-Identifier: MIT */
/* The MP configuration table ("PCMP") and the floating pointer ("_MP_"). */
#include "mptable_priv.h"
#include <hvmfw/string.h>

#define MP_SPEC_REV 4                   /* 1.4 */
#define MP_EXT_LEN 8
#define MP_ISA_IRQS 16                  /* ExtINT on pin 0, then IRQs 0, 1, 3-15 */
#define MP_LOCAL_IRQS 2
#define MP_ALL_LAPICS 0xFF

static uint8_t checksum(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return (uint8_t)-s;
}

static uint32_t pci_entries(const struct mptable_config *c)
{
	uint32_t n = 0;

	for (uint8_t slot = 0; slot < 32; slot++)
		for (uint8_t pin = 0; pin < 4 && (c->pci_slots & (1u << slot)); pin++)
			if (c->route && c->route(c->route_ctx, slot, pin) >= 0)
				n++;
	return n;
}

static uint32_t base_len(const struct mptable_config *c)
{
	return MP_HEADER_LEN + MP_PROCESSOR_LEN * c->ncpus +
	       MP_ENTRY_LEN * (2 + 1 + MP_ISA_IRQS + pci_entries(c) + MP_LOCAL_IRQS);
}

uint32_t mptable_size(const struct mptable_config *c)
{
	return base_len(c) + MP_EXT_LEN;
}

static uint8_t *isa_irqs(uint8_t *p, const struct mptable_config *c)
{
	/* The 8259 pair feeds pin 0 in virtual-wire mode. */
	p = mp_irq(p, MP_ENTRY_IOINT, MP_EXTINT, MP_IRQ_CONFORMING, MPTABLE_BUS_ISA, 0,
		   c->ioapic_id, 0);
	for (uint8_t irq = 0; irq < 16; irq++) {
		uint16_t flags = (c->isa_level_irqs & (1u << irq)) ? MP_IRQ_LEVEL_HIGH : MP_IRQ_CONFORMING;

		if (irq == 2)
			continue;
		p = mp_irq(p, MP_ENTRY_IOINT, MP_INT, flags, MPTABLE_BUS_ISA, irq, c->ioapic_id,
			   irq == 0 ? 2 : irq);
	}
	return p;
}

static uint8_t *pci_irqs(uint8_t *p, const struct mptable_config *c)
{
	for (uint8_t slot = 0; slot < 32; slot++) {
		for (uint8_t pin = 0; pin < 4 && (c->pci_slots & (1u << slot)); pin++) {
			int gsi = c->route ? c->route(c->route_ctx, slot, pin) : -1;

			/* Level, active high: what the DSDT's link devices say of the same lines. */
			if (gsi >= 0)
				p = mp_irq(p, MP_ENTRY_IOINT, MP_INT, MP_IRQ_LEVEL_HIGH, MPTABLE_BUS_PCI,
					   (uint8_t)(slot << 2 | pin), c->ioapic_id, (uint8_t)gsi);
		}
	}
	return p;
}

uint32_t mptable_build(const struct mptable_config *c, uint8_t *buf, uint32_t cap)
{
	uint32_t base = base_len(c), len = base + MP_EXT_LEN;
	uint8_t *p = buf + MP_HEADER_LEN, *ext = buf + base;

	if (!c->ncpus || c->ncpus > MPTABLE_MAX_CPUS || cap < len || base > 0xFFFF)
		return 0;
	memset(buf, 0, len);
	for (uint32_t i = 0; i < c->ncpus; i++)
		p = mp_processor(p, c, i);
	/* Bus IDs ascend with PCI first, as the specification asks. */
	p = mp_bus(p, MPTABLE_BUS_PCI, "PCI   ");
	p = mp_bus(p, MPTABLE_BUS_ISA, "ISA   ");
	p = mp_ioapic(p, c);
	p = isa_irqs(p, c);
	p = pci_irqs(p, c);
	p = mp_irq(p, MP_ENTRY_LOCALINT, MP_EXTINT, MP_IRQ_CONFORMING, MPTABLE_BUS_ISA, 0,
		   MP_ALL_LAPICS, 0);
	p = mp_irq(p, MP_ENTRY_LOCALINT, MP_NMI, MP_IRQ_CONFORMING, MPTABLE_BUS_ISA, 0,
		   MP_ALL_LAPICS, 1);

	/* Extended part: the ISA bus hangs below PCI 0 and gets what nobody claims. */
	ext[0] = MP_EXT_BUS_HIERARCHY;
	ext[1] = MP_EXT_LEN;
	ext[2] = MPTABLE_BUS_ISA;
	ext[3] = 0x01;                          /* subtractive decode */
	ext[4] = MPTABLE_BUS_PCI;

	memcpy(buf, "PCMP", 4);
	mp_put16(buf + 4, (uint16_t)base);
	buf[6] = MP_SPEC_REV;
	memcpy(buf + 8, "HVMFW   ", 8);
	memcpy(buf + 16, "VIRTUAL     ", 12);
	mp_put16(buf + 34, (uint16_t)((p - buf - MP_HEADER_LEN - MP_PROCESSOR_LEN * c->ncpus) /
				      MP_ENTRY_LEN + c->ncpus));
	mp_put32(buf + 36, c->lapic_addr);
	mp_put16(buf + 40, MP_EXT_LEN);
	/* The extended checksum is part of the base table, so it goes first. */
	buf[42] = checksum(ext, MP_EXT_LEN);
	buf[7] = checksum(buf, base);
	return len;
}

void mptable_float(uint8_t fp[MPTABLE_FLOAT_LEN], uint32_t table_addr)
{
	memset(fp, 0, MPTABLE_FLOAT_LEN);
	memcpy(fp, "_MP_", 4);
	mp_put32(fp + 4, table_addr);
	fp[8] = 1;                              /* length in 16-byte units */
	fp[9] = MP_SPEC_REV;
	/* Feature bytes 0: a configuration table exists; no IMCR, virtual-wire mode. */
	fp[10] = checksum(fp, MPTABLE_FLOAT_LEN);
}
