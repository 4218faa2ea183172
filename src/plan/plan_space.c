/* SPDX-License-Identifier: MIT */
/* Free-interval bookkeeping and sorting for the planner (no allocation). */
#include "plan_int.h"
#include <hvmfw/string.h>

uint64_t plan_req_align(const struct plan_res *r)
{
	uint64_t a = r->align ? r->align : r->size;

	return plan_pow2(a) ? a : 0;
}

bool plan_res_is_io(const struct plan_res *r)
{
	return r->kind == PLAN_IO;
}

void plan_sort_idx(uint32_t *idx, size_t n, plan_cmp_fn cmp, const void *ctx)
{
	/* Shell sort, Knuth's 3h+1 gaps: O(n^1.5), no recursion, no memory.
	 * Not stable; the comparators end on the array index so the order is
	 * total and the result deterministic. */
	size_t gap = 1;

	while (gap * 3 + 1 < n)
		gap = gap * 3 + 1;
	for (; gap >= 1; gap /= 3) {
		for (size_t i = gap; i < n; i++) {
			uint32_t v = idx[i];
			size_t j = i;

			while (j >= gap && cmp(ctx, idx[j - gap], v) > 0) {
				idx[j] = idx[j - gap];
				j -= gap;
			}
			idx[j] = v;
		}
	}
}

void plan_sort_spans(struct plan_span *s, size_t n)
{
	/* Insertion passes with shrinking gaps directly on the spans. */
	size_t gap = 1;

	while (gap * 3 + 1 < n)
		gap = gap * 3 + 1;
	for (; gap >= 1; gap /= 3) {
		for (size_t i = gap; i < n; i++) {
			struct plan_span v = s[i];
			size_t j = i;

			while (j >= gap && (s[j - gap].lo > v.lo ||
					    (s[j - gap].lo == v.lo && s[j - gap].hi > v.hi))) {
				s[j] = s[j - gap];
				j -= gap;
			}
			s[j] = v;
		}
	}
}

void plan_gaps_build(struct plan_gaps *gs, const struct plan_span *busy, size_t nb,
		     uint64_t lo, uint64_t hi)
{
	uint64_t cur = lo;

	gs->n = 0;
	for (size_t i = 0; i < nb && cur < hi; i++) {
		if (busy[i].hi <= cur)
			continue;
		if (busy[i].lo > cur) {
			gs->g[gs->n].lo = cur;
			gs->g[gs->n].hi = MIN(busy[i].lo, hi);
			gs->n++;
		}
		cur = MAX(cur, busy[i].hi);
	}
	if (cur < hi) {
		gs->g[gs->n].lo = cur;
		gs->g[gs->n].hi = hi;
		gs->n++;
	}
}

bool plan_gaps_take(struct plan_gaps *gs, uint64_t size, uint64_t align, uint64_t *addr)
{
	for (size_t i = 0; i < gs->n; i++) {
		struct plan_span g = gs->g[i];
		uint64_t a;

		if (g.hi - g.lo < size || align > g.hi)
			continue;
		a = plan_align_up(g.lo, align);
		if (a < g.lo || a > g.hi || g.hi - a < size)
			continue;
		*addr = a;
		bool left = a > g.lo, right = a + size < g.hi;

		if (left && right) {
			if (gs->n >= gs->cap)
				return false;	/* cannot happen with plan_scratch_bytes */
			memmove(&gs->g[i + 2], &gs->g[i + 1], (gs->n - i - 1) * sizeof(g));
			gs->g[i].hi = a;
			gs->g[i + 1].lo = a + size;
			gs->g[i + 1].hi = g.hi;
			gs->n++;
		} else if (left) {
			gs->g[i].hi = a;
		} else if (right) {
			gs->g[i].lo = a + size;
		} else {
			memmove(&gs->g[i], &gs->g[i + 1], (gs->n - i - 1) * sizeof(g));
			gs->n--;
		}
		return true;
	}
	return false;
}
