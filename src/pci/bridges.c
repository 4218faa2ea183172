/* SPDX-License-Identifier: MIT */
/*
 * The bridge tree as the SSDT needs it for per-bridge _PRT: where each
 * bridge sits, and at which bus-0 slot and pin offset the INTx of its
 * secondary bus come out after the swizzle of every bridge on the way.
 */
#include "pci_int.h"
#include <hvmfw/acpi.h>

#define LEFT_OUT 0xFF

_Static_assert(PCI_MAX_BRIDGES <= ACPI_MAX_BRIDGES, "every bridge must fit the ACPI list");
_Static_assert(PCI_MAX_BRIDGES < LEFT_OUT, "bridge indices must fit a byte");

void pci_bridges_describe(const struct pci_topo *t, struct acpi_pci_bridges *out)
{
	uint8_t idx[PCI_MAX_BRIDGES];	/* topo bridge -> out index */

	memset(out, 0, sizeof(*out));
	/* Scan order puts a parent before its children, so idx[parent] is known. */
	for (unsigned i = 0; i < t->nb && i < PCI_MAX_BRIDGES; i++) {
		const struct pci_bridge *b = &t->b[i];
		const struct pci_func *f = &t->f[b->func];
		struct acpi_pci_bridge *d = &out->b[out->n];

		idx[i] = LEFT_OUT;
		/* A closed bridge (no bus number) has nothing behind it to route. */
		if (b->secondary == 0)
			continue;
		if (b->parent >= 0 && ((unsigned)b->parent >= i || idx[b->parent] == LEFT_OUT))
			continue;
		d->dev = (uint8_t)PCI_DEV(f->bdf);
		d->fn = (uint8_t)PCI_FN(f->bdf);
		d->secondary = b->secondary;
		if (b->parent < 0) {
			d->parent = ACPI_BRIDGE_ROOT;
			d->root_slot = d->dev;
			d->pin_off = 0;
		} else {
			const struct acpi_pci_bridge *p = &out->b[idx[b->parent]];

			/* Leaving this bridge upstream adds its own device number to the pin. */
			d->parent = idx[b->parent];
			d->root_slot = p->root_slot;
			d->pin_off = (uint8_t)((p->pin_off + d->dev) & 3);
		}
		idx[i] = out->n++;
	}
}
