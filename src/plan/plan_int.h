/* SPDX-License-Identifier: MIT */
/* Planner internals shared by the src/plan/ files (not a public API). */
#ifndef HVMFW_PLAN_INT_H
#define HVMFW_PLAN_INT_H

#include <hvmfw/plan.h>

#define PLAN_4G		(1ull << 32)
#define PLAN_IO_TOP	0x10000ull
/* Far beyond any physical address; used as "no upper bound". */
#define PLAN_INF	(1ull << 62)

/* Half-open interval [lo, hi). */
struct plan_span {
	uint64_t lo, hi;
};

/* Sorted, disjoint free intervals with room to split. */
struct plan_gaps {
	struct plan_span *g;
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

static inline uint64_t plan_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	uint64_t lo = MAX(a, b), hi = MIN(a + as, b + bs);

	return hi > lo ? hi - lo : 0;
}

/* Requested alignment: align, or size when align is 0 (0 if invalid). */
uint64_t plan_req_align(const struct plan_res *r);

typedef int (*plan_cmp_fn)(const void *ctx, uint32_t a, uint32_t b);
/* Shell sort of an index array; deterministic for a total order. */
void plan_sort_idx(uint32_t *idx, size_t n, plan_cmp_fn cmp, const void *ctx);
/* Sort spans by (lo, hi). */
void plan_sort_spans(struct plan_span *s, size_t n);

/* Free intervals of [lo, hi) minus the sorted busy spans. */
void plan_gaps_build(struct plan_gaps *gs, const struct plan_span *busy, size_t nb,
		     uint64_t lo, uint64_t hi);
/* Lowest aligned fit; removes it from the gaps. */
bool plan_gaps_take(struct plan_gaps *gs, uint64_t size, uint64_t align, uint64_t *addr);

/* Working classes of resources inside plan_solve. */
enum plan_cls {
	PLAN_CLS_DONE = 0,	/* placed or refused: nothing left to do */
	PLAN_CLS_LOW,		/* movable, goes into the 32-bit hole */
	PLAN_CLS_HIGH,		/* movable, goes into the 64-bit window */
	PLAN_CLS_IO,		/* movable, I/O ports */
	PLAN_CLS_NOFIT,		/* pack() found no room */
	PLAN_CLS_NEED,		/* counted while sizing the needed hole */
};

struct plan_ctx {
	const struct plan_input *in;
	struct plan_res *res;
	size_t n;
	uint32_t *order;		/* n entries */
	uint8_t *cls;			/* n entries, enum plan_cls */
	struct plan_span *busy;		/* fixed ranges of the space being packed */
	size_t busy_cap;
	struct plan_gaps gaps;
	uint64_t granule, min_align, high_align, phys_limit, max_hole;
	uint64_t floor;			/* lowest hole start allowed */
	uint64_t low_ram_top;		/* end of RAM below 4 GiB */
	uint64_t high_ram_top;		/* >= 4 GiB: end of RAM incl. relocated RAM */
	uint64_t io_base, io_limit;
};

/* xl's mmio_hole= accepts 256..3840 MiB. */
#define XL_MMIO_HOLE_MIN	MiB(256)
#define XL_MMIO_HOLE_MAX	MiB(3840)

/* plan_setup.c */
int plan_setup(struct plan_ctx *c, const struct plan_input *in, struct plan_res *res, size_t n,
	       void *scratch);
void plan_limits(struct plan_ctx *c);

/* plan_solve.c: packing primitives */
size_t plan_collect(struct plan_ctx *c, uint8_t cls);
size_t plan_add_ranges(struct plan_ctx *c, size_t nb, const struct plan_range *l, size_t nl,
		       uint64_t skip_below);
size_t plan_busy_mem(struct plan_ctx *c, bool for_need);
size_t plan_pack(struct plan_ctx *c, size_t m, size_t nb, uint64_t lo, uint64_t hi, bool commit);
uint64_t plan_search_start(struct plan_ctx *c, size_t m, size_t nb, uint64_t floor, uint64_t top);
uint64_t plan_pins_top(struct plan_ctx *c, bool for_need);
void plan_refuse_nofit(struct plan_ctx *c, uint64_t lo, uint64_t hi);

/* plan_need.c */
void plan_place_io(struct plan_ctx *c, struct plan_output *out);
void plan_size_need(struct plan_ctx *c, struct plan_output *out);

/* Alignment a movable resource is packed with (0: invalid request). */
uint64_t plan_move_align(const struct plan_ctx *c, const struct plan_res *r);
/* Record a refusal. */
void plan_refuse(struct plan_res *r, uint8_t reason, uint8_t conflict, uint32_t idx,
		 uint64_t base, uint64_t size, uint64_t overlap);
/* Accept or refuse every pinned resource (plan_pins.c). */
void plan_pins_check(struct plan_ctx *c);

/* Shared by the formatter and the verifier. */
bool plan_res_is_io(const struct plan_res *r);

#endif
