/* SPDX-License-Identifier: MIT */
/*
 * Phase 2a: the tree the planner places. Every bridge gets an entry for
 * each window it implements (in slots of their own after the BARs), every
 * BAR and window is routed to the window of its bridge that can forward
 * it, and pins are marked. The planner then places the whole tree at once
 * (pci_assign), so nothing here decides an address.
 *
 * Routing: I/O BARs in the I/O window; non-prefetchable BARs and ROMs in
 * the memory window; prefetchable ones in the prefetchable window, except
 * that a window which is 64-bit all the way up to bus 0 only takes what can
 * itself decode above 4 GiB (64-bit BARs, 64-bit prefetchable windows);
 * anything else prefetchable then uses the memory window, as Linux does.
 * So a window that may go above 4 GiB never holds a resource that cannot,
 * and the planner's reach rule (a window goes no higher than what is in
 * it can decode) is the second line of defence.
 *
 * Reservations: an empty-able hot-plug port (PCIe slot with hot-plug, or
 * SHPC) keeps at least PCI_HP_IO / PCI_HP_MEM / PCI_HP_PREF so Linux does not
 * have to reassign when a device arrives; QEMU's resource-reserve capability
 * replaces these defaults field by field (0 = no window of that type).
 */
#include "pci_int.h"

bool pci_pref64_path(const struct pci_topo *t, int b)
{
	for (; b >= 0; b = t->b[b].parent)
		if (!t->b[b].has_pref || !t->b[b].pref64)
			return false;
	return true;
}

/* Window of bridge p that holds r, or -1 when the bridge cannot forward it. */
static int pick_win(const struct pci_topo *t, int p, const struct pci_res *r)
{
	const struct pci_bridge *b = &t->b[p];

	if (r->p.kind == PLAN_IO)
		return b->has_io ? PCI_WIN_IO : -1;
	if (!b->has_pref || !(r->p.flags & PLAN_F_PREF) || (r->p.flags & PLAN_F_ROM))
		return PCI_WIN_MEM;
	if (!pci_pref64_path(t, p) || r->is64)
		return PCI_WIN_PREF;
	return PCI_WIN_MEM;
}

static uint64_t reservation(const struct pci_bridge *b, int w)
{
	uint64_t v = PCI_RSV_NONE;

	if (w == PCI_WIN_IO)
		v = b->rsv_io;
	else if (w == PCI_WIN_MEM)
		v = b->rsv_mem;
	else
		v = b->rsv_pref64 != PCI_RSV_NONE ? b->rsv_pref64 : b->rsv_pref32;
	if (v != PCI_RSV_NONE)
		return v;
	if (!b->hotplug)
		return 0;
	return w == PCI_WIN_IO ? PCI_HP_IO : w == PCI_WIN_MEM ? PCI_HP_MEM : PCI_HP_PREF;
}

static void mark_pins(struct pci_topo *t, const struct pci_access *a,
		      const struct pci_pin *pins, size_t npins)
{
	for (size_t k = 0; k < npins; k++) {
		bool found = false;

		for (unsigned i = 0; i < t->nr && !found; i++) {
			struct pci_res *r = &t->r[i];

			if (r->bar < PLAN_BAR_WIN_IO && t->f[r->func].bdf == pins[k].bdf &&
			    r->bar == pins[k].bar) {
				r->p.pinned = true;
				r->p.pin_addr = pins[k].addr;
				found = true;
			}
		}
		if (!found)
			pci_logf(a, "pci: pin %02x:%02x.%x BAR%u at 0x%llx: no such BAR, ignored",
				 PCI_BUS(pins[k].bdf), PCI_DEV(pins[k].bdf), PCI_FN(pins[k].bdf),
				 pins[k].bar, (unsigned long long)pins[k].addr);
	}
}

static void refuse(struct pci_res *r, uint8_t reason)
{
	r->p.status = PLAN_ST_REFUSED;
	r->p.reason = reason;
}

static void add_window(struct pci_topo *t, int bi, int w)
{
	struct pci_bridge *b = &t->b[bi];
	const struct pci_func *bf = &t->f[b->func];
	uint64_t granule = w == PCI_WIN_IO ? PCI_IO_GRANULE : PCI_MEM_GRANULE;
	struct pci_res *win;

	if (t->nr >= PCI_MAX_ENTRIES)	/* cannot happen: slots are reserved per bridge */
		return;
	win = &t->r[t->nr];
	memset(win, 0, sizeof(*win));
	win->p.size = ALIGN_UP(reservation(b, w), granule);
	win->p.align = granule;
	win->is64 = w == PCI_WIN_PREF && b->pref64;
	win->p.kind = w == PCI_WIN_IO ? PLAN_IO :
		      (w == PCI_WIN_PREF && pci_pref64_path(t, bi)) ? PLAN_MEM64 : PLAN_MEM32;
	win->p.flags = PLAN_F_WINDOW | (w == PCI_WIN_PREF ? PLAN_F_PREF : 0);
	win->p.owner = PLAN_OWNER(PCI_BUS(bf->bdf), PCI_DEV(bf->bdf), PCI_FN(bf->bdf),
				  PLAN_BAR_WIN_IO + w);
	win->func = b->func;
	win->bar = (uint8_t)(PLAN_BAR_WIN_IO + w);
	win->parent = b->parent;
	b->win[w] = (int16_t)t->nr++;
}

void pci_size_windows(struct pci_topo *t, const struct pci_access *a, struct pci_plan *pl)
{
	mark_pins(t, a, pl->pins, pl->npins);
	for (unsigned bi = 0; bi < t->nb; bi++)
		for (int w = 0; w < PCI_WIN_N; w++) {
			t->b[bi].win[w] = -1;
			if ((w == PCI_WIN_IO && !t->b[bi].has_io) ||
			    (w == PCI_WIN_PREF && !t->b[bi].has_pref) || !t->b[bi].secondary)
				continue;
			add_window(t, (int)bi, w);
		}
	/* Route every BAR and window to a window of the bridge above it. */
	for (unsigned i = 0; i < t->nr; i++) {
		struct pci_res *r = &t->r[i];
		int pw;

		if (r->parent < 0)
			continue;
		pw = pick_win(t, r->parent, r);
		if (pw < 0 || t->b[r->parent].win[pw] < 0)
			refuse(r, PCI_R_NO_WINDOW);
		else
			r->pwin = (uint8_t)pw;
	}
}
