/* SPDX-License-Identifier: MIT */
/*
 * Windows that hold pins. Their place is set by the pins inside, so their
 * movable children are packed around those pins: first in the free space
 * the pins leave inside the window, then on whichever side of it is free
 * (above first in the 32-bit hole, which keeps the hole small; below first
 * in the spaces packed upwards). Windows are done innermost first, so an
 * outer window grows around the final extent of the inner ones. Everything
 * outside the window's subtree is an obstacle, widened to the granules of
 * the window and the windows above it so that rounding never reaches it.
 */
#include "plan_int.h"
#include <hvmfw/string.h>

static unsigned depth(const struct plan_ctx *c, uint32_t i)
{
	unsigned d = 0;

	for (uint32_t a = plan_parent(c, i); a != PLAN_NONE && d <= c->n; a = plan_parent(c, a))
		d++;
	return d;
}

static int deeper_first(const void *ctx, uint32_t a, uint32_t b)
{
	const struct plan_ctx *c = ctx;
	unsigned da = depth(c, a), db = depth(c, b);

	if (da != db)
		return da > db ? -1 : 1;
	return a < b ? -1 : a > b;
}

struct around {
	struct plan_ctx *c;
	uint32_t w;
	uint64_t g;		/* largest granule of w and the windows above */
	uint64_t lo, hi;	/* region searched */
	size_t nb;
};

/* Largest granule of window w and the windows above it (1 at the root). */
static uint64_t outer_granule(const struct plan_ctx *c, uint32_t w)
{
	uint64_t g = 1;
	size_t steps = 0;

	for (uint32_t a = w; a != PLAN_NONE && steps <= c->n; a = plan_parent(c, a), steps++)
		g = MAX(g, plan_granule(&c->res[a]));
	return g;
}

/* widen: round out to w's granules; more (another window's own) when given. */
static void busy_add_g(struct around *x, uint64_t lo, uint64_t hi, bool widen, uint64_t more)
{
	struct plan_ctx *c = x->c;

	if (widen) {
		uint64_t g = MAX(x->g, more);

		lo = plan_align_down(lo, g);
		hi = plan_align_up(hi, g);
	}
	if (hi <= x->lo || lo >= x->hi || hi <= lo || x->nb >= c->busy_cap)
		return;
	c->busy[x->nb].lo = lo;
	c->busy[x->nb].hi = hi;
	x->nb++;
}

static void busy_add(struct around *x, uint64_t lo, uint64_t hi, bool widen)
{
	busy_add_g(x, lo, hi, widen, 1);
}

static void add_ranges(struct around *x, const struct plan_range *l, size_t nl, uint64_t skip)
{
	for (size_t i = 0; i < nl; i++) {
		uint64_t lo = MAX(l[i].base, skip), hi = l[i].base + l[i].size;

		busy_add(x, lo, hi < l[i].base ? PLAN_INF : hi, true);
	}
}

/* Free space around window w: its own fixed content exact, the rest widened. */
static void build(struct around *x)
{
	struct plan_ctx *c = x->c;
	const struct plan_input *in = c->in;
	const struct plan_res *wr = &c->res[x->w];
	bool io = wr->kind == PLAN_IO;
	uint64_t hh = c->hull[2 * x->w + 1];

	x->nb = 0;
	if (io) {
		add_ranges(x, in->io_reserved, in->nio_reserved, 0);
	} else {
		bool low = hh <= PLAN_4G;

		add_ranges(x, in->ram, in->nram,
			   low && (in->may_relocate_ram || c->whatif) ? PLAN_4G : 0);
		add_ranges(x, in->mem_reserved, in->nmem_reserved, 0);
	}
	/* Pins: those of the subtree are exact, the others widened. */
	size_t a = 0, b = c->npins;
	uint64_t from = x->lo > c->max_pin ? x->lo - c->max_pin : 0;

	while (a < b) {
		size_t m = a + (b - a) / 2;
		const struct plan_res *r = &c->res[c->order2[m]];

		if ((r->kind == PLAN_IO) < io || ((r->kind == PLAN_IO) == io && r->pin_addr < from))
			a = m + 1;
		else
			b = m;
	}
	for (size_t k = a; k < c->npins; k++) {
		uint32_t j = c->order2[k];
		const struct plan_res *r = &c->res[j];

		if ((r->kind == PLAN_IO) != io || r->pin_addr >= x->hi)
			break;
		if (r->status == PLAN_ST_PLACED)
			busy_add(x, r->addr, r->addr + r->size, !plan_above(c, x->w, j));
	}
	for (size_t k = 0; k < c->nfix; k++) {
		uint32_t f = c->fixlist[k];

		if (f == x->w || (c->res[f].kind == PLAN_IO) != io || plan_above(c, f, x->w))
			continue;
		if (plan_above(c, x->w, f)) {
			if (plan_parent(c, f) == x->w)	/* a fixed child: its final extent */
				busy_add(x, c->hull[2 * f], c->hull[2 * f + 1], false);
			continue;
		}
		/* Another window's extent grows to its own granules and those above it. */
		busy_add_g(x, c->hull[2 * f], c->hull[2 * f + 1], true, outer_granule(c, f));
	}
	plan_sort_spans(c->busy, x->nb);
	plan_gaps_build(&c->gaps, c->busy, x->nb, x->lo, x->hi);
}

/* Search region for w: its space, and never past what the movable children could need. */
static void region(struct around *x, uint64_t need)
{
	struct plan_ctx *c = x->c;
	const struct plan_res *wr = &c->res[x->w];
	uint64_t hl = c->hull[2 * x->w], hh = c->hull[2 * x->w + 1], lo, hi;

	if (wr->kind == PLAN_IO) {
		lo = MIN(c->io_base, hl);
		hi = MAX(c->io_limit, hh);
	} else if (hh <= PLAN_4G) {
		lo = MIN(c->floor, hl);
		hi = MIN(PLAN_4G, c->reach[x->w]);
	} else {
		lo = MIN(plan_align_up(c->high_ram_top, x->g), hl);
		hi = MAX(MIN(c->high_limit, c->reach[x->w]), hh);
	}
	need = 2 * need + 2 * x->g;
	x->lo = MAX(lo, hl > need ? hl - need : 0);
	x->hi = MIN(hi, hh + need);
}

static bool fit_gap(const struct plan_span *g, uint64_t lo, uint64_t hi, uint64_t a, bool down,
		    uint64_t *p)
{
	struct plan_gaps one = { (struct plan_span *)g, NULL, 1, 1 };

	return plan_gaps_find(&one, lo, hi, a, down, p);
}

static bool spot_any(struct around *x, unsigned opt, uint64_t lo,
		     uint64_t hi, uint64_t a, uint64_t *p)
{
	struct plan_ctx *c = x->c;
	uint64_t hl = c->hull[2 * x->w], hh = c->hull[2 * x->w + 1];

	for (size_t j = 0; j < c->gaps.n; j++) {
		struct plan_span g = c->gaps.g[j];

		if (opt == 0) {		/* inside */
			g.lo = MAX(g.lo, hl);
			g.hi = MIN(g.hi, hh);
			if (g.lo < g.hi && fit_gap(&g, lo, hi, a, true, p))
				return true;
		} else if (opt == 1 && g.lo <= hh && hh < g.hi) {
			return fit_gap(&g, lo, hi, a, false, p);
		} else if (opt == 2 && g.lo < hl && hl <= g.hi) {
			return fit_gap(&g, lo, hi, a, true, p);
		}
	}
	return false;
}

/* Where child k may go: inside the window, just above it, just below it. */
static bool spot(struct around *x, uint32_t k, unsigned s, unsigned opt, uint64_t *p)
{
	struct plan_ctx *c = x->c;
	uint64_t lo, hi, a;

	plan_footprint(c, k, s, &lo, &hi, &a);
	if (spot_any(x, opt, lo, hi, a, p))
		return *p + hi <= c->reach[k];
	return false;
}

static void grow(struct around *x, uint64_t lo, uint64_t hi)
{
	struct plan_ctx *c = x->c;
	uint64_t g = plan_granule(&c->res[x->w]);

	c->hull[2 * x->w] = MIN(c->hull[2 * x->w], plan_align_down(lo, g));
	c->hull[2 * x->w + 1] = MAX(c->hull[2 * x->w + 1], plan_align_up(hi, g));
}

static void place_child(struct around *x, uint32_t k)
{
	struct plan_ctx *c = x->c;
	unsigned ns = plan_is_window(&c->res[k]) ? PLAN_SHAPES : 1;
	/* Which side to try after the inside: toward the end the space is packed from. */
	bool up_first = c->res[x->w].kind != PLAN_IO && c->hull[2 * x->w + 1] <= PLAN_4G;
	unsigned opts[3] = { 0, up_first ? 1u : 2u, up_first ? 2u : 1u };
	uint64_t best_p = 0, lo, hi, a;
	unsigned best_s = 0;
	int found = -1;
	bool fits[3] = { false, false, false };
	uint64_t pp[3] = { 0, 0, 0 };
	int64_t score[3] = { 0, 0, 0 };
	unsigned ss[3] = { 0, 0, 0 };

	if (ns > 1) {
		plan_footprint(c, k, 0, &lo, &hi, &a);
		if (lo + hi == 0) {
			plan_commit(c, k, 0, 0);
			return;
		}
	}
	for (unsigned o = 0; o < 3; o++) {
		for (unsigned s = 0; s < ns; s++) {
			uint64_t p;
			int64_t sc;

			if (!spot(x, k, s, opts[o], &p))
				continue;
			plan_footprint(c, k, s, &lo, &hi, &a);
			/* Per side, the shape that grows the window least. */
			sc = opts[o] == 1 ? -(int64_t)(p + hi) : (int64_t)(p - lo);
			if (!fits[o] || sc > score[o]) {
				fits[o] = true;
				ss[o] = s;
				pp[o] = p;
				score[o] = sc;
			}
		}
	}
	/* Inside wins outright; between the two sides the search may try the other. */
	if (fits[0]) {
		found = 0;
	} else if (fits[1] && fits[2]) {
		found = plan_decide(c, 2) ? 2 : 1;
	} else if (fits[1] || fits[2]) {
		found = fits[1] ? 1 : 2;
	}
	if (found < 0) {
		struct plan_res *r = &c->res[k];

		plan_refuse(r, PLAN_R_NO_SPACE, PLAN_C_RES, x->w, c->hull[2 * x->w],
			    c->hull[2 * x->w + 1] - c->hull[2 * x->w], r->size);
		c->cls[k] = PLAN_CLS_DONE;
		plan_refuse_subtree(c, k);
		return;
	}
	best_s = ss[found];
	best_p = pp[found];
	plan_footprint(c, k, best_s, &lo, &hi, &a);
	plan_commit(c, k, best_s, best_p);
	plan_gaps_cut(&c->gaps, best_p - lo, best_p + hi);
	grow(x, best_p - lo, best_p + hi);
}

static int child_cmp(const void *ctx, uint32_t a, uint32_t b)
{
	const struct plan_ctx *c = ctx;
	uint64_t la, ha, aa, lb, hb, ab;

	plan_footprint(c, a, 0, &la, &ha, &aa);
	plan_footprint(c, b, 0, &lb, &hb, &ab);
	if (aa != ab)
		return aa > ab ? -1 : 1;
	if (la + ha != lb + hb)
		return la + ha > lb + hb ? -1 : 1;
	if (c->res[a].owner != c->res[b].owner)
		return c->res[a].owner < c->res[b].owner ? -1 : 1;
	return a < b ? -1 : a > b;
}

static void pad_to_min(struct around *x)
{
	struct plan_ctx *c = x->c;
	const struct plan_res *wr = &c->res[x->w];
	uint64_t g = plan_granule(wr), hl = c->hull[2 * x->w], hh = c->hull[2 * x->w + 1];
	uint64_t need = plan_align_up(wr->size, g);

	if (hh - hl >= need)
		return;
	need -= hh - hl;
	/* A hot-plug reservation is kept where there is room: above first (the search
	 * may try below first), then the other side for what is left. */
	bool down_first = plan_decide(c, 2);

	for (unsigned pass = 0; pass < 2; pass++) {
		bool up = (pass == 0) != down_first;

		for (size_t j = 0; j < c->gaps.n && need; j++) {
			const struct plan_span *s = &c->gaps.g[j];
			uint64_t room;

			if (up && s->lo <= hh && hh < s->hi) {
				room = plan_align_down(MIN(s->hi - hh, need), g);
				grow(x, hh, hh + room);
				need -= room;
			} else if (!up && s->lo < hl && hl <= s->hi) {
				room = plan_align_down(MIN(hl - s->lo, need), g);
				grow(x, hl - room, hl);
				need -= room;
			}
		}
		hl = c->hull[2 * x->w];
		hh = c->hull[2 * x->w + 1];
	}
}

static void one_window(struct plan_ctx *c, uint32_t w)
{
	struct around x = { .c = c, .w = w, .g = outer_granule(c, w) };
	uint64_t need = 0;
	size_t m = 0;

	/* Fixed children are final: the window holds all of them. */
	for (uint32_t k = c->child[w]; k != PLAN_NONE; k = c->next[k]) {
		uint64_t lo, hi, a;

		if (c->res[k].status == PLAN_ST_REFUSED)
			continue;
		if (c->cls[k] == PLAN_CLS_FIXED && plan_is_window(&c->res[k])) {
			grow(&x, c->hull[2 * k], c->hull[2 * k + 1]);
		} else if (c->cls[k] == PLAN_CLS_CHILD) {
			plan_footprint(c, k, 0, &lo, &hi, &a);
			need += lo + hi + a;
			c->order[m++] = k;
		}
	}
	need += plan_align_up(c->res[w].size, plan_granule(&c->res[w]));
	region(&x, need);
	build(&x);
	plan_sort_idx(c->order, m, child_cmp, c);
	for (size_t j = 0; j < m; j++)
		place_child(&x, c->order[j]);
	pad_to_min(&x);
	c->res[w].status = PLAN_ST_PLACED;
	c->res[w].addr = c->hull[2 * w];
	c->res[w].span = c->hull[2 * w + 1] - c->hull[2 * w];
}

void plan_fixed_windows(struct plan_ctx *c)
{
	uint32_t *list = c->order2 + c->npins;	/* free tail of the pin list */

	for (size_t k = 0; k < c->nfix; k++)
		list[k] = c->fixlist[k];
	plan_sort_idx(list, c->nfix, deeper_first, c);
	for (size_t k = 0; k < c->nfix; k++)
		one_window(c, list[k]);
}
