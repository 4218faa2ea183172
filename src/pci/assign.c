/* SPDX-License-Identifier: MIT */
/*
 * Phase 2b: hand bus 0's BARs, the top-level bridge windows and the ECAM
 * window to plan_solve, then turn every window-relative offset into an
 * absolute address, top-down. A refused window refuses everything in it;
 * a refused BAR switches its function's decode of that space off.
 */
#include "pci_int.h"

static void place_children(struct pci_topo *t, int bi)
{
	for (int w = 0; w < PCI_WIN_N; w++) {
		int wi = t->b[bi].win[w];

		for (unsigned i = 0; i < t->nr; i++) {
			struct pci_res *c = &t->r[i];

			if (c->parent != bi || c->pwin != w || c->p.status == PLAN_ST_REFUSED)
				continue;
			if (wi < 0 || t->r[wi].p.status != PLAN_ST_PLACED) {
				c->p.status = PLAN_ST_REFUSED;
				c->p.reason = PCI_R_PARENT;
				continue;
			}
			c->p.addr += t->r[wi].p.addr;
		}
	}
}

static void note_refusals(struct pci_topo *t, const struct pci_access *a, struct pci_plan *pl)
{
	char name[24];

	for (unsigned i = 0; i < t->nr; i++) {
		const struct pci_res *r = &t->r[i];
		struct pci_func *f = &t->f[r->func];

		if (r->p.status == PLAN_ST_PLACED)
			continue;
		pl->refused++;
		if (r->bar < PLAN_BAR_ROM)
			f->off |= pci_res_is_io(r) ? PCI_OFF_IO : PCI_OFF_MEM;
		/* Refused pins were logged with their conflict when they were judged. */
		if (r->p.pinned && r->p.reason >= PLAN_R_PIN_MISALIGNED &&
		    r->p.reason <= PLAN_R_PIN_OUTSIDE_WINDOW)
			continue;
		pci_func_name(f, name, sizeof(name));
		if (r->bar >= PLAN_BAR_WIN_IO)
			pci_logf(a, "pci: %s %s window (0x%llx bytes) refused: %s; closed, devices "
				 "behind it lose that space", name,
				 r->bar == PLAN_BAR_WIN_IO ? "I/O" :
				 r->bar == PLAN_BAR_WIN_MEM ? "memory" : "prefetchable",
				 (unsigned long long)r->p.size, pci_reason_name(r->p.reason));
		else
			pci_logf(a, "pci: %s %s%u (0x%llx bytes) refused: %s; %s decode left off",
				 name, r->bar == PLAN_BAR_ROM ? "ROM" : "BAR",
				 r->bar == PLAN_BAR_ROM ? 0 : r->bar, (unsigned long long)r->p.size,
				 pci_reason_name(r->p.reason),
				 r->bar == PLAN_BAR_ROM ? "ROM" : pci_res_is_io(r) ? "I/O" : "memory");
	}
}

int pci_assign(struct pci_topo *t, const struct pci_access *a, struct pci_plan *pl)
{
	size_t n = 0;

	for (unsigned i = 0; i < t->nr; i++)
		if (t->r[i].parent < 0 && t->r[i].p.status == PLAN_ST_NONE) {
			t->work[n] = t->r[i].p;
			t->work_idx[n++] = (uint16_t)i;
		}
	size_t ecam = n;

	if (pl->ecam_size) {
		struct plan_res *e = &t->work[n++];

		memset(e, 0, sizeof(*e));
		e->kind = PLAN_MEM32;
		e->flags = PLAN_F_ECAM;
		e->owner = PLAN_OWNER_ECAM;
		e->size = pl->ecam_size;
		e->align = MAX(pl->ecam_align, pl->ecam_size);
	}
	pl->ecam_base = 0;
	pl->refused = 0;
	pl->solve_rc = plan_solve(&pl->in, t->work, n, pl->scratch, pl->scratch_bytes, &pl->out);
	if (pl->solve_rc < 0) {
		pci_logf(a, "pci: planner failed (%d) for %u resources; all PCI decode stays off",
			 pl->solve_rc, (unsigned)n);
		for (size_t k = 0; k < ecam; k++) {
			t->work[k].status = PLAN_ST_REFUSED;
			t->work[k].reason = PCI_R_PLANNER;
		}
	}
	for (size_t k = 0; k < ecam; k++)
		t->r[t->work_idx[k]].p = t->work[k];
	if (pl->ecam_size && pl->solve_rc >= 0) {
		if (t->work[ecam].status == PLAN_ST_PLACED)
			pl->ecam_base = t->work[ecam].addr;
		else
			pci_logf(a, "pci: ECAM window (0x%llx bytes) refused: %s; config space stays "
				 "on ports 0xCF8/0xCFC", (unsigned long long)pl->ecam_size,
				 plan_reason_name(t->work[ecam].reason));
	}
	/* Parents have lower bridge indices than their children. */
	for (unsigned bi = 0; bi < t->nb; bi++)
		place_children(t, (int)bi);
	note_refusals(t, a, pl);
	return (int)pl->refused;
}

int pci_plan(struct pci_topo *t, const struct pci_access *a, struct pci_plan *pl)
{
	pci_size_windows(t, a, pl);
	return pci_assign(t, a, pl);
}

uint8_t pci_swizzle(const struct pci_topo *t, const struct pci_func *f, uint8_t *slot)
{
	uint8_t pin = f->pin;
	unsigned dev = PCI_DEV(f->bdf);

	if (!pin)
		return 0;
	/* Each bridge maps (device d, pin p) to pin ((p - 1 + d) mod 4) + 1 upstream. */
	for (int p = f->parent; p >= 0; p = t->f[t->b[p].func].parent) {
		pin = (uint8_t)(((pin - 1 + dev) & 3) + 1);
		dev = PCI_DEV(t->f[t->b[p].func].bdf);
	}
	*slot = (uint8_t)dev;
	return pin;
}
