/* SPDX-License-Identifier: MIT */
/*
 * Phase 2a: size the bridge windows bottom-up. Each window's children
 * (BARs of the devices on the secondary bus and the windows of bridges
 * there) are packed with plan_pack_children; the window becomes one more
 * resource of its own parent.
 *
 * Window choice below a bridge: I/O BARs in the I/O window; non-prefetchable
 * BARs and ROMs in the memory window; prefetchable BARs in the prefetchable
 * window, except that a window which is 64-bit all the way up to bus 0 only
 * takes 64-bit BARs (32-bit prefetchable BARs then use the memory window,
 * which Linux accepts). So a 64-bit prefetchable window never holds a BAR
 * that must stay below 4 GiB and can go to the planner as MEM64.
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
	if (r->bar == PLAN_BAR_WIN_PREF || !pci_pref64_path(t, p) || r->is64)
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

			if (t->f[r->func].bdf == pins[k].bdf && r->bar == pins[k].bar) {
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

/*
 * Judge every pin against the platform before windows are packed: a pin the
 * planner would refuse must not drag its bridge windows along. A refused pin
 * is logged once with its conflict and its BAR stays unplaced with that
 * space's decode off: a 1:1 device at another address would desync from its
 * driver, which reads the host address from the device itself.
 */
static void judge_pins(struct pci_topo *t, const struct pci_access *a, struct pci_plan *pl)
{
	size_t n = 0;
	char line[200];

	for (unsigned i = 0; i < t->nr; i++)
		if (t->r[i].p.pinned) {
			t->work[n] = t->r[i].p;
			t->work_idx[n++] = (uint16_t)i;
		}
	if (!n || plan_check_pins(&pl->in, t->work, n, pl->scratch, pl->scratch_bytes) <= 0)
		return;
	for (size_t k = 0; k < n; k++) {
		struct pci_res *r = &t->r[t->work_idx[k]];

		if (t->work[k].status != PLAN_ST_REFUSED)
			continue;
		char name[32];
		const char *reason = plan_reason_name(t->work[k].reason), *detail;

		/* The planner's details follow "refused <owner> ... pinned at X: <reason> ". */
		plan_format_refusal(line, sizeof(line), &pl->in, t->work, n, k);
		line[strnlen(line, sizeof(line)) - 1] = '\0';
		detail = strstr(line, reason);
		detail = detail ? detail + strlen(reason) : "";
		while (*detail == ' ')
			detail++;
		pci_func_name(&t->f[r->func], name, sizeof(name));
		pci_logf(a, "pci: %s %s%u (0x%llx bytes) refused: %s; pin 0x%llx%s%s; %s decode left off",
			 name, r->bar == PLAN_BAR_ROM ? "ROM" : "BAR",
			 r->bar == PLAN_BAR_ROM ? 0 : r->bar, (unsigned long long)r->p.size, reason,
			 (unsigned long long)r->p.pin_addr, *detail ? " vs " : "", detail,
			 r->bar == PLAN_BAR_ROM ? "ROM" : pci_res_is_io(r) ? "I/O" : "memory");
		/* Remember what hole would have kept a pin that sits below it. */
		if (t->work[k].reason == PLAN_R_PIN_BELOW_HOLE)
			pl->pin_need_start = MIN(pl->pin_need_start, ALIGN_DOWN(r->p.pin_addr, MiB(1)));
		r->p.status = PLAN_ST_REFUSED;
		r->p.reason = t->work[k].reason;
		r->p.addr = 0;
	}
}

static void refuse(struct pci_res *r, uint8_t reason)
{
	r->p.status = PLAN_ST_REFUSED;
	r->p.reason = reason;
}

static void size_window(struct pci_topo *t, const struct pci_access *a, int bi, int w)
{
	struct pci_bridge *b = &t->b[bi];
	const struct pci_func *bf = &t->f[b->func];
	uint64_t granule = w == PCI_WIN_IO ? PCI_IO_GRANULE : PCI_MEM_GRANULE;
	uint64_t min = reservation(b, w);
	size_t n = 0;

	for (unsigned i = 0; i < t->nr; i++)
		if (t->r[i].parent == bi && t->r[i].pwin == w && t->r[i].p.status == PLAN_ST_NONE) {
			t->work[n] = t->r[i].p;
			t->work_idx[n++] = (uint16_t)i;
		}
	if (!n && !min)
		return;
	if (t->nr >= PCI_MAX_RES) {
		char name[24];

		pci_func_name(bf, name, sizeof(name));
		pci_logf(a, "pci: %s: resource table full, window %d closed", name, w);
		t->dropped++;
		for (size_t k = 0; k < n; k++)
			refuse(&t->r[t->work_idx[k]], PCI_R_TABLE);
		return;
	}
	struct pci_res *win = &t->r[t->nr];

	memset(win, 0, sizeof(*win));
	if (n && plan_pack_children(t->work, n, granule, &win->p) < 0) {
		for (size_t k = 0; k < n; k++)
			refuse(&t->r[t->work_idx[k]], PLAN_R_BAD_REQUEST);
		return;
	}
	for (size_t k = 0; k < n; k++)
		t->r[t->work_idx[k]].p = t->work[k];
	win->p.size = MAX(win->p.size, ALIGN_UP(min, granule));
	win->p.align = MAX(win->p.align, granule);
	win->p.kind = w == PCI_WIN_IO ? PLAN_IO :
		      (w == PCI_WIN_PREF && pci_pref64_path(t, bi)) ? PLAN_MEM64 : PLAN_MEM32;
	win->p.flags = PLAN_F_WINDOW | (w == PCI_WIN_PREF ? PLAN_F_PREF : 0);
	win->p.owner = PLAN_OWNER(PCI_BUS(bf->bdf), PCI_DEV(bf->bdf), PCI_FN(bf->bdf),
				  PLAN_BAR_WIN_IO + w);
	win->p.status = PLAN_ST_NONE;
	win->func = b->func;
	win->bar = (uint8_t)(PLAN_BAR_WIN_IO + w);
	win->is64 = win->p.kind == PLAN_MEM64;
	win->parent = b->parent;
	b->win[w] = (int16_t)t->nr++;
	if (b->parent >= 0) {
		int pw = pick_win(t, b->parent, win);

		if (pw < 0)
			refuse(win, PCI_R_NO_WINDOW);
		else
			win->pwin = (uint8_t)pw;
	}
}

void pci_size_windows(struct pci_topo *t, const struct pci_access *a, struct pci_plan *pl)
{
	pl->pin_need_start = UINT64_MAX;
	mark_pins(t, a, pl->pins, pl->npins);
	judge_pins(t, a, pl);
	/* Route every BAR to a window of its bridge; a bridge without I/O refuses I/O BARs. */
	for (unsigned i = 0; i < t->nr; i++) {
		struct pci_res *r = &t->r[i];

		if (r->parent < 0)
			continue;
		int pw = pick_win(t, r->parent, r);

		if (pw < 0)
			refuse(r, PCI_R_NO_WINDOW);
		else
			r->pwin = (uint8_t)pw;
	}
	/* Children have higher bridge indices than their parents: walk backwards. */
	for (int bi = (int)t->nb - 1; bi >= 0; bi--)
		for (int w = 0; w < PCI_WIN_N; w++) {
			if ((w == PCI_WIN_IO && !t->b[bi].has_io) ||
			    (w == PCI_WIN_PREF && !t->b[bi].has_pref))
				continue;
			size_window(t, a, bi, w);
		}
}
