/* SPDX-License-Identifier: MIT */
/* Reserved-range lists that merge instead of dropping when full (see ranges.h). */
#include <hvmfw/ranges.h>

/* End of a range, saturated at 2^64 - 1 so a range up to the top still compares right. */
static uint64_t end_of(const struct plan_range *r)
{
	return r->base + r->size < r->base ? UINT64_MAX : r->base + r->size;
}

static const char *joined_name(const struct plan_range *a, const struct plan_range *b)
{
	if (a->name == b->name)
		return a->name;
	return RANGES_MERGED_NAME;
}

/* a becomes the smallest range covering a and b. */
static void join(struct plan_range *a, const struct plan_range *b)
{
	uint64_t base = MIN(a->base, b->base), end = MAX(end_of(a), end_of(b));

	a->name = joined_name(a, b);
	a->base = base;
	a->size = end - base;
}

static void sort_by_base(struct plan_range *r, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct plan_range v = r[i];
		size_t j = i;

		while (j && r[j - 1].base > v.base) {
			r[j] = r[j - 1];
			j--;
		}
		r[j] = v;
	}
}

static void remove_at(struct plan_range *r, size_t *n, size_t i)
{
	for (size_t k = i; k + 1 < *n; k++)
		r[k] = r[k + 1];
	(*n)--;
}

size_t ranges_fit(struct plan_range *r, size_t n, size_t cap)
{
	size_t out = 0;

	if (n <= cap || !cap)
		return n;
	sort_by_base(r, n);
	/* Overlapping or touching ranges: one range, nothing more covered. */
	for (size_t i = 0; i < n; i++) {
		if (out && r[i].base <= end_of(&r[out - 1]))
			join(&r[out - 1], &r[i]);
		else
			r[out++] = r[i];
	}
	/* Still too many: cover the smallest gap, again and again (sorted, disjoint now). */
	while (out > cap) {
		size_t best = 0;
		uint64_t gap = UINT64_MAX;

		for (size_t i = 0; i + 1 < out; i++) {
			uint64_t g = r[i + 1].base - end_of(&r[i]);

			if (g < gap) {
				gap = g;
				best = i;
			}
		}
		join(&r[best], &r[best + 1]);
		remove_at(r, &out, best + 1);
	}
	return out;
}

size_t ranges_add(struct plan_range *r, size_t n, size_t cap, const struct plan_range *add,
		  bool *merged)
{
	if (!cap)
		return n;
	if (n >= cap && merged)
		*merged = true;
	/* A one-entry list can only grow its entry. */
	if (n >= cap && cap == 1) {
		join(&r[0], add);
		return 1;
	}
	if (n >= cap)
		n = ranges_fit(r, n, cap - 1);
	r[n++] = *add;
	return n;
}
