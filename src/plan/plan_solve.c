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

#define XL_MMIO_HOLE_MIN	MiB(256)
#define XL_MMIO_HOLE_MAX	MiB(3840)

void plan_refuse(struct plan_res *r, uint8_t reason, uint8_t conflict, uint32_t idx,
		 uint64_t base, uint64_t size, uint64_t overlap)
{
	r->status = PLAN_ST_REFUSED;
	r->reason = reason;
	r->conflict = conflict;
	r->conflict_index = idx;
	r->conflict_base = base;
	r->conflict_size = size;
	r->overlap = overlap;
	r->addr = 0;
}

uint64_t plan_move_align(const struct plan_ctx *c, const struct plan_res *r)
{
	uint64_t a = plan_req_align(r);

	return r->kind == PLAN_IO ? a : MAX(a, c->min_align);
}

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
static size_t collect(struct plan_ctx *c, uint8_t cls)
{
	size_t m = 0;

	for (size_t i = 0; i < c->n; i++)
		if (c->cls[i] == cls)
			c->order[m++] = (uint32_t)i;
	plan_sort_idx(c->order, m, move_cmp, c);
	return m;
}

static size_t add_ranges(struct plan_ctx *c, size_t nb, const struct plan_range *l, size_t nl,
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
static size_t busy_mem(struct plan_ctx *c, bool for_need)
{
	const struct plan_input *in = c->in;
	size_t nb = 0;

	if (!for_need)
		nb = add_ranges(c, nb, in->ram, in->nram, in->may_relocate_ram ? PLAN_4G : 0);
	nb = add_ranges(c, nb, in->mem_reserved, in->nmem_reserved, 0);
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
static size_t pack(struct plan_ctx *c, size_t m, size_t nb, uint64_t lo, uint64_t hi, bool commit)
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
static uint64_t search_start(struct plan_ctx *c, size_t m, size_t nb, uint64_t floor, uint64_t top)
{
	uint64_t lo = floor / c->granule, hi = top / c->granule;

	if (!m || !pack(c, m, nb, hi * c->granule, PLAN_4G, false))
		return hi * c->granule;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (pack(c, m, nb, mid * c->granule, PLAN_4G, false))
			hi = mid;
		else
			lo = mid;
	}
	return lo * c->granule;
}

/* Lowest granule boundary at or below every low pin that must be inside. */
static uint64_t pins_top(struct plan_ctx *c, bool for_need)
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

static void refuse_nofit(struct plan_ctx *c, uint64_t lo, uint64_t hi)
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
	size_t m = collect(c, PLAN_CLS_HIGH), nb = busy_mem(c, false);

	if (c->in->high_max && base + c->in->high_max < limit)
		limit = base + c->in->high_max;
	if (m && base < limit)
		pack(c, m, nb, base, limit, true);
	else
		for (size_t k = 0; k < m; k++)
			c->cls[c->order[k]] = PLAN_CLS_NOFIT;
	for (size_t i = 0; i < c->n; i++) {
		if (c->cls[i] == PLAN_CLS_NOFIT && c->in->m64_policy == PLAN_M64_FALLBACK_LOW)
			c->cls[i] = PLAN_CLS_LOW;
	}
	refuse_nofit(c, base, MAX(base, limit));
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
	size_t m = collect(c, PLAN_CLS_LOW), nb = busy_mem(c, false);
	uint64_t top = pins_top(c, false), s;

	if (m && pack(c, m, nb, c->floor, PLAN_4G, false)) {
		pack(c, m, nb, c->floor, PLAN_4G, true);
		refuse_nofit(c, c->floor, PLAN_4G);
		out->need_more_hole = true;
		/* Re-pack the rest (the commit above may leave it sparse). */
		for (size_t i = 0; i < c->n; i++) {
			struct plan_res *r = &c->res[i];

			if (r->status == PLAN_ST_PLACED && !r->pinned && r->kind != PLAN_IO &&
			    r->addr < PLAN_4G)
				c->cls[i] = PLAN_CLS_LOW;
		}
		m = collect(c, PLAN_CLS_LOW);
	}
	s = search_start(c, m, nb, c->floor, top);
	pack(c, m, nb, s, PLAN_4G, true);
	out->hole_start = s;
	out->hole_size = PLAN_4G - s;
}

static void place_io(struct plan_ctx *c, struct plan_output *out)
{
	const struct plan_input *in = c->in;
	size_t m = collect(c, PLAN_CLS_IO), nb;
	uint64_t lo = PLAN_IO_TOP, hi = 0;

	nb = add_ranges(c, 0, in->io_reserved, in->nio_reserved, 0);
	for (size_t i = 0; i < c->n; i++) {
		const struct plan_res *r = &c->res[i];

		if (r->kind == PLAN_IO && r->pinned && r->status == PLAN_ST_PLACED) {
			c->busy[nb].lo = r->addr;
			c->busy[nb].hi = r->addr + r->size;
			nb++;
		}
	}
	plan_sort_spans(c->busy, nb);
	pack(c, m, nb, c->io_base, c->io_limit, true);
	refuse_nofit(c, c->io_base, c->io_limit);
	for (size_t i = 0; i < c->n; i++) {
		const struct plan_res *r = &c->res[i];

		if (r->kind == PLAN_IO && r->status == PLAN_ST_PLACED) {
			lo = MIN(lo, r->addr);
			hi = MAX(hi, r->addr + r->size);
		}
	}
	out->io_lo = (uint32_t)(hi ? lo : 0);
	out->io_hi = (uint32_t)hi;
}

/* Hole an admin would have to ask for (xl mmio_hole=) so that every
 * 32-bit resource, refused low pins included, fits: RAM is ignored because
 * the toolstack shrinks low RAM to match. */
static void size_need(struct plan_ctx *c, struct plan_output *out)
{
	uint64_t floor = plan_align_up(PLAN_4G - XL_MMIO_HOLE_MAX, c->granule);
	uint64_t top, need, mib;
	size_t m, nb;
	bool refused_low = out->need_more_hole;

	for (size_t i = 0; i < c->n; i++) {
		const struct plan_res *r = &c->res[i];

		if (r->pinned && r->kind != PLAN_IO && r->status == PLAN_ST_REFUSED &&
		    (r->reason == PLAN_R_PIN_RAM || r->reason == PLAN_R_PIN_BELOW_HOLE) &&
		    r->pin_addr + r->size <= PLAN_4G)
			refused_low = true;
	}
	need = out->hole_start;
	if (refused_low) {
		for (size_t i = 0; i < c->n; i++) {
			const struct plan_res *r = &c->res[i];
			bool mem = r->kind != PLAN_IO && !r->pinned;

			if (mem && ((r->status == PLAN_ST_PLACED && r->addr < PLAN_4G) ||
				    (r->status == PLAN_ST_REFUSED && r->reason == PLAN_R_NO_SPACE &&
				     (r->kind == PLAN_MEM32 ||
				      c->in->m64_policy == PLAN_M64_FALLBACK_LOW))))
				c->cls[i] = PLAN_CLS_NEED;
		}
		m = collect(c, PLAN_CLS_NEED);
		nb = busy_mem(c, true);
		top = MAX(floor, pins_top(c, true));
		need = floor;
		if (!m || !pack(c, m, nb, floor, PLAN_4G, false))
			need = search_start(c, m, nb, floor, top);
		for (size_t k = 0; k < m; k++)
			c->cls[c->order[k]] = PLAN_CLS_DONE;
	}
	out->need_hole_start = need;
	mib = (PLAN_4G - need + MiB(1) - 1) >> 20;
	out->mmio_hole_mib = (uint32_t)MIN(MAX(MiB(mib), XL_MMIO_HOLE_MIN), XL_MMIO_HOLE_MAX) >> 20;
}

size_t plan_scratch_bytes(const struct plan_input *in, size_t n)
{
	size_t nb = in->nram + in->nmem_reserved + in->nio_reserved + n + 2;

	return 8 + n * sizeof(uint32_t) + ALIGN_UP(n, 8) +
	       (2 * nb + n + 4) * sizeof(struct plan_span);
}

static int setup(struct plan_ctx *c, const struct plan_input *in, struct plan_res *res, size_t n,
		 void *scratch)
{
	uint8_t *p = (uint8_t *)ALIGN_UP((uintptr_t)scratch, 8);
	size_t nb = in->nram + in->nmem_reserved + in->nio_reserved + n + 2;
	unsigned int bits = in->phys_bits ? in->phys_bits : 36;

	memset(c, 0, sizeof(*c));
	c->in = in;
	c->res = res;
	c->n = n;
	c->order = (uint32_t *)p;
	c->cls = p + n * sizeof(uint32_t);
	c->busy = (struct plan_span *)(c->cls + ALIGN_UP(n, 8));
	c->busy_cap = nb;
	c->gaps.g = c->busy + nb;
	c->gaps.cap = nb + n + 4;
	c->granule = in->hole_granule ? in->hole_granule : MiB(1);
	c->min_align = in->mem_min_align ? in->mem_min_align : KiB(4);
	c->high_align = in->high_align ? in->high_align : GiB(1);
	c->max_hole = in->max_hole ? in->max_hole : XL_MMIO_HOLE_MAX;
	c->io_base = in->io_base || in->io_limit ? in->io_base : 0x1000;
	c->io_limit = in->io_base || in->io_limit ? in->io_limit : PLAN_IO_TOP;
	if (bits < 32 || bits > 52 || !plan_pow2(c->granule) || !plan_pow2(c->min_align) ||
	    !plan_pow2(c->high_align) || c->granule > PLAN_4G || c->high_align > (1ull << 52) ||
	    c->io_limit > PLAN_IO_TOP || c->io_base > c->io_limit)
		return PLAN_ERR_INVAL;
	c->phys_limit = 1ull << bits;
	return 0;
}

/* RAM tops and the lowest hole start the input allows. */
static void limits(struct plan_ctx *c)
{
	const struct plan_input *in = c->in;
	uint64_t top = PLAN_4G, reloc = 0, floor;

	for (size_t i = 0; i < in->nram; i++) {
		uint64_t e = in->ram[i].base + in->ram[i].size;

		if (in->ram[i].base < PLAN_4G)
			c->low_ram_top = MAX(c->low_ram_top, MIN(e, PLAN_4G));
		top = MAX(top, e);
	}
	floor = c->max_hole < PLAN_4G ? PLAN_4G - c->max_hole : 0;
	floor = MAX(floor, in->hole_min);
	if (!in->may_relocate_ram)
		floor = MAX(floor, c->low_ram_top);
	c->floor = MIN(plan_align_up(floor, c->granule), PLAN_4G);
	/* Worst case: all low RAM above the floor moves on top of high RAM. */
	if (in->may_relocate_ram)
		for (size_t i = 0; i < in->nram; i++)
			reloc += plan_overlap(in->ram[i].base, in->ram[i].size, c->floor,
					      PLAN_4G - c->floor);
	c->high_ram_top = top + reloc;
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
	rc = setup(c, in, res, n, scratch);
	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	limits(c);

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
	place_io(c, out);
	size_need(c, out);

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
