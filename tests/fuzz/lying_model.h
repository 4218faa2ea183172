/* SPDX-License-Identifier: MIT */
/*
 * A PCI configuration space that lies, for fuzz-enum: built from the fuzz
 * input, it can hold BARs that size to 0 or all ones, 64-bit BARs whose
 * upper half overflows, registers whose value changes on every read, bridges
 * that lead back to their own bus (a bridge seen again behind itself),
 * bus-number registers that do not stick, capability lists that cycle,
 * header types above 2, huge ROMs, and functions that answer on every
 * device and function number of their bus.
 *
 * Routing follows the bridges' bus-number registers as hardware does, with
 * a recursion bound: segment s is a set of functions; bus 0 is segment 0
 * and a bridge forwards bus numbers [secondary, subordinate] to the segment
 * behind it (which may be any segment, its own included).
 */
#ifndef FUZZ_LYING_MODEL_H
#define FUZZ_LYING_MODEL_H

#include <hvmfw/pci_topo.h>
#include "fuzz_bytes.h"

#define LM_MAX_FN	48	/* function templates */
#define LM_MAX_SEG	64
#define LM_MAX_LIES	6	/* lying dwords per function */
/* Far above any honest scan (256 buses x 256 functions, a few accesses each). */
#define LM_MAX_ACCESS	4000000u

enum lm_lie {
	LM_LIE_FIXED = 0,	/* reads give val, whatever was written */
	LM_LIE_FLICKER,		/* reads give the register XOR val on every other read */
	LM_LIE_COUNT,		/* reads give val + number of reads so far */
};

struct lm_fn {
	int seg;		/* segment it sits on */
	uint8_t dev, fn;
	bool answer_all;	/* also answers every free device/function of its segment */
	bool mf_lie;		/* flip the multi-function bit of what fn 0 reports */
	bool mf;		/* what fn 0 reports as multi-function (lie included) */
	int sec_seg;		/* bridges: segment behind it; -1: not a bridge */
	uint8_t cfg[256], wmask[256];
	struct {
		uint8_t off;	/* dword aligned */
		uint8_t mode;	/* enum lm_lie */
		uint32_t val;
	} lie[LM_MAX_LIES];
	unsigned nlie;
	unsigned reads;
};

struct lm {
	struct lm_fn f[LM_MAX_FN];
	int nf, nseg;
	unsigned accesses;
	int route[256];		/* bus -> segment; -2: not known yet */
	int8_t at[LM_MAX_SEG][256];	/* segment, devfn -> function (first one placed); -1 */
	int8_t any[LM_MAX_SEG];		/* the segment's first answer-all function; -1 */
};

/* Decode the function list from the input (layout in fuzz_enum.c). */
void lm_build(struct lm *m, struct fz *in);
/* Accessor over the model (no chipset functions: every function is enumerated). */
struct pci_access lm_accessor(struct lm *m);
/* The log rule the accessor enforces: one line, under 256 bytes, no newline. */
void lm_check_log(const char *line);

#endif
