/* SPDX-License-Identifier: MIT */
/*
 * Bounded lists of reserved ranges (struct plan_range) that never lose a
 * byte: when a list is over its capacity it is sorted and coalesced, and if
 * that is not enough the closest neighbours are joined into one range that
 * also covers the gap between them. Reserving too much is safe for the
 * planner (a BAR just goes elsewhere); forgetting a reservation is not.
 * Pure code, also built for the host.
 */
#ifndef HVMFW_RANGES_H
#define HVMFW_RANGES_H

#include <hvmfw/plan.h>

/* Name given to a range made of several with different names. */
#define RANGES_MERGED_NAME "merged reservations"

/*
 * Make r[0..n) fit in cap >= 1 entries, covering at least every byte it
 * covered. n <= cap: left exactly as it is. Otherwise the result is sorted by
 * base. Returns the new count.
 */
size_t ranges_fit(struct plan_range *r, size_t n, size_t cap);

/*
 * Append *add to r[0..n) of capacity cap >= 1, first fitting the list into
 * cap - 1 entries when it is full (with cap 1, the one entry grows to cover
 * *add); *merged is then set to true (merged may be NULL). Returns the new
 * count.
 */
size_t ranges_add(struct plan_range *r, size_t n, size_t cap, const struct plan_range *add,
		  bool *merged);

#endif
