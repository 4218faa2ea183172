/* SPDX-License-Identifier: MIT */
/* MP configuration table entries, each written at a byte pointer. */
#include "mptable_priv.h"
#include <hvmfw/string.h>
#include <hvmfw/cpu_table.h>

#define MP_CPU_ENABLED 0x01
#define MP_CPU_BSP 0x02

void mp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void mp_put32(uint8_t *p, uint32_t v)
{
	mp_put16(p, (uint16_t)v);
	mp_put16(p + 2, (uint16_t)(v >> 16));
}

uint8_t *mp_processor(uint8_t *p, const struct mptable_config *c, uint32_t i)
{
	p[0] = MP_ENTRY_PROCESSOR;
	p[1] = c->apic_ids[i];
	p[2] = c->lapic_version;
	p[3] = (cpu_bit(c->absent, i) ? 0 : MP_CPU_ENABLED) | (i == 0 ? MP_CPU_BSP : 0);
	/* Stepping, model, family: the low 12 bits of CPUID.1 EAX have that layout. */
	mp_put32(p + 4, c->cpu_signature & 0xFFF);
	mp_put32(p + 8, c->cpu_features);
	memset(p + 12, 0, 8);
	return p + MP_PROCESSOR_LEN;
}

uint8_t *mp_bus(uint8_t *p, uint8_t id, const char name[6])
{
	p[0] = MP_ENTRY_BUS;
	p[1] = id;
	memcpy(p + 2, name, 6);
	return p + MP_ENTRY_LEN;
}

uint8_t *mp_ioapic(uint8_t *p, const struct mptable_config *c)
{
	p[0] = MP_ENTRY_IOAPIC;
	p[1] = c->ioapic_id;
	p[2] = c->ioapic_version;
	p[3] = 0x01;                            /* usable */
	mp_put32(p + 4, c->ioapic_addr);
	return p + MP_ENTRY_LEN;
}

uint8_t *mp_irq(uint8_t *p, uint8_t kind, uint8_t int_type, uint16_t flags, uint8_t bus,
		uint8_t bus_irq, uint8_t dest, uint8_t dest_pin)
{
	p[0] = kind;
	p[1] = int_type;
	mp_put16(p + 2, flags);
	p[4] = bus;
	p[5] = bus_irq;
	p[6] = dest;
	p[7] = dest_pin;
	return p + MP_ENTRY_LEN;
}
