/* SPDX-License-Identifier: MIT */
/*
 * Pinned (1:1) resources: each either stays exactly at pin_addr or is
 * refused, naming the first thing it collides with. Pins are judged in
 * owner order, so between two overlapping pins the lower owner id wins
 * whatever the input order. A pin also fixes every window above it: each
 * such window must grow to hold it (in its granule) without covering RAM,
 * a reservation, another pin or another window's pins.
 *
 * Pin against pin is O(log n): accepted pins are disjoint, so the accepted
 * pin with the highest base below a range's end is the only one that can
 * overlap it; a Fenwick tree over the pins sorted by address finds it.
 */
#include "plan_int.h"

struct pins {
	struct plan_ctx *c;
	uint32_t *byaddr;	/* candidate pins sorted by (space, address) */
	uint32_t *fen;		/* Fenwick tree of accepted positions, 1-based */
	uint32_t *pos;		/* resource -> position in byaddr (+1); 0 none */
	size_t np;
};

static int owner_cmp(const void *ctx, uint32_t a, uint32_t b)
{
	const struct plan_res *r = ctx;

	if (r[a].owner != r[b].owner)
		return r[a].owner < r[b].owner ? -1 : 1;
	return a < b ? -1 : a > b;
}

static int addr_cmp(const void *ctx, uint32_t a, uint32_t b)
{
	const struct plan_res *r = ctx;
	bool ia = r[a].kind == PLAN_IO, ib = r[b].kind == PLAN_IO;

	if (ia != ib)
		return ia ? 1 : -1;
	if (r[a].pin_addr != r[b].pin_addr)
		return r[a].pin_addr < r[b].pin_addr ? -1 : 1;
	return a < b ? -1 : a > b;
}

static void fen_add(struct pins *p, size_t i)
{
	for (; i <= p->np; i += i & (0 - i))
		p->fen[i]++;
}

static uint32_t fen_sum(const struct pins *p, size_t i)
{
	uint32_t s = 0;

	for (; i; i -= i & (0 - i))
		s += p->fen[i];
	return s;
}

/* Position (1-based) of the k-th accepted pin. */
static size_t fen_find(const struct pins *p, uint32_t k)
{
	size_t pos = 0, step = 1;

	while (step * 2 <= p->np)
		step *= 2;
	for (; step; step /= 2)
		if (pos + step <= p->np && p->fen[pos + step] < k) {
			pos += step;
			k -= p->fen[pos];
		}
	return pos + 1;
}

/* An accepted pin of space io overlapping [b, e), or PLAN_NONE. */
static uint32_t pin_hit(const struct pins *p, bool io, uint64_t b, uint64_t e)
{
	const struct plan_res *res = p->c->res;
	size_t lo = 0, hi = p->np;

	/* Number of candidates whose key is below (io, e). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct plan_res *m = &res[p->byaddr[mid]];
		bool mio = m->kind == PLAN_IO;

		if (mio < io || (mio == io && m->pin_addr < e))
			lo = mid + 1;
		else
			hi = mid;
	}
	uint32_t cnt = fen_sum(p, lo);

	if (!cnt)
		return PLAN_NONE;
	uint32_t j = p->byaddr[fen_find(p, cnt) - 1];
	const struct plan_res *q = &res[j];

	if ((q->kind == PLAN_IO) != io || q->pin_addr + q->size <= b)
		return PLAN_NONE;
	return j;
}

/* Lowest-based range of list[] overlapping [b, e). */
static bool range_hit(const struct plan_range *list, size_t nl, uint64_t b, uint64_t e,
		      uint64_t skip_below, size_t *hit, uint64_t *ov)
{
	bool found = false;

	for (size_t i = 0; i < nl; i++) {
		uint64_t lo = MAX(list[i].base, skip_below), hi = list[i].base + list[i].size;
		uint64_t o;

		if (hi < list[i].base)
			hi = PLAN_INF;
		if (hi <= lo)
			continue;
		o = plan_overlap(b, e - b, lo, hi - lo);
		if (o && (!found || list[i].base < list[*hit].base)) {
			*hit = i;
			*ov = o;
			found = true;
		}
	}
	return found;
}

/* RAM and reservations; true if [b, e) is clear of them. */
static bool platform_clear(struct plan_ctx *c, struct plan_res *r, uint64_t b, uint64_t e,
			   uint8_t ram_reason, uint8_t rsv_reason)
{
	const struct plan_input *in = c->in;
	bool io = r->kind == PLAN_IO;
	/* Low RAM that moves (or, sizing the needed hole, that the toolstack shrinks). */
	uint64_t skip = (e <= PLAN_4G && (in->may_relocate_ram || c->whatif)) ? PLAN_4G : 0;
	size_t hit = 0;
	uint64_t ov = 0;

	if (!io && range_hit(in->ram, in->nram, b, e, skip, &hit, &ov)) {
		plan_refuse(r, ram_reason, PLAN_C_RAM, (uint32_t)hit, in->ram[hit].base,
			    in->ram[hit].size, ov);
		return false;
	}
	if (io ? range_hit(in->io_reserved, in->nio_reserved, b, e, 0, &hit, &ov)
	       : range_hit(in->mem_reserved, in->nmem_reserved, b, e, 0, &hit, &ov)) {
		const struct plan_range *l = io ? in->io_reserved : in->mem_reserved;

		plan_refuse(r, rsv_reason, PLAN_C_RESERVED, (uint32_t)hit, l[hit].base,
			    l[hit].size, ov);
		return false;
	}
	return true;
}

/* Address-space limits; true if [b, e) may be used. */
static bool space_ok(struct plan_ctx *c, struct plan_res *r, uint64_t b, uint64_t e,
		     uint64_t reach)
{
	uint64_t top = r->kind == PLAN_IO ? PLAN_IO_TOP :
		       r->kind == PLAN_MEM32 ? PLAN_4G : c->phys_limit;

	if (e < b || b >= top || e > top) {
		plan_refuse(r, PLAN_R_PIN_OUT_OF_SPACE, PLAN_C_LIMIT, 0, 0, top,
			    e > top && b < top ? e - top : e - b);
		return false;
	}
	if (e > reach) {
		plan_refuse(r, PLAN_R_PIN_REACH, PLAN_C_LIMIT, 0, 0, reach, e - MAX(b, reach));
		return false;
	}
	/* A memory range sits wholly in the hole or wholly in the 64-bit window. */
	if (r->kind != PLAN_IO && b < PLAN_4G && e > PLAN_4G) {
		plan_refuse(r, PLAN_R_PIN_OUT_OF_SPACE, PLAN_C_LIMIT, 0, 0, PLAN_4G, e - PLAN_4G);
		return false;
	}
	return true;
}

/* The hole's floor and the 64-bit window's base; true if [b, e) is above them. */
static bool window_ok(struct plan_ctx *c, struct plan_res *r, uint64_t b, uint64_t e)
{
	if (r->kind == PLAN_IO)
		return true;
	if (e <= PLAN_4G && b < c->floor) {
		plan_refuse(r, PLAN_R_PIN_BELOW_HOLE, PLAN_C_LIMIT, 0, 0, c->floor,
			    MIN(e, c->floor) - b);
		return false;
	}
	if (e > PLAN_4G && b < c->high_ram_top) {
		plan_refuse(r, PLAN_R_PIN_OUTSIDE_WINDOW, PLAN_C_LIMIT, 0, PLAN_4G,
			    c->high_ram_top - PLAN_4G, MIN(e, c->high_ram_top) - b);
		return false;
	}
	return true;
}

/* [b, e) against the windows that hold pins and are not w, above w or below it. */
static bool hulls_clear(struct pins *p, struct plan_res *r, uint32_t w, uint64_t b, uint64_t e)
{
	struct plan_ctx *c = p->c;
	bool io = r->kind == PLAN_IO;

	for (size_t k = 0; k < c->nfix; k++) {
		uint32_t x = c->fixlist[k];
		uint64_t xlo = c->hull[2 * x], xhi = c->hull[2 * x + 1];

		if ((c->res[x].kind == PLAN_IO) != io || !plan_overlap(b, e - b, xlo, xhi - xlo))
			continue;
		if (plan_above(c, x, w) || plan_above(c, w, x))
			continue;
		plan_refuse(r, PLAN_R_PIN_WINDOW, PLAN_C_RES, x, xlo, xhi - xlo,
			    plan_overlap(b, e - b, xlo, xhi - xlo));
		return false;
	}
	return true;
}

/* [b, e), the part window w newly covers, against everything not related to w. */
static bool growth_clear(struct pins *p, struct plan_res *r, uint32_t w, uint64_t b, uint64_t e)
{
	struct plan_ctx *c = p->c;
	bool io = r->kind == PLAN_IO;
	uint32_t j;

	if (b >= e)
		return true;
	if (!platform_clear(c, r, b, e, PLAN_R_PIN_WINDOW, PLAN_R_PIN_WINDOW))
		return false;
	j = pin_hit(p, io, b, e);
	if (j != PLAN_NONE) {
		const struct plan_res *q = &c->res[j];

		plan_refuse(r, PLAN_R_PIN_WINDOW, PLAN_C_RES, j, q->addr, q->size,
			    plan_overlap(b, e - b, q->addr, q->size));
		return false;
	}
	return hulls_clear(p, r, w, b, e);
}

/* Every window above pin i can grow to hold it; true if so (nothing changed yet). */
static bool windows_hold(struct pins *p, uint32_t i)
{
	struct plan_ctx *c = p->c;
	struct plan_res *r = &c->res[i];
	uint64_t b = r->pin_addr, e = b + r->size;
	size_t steps = 0;

	for (uint32_t w = plan_parent(c, i); w != PLAN_NONE && steps <= c->n;
	     w = plan_parent(c, w), steps++) {
		uint64_t g = plan_granule(&c->res[w]);
		bool had = c->cls[w] == PLAN_CLS_FIXED;
		uint64_t olo = had ? c->hull[2 * w] : PLAN_INF, ohi = had ? c->hull[2 * w + 1] : 0;

		b = MIN(plan_align_down(b, g), olo);
		e = MAX(plan_align_up(e, g), ohi);
		if (e > c->reach[w]) {
			plan_refuse(r, PLAN_R_PIN_REACH, PLAN_C_RES, w, 0, c->reach[w],
				    e - MAX(b, c->reach[w]));
			return false;
		}
		if (plan_parent(c, w) == PLAN_NONE &&
		    (!space_ok(c, r, b, e, c->reach[w]) || !window_ok(c, r, b, e)))
			return false;
		if (!had) {
			if (!growth_clear(p, r, w, b, e))
				return false;
		} else if (!growth_clear(p, r, w, b, olo) || !growth_clear(p, r, w, ohi, e)) {
			return false;
		}
	}
	return true;
}

static void accept(struct pins *p, uint32_t i)
{
	struct plan_ctx *c = p->c;
	struct plan_res *r = &c->res[i];
	uint64_t b = r->pin_addr, e = b + r->size;
	size_t steps = 0;

	r->status = PLAN_ST_PLACED;
	r->addr = r->pin_addr;
	r->span = r->size;
	c->cls[i] = PLAN_CLS_FIXED;
	fen_add(p, p->pos[i]);
	for (uint32_t w = plan_parent(c, i); w != PLAN_NONE && steps <= c->n;
	     w = plan_parent(c, w), steps++) {
		uint64_t g = plan_granule(&c->res[w]);

		b = plan_align_down(b, g);
		e = plan_align_up(e, g);
		if (c->cls[w] != PLAN_CLS_FIXED) {
			c->cls[w] = PLAN_CLS_FIXED;
			c->hull[2 * w] = b;
			c->hull[2 * w + 1] = e;
			c->fixlist[c->nfix++] = w;
		} else {
			c->hull[2 * w] = b = MIN(b, c->hull[2 * w]);
			c->hull[2 * w + 1] = e = MAX(e, c->hull[2 * w + 1]);
		}
	}
}

static void judge(struct pins *p, uint32_t i)
{
	struct plan_ctx *c = p->c;
	struct plan_res *r = &c->res[i];
	uint64_t a = plan_req_align(r), b = r->pin_addr, e = b + r->size;
	uint32_t j;

	if (b & (a - 1)) {
		plan_refuse(r, PLAN_R_PIN_MISALIGNED, PLAN_C_LIMIT, 0, b & ~(a - 1), a, b & (a - 1));
		return;
	}
	if (!space_ok(c, r, b, e, c->reach[i]))
		return;
	if (!platform_clear(c, r, b, e, PLAN_R_PIN_RAM, PLAN_R_PIN_RESERVED) ||
	    !window_ok(c, r, b, e))
		return;
	j = pin_hit(p, r->kind == PLAN_IO, b, e);
	if (j != PLAN_NONE) {
		const struct plan_res *q = &c->res[j];

		plan_refuse(r, PLAN_R_PIN_PIN, PLAN_C_RES, j, q->addr, q->size,
			    plan_overlap(b, r->size, q->addr, q->size));
		return;
	}
	/* Inside another window's span is inside its decode: only its own pins may be. */
	if (hulls_clear(p, r, i, b, e) && windows_hold(p, i))
		accept(p, i);
}

void plan_pins(struct plan_ctx *c)
{
	/* Pins run before window shapes, so the shape area is free to borrow. */
	struct pins p = {
		.c = c, .byaddr = c->order2,
		.fen = (uint32_t *)c->ext, .pos = (uint32_t *)c->ext + c->n + 1,
	};
	size_t np = 0;

	c->nfix = 0;
	for (size_t i = 0; i < c->n; i++) {
		p.pos[i] = 0;
		if (c->res[i].pinned && c->res[i].status == PLAN_ST_NONE &&
		    !plan_is_window(&c->res[i]))
			c->order[np++] = (uint32_t)i;
	}
	for (size_t k = 0; k < np; k++)
		p.byaddr[k] = c->order[k];
	p.np = np;
	c->npins = np;
	c->max_pin = 0;
	for (size_t k = 0; k < np; k++)
		c->max_pin = MAX(c->max_pin, c->res[c->order[k]].size);
	plan_sort_idx(c->order, np, owner_cmp, c->res);
	plan_sort_idx(p.byaddr, np, addr_cmp, c->res);
	for (size_t k = 0; k <= np; k++)
		p.fen[k] = 0;
	for (size_t k = 0; k < np; k++)
		p.pos[p.byaddr[k]] = (uint32_t)(k + 1);
	for (size_t k = 0; k < np; k++)
		judge(&p, c->order[k]);
}
