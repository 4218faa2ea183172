/* SPDX-License-Identifier: MIT */
/*
 * Packing into free intervals. Resources go in order of alignment (largest
 * first), each at the highest (down) or lowest (up) aligned place that is
 * free. For naturally aligned power-of-two blocks that order wastes nothing
 * but the padding the free intervals force, and which free aligned block a
 * block takes does not change what else fits, so blocks of one alignment
 * are handed out in bulk: one pass over the intervals per alignment keeps
 * the whole pack O(n log n) however many intervals pins leave. Windows and
 * odd-shaped resources (the ECAM: 64 MiB on a 256 MiB boundary) are placed
 * one at a time, each window in the better of its two shapes.
 */
#include "plan_int.h"
#include <hvmfw/string.h>

void plan_gaps_build(struct plan_gaps *gs, const struct plan_span *busy, size_t nb,
		     uint64_t lo, uint64_t hi)
{
	uint64_t cur = lo;

	gs->n = 0;
	for (size_t i = 0; i < nb && cur < hi; i++) {
		if (busy[i].hi <= cur)
			continue;
		if (busy[i].lo > cur && gs->n < gs->cap) {
			gs->g[gs->n].lo = cur;
			gs->g[gs->n].hi = MIN(busy[i].lo, hi);
			gs->n++;
		}
		cur = MAX(cur, busy[i].hi);
	}
	if (cur < hi && gs->n < gs->cap) {
		gs->g[gs->n].lo = cur;
		gs->g[gs->n].hi = hi;
		gs->n++;
	}
}

static bool fit_in(const struct plan_span *g, uint64_t lo, uint64_t hi, uint64_t a, bool down,
		   uint64_t *p)
{
	int64_t glo = (int64_t)g->lo, ghi = (int64_t)g->hi, l = (int64_t)lo, h = (int64_t)hi;
	int64_t q;

	if (ghi - glo < l + h)
		return false;
	if (down) {
		q = (int64_t)plan_align_down((uint64_t)(ghi - h), a);
		if (q - l < glo)
			return false;
	} else {
		q = (int64_t)plan_align_up((uint64_t)(glo + l), a);
		if (q + h > ghi)
			return false;
	}
	*p = (uint64_t)q;
	return true;
}

bool plan_gaps_find(const struct plan_gaps *gs, uint64_t lo, uint64_t hi, uint64_t a, bool down,
		    uint64_t *p)
{
	for (size_t k = 0; k < gs->n; k++) {
		const struct plan_span *g = &gs->g[down ? gs->n - 1 - k : k];

		if (fit_in(g, lo, hi, a, down, p))
			return true;
	}
	return false;
}

void plan_gaps_cut(struct plan_gaps *gs, uint64_t lo, uint64_t hi)
{
	size_t a = 0, b = gs->n;

	if (lo >= hi)
		return;
	while (a < b) {		/* first gap ending above lo */
		size_t m = a + (b - a) / 2;

		if (gs->g[m].hi <= lo)
			a = m + 1;
		else
			b = m;
	}
	if (a == gs->n || gs->g[a].lo > lo || gs->g[a].hi < hi)
		return;
	struct plan_span g = gs->g[a];
	bool left = g.lo < lo, right = hi < g.hi;

	if (left && right) {
		if (gs->n >= gs->cap) {		/* no room to split: give up the smaller side */
			if (lo - g.lo >= g.hi - hi)
				gs->g[a].hi = lo;
			else
				gs->g[a].lo = hi;
			return;
		}
		memmove(&gs->g[a + 2], &gs->g[a + 1], (gs->n - a - 1) * sizeof(g));
		gs->g[a].hi = lo;
		gs->g[a + 1].lo = hi;
		gs->g[a + 1].hi = g.hi;
		gs->n++;
	} else if (left) {
		gs->g[a].hi = lo;
	} else if (right) {
		gs->g[a].lo = hi;
	} else {
		memmove(&gs->g[a], &gs->g[a + 1], (gs->n - a - 1) * sizeof(g));
		gs->n--;
	}
}

/* Alignment and footprint a resource is packed with. */
static uint64_t pack_align(const struct plan_ctx *c, uint32_t i)
{
	return plan_is_window(&c->res[i]) ? c->shape_align[i] : plan_move_align(c, &c->res[i]);
}

static uint64_t pack_size(const struct plan_ctx *c, uint32_t i)
{
	uint64_t lo, hi, a;

	plan_footprint(c, i, 0, &lo, &hi, &a);
	return lo + hi;
}

/* A block that fills exactly its alignment: handed out in bulk. */
static bool natural(const struct plan_ctx *c, uint32_t i)
{
	const struct plan_res *r = &c->res[i];

	if (plan_is_window(r))
		return false;
	return plan_align_up(r->size, r->kind == PLAN_IO ? 1 : c->min_align) ==
	       plan_move_align(c, r);
}

/* Sort keys, kept in the hull slots while a pack runs (only fixed windows use
 * those, and they are never packed): alignment, and size with bit 63 set for
 * odd shapes. */
#define KEY_ODD	(1ull << 63)

static int pack_cmp(const void *ctx, uint32_t a, uint32_t b)
{
	const struct plan_ctx *c = ctx;
	uint64_t aa = c->hull[2 * a], ab = c->hull[2 * b];
	uint64_t sa = c->hull[2 * a + 1] & ~KEY_ODD, sb = c->hull[2 * b + 1] & ~KEY_ODD;
	bool na = !(c->hull[2 * a + 1] & KEY_ODD), nb = !(c->hull[2 * b + 1] & KEY_ODD);

	if (c->pack_order == 1 && sa != sb)
		return sa > sb ? -1 : 1;
	if (aa != ab)
		return aa > ab ? -1 : 1;
	if (sa != sb)
		return (sa > sb) == (c->pack_order != 2) ? -1 : 1;
	if (na != nb)
		return na ? 1 : -1;	/* odd shapes first: blocks fill around them */
	if (c->res[a].owner != c->res[b].owner)
		return c->res[a].owner < c->res[b].owner ? -1 : 1;
	return a < b ? -1 : a > b;
}

/*
 * A window padded to its minimum size going down: its content sits at the
 * highest aligned place, and the padding reaches up as far as the gap lets
 * it before the rest goes below. Returns the anchor and the window's base.
 */
static bool find_elastic(const struct plan_ctx *c, uint32_t i, unsigned s, uint64_t *p,
			 uint64_t *base)
{
	uint64_t lo, hi, a, pad = c->pad[PLAN_SHAPES * i + s], g = plan_granule(&c->res[i]);
	uint64_t lo_c, hi_c, total;

	plan_footprint(c, i, s, &lo, &hi, &a);
	total = lo + hi;
	lo_c = PLAN_PAD_BELOW(s) ? lo - pad : lo;
	hi_c = PLAN_PAD_BELOW(s) ? hi : hi - pad;
	for (size_t k = c->gaps.n; k-- > 0;) {
		const struct plan_span *gp = &c->gaps.g[k];
		int64_t glo = (int64_t)gp->lo, ghi = (int64_t)gp->hi, q, top, bot;

		if (ghi - glo < (int64_t)total)
			continue;
		q = (int64_t)plan_align_down((uint64_t)(ghi - (int64_t)hi_c), a);
		if (q - (int64_t)lo_c < glo)
			continue;
		top = (int64_t)plan_align_down(MIN((uint64_t)ghi,
						   (uint64_t)(q + (int64_t)hi_c + (int64_t)pad)), g);
		bot = top - (int64_t)total;
		if (bot < glo || bot > q - (int64_t)lo_c)
			continue;
		*p = (uint64_t)q;
		*base = (uint64_t)bot;
		return true;
	}
	return false;
}

/* One resource on its own: a window tries each of its shapes. */
static bool place_one(struct plan_ctx *c, uint32_t i, bool down)
{
	uint64_t p[PLAN_SHAPES], lo[PLAN_SHAPES], hi[PLAN_SHAPES], base, a;
	int64_t score[PLAN_SHAPES];
	unsigned rank[PLAN_SHAPES], nok = 0, pick;
	bool win = plan_is_window(&c->res[i]);
	unsigned ns = win ? PLAN_SHAPES : 1;

	plan_footprint(c, i, 0, &lo[0], &hi[0], &a);
	if (win && !(lo[0] + hi[0])) {	/* empty window: stays closed */
		plan_commit(c, i, 0, 0);
		return true;
	}
	for (unsigned s = 0; s < ns; s++) {
		bool ok, dup;

		plan_footprint(c, i, s, &lo[s], &hi[s], &a);
		dup = !(lo[s] + hi[s]);
		for (unsigned t = 0; t < s; t++)	/* same extent as an earlier shape */
			dup |= lo[t] == lo[s] && hi[t] == hi[s];
		if (dup)
			continue;
		if (win && down && c->pad[PLAN_SHAPES * i + s]) {
			ok = find_elastic(c, i, s, &p[s], &base);
			if (ok) {	/* as if the padding were split that way all along */
				uint64_t total = lo[s] + hi[s];

				lo[s] = p[s] - base;
				hi[s] = total - lo[s];
			}
		} else {
			ok = plan_gaps_find(&c->gaps, lo[s], hi[s], a, down, &p[s]);
		}
		if (!ok)
			continue;
		/* Greedy: the shape that reaches less far into the space. */
		score[s] = down ? (int64_t)(p[s] - lo[s]) : -(int64_t)(p[s] + hi[s]);
		unsigned k = nok++;

		while (k && score[rank[k - 1]] < score[s]) {
			rank[k] = rank[k - 1];
			k--;
		}
		rank[k] = s;
	}
	if (!nok)
		return false;
	pick = rank[nok > 1 ? plan_decide(c, nok) : 0];
	plan_commit(c, i, pick, p[pick]);
	if (win) {		/* where an elastic window's padding went */
		c->res[i].addr = p[pick] - lo[pick];
		c->res[i].span = lo[pick] + hi[pick];
	}
	plan_gaps_cut(&c->gaps, p[pick] - lo[pick], p[pick] + hi[pick]);
	return true;
}

/* Blocks of alignment a, idx[0..k) in order, into the gaps; returns how many went. */
static size_t place_bulk(struct plan_ctx *c, const uint32_t *idx, size_t k, uint64_t a, bool down)
{
	struct plan_gaps *gs = &c->gaps;
	size_t done = 0, nt = 0;

	for (size_t j = 0; j < gs->n; j++) {
		size_t gi = down ? gs->n - 1 - j : j;
		struct plan_span g = gs->g[gi];
		uint64_t first = plan_align_up(g.lo, a), last = plan_align_down(g.hi, a);
		uint64_t blocks = last > first ? (last - first) / a : 0;
		uint64_t t = MIN(blocks, (uint64_t)(k - done));
		struct plan_span keep[2];
		size_t nk = 0;

		for (uint64_t b = 0; b < t; b++)
			plan_commit(c, idx[done + b], 0, down ? last - (b + 1) * a : first + b * a);
		done += (size_t)t;
		if (!t) {
			keep[nk++] = g;
		} else if (down) {
			if (g.lo < last - t * a)
				keep[nk++] = (struct plan_span){ g.lo, last - t * a };
			if (last < g.hi)
				keep[nk++] = (struct plan_span){ last, g.hi };
		} else {
			if (g.lo < first)
				keep[nk++] = (struct plan_span){ g.lo, first };
			if (first + t * a < g.hi)
				keep[nk++] = (struct plan_span){ first + t * a, g.hi };
		}
		/* Written back to front when going down, so reverse at the end. */
		for (size_t q = 0; q < nk && nt < gs->cap; q++)
			gs->tmp[nt++] = keep[down ? nk - 1 - q : q];
	}
	if (down)
		for (size_t q = 0; q < nt / 2; q++) {
			struct plan_span s = gs->tmp[q];

			gs->tmp[q] = gs->tmp[nt - 1 - q];
			gs->tmp[nt - 1 - q] = s;
		}
	struct plan_span *sw = gs->g;

	gs->g = gs->tmp;
	gs->tmp = sw;
	gs->n = nt;
	return done;
}

/* Smaller than its alignment (the ECAM): its place in the order is a choice. */
static bool sparse(const struct plan_ctx *c, uint32_t i)
{
	uint64_t lo, hi, a;

	if (plan_is_window(&c->res[i]))
		return false;
	plan_footprint(c, i, 0, &lo, &hi, &a);
	return lo + hi < a;
}

#define PACK_DEFER 4

size_t plan_pack(struct plan_ctx *c, uint32_t *idx, size_t m, bool down)
{
	size_t misfits = 0, k = 0, ndef = 0;
	uint32_t deferred[PACK_DEFER];

	/* Most aligned first wastes nothing on power-of-two blocks; a large window
	 * with little alignment may do better first, or the smaller of two windows
	 * aligned alike: the search tries those orders too. */
	c->pack_order = m > 1 ? (uint8_t)plan_decide(c, 3) : 0;
	for (size_t j = 0; j < m; j++) {
		uint32_t i = idx[j];

		c->hull[2 * i] = pack_align(c, i);
		c->hull[2 * i + 1] = pack_size(c, i) | (natural(c, i) ? 0 : KEY_ODD);
	}
	plan_sort_idx(idx, m, pack_cmp, c);
	c->pack_order = 0;
	while (k < m) {
		uint32_t i = idx[k];

		if (!natural(c, i)) {
			/* The search may place it last instead, around everything else. */
			if (sparse(c, i) && ndef < PACK_DEFER && plan_decide(c, 2)) {
				deferred[ndef++] = i;
				k++;
				continue;
			}
			if (!place_one(c, i, down))
				misfits++;
			k++;
			continue;
		}
		uint64_t a = pack_align(c, i);
		size_t e = k;

		while (e < m && natural(c, idx[e]) && pack_align(c, idx[e]) == a)
			e++;
		misfits += (e - k) - place_bulk(c, idx + k, e - k, a, down);
		k = e;
	}
	for (size_t j = 0; j < ndef; j++)
		if (!place_one(c, deferred[j], down))
			misfits++;
	return misfits;
}
