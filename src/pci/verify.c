/* SPDX-License-Identifier: MIT */
/*
 * pci_verify: the rules a finished plan must keep, checked from the device
 * table and the plan alone with plain pairwise tests. Nothing here is shared
 * with the planner, so a planner bug is not repeated in its own check. Runs
 * at the end of every boot, in the host tests and as the fuzzer's oracle.
 *
 * "Decoding" ranges are the placed BARs, ROMs and open bridge windows plus
 * the ECAM; the platform's reservations and RAM are what they must avoid.
 */
#include "pci_int.h"
#include <stdarg.h>

#define FOUR_GIB	0x100000000ull
#define IO_SPACE_END	0x10000ull

struct vctx {
	const struct pci_topo *t;
	const struct pci_plan *pl;
	char *msg;
	size_t len;
};

/* Bytes a placed resource decodes: the planner's span, or its size where span is not filled. */
static uint64_t decoded_bytes(const struct plan_res *p)
{
	return p->span ? p->span : p->size;
}

static int fail(const struct vctx *c, const char *fmt, ...) __printf(2, 3);

static int fail(const struct vctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->msg && c->len) {
		va_start(ap, fmt);
		vsnprintf(c->msg, c->len, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Index nr stands for the ECAM window, after the table's resources. */
static bool is_ecam(const struct vctx *c, unsigned i)
{
	return i == c->t->nr;
}

/* The range index i decodes, [*b, *e); false when it decodes nothing. */
static bool dev_range(const struct vctx *c, unsigned i, uint64_t *b, uint64_t *e)
{
	if (is_ecam(c, i)) {
		*b = c->pl->ecam_base;
		*e = *b + c->pl->ecam_size < *b ? UINT64_MAX : *b + c->pl->ecam_size;
		return c->pl->ecam_base && c->pl->ecam_size;
	}
	const struct plan_res *p = &c->t->r[i].p;
	uint64_t n = decoded_bytes(p);

	if (p->status != PLAN_ST_PLACED || !n)
		return false;
	*b = p->addr;
	/* A range running past 2^64 is caught by the per-resource checks first. */
	*e = p->addr + n < p->addr ? UINT64_MAX : p->addr + n;
	return true;
}

static bool dev_io(const struct vctx *c, unsigned i)
{
	return !is_ecam(c, i) && c->t->r[i].p.kind == PLAN_IO;
}

static const char *label(const struct pci_res *r, char *buf, size_t len)
{
	static const char *const win[] = { "win-io", "win-mem", "win-pref" };

	if (r->bar >= PLAN_BAR_WIN_IO && r->bar <= PLAN_BAR_WIN_PREF)
		return win[r->bar - PLAN_BAR_WIN_IO];
	if (r->bar == PLAN_BAR_ROM)
		return "ROM";
	snprintf(buf, len, "BAR%u", r->bar);
	return buf;
}

/* "00:03.0 1234:11e8 BAR0", "00:1c.0 1b36:000c win-mem" or "ECAM". */
static const char *dev_name(const struct vctx *c, unsigned i, char *buf, size_t len)
{
	char fn[24], bar[8];

	if (is_ecam(c, i))
		return "ECAM";
	pci_func_name(&c->t->f[c->t->r[i].func], fn, sizeof(fn));
	snprintf(buf, len, "%s %s", fn, label(&c->t->r[i], bar, sizeof(bar)));
	return buf;
}

static bool overlap(uint64_t b1, uint64_t e1, uint64_t b2, uint64_t e2)
{
	return b1 < e2 && b2 < e1;
}

/* Indices the other checks follow must point inside the table (the fuzzer feeds anything). */
static int check_structure(const struct vctx *c)
{
	const struct pci_topo *t = c->t;

	if (t->nr > PCI_MAX_ENTRIES || t->nf > PCI_MAX_FUNCS || t->nb > PCI_MAX_BRIDGES)
		return fail(c, "table counts out of range: %u resources, %u functions, %u bridges",
			    t->nr, t->nf, t->nb);
	for (unsigned i = 0; i < t->nb; i++)
		for (int w = 0; w < PCI_WIN_N; w++)
			if (t->b[i].win[w] >= (int)t->nr || t->b[i].win[w] < -1 ||
			    t->b[i].func >= t->nf)
				return fail(c, "bridge %u: window %d index %d or function %u out of "
					    "range", i, w, t->b[i].win[w], t->b[i].func);
	for (unsigned i = 0; i < t->nr; i++) {
		const struct pci_res *r = &t->r[i];

		if (r->func >= t->nf || r->parent >= (int)t->nb || r->parent < -1 ||
		    r->pwin >= PCI_WIN_N || r->bar > PLAN_BAR_WIN_PREF)
			return fail(c, "resource %u: function %u, parent %d, window %u or BAR %u "
				    "out of range", i, r->func, r->parent, r->pwin, r->bar);
		if (r->bar >= PLAN_BAR_WIN_IO) {
			int b = t->f[r->func].bridge;

			if (b < 0 || b >= (int)t->nb || t->b[b].win[r->bar - PLAN_BAR_WIN_IO] != (int)i)
				return fail(c, "resource %u: window not listed by its bridge", i);
		}
	}
	return 0;
}

/* The window of the bridge above resource r that holds it, -1 if none. */
static int window_above(const struct pci_topo *t, const struct pci_res *r)
{
	return r->parent < 0 ? -1 : t->b[r->parent].win[r->pwin];
}

/* Is resource w a window somewhere above resource i? */
static bool is_above(const struct pci_topo *t, unsigned i, unsigned w)
{
	const struct pci_res *r = &t->r[i];

	/* Bounded: a corrupt parent chain must not loop. */
	for (unsigned n = 0; n <= PCI_MAX_BRIDGES; n++) {
		int wi = window_above(t, r);

		if (wi < 0)
			return false;
		if ((unsigned)wi == w)
			return true;
		r = &t->r[wi];
	}
	return false;
}

/* Decodes only below 4 GiB: 32-bit BARs, ROMs, non-prefetchable and 32-bit prefetchable windows. */
static bool low_only(const struct pci_topo *t, const struct pci_res *r)
{
	if (r->bar == PLAN_BAR_ROM || r->bar == PLAN_BAR_WIN_MEM)
		return true;
	if (r->bar == PLAN_BAR_WIN_PREF)
		return !t->b[t->f[r->func].bridge].pref64;
	if (r->bar < PLAN_BAR_ROM)
		return r->p.kind != PLAN_IO && !r->is64;
	return false;
}

/* Rule (iv): nothing that decodes only below 4 GiB, or sits in such a window, is above it. */
static int check_reach(const struct vctx *c, unsigned i, uint64_t b, uint64_t e)
{
	const struct pci_topo *t = c->t;
	const struct pci_res *r = &t->r[i];
	char n1[40], n2[40];

	if (e <= FOUR_GIB || r->p.kind == PLAN_IO)
		return 0;
	if (low_only(t, r))
		return fail(c, "%s [0x%llx, 0x%llx) decodes only below 4 GiB but is above "
			    "[0x0, 0x100000000)", dev_name(c, i, n1, sizeof(n1)),
			    (unsigned long long)b, (unsigned long long)e);
	for (unsigned n = 0; n <= PCI_MAX_BRIDGES; n++) {
		int wi = window_above(t, r);

		if (wi < 0)
			return 0;
		r = &t->r[wi];
		if (low_only(t, r)) {
			uint64_t wb = r->p.addr, we = wb + decoded_bytes(&r->p);

			return fail(c, "%s [0x%llx, 0x%llx) is above 4 GiB inside %s [0x%llx, "
				    "0x%llx), which decodes only below 4 GiB",
				    dev_name(c, i, n1, sizeof(n1)), (unsigned long long)b,
				    (unsigned long long)e, dev_name(c, (unsigned)wi, n2, sizeof(n2)),
				    (unsigned long long)wb, (unsigned long long)we);
		}
	}
	return 0;
}

/* Rule (ii) at the root: memory in the hole or the 64-bit window, I/O in the port space. */
static int check_root(const struct vctx *c, unsigned i, uint64_t b, uint64_t e)
{
	const struct plan_output *o = &c->pl->out;
	char n1[40];

	if (dev_io(c, i)) {
		if (e > IO_SPACE_END)
			return fail(c, "%s [0x%llx, 0x%llx) is outside the I/O space [0x0, 0x10000)",
				    dev_name(c, i, n1, sizeof(n1)), (unsigned long long)b,
				    (unsigned long long)e);
		return 0;
	}
	if (b >= o->hole_start && e <= FOUR_GIB)
		return 0;
	if (o->high_end > o->high_base && b >= o->high_base && e <= o->high_end)
		return 0;
	return fail(c, "%s [0x%llx, 0x%llx) is outside the 32-bit hole [0x%llx, 0x100000000) "
		    "and the 64-bit window [0x%llx, 0x%llx)", dev_name(c, i, n1, sizeof(n1)),
		    (unsigned long long)b, (unsigned long long)e,
		    (unsigned long long)o->hole_start, (unsigned long long)o->high_base,
		    (unsigned long long)o->high_end);
}

/* Rule (ii) below a bridge: inside the window above it, which must be open and of its space. */
static int check_in_window(const struct vctx *c, unsigned i, uint64_t b, uint64_t e)
{
	const struct pci_topo *t = c->t;
	const struct pci_res *r = &t->r[i];
	int wi = window_above(t, r);
	uint64_t wb, we;
	char n1[40], n2[40], bn[24];

	if (wi < 0) {
		pci_func_name(&t->f[t->b[r->parent].func], bn, sizeof(bn));
		return fail(c, "%s [0x%llx, 0x%llx) is placed behind %s, which has no window "
			    "for it", dev_name(c, i, n1, sizeof(n1)), (unsigned long long)b,
			    (unsigned long long)e, bn);
	}
	if (!dev_range(c, (unsigned)wi, &wb, &we))
		return fail(c, "%s [0x%llx, 0x%llx) is placed inside %s (0x%llx bytes), which is "
			    "refused or closed", dev_name(c, i, n1, sizeof(n1)),
			    (unsigned long long)b, (unsigned long long)e,
			    dev_name(c, (unsigned)wi, n2, sizeof(n2)),
			    (unsigned long long)t->r[wi].p.size);
	if (dev_io(c, (unsigned)wi) != dev_io(c, i) || b < wb || e > we)
		return fail(c, "%s [0x%llx, 0x%llx) is outside the window above it, %s [0x%llx, "
			    "0x%llx)%s", dev_name(c, i, n1, sizeof(n1)), (unsigned long long)b,
			    (unsigned long long)e, dev_name(c, (unsigned)wi, n2, sizeof(n2)),
			    (unsigned long long)wb, (unsigned long long)we,
			    dev_io(c, (unsigned)wi) != dev_io(c, i) ? " of the other space" : "");
	return 0;
}

/* Rule (iii): a placed pin is exact. */
static int check_pin(const struct vctx *c, unsigned i)
{
	const struct plan_res *p = &c->t->r[i].p;
	char n1[40];

	if (p->status != PLAN_ST_PLACED || !p->pinned || p->addr == p->pin_addr)
		return 0;
	return fail(c, "%s [0x%llx, 0x%llx) is not at its pin [0x%llx, 0x%llx)",
		    dev_name(c, i, n1, sizeof(n1)), (unsigned long long)p->addr,
		    (unsigned long long)(p->addr + p->size), (unsigned long long)p->pin_addr,
		    (unsigned long long)(p->pin_addr + p->size));
}

/* Rules (ii) and (iv) for a placed resource. */
static int check_place(const struct vctx *c, unsigned i)
{
	const struct pci_res *r = &c->t->r[i];
	uint64_t b, e;
	char n1[40];
	int rc;

	if (!dev_range(c, i, &b, &e))
		return 0;	/* refused, or an empty window left closed */
	if (b + decoded_bytes(&r->p) < b)
		return fail(c, "%s at 0x%llx (0x%llx bytes) runs past the top of the address space",
			    dev_name(c, i, n1, sizeof(n1)), (unsigned long long)b,
			    (unsigned long long)decoded_bytes(&r->p));
	if ((rc = check_reach(c, i, b, e)))
		return rc;
	return r->parent < 0 ? check_root(c, i, b, e) : check_in_window(c, i, b, e);
}

/* Rule (v): a BAR not placed must not decode (windows and ROMs apply closes itself). */
static int check_decode_off(const struct vctx *c, unsigned i)
{
	const struct pci_res *r = &c->t->r[i];
	const struct pci_func *f = &c->t->f[r->func];
	bool io = r->p.kind == PLAN_IO;
	char n1[40], fn[24];

	if (r->p.status == PLAN_ST_PLACED || r->bar >= PLAN_BAR_ROM ||
	    (f->off & (io ? PCI_OFF_IO : PCI_OFF_MEM)))
		return 0;
	pci_func_name(f, fn, sizeof(fn));
	return fail(c, "%s (0x%llx bytes) is not placed but %s keeps %s decode on",
		    dev_name(c, i, n1, sizeof(n1)), (unsigned long long)r->p.size, fn,
		    io ? "I/O" : "memory");
}

static int check_ecam(const struct vctx *c)
{
	uint64_t b, e;

	if (!dev_range(c, c->t->nr, &b, &e))
		return 0;
	if (b + c->pl->ecam_size < b || e > FOUR_GIB)
		return fail(c, "ECAM [0x%llx, 0x%llx) is not below 4 GiB [0x0, 0x100000000)",
			    (unsigned long long)b, (unsigned long long)(b + c->pl->ecam_size));
	return check_root(c, c->t->nr, b, e);
}

/* Rule (i) between two decoding ranges: only a window and what is inside it may overlap. */
static int check_pairs(const struct vctx *c)
{
	const struct pci_topo *t = c->t;
	char n1[40], n2[40];

	for (unsigned i = 0; i <= t->nr; i++) {
		uint64_t b1, e1, b2, e2;

		if (!dev_range(c, i, &b1, &e1))
			continue;
		for (unsigned j = i + 1; j <= t->nr; j++) {
			if (!dev_range(c, j, &b2, &e2) || dev_io(c, i) != dev_io(c, j) ||
			    !overlap(b1, e1, b2, e2))
				continue;
			if (!is_ecam(c, j) && (is_above(t, i, j) || is_above(t, j, i)))
				continue;
			return fail(c, "%s [0x%llx, 0x%llx) overlaps %s [0x%llx, 0x%llx)",
				    dev_name(c, i, n1, sizeof(n1)), (unsigned long long)b1,
				    (unsigned long long)e1, dev_name(c, j, n2, sizeof(n2)),
				    (unsigned long long)b2, (unsigned long long)e2);
		}
	}
	return 0;
}

/* Rule (i) against the platform: reservations always, RAM except where it may move away. */
static int check_platform(const struct vctx *c)
{
	const struct plan_input *in = &c->pl->in;
	const struct plan_output *o = &c->pl->out;
	char n1[40];

	for (unsigned i = 0; i <= c->t->nr; i++) {
		uint64_t b, e;
		bool io = dev_io(c, i);
		const struct plan_range *rsv = io ? in->io_reserved : in->mem_reserved;
		size_t nrsv = io ? in->nio_reserved : in->nmem_reserved;

		if (!dev_range(c, i, &b, &e))
			continue;
		for (size_t k = 0; rsv && k < nrsv; k++) {
			uint64_t rb = rsv[k].base, re = rb + rsv[k].size;

			if (re < rb)
				re = UINT64_MAX;
			if (rsv[k].size && overlap(b, e, rb, re))
				return fail(c, "%s [0x%llx, 0x%llx) overlaps reserved '%s' [0x%llx, "
					    "0x%llx)", dev_name(c, i, n1, sizeof(n1)),
					    (unsigned long long)b, (unsigned long long)e,
					    rsv[k].name ? rsv[k].name : "?", (unsigned long long)rb,
					    (unsigned long long)re);
		}
		for (size_t k = 0; !io && in->ram && k < in->nram; k++) {
			uint64_t rb = in->ram[k].base, re = rb + in->ram[k].size;

			if (re < rb)
				re = UINT64_MAX;
			if (!in->ram[k].size || !overlap(b, e, rb, re))
				continue;
			/* Low RAM under the hole moves above 4 GiB before anything decodes there. */
			if (in->may_relocate_ram && MAX(b, rb) >= o->hole_start &&
			    MIN(e, re) <= FOUR_GIB)
				continue;
			return fail(c, "%s [0x%llx, 0x%llx) overlaps RAM '%s' [0x%llx, 0x%llx)",
				    dev_name(c, i, n1, sizeof(n1)), (unsigned long long)b,
				    (unsigned long long)e, in->ram[k].name ? in->ram[k].name : "?",
				    (unsigned long long)rb, (unsigned long long)re);
		}
	}
	return 0;
}

int pci_verify(const struct pci_topo *t, const struct pci_plan *pl, char *msg, size_t len)
{
	struct vctx c = { t, pl, msg, len };
	int rc;

	if (msg && len)
		msg[0] = '\0';
	if ((rc = check_structure(&c)))
		return rc;
	for (unsigned i = 0; i < t->nr; i++)
		if ((rc = check_pin(&c, i)))
			return rc;
	/* Overlaps first: they name the other range, the most precise account of a misplacement. */
	if ((rc = check_pairs(&c)) || (rc = check_platform(&c)))
		return rc;
	for (unsigned i = 0; i < t->nr; i++)
		if ((rc = check_place(&c, i)))
			return rc;
	if ((rc = check_ecam(&c)))
		return rc;
	for (unsigned i = 0; i < t->nr; i++)
		if ((rc = check_decode_off(&c, i)))
			return rc;
	return 0;
}
