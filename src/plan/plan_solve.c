/* SPDX-License-Identifier: MIT */
/*
 * The planner proper. One layout run: pins (plan_pins.c), window shapes
 * (plan_shape.c), the windows that hold pins (plan_fixed.c), then the
 * 64-bit window packed upwards from the end of RAM, the 32-bit hole packed
 * downwards from 4 GiB (so the hole ends up as small as the pack is tight)
 * and I/O upwards.
 *
 * A run takes a few decisions greedily (which shape a window takes, which
 * side of its pins a movable child goes). When the result is not provably
 * the smallest hole and the instance is small, the other choices are tried
 * too, depth first over the decisions, within a budget of runs; the best
 * run is replayed. Same input, same decisions, same plan.
 */
#include "plan_int.h"
#include <hvmfw/string.h>

/* Search only instances this small, with at most this many runs by default. */
#define SEARCH_MAX_N	48
#define SEARCH_RUNS	384

struct score {
	uint32_t refused;
	uint64_t hole_start, high_end, io_hi;
	uint64_t lower_bound;	/* highest hole start any plan could have */
};

static bool better(const struct score *a, const struct score *b)
{
	if (a->refused != b->refused)
		return a->refused < b->refused;
	if (a->hole_start != b->hole_start)
		return a->hole_start > b->hole_start;
	if (a->high_end != b->high_end)
		return a->high_end < b->high_end;
	return a->io_hi < b->io_hi;
}

static void add_busy(struct plan_ctx *c, size_t *nb, uint64_t lo, uint64_t hi)
{
	if (hi > lo && *nb < c->busy_cap) {
		c->busy[*nb].lo = lo;
		c->busy[*nb].hi = hi;
		(*nb)++;
	}
}

static void add_list(struct plan_ctx *c, size_t *nb, const struct plan_range *l, size_t nl,
		     uint64_t skip_below)
{
	for (size_t i = 0; i < nl; i++) {
		uint64_t hi = l[i].base + l[i].size;

		add_busy(c, nb, MAX(l[i].base, skip_below), hi < l[i].base ? PLAN_INF : hi);
	}
}

/* Fixed things of one space at the root: pins and the windows that hold them. */
static void add_fixed(struct plan_ctx *c, size_t *nb, bool io)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct plan_res *r = &c->res[i];

		if (c->cls[i] == PLAN_CLS_FIXED && r->parent == 0 && r->status == PLAN_ST_PLACED &&
		    (r->kind == PLAN_IO) == io && r->span)
			add_busy(c, nb, r->addr, r->addr + r->span);
	}
}

static size_t collect(struct plan_ctx *c, uint8_t cls)
{
	size_t m = 0;

	for (size_t i = 0; i < c->n; i++)
		if (c->cls[i] == cls && c->res[i].status == PLAN_ST_NONE)
			c->order[m++] = (uint32_t)i;
	return m;
}

static void refuse_left(struct plan_ctx *c, uint8_t cls, uint64_t lo, uint64_t hi)
{
	for (size_t i = 0; i < c->n; i++) {
		if (c->cls[i] != cls || c->res[i].status != PLAN_ST_NONE)
			continue;
		plan_refuse(&c->res[i], PLAN_R_NO_SPACE, PLAN_C_LIMIT, 0, lo, hi - lo,
			    c->res[i].size);
		c->cls[i] = PLAN_CLS_DONE;
		if (plan_is_window(&c->res[i]))
			plan_refuse_subtree(c, (uint32_t)i);
	}
}

static void place_high(struct plan_ctx *c)
{
	size_t nb = 0, m = collect(c, PLAN_CLS_HIGH);

	if (!m)
		return;
	add_list(c, &nb, c->in->ram, c->in->nram, 0);
	add_list(c, &nb, c->in->mem_reserved, c->in->nmem_reserved, 0);
	add_fixed(c, &nb, false);
	plan_sort_spans(c->busy, nb);
	plan_gaps_build(&c->gaps, c->busy, nb, c->high_base, MAX(c->high_base, c->high_limit));
	if (plan_pack(c, c->order, m, false) && c->in->m64_policy == PLAN_M64_FALLBACK_LOW) {
		for (size_t i = 0; i < c->n; i++)
			if (c->cls[i] == PLAN_CLS_HIGH && c->res[i].status == PLAN_ST_NONE)
				c->cls[i] = PLAN_CLS_LOW;
	}
	refuse_left(c, PLAN_CLS_HIGH, c->high_base, MAX(c->high_base, c->high_limit));
}

/* Highest hole start that leaves room for `demand` bytes above it (a bound). */
static uint64_t bound(struct plan_ctx *c, uint64_t demand, uint64_t top)
{
	uint64_t acc = 0;

	for (size_t k = c->gaps.n; k-- > 0;) {
		const struct plan_span *g = &c->gaps.g[k];

		if (acc + (g->hi - g->lo) >= demand)
			return MIN(top, plan_align_down(g->hi - (demand - acc), c->granule));
		acc += g->hi - g->lo;
	}
	return MIN(top, c->floor);
}

static void place_low(struct plan_ctx *c, struct score *sc)
{
	const struct plan_input *in = c->in;
	size_t nb = 0, m = collect(c, PLAN_CLS_LOW);
	uint64_t demand = 0, top = PLAN_4G;

	if (!(in->may_relocate_ram || c->whatif))
		add_list(c, &nb, in->ram, in->nram, 0);
	add_list(c, &nb, in->mem_reserved, in->nmem_reserved, 0);
	add_fixed(c, &nb, false);
	for (size_t i = 0; i < c->n; i++) {
		const struct plan_res *r = &c->res[i];

		if (c->cls[i] == PLAN_CLS_FIXED && r->parent == 0 && r->status == PLAN_ST_PLACED &&
		    r->kind != PLAN_IO && r->span && r->addr < PLAN_4G)
			top = MIN(top, plan_align_down(r->addr, c->granule));
	}
	plan_sort_spans(c->busy, nb);
	plan_gaps_build(&c->gaps, c->busy, nb, c->floor, PLAN_4G);
	for (size_t k = 0; k < m; k++) {
		uint64_t lo, hi, a, best = PLAN_INF;

		for (unsigned s = 0; s < (plan_is_window(&c->res[c->order[k]]) ? PLAN_SHAPES : 1u); s++) {
			plan_footprint(c, c->order[k], s, &lo, &hi, &a);
			best = MIN(best, lo + hi);
		}
		demand += best;
	}
	sc->lower_bound = m ? bound(c, demand, top) : top;
	if (m)
		plan_pack(c, c->order, m, true);
	refuse_left(c, PLAN_CLS_LOW, c->floor, PLAN_4G);
}

static void place_io(struct plan_ctx *c)
{
	size_t nb = 0, m = collect(c, PLAN_CLS_IO);

	if (!m)
		return;
	add_list(c, &nb, c->in->io_reserved, c->in->nio_reserved, 0);
	add_fixed(c, &nb, true);
	plan_sort_spans(c->busy, nb);
	plan_gaps_build(&c->gaps, c->busy, nb, c->io_base, c->io_limit);
	plan_pack(c, c->order, m, false);
	refuse_left(c, PLAN_CLS_IO, c->io_base, c->io_limit);
}

static void classify(struct plan_ctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct plan_res *r = &c->res[i];

		if (r->parent || r->status != PLAN_ST_NONE || c->cls[i] == PLAN_CLS_FIXED)
			continue;
		/* 64-bit capable resources go high; the policy may bring them back low. */
		c->cls[i] = r->kind == PLAN_IO ? PLAN_CLS_IO :
			    c->reach[i] <= PLAN_4G && (r->kind == PLAN_MEM32 || plan_is_window(r)) ?
			    PLAN_CLS_LOW : PLAN_CLS_HIGH;
	}
}

static void outputs(struct plan_ctx *c, struct plan_output *out, struct score *sc)
{
	const struct plan_input *in = c->in;
	uint64_t low = PLAN_4G, wlo = c->high_base, whi = 0, io_lo = PLAN_IO_TOP, io_hi = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < c->n; i++) {
		struct plan_res *r = &c->res[i];

		if (r->status == PLAN_ST_NONE) {	/* nothing may stay undecided */
			plan_refuse(r, PLAN_R_NO_SPACE, PLAN_C_NONE, 0, 0, 0, r->size);
			if (plan_is_window(r))
				plan_refuse_subtree(c, (uint32_t)i);
		}
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct plan_res *r = &c->res[i];

		if (r->status != PLAN_ST_PLACED) {
			out->refused++;
			continue;
		}
		out->placed++;
		out->pinned += r->pinned;
		if (!r->span || r->parent)
			continue;
		if (r->kind == PLAN_IO) {
			io_lo = MIN(io_lo, r->addr);
			io_hi = MAX(io_hi, r->addr + r->span);
		} else if (r->addr < PLAN_4G) {
			low = MIN(low, r->addr);
		} else {
			wlo = MIN(wlo, r->addr);
			whi = MAX(whi, r->addr + r->span);
		}
	}
	out->hole_start = plan_align_down(low, c->granule);
	out->hole_size = PLAN_4G - out->hole_start;
	out->hole_floor = in->may_relocate_ram ? out->hole_start : MIN(c->floor, out->hole_start);
	out->high_base = wlo;
	out->high_end = whi ? MAX(wlo, MIN(plan_align_up(whi, c->high_align),
					   MAX(c->phys_limit, whi))) : wlo;
	out->io_lo = (uint32_t)(io_hi ? io_lo : 0);
	out->io_hi = (uint32_t)io_hi;
	if (in->may_relocate_ram)
		for (size_t i = 0; i < in->nram; i++)
			out->ram_relocate += plan_overlap(in->ram[i].base, in->ram[i].size,
							  out->hole_start, out->hole_size);
	sc->refused = out->refused;
	sc->hole_start = out->hole_start;
	sc->high_end = out->high_end;
	sc->io_hi = io_hi;
}

static void run(struct plan_ctx *c, struct plan_output *out, struct score *sc)
{
	c->ndec_used = 0;
	plan_limits(c);
	plan_tree(c);
	plan_pins(c);
	plan_reach(c);
	plan_shapes(c);
	classify(c);
	plan_fixed_windows(c);
	place_high(c);
	place_low(c, sc);
	place_io(c);
	outputs(c, out, sc);
}

/* Next decision vector, depth first; false when every one was tried. */
static bool next_decisions(struct plan_ctx *c)
{
	for (size_t k = c->ndec_used; k-- > 0;) {
		if (c->dec[k] + 1 < c->dec_options[k]) {
			c->dec[k]++;
			for (size_t j = k + 1; j < PLAN_MAX_DECISIONS; j++)
				c->dec[j] = 0;
			return true;
		}
	}
	return false;
}

/* True when 32-bit demand or a low pin was refused for lack of hole. */
static bool low_refused(const struct plan_ctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct plan_res *r = &c->res[i];

		if (r->status != PLAN_ST_REFUSED || r->kind == PLAN_IO)
			continue;
		if (r->reason == PLAN_R_NO_SPACE && (r->kind == PLAN_MEM32 ||
						     c->in->m64_policy == PLAN_M64_FALLBACK_LOW))
			return true;
		if (r->pinned && (r->reason == PLAN_R_PIN_RAM || r->reason == PLAN_R_PIN_BELOW_HOLE) &&
		    r->pin_addr + r->size <= PLAN_4G)
			return true;
	}
	return false;
}

int plan_solve(const struct plan_input *in, struct plan_res *res, size_t n,
	       void *scratch, size_t scratch_bytes, struct plan_output *out)
{
	struct plan_ctx ctx, *c = &ctx;
	struct score sc, best;
	uint8_t best_dec[PLAN_MAX_DECISIONS];
	bool need_replay = false, need_more;

	uint64_t need = PLAN_4G;
	unsigned max_runs = in && in->search_runs ? in->search_runs : SEARCH_RUNS;
	int rc;

	if (!in || !out || (n && !res) || n > UINT32_MAX / 4 ||
	    (in->nram && !in->ram) || (in->nmem_reserved && !in->mem_reserved) ||
	    (in->nio_reserved && !in->io_reserved))
		return PLAN_ERR_INVAL;
	if (!scratch || scratch_bytes < plan_scratch_bytes(in, n))
		return PLAN_ERR_SCRATCH;
	rc = plan_setup(c, in, res, n, scratch);
	if (rc)
		return rc;

	memset(c->dec, 0, sizeof(c->dec));
	run(c, out, &best);
	memcpy(best_dec, c->dec, sizeof(best_dec));
	if (n <= SEARCH_MAX_N && c->ndec_used &&
	    (best.refused || best.hole_start < best.lower_bound)) {
		c->searching = true;
		for (unsigned runs = 1; runs < max_runs && next_decisions(c); runs++) {
			run(c, out, &sc);
			need_replay = true;
			if (better(&sc, &best)) {
				best = sc;
				memcpy(best_dec, c->dec, sizeof(best_dec));
				need_replay = false;
				if (!sc.refused && sc.hole_start >= sc.lower_bound)
					break;
			}
		}
	}
	if (need_replay) {
		memcpy(c->dec, best_dec, sizeof(c->dec));
		c->searching = true;
		run(c, out, &sc);
	}
	if (low_refused(c)) {
		/* The hole an admin would need: RAM below it is the toolstack's to move. */
		c->whatif = true;
		c->searching = false;
		run(c, out, &sc);
		need = sc.hole_start;
		c->whatif = false;
		memcpy(c->dec, best_dec, sizeof(c->dec));
		c->searching = true;
		run(c, out, &sc);
	}
	need_more = low_refused(c);
	out->need_more_hole = false;
	for (size_t i = 0; i < n; i++)
		if (res[i].status == PLAN_ST_REFUSED && res[i].reason == PLAN_R_NO_SPACE &&
		    res[i].kind != PLAN_IO && (res[i].kind == PLAN_MEM32 ||
					       in->m64_policy == PLAN_M64_FALLBACK_LOW))
			out->need_more_hole = true;
	out->need_hole_start = need_more ? MIN(need, out->hole_start) : out->hole_start;
	uint64_t mib = (PLAN_4G - out->need_hole_start + MiB(1) - 1) >> 20;

	out->mmio_hole_mib = (uint32_t)(MIN(MAX(MiB(mib), XL_MMIO_HOLE_MIN), XL_MMIO_HOLE_MAX) >> 20);
	return (int)out->refused;
}
