/* SPDX-License-Identifier: MIT */
/* Planner internals shared by the src/plan/ files (not a public API). */
#ifndef HVMFW_PLAN_INT_H
#define HVMFW_PLAN_INT_H

#include <hvmfw/plan.h>

#define PLAN_4G		(1ull << 32)
#define PLAN_IO_TOP	0x10000ull
/* Far beyond any physical address; used as "no upper bound". */
#define PLAN_INF	(1ull << 62)
/* Origin of the virtual frame window shapes are packed in: aligned to anything. */
#define PLAN_FRAME	(1ull << 61)
#define PLAN_NONE	UINT32_MAX

/* Half-open interval [lo, hi). */
struct plan_span {
	uint64_t lo, hi;
};

/* Sorted, disjoint free intervals; buf has room for a rebuilt copy. */
struct plan_gaps {
	struct plan_span *g, *tmp;
	size_t n, cap;
};

static inline bool plan_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

static inline uint64_t plan_align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static inline uint64_t plan_align_down(uint64_t x, uint64_t a)
{
	return x & ~(a - 1);
}

static inline uint64_t plan_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	uint64_t lo = MAX(a, b), hi = MIN(a + as, b + bs);

	return hi > lo ? hi - lo : 0;
}

/* Requested alignment: align, or size when align is 0 (0 if invalid). */
uint64_t plan_req_align(const struct plan_res *r);
bool plan_res_is_io(const struct plan_res *r);
static inline bool plan_is_window(const struct plan_res *r)
{
	return r->flags & PLAN_F_WINDOW;
}
/* A window's granule (0 if invalid). */
uint64_t plan_granule(const struct plan_res *r);

typedef int (*plan_cmp_fn)(const void *ctx, uint32_t a, uint32_t b);
/* Heap sort of an index array: O(n log n), no memory; deterministic for a total order. */
void plan_sort_idx(uint32_t *idx, size_t n, plan_cmp_fn cmp, const void *ctx);
/* Sort spans by (lo, hi). */
void plan_sort_spans(struct plan_span *s, size_t n);

/* Where a resource goes (plan_ctx.cls). */
enum plan_cls {
	PLAN_CLS_DONE = 0,	/* refused or handled by its parent */
	PLAN_CLS_LOW,		/* root level, movable, 32-bit hole */
	PLAN_CLS_HIGH,		/* root level, movable, 64-bit window */
	PLAN_CLS_IO,		/* root level, movable, I/O ports */
	PLAN_CLS_FIXED,		/* pinned, or a window holding an accepted pin */
	PLAN_CLS_CHILD,		/* movable, inside a window */
};

/* Per-window shapes: anchor P aligned to shape_align, the window spans
 * [P - lo[s], P + hi[s]). Shape 0 grows down from P, shape 1 up from P;
 * shapes 2 and 3 hang the most aligned child (a window) the other way round
 * and stack the rest up (2) or down (3) from P, so children end up on both
 * sides of it. */
#define PLAN_SHAPES	4
/* Where the minimum-size padding of shape s goes: below the content or above. */
#define PLAN_PAD_BELOW(s)	((s) == 0 || (s) == 3)

/* Decisions of one layout run (see plan_solve.c). */
#define PLAN_MAX_DECISIONS 24

struct plan_ctx {
	const struct plan_input *in;
	struct plan_res *res;
	size_t n;
	/* scratch, n entries each */
	uint32_t *order;		/* sort buffer */
	uint32_t *order2;		/* second sort buffer / Fenwick tree */
	uint32_t *child, *next;		/* first child, next sibling (PLAN_NONE ends) */
	uint8_t *cls;			/* enum plan_cls */
	uint16_t *shape_in;		/* bits 2s..2s+1: a child window's shape when its parent
					   takes shape s; bits 8..9: the shape it was placed in */
	uint64_t *reach;		/* highest end the resource may have (4 GiB or phys) */
	uint64_t *shape_align;		/* windows: anchor alignment */
	uint64_t *ext;			/* windows: lo[s], hi[s] per shape (2 * PLAN_SHAPES each) */
	uint64_t *rel;			/* anchor in the parent's frame, per parent shape */
	uint64_t *rel_lo;		/* windows: bytes from base to anchor there (an elastic
					   window's padding split, kept for every commit) */
	uint64_t *hull;			/* fixed windows: [lo, hi) (2 per resource) */
	uint64_t *pad;			/* windows: bytes of minimum size in ext, per shape */
	uint32_t *fixlist;		/* windows that hold accepted pins */
	size_t nfix;
	size_t npins;			/* order2[0..npins): pin candidates by address */
	uint64_t max_pin;		/* largest pin size */
	struct plan_gaps gaps;
	struct plan_span *busy;
	size_t busy_cap;
	/* limits */
	uint64_t granule, min_align, high_align, phys_limit, max_hole;
	uint64_t floor;			/* lowest hole start allowed */
	uint64_t low_ram_top;		/* end of RAM below 4 GiB */
	uint64_t high_ram_top;		/* >= 4 GiB: end of RAM incl. relocated RAM */
	uint64_t high_base, high_limit;
	uint64_t io_base, io_limit;
	bool whatif;			/* sizing the hole an admin would need: RAM ignored */
	/* decisions */
	uint8_t dec[PLAN_MAX_DECISIONS];
	uint8_t ndec_used, dec_options[PLAN_MAX_DECISIONS];
	bool searching;			/* false: every decision takes the greedy choice */
	uint8_t pack_order;		/* plan_pack: 0 most aligned, then largest; 1 largest;
					   2 most aligned, then smallest */
};

/* The window res[i] sits in (PLAN_NONE at the root or for a bad link). */
static inline uint32_t plan_parent(const struct plan_ctx *c, size_t i)
{
	uint32_t p = c->res[i].parent;

	return p == 0 || p > c->n ? PLAN_NONE : p - 1;
}

/* w is a, or a window above a (walks are bounded: loops were cut by plan_tree). */
static inline bool plan_above(const struct plan_ctx *c, uint32_t w, uint32_t a)
{
	for (size_t steps = 0; a != PLAN_NONE && steps <= c->n; a = plan_parent(c, a), steps++)
		if (a == w)
			return true;
	return false;
}

/* xl's mmio_hole= accepts 256..3840 MiB. */
#define XL_MMIO_HOLE_MIN	MiB(256)
#define XL_MMIO_HOLE_MAX	MiB(3840)

/* plan_setup.c */
size_t plan_scratch_need(size_t n, size_t nranges);
int plan_setup(struct plan_ctx *c, const struct plan_input *in, struct plan_res *res, size_t n,
	       void *scratch);
void plan_limits(struct plan_ctx *c);
/* Reset outputs, validate requests and nesting, build child lists and reach. */
void plan_tree(struct plan_ctx *c);
/* After pins: movable windows reach no higher than what is inside them. */
void plan_reach(struct plan_ctx *c);
void plan_refuse(struct plan_res *r, uint8_t reason, uint8_t conflict, uint32_t idx,
		 uint64_t base, uint64_t size, uint64_t overlap);
/* Refuse a window's whole subtree (PLAN_R_PARENT), the window itself excepted. */
void plan_refuse_subtree(struct plan_ctx *c, uint32_t w);
/* Alignment a movable resource is packed with (0: invalid request). */
uint64_t plan_move_align(const struct plan_ctx *c, const struct plan_res *r);
/* Take decision point with `options` choices; 0 is the greedy one. */
unsigned plan_decide(struct plan_ctx *c, unsigned options);

/* plan_pins.c: accept or refuse every pin; fixes the windows that hold pins. */
void plan_pins(struct plan_ctx *c);

/* plan_gaps.c */
/* Free intervals of [lo, hi) minus the sorted busy spans. */
void plan_gaps_build(struct plan_gaps *gs, const struct plan_span *busy, size_t nb,
		     uint64_t lo, uint64_t hi);
/* Highest (down) or lowest (up) position P, aligned to a, with [P - lo, P + hi) free. */
bool plan_gaps_find(const struct plan_gaps *gs, uint64_t lo, uint64_t hi, uint64_t a, bool down,
		    uint64_t *p);
/* Remove [lo, hi) (inside one gap) from the free list. */
void plan_gaps_cut(struct plan_gaps *gs, uint64_t lo, uint64_t hi);
/* Pack the movable resources idx[0..m) into the gaps (sorted here); returns misfits. */
size_t plan_pack(struct plan_ctx *c, uint32_t *idx, size_t m, bool down);

/* plan_shape.c */
/* Compute the shapes of every movable window, innermost first. */
void plan_shapes(struct plan_ctx *c);
/* Footprint of resource i under shape s: [P - lo, P + hi), alignment of P. */
void plan_footprint(const struct plan_ctx *c, uint32_t i, unsigned s, uint64_t *lo,
		    uint64_t *hi, uint64_t *a);
/* Place resource i with its anchor at p in shape s, and everything inside it. */
void plan_commit(struct plan_ctx *c, uint32_t i, unsigned s, uint64_t p);

/* plan_fixed.c: movable children of the windows that hold pins. */
void plan_fixed_windows(struct plan_ctx *c);


#endif
