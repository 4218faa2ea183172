/* SPDX-License-Identifier: MIT */
/*
 * Phase 3: program the plan. Every BAR, ROM BAR and bridge window is written
 * while decode is still off (pci_scan turned it off); only then does each
 * function get I/O / memory decode and bus mastering, so no device ever
 * decodes a half-written address. Interrupt lines are written on the way.
 */
#include "pci_int.h"

static void write_bar(const struct pci_access *a, const struct pci_func *f,
		      const struct pci_res *r)
{
	uint64_t addr = r->p.status == PLAN_ST_PLACED ? r->p.addr : 0;

	/* ROM enable (bit 0) stays clear: the OS maps ROMs itself when it wants them. */
	wr32(a, f->bdf, r->reg, (uint32_t)addr);
	if (r->is64)
		wr32(a, f->bdf, r->reg + 4, (uint32_t)(addr >> 32));
}

/* Base/limit of a placed window, or base > limit to close it. */
static bool window_range(const struct pci_topo *t, int wi, uint64_t *base, uint64_t *limit)
{
	if (wi < 0 || t->r[wi].p.status != PLAN_ST_PLACED || !t->r[wi].p.span)
		return false;
	*base = t->r[wi].p.addr;
	*limit = *base + t->r[wi].p.span - 1;
	return true;
}

static void write_windows(const struct pci_topo *t, const struct pci_access *a,
			  const struct pci_bridge *b)
{
	uint16_t bdf = t->f[b->func].bdf;
	uint64_t base, limit;

	/* Closed windows are written too: the probe left 0xF0F0 / 0xFFF0FFF0 there. */
	if (b->has_io) {
		uint16_t v = 0x00F0;

		if (window_range(t, b->win[PCI_WIN_IO], &base, &limit))
			v = (uint16_t)(((base >> 8) & 0xF0) | (limit & 0xF000));
		wr16(a, bdf, PCI_IO_BASE, v);
	}
	uint32_t mem = 0x0000FFF0;

	if (window_range(t, b->win[PCI_WIN_MEM], &base, &limit))
		mem = (uint32_t)(((base >> 16) & 0xFFF0) | (limit & 0xFFF00000));
	wr32(a, bdf, PCI_MEM_BASE, mem);
	if (b->has_pref) {
		uint32_t pref = 0x0000FFF0;
		bool open = window_range(t, b->win[PCI_WIN_PREF], &base, &limit);

		if (open)
			pref = (uint32_t)(((base >> 16) & 0xFFF0) | (limit & 0xFFF00000));
		wr32(a, bdf, PCI_PREF_BASE, pref);
		/* Upper halves are zero from reset and never written when closed. */
		if (open && b->pref64) {
			wr32(a, bdf, PCI_PREF_BASE_UPPER, (uint32_t)(base >> 32));
			wr32(a, bdf, PCI_PREF_LIMIT_UPPER, (uint32_t)(limit >> 32));
		}
	}
}

/* Legacy decoders: VGA and IDE answer fixed ports/addresses besides their BARs. */
static uint16_t legacy_decode(const struct pci_func *f)
{
	uint32_t sc = PCI_SUBCLASS16(f->class_rev);

	if (sc == 0x0300)
		return PCI_CMD_IO | PCI_CMD_MEM;
	if (sc == 0x0101)
		return PCI_CMD_IO;
	return 0;
}

static uint16_t decode_bits(const struct pci_topo *t, const struct pci_func *f)
{
	uint16_t cmd = legacy_decode(f);

	for (unsigned i = f->res_first; i < f->res_first + f->nres; i++) {
		const struct pci_res *r = &t->r[i];

		if (r->p.status == PLAN_ST_PLACED && r->bar < PLAN_BAR_ROM)
			cmd |= pci_res_is_io(r) ? PCI_CMD_IO : PCI_CMD_MEM;
	}
	if (f->bridge >= 0) {
		const struct pci_bridge *b = &t->b[f->bridge];
		uint64_t base, limit;

		if (window_range(t, b->win[PCI_WIN_IO], &base, &limit))
			cmd |= PCI_CMD_IO;
		if (window_range(t, b->win[PCI_WIN_MEM], &base, &limit) ||
		    window_range(t, b->win[PCI_WIN_PREF], &base, &limit))
			cmd |= PCI_CMD_MEM;
	}
	if (f->off & PCI_OFF_IO)
		cmd &= (uint16_t)~PCI_CMD_IO;
	if (f->off & PCI_OFF_MEM)
		cmd &= (uint16_t)~PCI_CMD_MEM;
	return cmd;
}

void pci_apply(struct pci_topo *t, const struct pci_access *a,
	       uint8_t (*intx_irq)(uint8_t slot, uint8_t pin))
{
	/* 1: addresses, windows, interrupt lines; decode is off everywhere. */
	for (unsigned i = 0; i < t->nf; i++) {
		struct pci_func *f = &t->f[i];

		for (unsigned k = f->res_first; k < f->res_first + f->nres; k++)
			write_bar(a, f, &t->r[k]);
		if (f->bridge >= 0)
			write_windows(t, a, &t->b[f->bridge]);
		/* The chipset code sets its own functions' lines (SCI, ...). */
		if (f->pin && !pci_is_chipset(f)) {
			uint8_t slot = 0, pin = pci_swizzle(t, f, &slot);

			f->irq = intx_irq ? intx_irq(slot, pin) : 0;
			wr8(a, f->bdf, PCI_INT_LINE, f->irq);
		}
	}
	/* 2: decode and bus mastering, now that every address is final. */
	for (unsigned i = 0; i < t->nf; i++) {
		struct pci_func *f = &t->f[i];

		if (pci_is_chipset(f) && !f->nres)
			continue;
		wr16(a, f->bdf, PCI_COMMAND, f->cmd | decode_bits(t, f) | PCI_CMD_MASTER);
	}
}
