/* SPDX-License-Identifier: MIT */
/*
 * Exact oracle for the MMIO-hole planner, written without looking at the
 * planner: an exhaustive search over placements (see oracle.c for why its
 * reduced candidate set is complete) plus a literal, pairwise layout checker.
 * Memory space only: an input with an I/O resource is not supported.
 */
#ifndef TEST_PLAN_ORACLE_H
#define TEST_PLAN_ORACLE_H

#include <hvmfw/plan.h>

#define ORACLE_MAX 12	/* resources per instance (refusal subsets are 2^n) */

/* One complete answer: what is placed where, and the hole it implies. */
struct oracle_layout {
	uint64_t hole_start;	/* 32-bit hole [hole_start, 4 GiB) */
	bool placed[ORACLE_MAX];
	uint64_t addr[ORACLE_MAX];
	uint64_t span[ORACLE_MAX];	/* leaf: its size; window: decoded bytes, 0 closed */
};

struct oracle_result {
	bool all_fit;		/* every resource can be placed */
	size_t max_placed;	/* most resources placeable at once (subtrees refused whole) */
	uint64_t hole_start;	/* largest hole start among layouts placing max_placed */
	struct oracle_layout witness;	/* one such layout (already checked) */
	unsigned long work;	/* placement evaluations, for speed reports */
};

/* The limits every rule refers to, derived from plan_input defaults. */
struct oracle_limits {
	uint64_t floor;		/* lowest hole start: max(low RAM end, 4G - max_hole, hole_min) */
	uint64_t hole_granule;
	uint64_t min_hole_start;	/* floor rounded up to the hole granule */
	uint64_t mem_min_align;
	uint64_t high_base, high_limit;	/* 64-bit window [high_base, high_limit) */
};

void oracle_limits(const struct plan_input *in, struct oracle_limits *lim);

/*
 * Solve exactly. Returns 0, or -1 when the instance is outside what the
 * oracle handles (n > ORACLE_MAX, I/O resources, a bad parent link, a
 * request that is not a power of two, a pinned window, may_relocate_ram),
 * or -2 when its own witness fails oracle_check_layout (an oracle bug).
 */
int oracle_solve(const struct plan_input *in, const struct plan_res *res, size_t n,
		 struct oracle_result *out);

/*
 * Check a layout against the rules, one by one and pair by pair. Returns
 * true when valid; otherwise false with the first broken rule in why.
 */
bool oracle_check_layout(const struct plan_input *in, const struct plan_res *res, size_t n,
			 const struct oracle_layout *lay, char *why, size_t len);

/* The planner's result (status, addr, span, hole_start) as a layout. */
void oracle_layout_from_plan(const struct plan_res *res, size_t n, uint64_t hole_start,
			     struct oracle_layout *lay);

/* Number of placed entries in a layout. */
size_t oracle_layout_count(const struct oracle_layout *lay, size_t n);

#endif
