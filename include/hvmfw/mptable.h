/* SPDX-License-Identifier: MIT */
/*
 * Intel MultiProcessor Specification 1.4 tables: the 16-byte "_MP_"
 * floating pointer and the "PCMP" configuration table. Pure.
 *
 * Buses: PCI 0 (ID 0) and ISA (ID 1). Interrupts match the MADT: ISA IRQ 0
 * on I/O APIC pin 2, IRQ 2 (the cascade) absent, the other ISA IRQs on
 * their own pins; the 8259 output is ExtINT on pin 0. The extended part
 * holds one bus hierarchy entry: ISA decodes subtractively below PCI 0.
 */
#ifndef HVMFW_MPTABLE_H
#define HVMFW_MPTABLE_H

#include <hvmfw/compiler.h>

#define MPTABLE_FLOAT_LEN 16
#define MPTABLE_MAX_CPUS 255
#define MPTABLE_BUS_PCI 0
#define MPTABLE_BUS_ISA 1

/* I/O APIC input that INTx pin (0 = INTA) of bus-0 slot reaches; -1 if none. */
typedef int (*mptable_route_fn)(const void *ctx, uint8_t slot, uint8_t pin);

struct mptable_config {
	uint32_t ncpus;                 /* the first is the boot processor */
	uint8_t apic_ids[MPTABLE_MAX_CPUS];
	uint8_t absent[MPTABLE_MAX_CPUS / 8 + 1];      /* bit i: CPU i not running (listed disabled) */
	uint8_t lapic_version;
	uint32_t cpu_signature;         /* CPUID.1 EAX */
	uint32_t cpu_features;          /* CPUID.1 EDX */
	uint32_t lapic_addr;
	uint8_t ioapic_id, ioapic_version;
	uint32_t ioapic_addr;
	/* ISA IRQs that are level-triggered, active high (PCI links, SCI), as in the MADT. */
	uint16_t isa_level_irqs;
	/* Bus-0 slots (bit n = slot n) to give INTx entries, through route(). */
	uint32_t pci_slots;
	mptable_route_fn route;
	const void *route_ctx;
};

/* Bytes of the configuration table (base and extended parts). */
uint32_t mptable_size(const struct mptable_config *c);
/* Write the configuration table; returns its length, 0 if invalid or cap too small. */
uint32_t mptable_build(const struct mptable_config *c, uint8_t *buf, uint32_t cap);
/* Write the floating pointer for a configuration table at table_addr. */
void mptable_float(uint8_t fp[MPTABLE_FLOAT_LEN], uint32_t table_addr);

#endif
