/* SPDX-License-Identifier: MIT */
/* Enumerator internals shared by src/pci/ files (not a public API). */
#ifndef HVMFW_PCI_INT_H
#define HVMFW_PCI_INT_H

#include <hvmfw/pci_topo.h>
#include <hvmfw/pci_cfg.h>
#include <hvmfw/string.h>
#include "pci_regs.h"

static inline uint32_t rd32(const struct pci_access *a, uint16_t bdf, uint16_t off)
{
	return a->read(a->ctx, bdf, off, 4);
}

static inline uint16_t rd16(const struct pci_access *a, uint16_t bdf, uint16_t off)
{
	return (uint16_t)a->read(a->ctx, bdf, off, 2);
}

static inline uint8_t rd8(const struct pci_access *a, uint16_t bdf, uint16_t off)
{
	return (uint8_t)a->read(a->ctx, bdf, off, 1);
}

static inline void wr32(const struct pci_access *a, uint16_t bdf, uint16_t off, uint32_t v)
{
	a->write(a->ctx, bdf, off, 4, v);
}

static inline void wr16(const struct pci_access *a, uint16_t bdf, uint16_t off, uint16_t v)
{
	a->write(a->ctx, bdf, off, 2, v);
}

static inline void wr8(const struct pci_access *a, uint16_t bdf, uint16_t off, uint8_t v)
{
	a->write(a->ctx, bdf, off, 1, v);
}

/* Functions the chipset code owns (matched by location and IDs when scanned). */
static inline bool pci_is_chipset(const struct pci_func *f)
{
	return f->chipset;
}

static inline bool pci_res_is_io(const struct pci_res *r)
{
	return r->p.kind == PLAN_IO;
}

/* Bridge with a 64-bit prefetchable window all the way up to bus 0. */
bool pci_pref64_path(const struct pci_topo *t, int b);

#endif
