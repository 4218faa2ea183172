/* SPDX-License-Identifier: MIT */
/*
 * Seeded generator of small planner instances: a PCI tree of up to nine
 * memory resources (bridge windows up to three deep, BARs, ROMs, an ECAM
 * window, pins) on a Xen- or QEMU-like memory map. Same seed, same instance.
 */
#ifndef TEST_PLAN_GEN_TREE_H
#define TEST_PLAN_GEN_TREE_H

#include "oracle.h"

#define GEN_MAX_RES 9

struct gen_instance {
	struct plan_range ram[3];
	struct plan_range rsv[4];
	struct plan_input in;	/* points into ram[] / rsv[]: do not copy the struct */
	struct plan_res res[GEN_MAX_RES];
	size_t n;
};

void gen_tree(uint64_t seed, struct gen_instance *g);

/* Deterministic 64-bit generator (splitmix64) and a bounded draw. */
uint64_t gen_next(uint64_t *state);
uint64_t gen_below(uint64_t *state, uint64_t bound);

#endif
