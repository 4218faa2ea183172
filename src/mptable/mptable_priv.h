/* SPDX-License-Identifier: MIT */
/* Shared by the MP table builders only. */
#ifndef HVMFW_MPTABLE_PRIV_H
#define HVMFW_MPTABLE_PRIV_H

#include <hvmfw/mptable.h>

#define MP_HEADER_LEN 44
#define MP_PROCESSOR_LEN 20
#define MP_ENTRY_LEN 8

enum {
	MP_ENTRY_PROCESSOR = 0,
	MP_ENTRY_BUS = 1,
	MP_ENTRY_IOAPIC = 2,
	MP_ENTRY_IOINT = 3,
	MP_ENTRY_LOCALINT = 4,
	MP_EXT_BUS_HIERARCHY = 129,
};

enum { MP_INT = 0, MP_NMI = 1, MP_SMI = 2, MP_EXTINT = 3 };

/* Interrupt flags: polarity in bits 1:0, trigger mode in bits 3:2; 0 = as the bus says. */
#define MP_IRQ_CONFORMING 0x0000
#define MP_IRQ_LEVEL_HIGH 0x000D

void mp_put16(uint8_t *p, uint16_t v);
void mp_put32(uint8_t *p, uint32_t v);
uint8_t *mp_processor(uint8_t *p, const struct mptable_config *c, uint32_t i);
uint8_t *mp_bus(uint8_t *p, uint8_t id, const char name[6]);
uint8_t *mp_ioapic(uint8_t *p, const struct mptable_config *c);
/* An I/O (kind 3) or local (kind 4) interrupt assignment entry. */
uint8_t *mp_irq(uint8_t *p, uint8_t kind, uint8_t int_type, uint16_t flags, uint8_t bus,
		uint8_t bus_irq, uint8_t dest, uint8_t dest_pin);

#endif
