/* SPDX-License-Identifier: MIT */
/*
 * MMIO-hole planner: decides where every PCI resource (BAR, ROM, bridge
 * window, ECAM) lives, given RAM, platform reservations and 1:1 (pinned)
 * BARs. Pure code: no I/O, no malloc, no global state; also built for the
 * host.
 *
 * One plan for the whole tree. Resources form a forest through
 * plan_res.parent: a resource with parent k sits inside bridge window
 * res[k-1] (a PLAN_F_WINDOW entry); parent 0 means the host bridge.
 *
 * Spaces: 32-bit hole [hole_start, 4 GiB), 64-bit window above all RAM,
 * I/O ports [io_base, io_limit). Pinned resources stay exactly where pinned
 * or are refused with the exact counterpart; movable ones are packed around
 * them. The hole is as small as the planner can make it (hole_granule
 * steps) while everything that fits is placed.
 *
 * Rules of a valid plan (plan_verify checks every one):
 *  - every placed resource is aligned (align, or size when align is 0; a
 *    window's base and span are multiples of its granule);
 *  - a placed window [addr, addr + span) holds every placed child, and
 *    span >= its requested minimum (size);
 *  - resources of one space (I/O or memory) overlap only when one is an
 *    ancestor window of the other;
 *  - nothing covers RAM or a reservation (low RAM inside the hole is
 *    allowed only with may_relocate_ram); root-level memory lies in the
 *    hole or the 64-bit window;
 *  - reach: a MEM32 resource (and every window above it) ends at or below
 *    4 GiB; MEM64 may go anywhere its windows reach;
 *  - pins are exact, and a refused window refuses its whole subtree.
 */
#ifndef HVMFW_PLAN_H
#define HVMFW_PLAN_H

#include <hvmfw/compiler.h>

/* Resource kinds. */
enum plan_kind {
	PLAN_MEM32 = 0,		/* must be below 4 GiB */
	PLAN_MEM64 = 1,		/* 64-bit window; below 4 GiB only per m64_policy or pin */
	PLAN_IO = 2,		/* I/O port space */
};

/* plan_res.flags */
#define PLAN_F_PREF	(1u << 0)	/* prefetchable (informational, shown in the table) */
#define PLAN_F_WINDOW	(1u << 1)	/* bridge window: size = minimum span, align = granule */
#define PLAN_F_ECAM	(1u << 2)	/* the PCIe ECAM window */
#define PLAN_F_ROM	(1u << 3)	/* expansion ROM BAR */

/*
 * Owner id, for logs and stable ordering: bus/dev/fn + BAR index, or a
 * platform object (top byte non-zero).
 */
#define PLAN_OWNER(bus, dev, fn, bar) \
	(((uint32_t)(bus) << 16) | ((uint32_t)(dev) << 11) | ((uint32_t)(fn) << 8) | (uint32_t)(bar))
#define PLAN_OWNER_BUS(o)	(((o) >> 16) & 0xff)
#define PLAN_OWNER_DEV(o)	(((o) >> 11) & 0x1f)
#define PLAN_OWNER_FN(o)	(((o) >> 8) & 0x7)
#define PLAN_OWNER_BAR(o)	((o) & 0xff)
#define PLAN_BAR_ROM		6	/* BAR index for the expansion ROM */
#define PLAN_BAR_WIN_IO		7	/* bridge I/O window */
#define PLAN_BAR_WIN_MEM	8	/* bridge non-prefetchable window */
#define PLAN_BAR_WIN_PREF	9	/* bridge prefetchable window */
#define PLAN_OWNER_PLATFORM	0x01000000u	/* | n: platform object n */
#define PLAN_OWNER_ECAM		(PLAN_OWNER_PLATFORM | 1)

enum plan_status {
	PLAN_ST_NONE = 0,	/* not processed */
	PLAN_ST_PLACED = 1,
	PLAN_ST_REFUSED = 2,	/* caller must turn this resource's decode off */
};

/* Why a resource was refused. */
enum plan_reason {
	PLAN_R_NONE = 0,
	PLAN_R_BAD_REQUEST,	/* size 0, alignment not a power of two, ... */
	PLAN_R_PIN_MISALIGNED,	/* pin_addr not a multiple of align; overlap = pin_addr % align */
	PLAN_R_PIN_RAM,		/* pin overlaps RAM (conflict = RAM range) */
	PLAN_R_PIN_RESERVED,	/* pin overlaps a platform reservation */
	PLAN_R_PIN_PIN,		/* pin overlaps a pin with a lower owner id (it wins) */
	PLAN_R_PIN_OUT_OF_SPACE,/* outside the kind's space (conflict = that space) */
	PLAN_R_PIN_BELOW_HOLE,	/* below the lowest hole start allowed (conflict = [0, floor)) */
	PLAN_R_PIN_OUTSIDE_WINDOW, /* above 4 GiB but below the 64-bit window base */
	PLAN_R_NO_SPACE,	/* movable, fits nowhere allowed (conflict = space searched) */
	PLAN_R_PARENT,		/* the window above was refused (conflict_index = that window) */
	PLAN_R_NESTING,		/* parent is not a window of a compatible space */
	PLAN_R_PIN_WINDOW,	/* the windows above cannot hold the pin: their span would
				   overlap what conflict names (another pin or window) */
	PLAN_R_PIN_REACH,	/* pin above 4 GiB under a window that decodes only below */
	PLAN_R__COUNT
};

/* What a refused resource collided with. */
enum plan_conflict {
	PLAN_C_NONE = 0,
	PLAN_C_RAM,		/* conflict_index: index in plan_input.ram */
	PLAN_C_RESERVED,	/* conflict_index: index in mem_reserved / io_reserved */
	PLAN_C_RES,		/* conflict_index: index in the resource array */
	PLAN_C_LIMIT,		/* an address-space limit; conflict_index unused */
};

struct plan_res {
	/* input */
	uint8_t kind;		/* enum plan_kind; for a window, the space it forwards
				   (PLAN_MEM64: a 64-bit prefetchable window) */
	uint8_t flags;		/* PLAN_F_* */
	bool pinned;		/* must land exactly at pin_addr (1:1 pass-through); not windows */
	uint32_t owner;		/* PLAN_OWNER(...) */
	uint32_t parent;	/* 0: host bridge; k: inside window res[k-1] */
	uint64_t size;		/* bytes; windows: minimum span (0: none) */
	uint64_t align;		/* power of two; 0 = size (must then be a power of two);
				   windows: granule (0: 4 KiB I/O, 1 MiB memory) */
	uint64_t pin_addr;
	/* output */
	uint64_t addr;		/* placed address (absolute) */
	uint64_t span;		/* bytes decoded from addr: size, or a window's final span
				   (0: an empty window, left closed) */
	uint8_t status;		/* enum plan_status */
	uint8_t reason;		/* enum plan_reason */
	uint8_t conflict;	/* enum plan_conflict */
	uint32_t conflict_index;
	uint64_t conflict_base, conflict_size;	/* the range it collided with */
	uint64_t overlap;	/* bytes of overlap (or shortfall, see reason) */
};

/* A physical range; name is for logs only (may be NULL). */
struct plan_range {
	uint64_t base, size;
	const char *name;
};

enum plan_m64_policy {
	PLAN_M64_HIGH = 0,		/* 64-bit resources only in the 64-bit window */
	PLAN_M64_FALLBACK_LOW = 1,	/* those that fit nowhere high may use the 32-bit hole */
};

struct plan_input {
	const struct plan_range *ram;		/* RAM ranges (any order, may be above 4 GiB) */
	size_t nram;
	const struct plan_range *mem_reserved;	/* LAPIC, IOAPIC, HPET, ROM, Xen pages, RMRR... */
	size_t nmem_reserved;
	const struct plan_range *io_reserved;	/* fixed I/O ports (0xCF8, PM block, ...) */
	size_t nio_reserved;
	uint64_t hole_min;	/* extra lower limit for the hole start (0: none) */
	uint64_t max_hole;	/* largest hole size; 0: 3840 MiB (xl's mmio_hole maximum) */
	uint64_t hole_granule;	/* hole start granularity, power of two; 0: 1 MiB */
	uint64_t mem_min_align;	/* minimum alignment of movable memory; 0: 4 KiB */
	uint64_t high_align;	/* 64-bit window base/end alignment; 0: 1 GiB */
	uint64_t high_max;	/* largest 64-bit window size; 0: limited by phys_bits only */
	uint32_t io_base, io_limit;	/* movable I/O space; both 0: [0x1000, 0x10000) */
	uint8_t phys_bits;	/* CPU physical address bits; 0: 36 */
	uint8_t m64_policy;	/* enum plan_m64_policy */
	bool may_relocate_ram;	/* the hole may cover low RAM; it moves above 4 GiB */
	uint16_t search_runs;	/* layout runs the search may take; 0: the default (384),
				   1: the greedy run alone (fuzzing uses small budgets) */
};

struct plan_output {
	uint64_t hole_start;	/* 32-bit hole is [hole_start, 4 GiB) */
	uint64_t hole_size;
	uint64_t hole_floor;	/* lowest start the hole could have taken (low RAM, max_hole,
				   hole_min): [hole_floor, hole_start) is free for the OS
				   (hot-plug); = hole_start when low RAM is relocated */
	uint64_t high_base, high_end;	/* 64-bit window; equal when unused */
	uint32_t io_lo, io_hi;	/* span of placed movable+pinned I/O; equal when none */
	uint64_t ram_relocate;	/* bytes of low RAM that must move above 4 GiB */
	uint64_t need_hole_start; /* hole start that would fit all 32-bit demand incl. refused pins */
	uint32_t mmio_hole_mib;	/* xl mmio_hole= for need_hole_start (256..3840 MiB) */
	bool need_more_hole;	/* some 32-bit demand refused for lack of hole */
	uint32_t placed, refused, pinned;
};

/* Scratch memory lent to plan_solve (the firmware has no malloc). */
size_t plan_scratch_bytes(const struct plan_input *in, size_t n);

#define PLAN_ERR_INVAL	(-1)	/* bad input pointers or limits */
#define PLAN_ERR_SCRATCH (-2)	/* scratch too small */

/*
 * Place res[0..n). Fills every res[i] output field and *out.
 * Returns the number of refused resources (0 = all placed) or PLAN_ERR_*.
 */
int plan_solve(const struct plan_input *in, struct plan_res *res, size_t n,
	       void *scratch, size_t scratch_bytes, struct plan_output *out);

/* A rule broken in a plan, as found by plan_verify. */
enum plan_violation_kind {
	PLAN_V_OK = 0,
	PLAN_V_OVERLAP,		/* a and b overlap */
	PLAN_V_ALIGN,		/* a misaligned */
	PLAN_V_PIN,		/* a pinned but addr != pin_addr */
	PLAN_V_RAM,		/* a over RAM (b = RAM index) */
	PLAN_V_RESERVED,	/* a over a reservation (b = reservation index) */
	PLAN_V_OUTSIDE,		/* a outside the hole / window / I/O space */
	PLAN_V_KIND,		/* a MEM32 above 4 GiB, or MEM64 low against policy */
	PLAN_V_STATUS,		/* a has an invalid status */
	PLAN_V_WINDOW,		/* a (placed) outside its window b, or b refused */
};

struct plan_violation {
	uint8_t kind;		/* enum plan_violation_kind */
	size_t a, b;
};

/*
 * Check a finished plan against every rule above (O(n^2), no scratch). Returns 0 if valid, else -1
 * with the first violation in *v (may be NULL).
 */
int plan_verify(const struct plan_input *in, const struct plan_res *res, size_t n,
		const struct plan_output *out, struct plan_violation *v);

/* Formatter: each call renders one line (with '\n') into buf, snprintf-style
 * (returns the length it needed; buf NUL-terminated when len > 0). */
size_t plan_format_header(char *buf, size_t len);
size_t plan_format_row(char *buf, size_t len, const struct plan_res *r);
size_t plan_format_refusal(char *buf, size_t len, const struct plan_input *in,
			   const struct plan_res *res, size_t n, size_t i);
size_t plan_format_summary(char *buf, size_t len, const struct plan_output *out);
/* Whole table + refusals + summary; returns the length needed. */
size_t plan_format_all(char *buf, size_t len, const struct plan_input *in,
		       const struct plan_res *res, size_t n, const struct plan_output *out);
/* Short names for logs. */
const char *plan_reason_name(unsigned int reason);
const char *plan_kind_name(unsigned int kind);

#endif
