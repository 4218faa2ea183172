/* SPDX-License-Identifier: MIT */
/*
 * The planner proper: pins first (plan_pins.c), then the 64-bit window,
 * then the smallest 32-bit hole that holds the 32-bit demand, then I/O.
 * Movable resources are packed in (alignment desc, size desc, owner asc,
 * index asc) order, each at the lowest aligned free address. For
 * naturally aligned power-of-two sizes that greedy fits whenever any
 * placement fits, so a binary search over the hole start finds the
 * smallest hole.
 */
#include "plan_int.h"
#include <hvmfw/string.h>

static int move_cmp(const void *ctx, uint32_t a, uint32_t b)
{
	const struct plan_ctx *c = ctx;
	const struct plan_res *ra = &c->res[a], *rb = &c->res[b];
	uint64_t aa = plan_move_align(c, ra), ab = plan_move_align(c, rb);

	if (aa != ab)
		return aa > ab ? -1 : 1;
	if (ra->size != rb->size)
		return ra->size > rb->size ? -1 : 1;
	if (ra->owner != rb->owner)
		return ra->owner < rb->owner ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* Indices of class cls in packing order. */
size_t plan_collect(struct plan_ctx *c, uint8_t cls)
{
	size_t m = 0;

	for (size_t i = 0; i < c->n; i++)
		if (c->cls[i] == cls)
			c->order[m++] = (uint32_t)i;
	plan_sort_idx(c->order, m, move_cmp, c);
	return m;
}

size_t plan_add_ranges(struct plan_ctx *c, size_t nb, const struct plan_range *l, size_t nl,
			 uint64_t skip_below)
{
	for (size_t i = 0; i < nl; i++) {
		uint64_t lo = MAX(l[i].base, skip_below), hi = l[i].base + l[i].size;

		if (hi > lo) {
			c->busy[nb].lo = lo;
			c->busy[nb].hi = hi;
			nb++;
		}
	}
	return nb;
}

/* Fixed memory ranges: RAM, reservations, accepted pins (and, when sizing
 * the needed hole, refused low pins instead of RAM). */
size_t plan_busy_mem(struct plan_ctx *c, bool for_need)
{
	const struct plan_input *in = c->in;
	size_t nb = 0;

	if (!for_need)
		nb = plan_add_ranges(c, nb, in->ram, in->nram, in->may_relocate_ram ? PLAN_4G : 0);
	nb = plan_add_ranges(c, nb, in->mem_reserved, in->nmem_reserved, 0);
	for (size_t i = 0; i < c->n; i++) {
		const struct plan_res *r = &c->res[i];
		bool low_refused = r->status == PLAN_ST_REFUSED &&
			(r->reason == PLAN_R_PIN_RAM || r->reason == PLAN_R_PIN_BELOW_HOLE) &&
			r->pin_addr + r->size <= PLAN_4G;

		if (r->kind == PLAN_IO || !r->pinned)
			continue;
		if (r->status == PLAN_ST_PLACED || (for_need && low_refused)) {
			c->busy[nb].lo = r->pin_addr;
			c->busy[nb].hi = r->pin_addr + r->size;
			nb++;
		}
	}
	plan_sort_spans(c->busy, nb);
	return nb;
}

/*
 * Pack order[0..m) into [lo, hi) minus busy. Dry run: stop at the first
 * misfit and touch nothing. Commit: place what fits, mark the rest NOFIT.
 */
size_t plan_pack(struct plan_ctx *c, size_t m, size_t nb, uint64_t lo, uint64_t hi, bool commit)
{
	size_t misfits = 0;

	plan_gaps_build(&c->gaps, c->busy, nb, lo, hi);
	for (size_t k = 0; k < m; k++) {
		uint32_t i = c->order[k];
		struct plan_res *r = &c->res[i];
		uint64_t addr;

		if (!plan_gaps_take(&c->gaps, r->size, plan_move_align(c, r), &addr)) {
			misfits++;
			if (!commit)
				return misfits;
			c->cls[i] = PLAN_CLS_NOFIT;
			continue;
		}
		if (commit) {
			r->addr = addr;
			r->status = PLAN_ST_PLACED;
			c->cls[i] = PLAN_CLS_DONE;
		}
	}
	return misfits;
}

/* Highest hole start in [floor, top] (granule steps) where order[0..m) fits;
 * assumes it fits at floor. */
uint64_t plan_search_start(struct plan_ctx *c, size_t m, size_t nb, uint64_t floor, uint64_t top)
{
	uint64_t lo = floor / c->granule, hi = top / c->granule;

	if (!m || !plan_pack(c, m, nb, hi * c->granule, PLAN_4G, false))
		return hi * c->granule;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (plan_pack(c, m, nb, mid * c->granule, PLAN_4G, false))
			hi = mid;
		else
			lo = mid;
	}
	return lo * c->granule;
}

/* Lowest granule boundary at or below every low pin that must be inside. */
uint64_t plan_pins_top(struct plan_ctx *c, bool for_need)
{
	uint64_t top = PLAN_4G;

	for (size_t i = 0; i < c->n; i++) {
		const struct plan_res *r = &c->res[i];
		bool want = r->status == PLAN_ST_PLACED ||
			(for_need && r->status == PLAN_ST_REFUSED &&
			 (r->reason == PLAN_R_PIN_RAM || r->reason == PLAN_R_PIN_BELOW_HOLE));

		if (r->pinned && r->kind != PLAN_IO && want && r->pin_addr + r->size <= PLAN_4G)
			top = MIN(top, r->pin_addr & ~(c->granule - 1));
	}
	return top;
}

void plan_refuse_nofit(struct plan_ctx *c, uint64_t lo, uint64_t hi)
{
	for (size_t i = 0; i < c->n; i++) {
		if (c->cls[i] != PLAN_CLS_NOFIT)
			continue;
		plan_refuse(&c->res[i], PLAN_R_NO_SPACE, PLAN_C_LIMIT, 0, lo, hi - lo, c->res[i].size);
		c->cls[i] = PLAN_CLS_DONE;
	}
}

static void place_high(struct plan_ctx *c, struct plan_output *out)
{
	uint64_t base = plan_align_up(c->high_ram_top, c->high_align);
	uint64_t limit = c->phys_limit, wlo = base, whi = 0;
	size_t m = plan_collect(c, PLAN_CLS_HIGH), nb = plan_busy_mem(c, false);

	if (c->in->high_max && base + c->in->high_max < limit)
		limit = base + c->in->high_max;
	if (m && base < limit)
		plan_pack(c, m, nb, base, limit, true);
	else
		for (size_t k = 0; k < m; k++)
			c->cls[c->order[k]] = PLAN_CLS_NOFIT;
	for (size_t i = 0; i < c->n; i++) {
		if (c->cls[i] == PLAN_CLS_NOFIT && c->in->m64_policy == PLAN_M64_FALLBACK_LOW)
			c->cls[i] = PLAN_CLS_LOW;
	}
	plan_refuse_nofit(c, base, MAX(base, limit));
	for (size_t i = 0; i < c->n; i++) {
		const struct plan_res *r = &c->res[i];

		if (r->status != PLAN_ST_PLACED || r->kind == PLAN_IO || r->addr < PLAN_4G)
			continue;
		wlo = MIN(wlo, r->addr);
		whi = MAX(whi, r->addr + r->size);
	}
	out->high_base = wlo;
	out->high_end = whi ? MAX(wlo, MIN(plan_align_up(whi, c->high_align),
					   MAX(c->phys_limit, whi))) : wlo;
}

static void place_low(struct plan_ctx *c, struct plan_output *out)
{
	size_t m = plan_collect(c, PLAN_CLS_LOW), nb = plan_busy_mem(c, false);
	uint64_t top = plan_pins_top(c, false), s;

	if (m && plan_pack(c, m, nb, c->floor, PLAN_4G, false)) {
		plan_pack(c, m, nb, c->floor, PLAN_4G, true);
		plan_refuse_nofit(c, c->floor, PLAN_4G);
		out->need_more_hole = true;
		/* Re-pack the rest (the commit above may leave it sparse). */
		for (size_t i = 0; i < c->n; i++) {
			struct plan_res *r = &c->res[i];

			if (r->status == PLAN_ST_PLACED && !r->pinned && r->kind != PLAN_IO &&
			    r->addr < PLAN_4G)
				c->cls[i] = PLAN_CLS_LOW;
		}
		m = plan_collect(c, PLAN_CLS_LOW);
	}
	s = plan_search_start(c, m, nb, c->floor, top);
	plan_pack(c, m, nb, s, PLAN_4G, true);
	out->hole_start = s;
	out->hole_size = PLAN_4G - s;
}

int plan_solve(const struct plan_input *in, struct plan_res *res, size_t n,
	       void *scratch, size_t scratch_bytes, struct plan_output *out)
{
	struct plan_ctx ctx, *c = &ctx;
	int rc;

	if (!in || !out || (n && !res) || n > UINT32_MAX / 2 ||
	    (in->nram && !in->ram) || (in->nmem_reserved && !in->mem_reserved) ||
	    (in->nio_reserved && !in->io_reserved))
		return PLAN_ERR_INVAL;
	if (!scratch || scratch_bytes < plan_scratch_bytes(in, n))
		return PLAN_ERR_SCRATCH;
	rc = plan_setup(c, in, res, n, scratch);
	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	plan_limits(c);

	for (size_t i = 0; i < n; i++) {
		struct plan_res *r = &res[i];

		r->addr = 0;
		r->status = PLAN_ST_NONE;
		plan_refuse(r, PLAN_R_NONE, PLAN_C_NONE, 0, 0, 0, 0);
		r->status = PLAN_ST_NONE;
		c->cls[i] = PLAN_CLS_DONE;
		if (r->kind > PLAN_IO || !r->size || !plan_req_align(r)) {
			plan_refuse(r, PLAN_R_BAD_REQUEST, PLAN_C_NONE, 0, 0, 0, 0);
			continue;
		}
		if (!r->pinned)
			c->cls[i] = r->kind == PLAN_IO ? PLAN_CLS_IO :
				    r->kind == PLAN_MEM32 ? PLAN_CLS_LOW : PLAN_CLS_HIGH;
	}
	plan_pins_check(c);
	place_high(c, out);
	place_low(c, out);
	plan_place_io(c, out);
	plan_size_need(c, out);

	if (in->may_relocate_ram)
		for (size_t i = 0; i < in->nram; i++)
			out->ram_relocate += plan_overlap(in->ram[i].base, in->ram[i].size,
							  out->hole_start, out->hole_size);
	for (size_t i = 0; i < n; i++) {
		if (res[i].status == PLAN_ST_PLACED) {
			out->placed++;
			out->pinned += res[i].pinned;
		} else {
			out->refused++;
		}
	}
	return (int)out->refused;
}
