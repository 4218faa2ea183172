/* SPDX-License-Identifier: MIT */
/*
 * PCI IRQ Routing Table ("$PIR", Microsoft's PCI IRQ Routing Table
 * Specification 1.0) for the PIIX3 and ICH9 interrupt routers, and the
 * bus-0 INTx wiring of both as QEMU and Xen model it. Pure.
 *
 * Link values are the router's PIRQ route register offsets (PIIX3 0x60-0x63,
 * ICH9 0x60-0x63 for PIRQA-D and 0x68-0x6B for E-H), the encoding Intel-
 * router BIOSes use and OS router drivers expect. The IRQ bitmap is the
 * set the DSDT link devices offer (PIR_IRQ_MASK, IRQs 5, 10, 11): those are
 * the ISA IRQs the firmware sets level-triggered in the ELCR, so a PIC-mode
 * OS routing by $PIR stays on lines ACPI agrees with.
 */
#ifndef HVMFW_PIR_H
#define HVMFW_PIR_H

#include <hvmfw/compiler.h>

enum pir_router {
	PIR_PIIX3,      /* 00:01.0, 8086:7000 */
	PIR_ICH9,       /* 00:1f.0, 8086:2918 */
};

#define PIR_IRQ_MASK ((1u << 5) | (1u << 10) | (1u << 11))
#define PIR_HEADER_LEN 32
#define PIR_SLOT_LEN 16
#define PIR_ALL_SLOTS 0xFFFFFFFFu

/* PIRQ (0 = A) that INTx pin (0 = INTA) of bus-0 slot 'slot' reaches. */
unsigned pir_pirq(enum pir_router r, uint8_t slot, uint8_t pin);
/* Link value for PIRQ n: the router's route register offset. */
uint8_t pir_link(enum pir_router r, unsigned pirq);
/* Bytes of a table listing the bus-0 slots set in 'slots' (bit n = slot n). */
uint32_t pir_size(uint32_t slots);
/* Write it; returns its length, 0 if cap is too small. */
uint32_t pir_build(enum pir_router r, uint32_t slots, uint16_t irq_mask, uint8_t *buf, uint32_t cap);

#endif
