/* SPDX-License-Identifier: MIT */
/*
 * Phase 2b: hand the whole tree (BARs, ROMs, every bridge window, the ECAM
 * window) to plan_solve in one call, copy the addresses back, and log every
 * refusal with its root cause: what it collided with and by how much. A
 * refused BAR switches its function's decode of that space off.
 */
#include "pci_int.h"

/* The window r sits in, as an index in t->r (-1: the host bridge). */
static int container(const struct pci_topo *t, const struct pci_res *r)
{
	return r->parent < 0 ? -1 : t->b[r->parent].win[r->pwin];
}

static void refuse(struct pci_res *r, uint8_t reason)
{
	r->p.status = PLAN_ST_REFUSED;
	r->p.reason = reason;
	r->p.addr = 0;
	r->p.span = 0;
}

static const char *label(const struct pci_res *r, char *buf, size_t len)
{
	static const char *const win[] = { "I/O window", "memory window", "prefetchable window" };

	if (r->bar >= PLAN_BAR_WIN_IO)
		return win[r->bar - PLAN_BAR_WIN_IO];
	snprintf(buf, len, r->bar == PLAN_BAR_ROM ? "ROM" : "BAR%u", r->bar);
	return buf;
}

static void log_refusal(struct pci_topo *t, const struct pci_access *a, const struct pci_plan *pl,
			size_t nwork, const struct pci_res *r)
{
	char name[24], lb[8], line[240];
	const char *reason = pci_reason_name(r->p.reason), *detail = "";
	int k = t->work_of[r - t->r];

	pci_func_name(&t->f[r->func], name, sizeof(name));
	if (k >= 0 && r->p.reason < PLAN_R__COUNT) {
		/* The planner's detail follows "refused <owner> ...: <reason> ". */
		plan_format_refusal(line, sizeof(line), &pl->in, t->work, nwork, (size_t)k);
		line[strnlen(line, sizeof(line)) - 1] = '\0';
		detail = strstr(line, plan_reason_name(r->p.reason));
		detail = detail ? detail + strlen(plan_reason_name(r->p.reason)) : "";
		while (*detail == ' ')
			detail++;
	}
	if (r->bar >= PLAN_BAR_WIN_IO) {
		pci_logf(a, "pci: %s %s (0x%llx bytes) refused: %s%s%s; closed, devices behind it "
			 "lose that space", name, label(r, lb, sizeof(lb)),
			 (unsigned long long)r->p.size, reason, *detail ? "; " : "", detail);
	} else if (r->p.pinned) {
		pci_logf(a, "pci: %s %s (0x%llx bytes) refused: %s; pin 0x%llx%s%s; %s decode left off",
			 name, label(r, lb, sizeof(lb)), (unsigned long long)r->p.size, reason,
			 (unsigned long long)r->p.pin_addr, *detail ? " vs " : "", detail,
			 r->bar == PLAN_BAR_ROM ? "ROM" : pci_res_is_io(r) ? "I/O" : "memory");
	} else {
		pci_logf(a, "pci: %s %s (0x%llx bytes) refused: %s%s%s; %s decode left off",
			 name, label(r, lb, sizeof(lb)), (unsigned long long)r->p.size, reason,
			 *detail ? "; " : "", detail,
			 r->bar == PLAN_BAR_ROM ? "ROM" : pci_res_is_io(r) ? "I/O" : "memory");
	}
}

static void note_refusals(struct pci_topo *t, const struct pci_access *a, struct pci_plan *pl,
			  size_t nwork)
{
	for (unsigned i = 0; i < t->nr; i++) {
		const struct pci_res *r = &t->r[i];
		int c = container(t, r);

		if (r->p.status == PLAN_ST_PLACED)
			continue;
		pl->refused++;
		if (r->bar < PLAN_BAR_ROM)
			t->f[r->func].off |= pci_res_is_io(r) ? PCI_OFF_IO : PCI_OFF_MEM;
		/* Only the root cause gets a line: not what went with a refused window. */
		if (r->p.reason == PLAN_R_PARENT || r->p.reason == PCI_R_PARENT ||
		    r->p.reason == PCI_R_TABLE)
			if (c >= 0 && t->r[c].p.status != PLAN_ST_PLACED)
				continue;
		log_refusal(t, a, pl, nwork, r);
	}
}

/* BARs and windows whose window above was left out go with it (parents first). */
static void refuse_orphans(struct pci_topo *t)
{
	for (unsigned pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < t->nr; i++) {
			struct pci_res *r = &t->r[i];
			int c = container(t, r);

			if ((pass == 0) != (r->bar >= PLAN_BAR_WIN_IO) || r->p.status == PLAN_ST_REFUSED)
				continue;
			if (c >= 0 && t->r[c].p.status == PLAN_ST_REFUSED)
				refuse(r, PCI_R_PARENT);
		}
}

int pci_assign(struct pci_topo *t, const struct pci_access *a, struct pci_plan *pl)
{
	size_t n = 0, ecam;

	refuse_orphans(t);
	for (unsigned i = 0; i < t->nr; i++) {
		t->work_of[i] = -1;
		if (t->r[i].p.status == PLAN_ST_NONE) {
			t->work_of[i] = (int16_t)n;
			t->work[n] = t->r[i].p;
			t->work_idx[n++] = (uint16_t)i;
		}
	}
	for (size_t k = 0; k < n; k++) {
		int c = container(t, &t->r[t->work_idx[k]]);

		t->work[k].parent = c < 0 ? 0 : (uint32_t)t->work_of[c] + 1;
	}
	ecam = n;
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
	for (size_t k = 0; k < ecam; k++) {
		uint32_t parent = t->r[t->work_idx[k]].p.parent;

		t->r[t->work_idx[k]].p = t->work[k];
		t->r[t->work_idx[k]].p.parent = parent;
	}
	if (pl->ecam_size && pl->solve_rc >= 0) {
		char line[200];

		if (t->work[ecam].status == PLAN_ST_PLACED) {
			pl->ecam_base = t->work[ecam].addr;
		} else {
			plan_format_refusal(line, sizeof(line), &pl->in, t->work, n, ecam);
			line[strnlen(line, sizeof(line)) - 1] = '\0';
			pci_logf(a, "pci: ECAM window (0x%llx bytes) %s; config space stays on ports "
				 "0xCF8/0xCFC", (unsigned long long)pl->ecam_size, line);
		}
	}
	note_refusals(t, a, pl, n);
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
