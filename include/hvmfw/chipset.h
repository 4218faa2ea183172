/* SPDX-License-Identifier: MIT */
/* Chipset layer: what differs between i440FX/PIIX and Q35/ICH9. */
#ifndef HVMFW_CHIPSET_H
#define HVMFW_CHIPSET_H

#include <hvmfw/acpi.h>

/* Fixed I/O layout shared by both chipsets (and by Xen's "V1" PM layout). */
#define PM_BASE 0xB000
#define PM1A_CNT (PM_BASE + 4)
#define PM1_SCI_EN 0x0001
#define PM1_SLP_EN 0x2000
#define SCI_IRQ 9
#define RESET_PORT 0xCF9
#define ELCR1 0x4D0
#define ELCR2 0x4D1

/*
 * A PCI function the chipset code programs itself (host bridge, ISA/LPC
 * bridge, PM function): known by where it sits and its IDs, never by its
 * class, so a passed-through device of the same class is still enumerated.
 */
struct chipset_func {
	uint16_t bdf;
	uint16_t vendor, device;        /* vendor 0 ends a list */
};

/* The lists of each chipset, ended by vendor 0 (pure data, also built for the host). */
extern const struct chipset_func chipset_i440fx_funcs[];
extern const struct chipset_func chipset_q35_funcs[];

/* Is (bdf, vendor:device) one of the functions in list? NULL: none is. */
bool chipset_owns(const struct chipset_func *list, uint16_t bdf, uint16_t vendor,
		  uint16_t device);

struct chipset {
	const char *name;
	uint16_t vendor, device;        /* at 00:00.0 */
	const struct chipset_func *funcs; /* functions the enumerator must leave alone */
	enum acpi_chipset acpi_kind;
	const uint8_t *dsdt;
	const uint32_t *dsdt_len;
	/* Make 0xC0000-0xFFFFF RAM (QEMU only: on Xen it already is). */
	void (*shadow_ram)(void);
	/* PM I/O block, SCI, PIRQ routers and ELCR. */
	void (*init)(void);
	/* Legacy IRQ a bus-0 device's INTx pin (1 = INTA) reaches, 0 if none. */
	uint8_t (*intx_irq)(uint8_t slot, uint8_t pin);
	/* Chipset part of the ACPI description (PM block, GPE0). */
	void (*acpi_fill)(struct acpi_config *cfg);
	/*
	 * PCIe ECAM (NULL: none). Point it at [base, base + size), size 64, 128 or
	 * 256 MiB; size 0 turns it off. Switches config access back to the ports
	 * first (the caller switches to ECAM afterwards).
	 */
	void (*ecam_set)(uint64_t base, uint64_t size);
	/*
	 * Tell the memory controller where RAM ends around the hole (NULL: nothing
	 * to tell). tolud: end of RAM below 4 GiB; touud: end of RAM above it (at
	 * least 4 GiB); remap_size 0: no RAM is remapped from under the hole.
	 */
	void (*ram_layout)(uint64_t tolud, uint64_t touud, uint64_t remap_base, uint64_t remap_size);
};

extern const struct chipset chipset_i440fx;
extern const struct chipset chipset_q35;

/* Identify the chipset from 00:00.0; panics naming the IDs when unknown. */
const struct chipset *chipset_probe(void);
/* Fields every chipset shares (PM1 layout, SCI, reset register). */
void chipset_acpi_common(struct acpi_config *cfg);
/* Level-trigger the IRQs PCI and the SCI use (ELCR). */
void chipset_set_elcr(void);
/* Write the same IRQ to each PIRQ route register starting at 'reg'. */
void chipset_route_pirqs(uint16_t bdf, uint8_t reg, unsigned count);
/* Turn on the PM block's SCI_EN: we run the OS in ACPI mode with SMI_CMD = 0. */
void chipset_acpi_enable(void);
/* Power the machine off through ACPI S5 (SLP_TYP 0 on the QEMU and Xen models). */
void chipset_poweroff(void);
__noreturn void chipset_reset(void);
/* IRQ the firmware routed PIRQ n (0 = A) to. */
uint8_t chipset_pirq_irq(unsigned pirq);

#endif
