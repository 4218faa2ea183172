/* SPDX-License-Identifier: MIT */
/*
 * Planner set-up: scratch layout, defaults and sanity of the input limits,
 * RAM tops, the lowest hole start the input allows, and the tree: child
 * lists, nesting checks and how far up each resource may be placed.
 */
#include "plan_int.h"
#include <hvmfw/string.h>

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
	r->span = 0;
}

uint64_t plan_req_align(const struct plan_res *r)
{
	uint64_t a = r->align ? r->align : r->size;

	return plan_pow2(a) ? a : 0;
}

bool plan_res_is_io(const struct plan_res *r)
{
	return r->kind == PLAN_IO;
}

uint64_t plan_granule(const struct plan_res *r)
{
	uint64_t g = r->align ? r->align : r->kind == PLAN_IO ? KiB(4) : MiB(1);

	return plan_pow2(g) ? g : 0;
}

uint64_t plan_move_align(const struct plan_ctx *c, const struct plan_res *r)
{
	uint64_t a = plan_is_window(r) ? plan_granule(r) : plan_req_align(r);

	return r->kind == PLAN_IO ? a : MAX(a, c->min_align);
}

/* Bytes of scratch for n resources and nranges RAM/reservation ranges. */
size_t plan_scratch_need(size_t n, size_t nranges)
{
	size_t nb = nranges + 2 * n + 8;

	return 128 + n * (5 * sizeof(uint32_t) + 3 + 25 * sizeof(uint64_t)) +
	       (3 * nb + 8) * sizeof(struct plan_span);
}

size_t plan_scratch_bytes(const struct plan_input *in, size_t n)
{
	return plan_scratch_need(n, in->nram + in->nmem_reserved + in->nio_reserved);
}

static uint8_t *carve(uint8_t **p, size_t bytes)
{
	uint8_t *r = *p;

	*p += ALIGN_UP(bytes, 8);
	return r;
}

int plan_setup(struct plan_ctx *c, const struct plan_input *in, struct plan_res *res, size_t n,
	       void *scratch)
{
	uint8_t *p = (uint8_t *)ALIGN_UP((uintptr_t)scratch, 8);
	size_t nb = in->nram + in->nmem_reserved + in->nio_reserved + 2 * n + 8;
	unsigned int bits = in->phys_bits ? in->phys_bits : 36;

	memset(c, 0, sizeof(*c));
	c->in = in;
	c->res = res;
	c->n = n;
	c->order = (uint32_t *)carve(&p, n * sizeof(uint32_t));
	c->order2 = (uint32_t *)carve(&p, n * sizeof(uint32_t));
	c->child = (uint32_t *)carve(&p, n * sizeof(uint32_t));
	c->next = (uint32_t *)carve(&p, n * sizeof(uint32_t));
	c->cls = carve(&p, n);
	c->shape_in = (uint16_t *)carve(&p, n * sizeof(uint16_t));
	c->reach = (uint64_t *)carve(&p, n * sizeof(uint64_t));
	c->shape_align = (uint64_t *)carve(&p, n * sizeof(uint64_t));
	c->ext = (uint64_t *)carve(&p, 2 * PLAN_SHAPES * n * sizeof(uint64_t));
	c->rel = (uint64_t *)carve(&p, PLAN_SHAPES * n * sizeof(uint64_t));
	c->rel_lo = (uint64_t *)carve(&p, PLAN_SHAPES * n * sizeof(uint64_t));
	c->hull = (uint64_t *)carve(&p, 2 * n * sizeof(uint64_t));
	c->pad = (uint64_t *)carve(&p, PLAN_SHAPES * n * sizeof(uint64_t));
	c->fixlist = (uint32_t *)carve(&p, n * sizeof(uint32_t));
	c->busy = (struct plan_span *)carve(&p, nb * sizeof(struct plan_span));
	c->busy_cap = nb;
	c->gaps.g = (struct plan_span *)carve(&p, (nb + 4) * sizeof(struct plan_span));
	c->gaps.tmp = (struct plan_span *)carve(&p, (nb + 4) * sizeof(struct plan_span));
	c->gaps.cap = nb + 4;
	c->granule = in->hole_granule ? in->hole_granule : MiB(1);
	c->min_align = in->mem_min_align ? in->mem_min_align : KiB(4);
	c->high_align = in->high_align ? in->high_align : GiB(1);
	c->max_hole = in->max_hole ? in->max_hole : XL_MMIO_HOLE_MAX;
	c->io_base = in->io_base || in->io_limit ? in->io_base : 0x1000;
	c->io_limit = in->io_base || in->io_limit ? in->io_limit : PLAN_IO_TOP;
	if (bits < 32 || bits > 52 || !plan_pow2(c->granule) || !plan_pow2(c->min_align) ||
	    !plan_pow2(c->high_align) || c->granule > PLAN_4G || c->high_align > (1ull << 52) ||
	    c->min_align > GiB(1) ||
	    c->io_limit > PLAN_IO_TOP || c->io_base > c->io_limit)
		return PLAN_ERR_INVAL;
	c->phys_limit = 1ull << bits;
	return 0;
}

/* RAM tops, the 64-bit window and the lowest hole start the input allows. */
void plan_limits(struct plan_ctx *c)
{
	const struct plan_input *in = c->in;
	uint64_t top = PLAN_4G, reloc = 0, floor;

	c->low_ram_top = 0;
	for (size_t i = 0; i < in->nram; i++) {
		uint64_t e = in->ram[i].base + in->ram[i].size;

		if (e < in->ram[i].base)
			e = PLAN_INF;
		if (in->ram[i].base < PLAN_4G)
			c->low_ram_top = MAX(c->low_ram_top, MIN(e, PLAN_4G));
		top = MAX(top, MIN(e, PLAN_INF));
	}
	floor = c->max_hole < PLAN_4G ? PLAN_4G - c->max_hole : 0;
	floor = MAX(floor, MIN(in->hole_min, PLAN_4G));
	if (c->whatif)		/* the largest hole an admin can ask xl for */
		floor = PLAN_4G - XL_MMIO_HOLE_MAX;
	else if (!in->may_relocate_ram)
		floor = MAX(floor, c->low_ram_top);
	c->floor = MIN(plan_align_up(floor, c->granule), PLAN_4G);
	/* Worst case: all low RAM above the floor moves on top of high RAM. */
	if (in->may_relocate_ram)
		for (size_t i = 0; i < in->nram; i++)
			reloc += plan_overlap(in->ram[i].base, in->ram[i].size, c->floor,
					      PLAN_4G - c->floor);
	c->high_ram_top = top + reloc;
	c->high_base = MIN(plan_align_up(c->high_ram_top, c->high_align), PLAN_INF);
	c->high_limit = c->phys_limit;
	if (in->high_max && c->high_base + in->high_max < c->high_limit)
		c->high_limit = c->high_base + in->high_max;
}

void plan_refuse_subtree(struct plan_ctx *c, uint32_t w)
{
	for (uint32_t k = c->child[w]; k != PLAN_NONE; k = c->next[k]) {
		struct plan_res *r = &c->res[k];

		if (r->status != PLAN_ST_REFUSED || r->reason != PLAN_R_PARENT)
			plan_refuse(r, PLAN_R_PARENT, PLAN_C_RES, w, 0, 0, 0);
		c->cls[k] = PLAN_CLS_DONE;
		plan_refuse_subtree(c, k);
	}
}

static bool valid_request(const struct plan_ctx *c, const struct plan_res *r)
{
	if (r->kind > PLAN_IO)
		return false;
	/* Nothing larger than the largest physical address space can be placed,
	 * and keeping sizes that small keeps the arithmetic clear of overflow. */
	const uint64_t most = 1ull << 52;

	if (plan_is_window(r))
		return plan_granule(r) && plan_granule(r) <= GiB(1) && !r->pinned &&
		       r->size <= most && !(r->flags & PLAN_F_ECAM);
	return r->size && r->size <= most && plan_req_align(r) && plan_req_align(r) <= most &&
	       (!r->pinned || r->pin_addr < PLAN_INF);
}

/* A window holds children of its own space; I/O only in I/O windows. */
static bool fits_parent(const struct plan_res *ch, const struct plan_res *w)
{
	return plan_is_window(w) && (ch->kind == PLAN_IO) == (w->kind == PLAN_IO);
}

void plan_tree(struct plan_ctx *c)
{
	struct plan_res *res = c->res;
	size_t n = c->n;

	for (size_t i = 0; i < n; i++) {
		struct plan_res *r = &res[i];

		plan_refuse(r, PLAN_R_NONE, PLAN_C_NONE, 0, 0, 0, 0);
		r->status = PLAN_ST_NONE;
		c->child[i] = c->next[i] = PLAN_NONE;
		c->cls[i] = PLAN_CLS_DONE;
		c->shape_in[i] = 0;
		for (unsigned s = 0; s < PLAN_SHAPES; s++)
			c->rel[PLAN_SHAPES * i + s] = c->rel_lo[PLAN_SHAPES * i + s] = 0;
		c->reach[i] = r->kind == PLAN_MEM32 ? PLAN_4G :
			      r->kind == PLAN_IO ? PLAN_IO_TOP : c->phys_limit;
		if (!valid_request(c, r))
			plan_refuse(r, PLAN_R_BAD_REQUEST, PLAN_C_NONE, 0, 0, 0, 0);
	}
	/*
	 * Nesting: a parent must be a window of the same space and an ancestor
	 * chain must end at the root. Chains are followed with a step bound,
	 * so a loop in the input is refused instead of walked forever.
	 */
	for (size_t i = 0; i < n; i++) {
		uint32_t p = plan_parent(c, i);
		size_t steps = 0;
		bool bad = false;

		c->shape_in[i] = 0;	/* 1: left out of the tree (bad link or loop) */
		if (res[i].parent > n || p == i) {
			bad = true;
		} else if (p != PLAN_NONE) {
			for (uint32_t a = p; a != PLAN_NONE && steps <= n; a = plan_parent(c, a))
				steps++;
			bad = steps > n || !fits_parent(&res[i], &res[p]);
		}
		if (!bad)
			continue;
		c->shape_in[i] = 1;
		if (res[i].status == PLAN_ST_NONE)
			plan_refuse(&res[i], PLAN_R_NESTING, p < n ? PLAN_C_RES : PLAN_C_NONE,
				    p < n ? p : 0, 0, 0, 0);
	}
	/* Child lists in index order (built backwards); bad links are left out. */
	for (size_t k = n; k-- > 0;) {
		uint32_t p = plan_parent(c, k);

		if (p == PLAN_NONE || c->shape_in[k])
			continue;
		c->next[k] = c->child[p];
		c->child[p] = (uint32_t)k;
	}
	for (size_t k = 0; k < n; k++)
		c->shape_in[k] = 0;
	/* Everything below a refused window goes with it; loops were cut above. */
	for (size_t i = 0; i < n; i++)
		if (res[i].status == PLAN_ST_REFUSED && plan_is_window(&res[i]))
			plan_refuse_subtree(c, (uint32_t)i);
	/* Reach, first pass: what a resource and the windows above it decode. */
	for (size_t k = 0; k < n; k++) {
		uint64_t m = c->reach[k];

		for (uint32_t a = plan_parent(c, k), steps = 0; a != PLAN_NONE && steps <= n;
		     a = plan_parent(c, a), steps++)
			m = MIN(m, c->reach[a]);
		c->reach[k] = m;
	}
}

/*
 * Reach, second pass (after pins): a movable window goes no higher than
 * everything left inside it can decode (a 32-bit BAR under a 64-bit window
 * pulls the window below 4 GiB). Windows that hold pins stay where their
 * pins are; what inside them cannot follow is refused when it is placed.
 */
void plan_reach(struct plan_ctx *c)
{
	for (size_t k = 0; k < c->n; k++) {
		/* Leaves reach every window above them; an empty window pulls nothing. */
		if (c->res[k].status == PLAN_ST_REFUSED ||
		    (plan_is_window(&c->res[k]) && !c->res[k].size))
			continue;
		for (uint32_t a = plan_parent(c, k), steps = 0; a != PLAN_NONE && steps <= c->n;
		     a = plan_parent(c, a), steps++) {
			if (c->cls[a] == PLAN_CLS_FIXED)
				break;
			c->reach[a] = MIN(c->reach[a], c->reach[k]);
		}
	}
}

unsigned plan_decide(struct plan_ctx *c, unsigned options)
{
	unsigned k = c->ndec_used, v = 0;

	if (options < 2 || k >= PLAN_MAX_DECISIONS)
		return 0;
	/* The greedy run records the decision points; only a search takes the others. */
	v = c->searching && c->dec[k] < options ? c->dec[k] : 0;
	c->dec_options[k] = (uint8_t)options;
	c->ndec_used++;
	return v;
}

static void sift(uint32_t *idx, size_t root, size_t n, plan_cmp_fn cmp, const void *ctx)
{
	for (;;) {
		size_t big = root, l = 2 * root + 1, r = l + 1;

		if (l < n && cmp(ctx, idx[l], idx[big]) > 0)
			big = l;
		if (r < n && cmp(ctx, idx[r], idx[big]) > 0)
			big = r;
		if (big == root)
			return;
		uint32_t t = idx[root];

		idx[root] = idx[big];
		idx[big] = t;
		root = big;
	}
}

void plan_sort_idx(uint32_t *idx, size_t n, plan_cmp_fn cmp, const void *ctx)
{
	/* Heap sort: O(n log n), in place, no recursion. Not stable, so every
	 * comparator ends on the array index and the order is total. */
	for (size_t i = n / 2; i-- > 0;)
		sift(idx, i, n, cmp, ctx);
	for (size_t end = n; end > 1; end--) {
		uint32_t t = idx[0];

		idx[0] = idx[end - 1];
		idx[end - 1] = t;
		sift(idx, 0, end - 1, cmp, ctx);
	}
}

static bool span_less(const struct plan_span *a, const struct plan_span *b)
{
	return a->lo < b->lo || (a->lo == b->lo && a->hi < b->hi);
}

void plan_sort_spans(struct plan_span *s, size_t n)
{
	/* Heap sort on the spans themselves. */
	for (size_t start = n / 2; start-- > 0;) {
		for (size_t root = start;;) {
			size_t big = root, l = 2 * root + 1, r = l + 1;

			if (l < n && span_less(&s[big], &s[l]))
				big = l;
			if (r < n && span_less(&s[big], &s[r]))
				big = r;
			if (big == root)
				break;
			struct plan_span t = s[root];

			s[root] = s[big];
			s[big] = t;
			root = big;
		}
	}
	for (size_t end = n; end > 1; end--) {
		struct plan_span t = s[0];

		s[0] = s[end - 1];
		s[end - 1] = t;
		for (size_t root = 0, m = end - 1;;) {
			size_t big = root, l = 2 * root + 1, r = l + 1;

			if (l < m && span_less(&s[big], &s[l]))
				big = l;
			if (r < m && span_less(&s[big], &s[r]))
				big = r;
			if (big == root)
				break;
			struct plan_span u = s[root];

			s[root] = s[big];
			s[big] = u;
			root = big;
		}
	}
}
