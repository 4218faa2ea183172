/* SPDX-License-Identifier: MIT */
/* Running the enumerator against the model, and the invariants every test checks. */
#ifndef TEST_PCI_CHECK_H
#define TEST_PCI_CHECK_H

#include "pci_model.h"

struct run {
	struct pci_topo t;
	struct pci_plan pl;
	struct plan_range ram[2], rsv[1];
	uint8_t scratch[1 << 20];
	struct pci_access access;	/* model_access unless a test changes it */
};

extern struct run R;

/* A QEMU-like platform: 1 GiB of RAM, IOAPIC..4G reserved. */
void run_init(void);
/* scan + plan + apply; ecam_size 0 = no ECAM. Returns the number of refusals. */
int run_all(const struct pci_pin *pins, size_t npins, uint64_t ecam_size);
/* The interrupt line the tests' fake chipset gives (slot, pin). */
uint8_t test_intx(uint8_t slot, uint8_t pin);
/* Table entry of the model function f (by its final BDF), NULL if not enumerated. */
const struct pci_func *run_func(int f);
uint16_t m_bdf(int f);

/*
 * What the hardware now decodes, checked from the model's registers alone:
 * no address register written while decoding, decode on only after the last
 * address write, every decoded BAR/window inside its bridge's window of the
 * right type, nothing overlapping on a bus or with RAM, ROMs disabled.
 * Then the plan itself passes pci_verify.
 */
void check_invariants(void);

/* pci_verify on the last run; fails the test with its message when it finds a violation. */
void check_verify(void);

#endif
