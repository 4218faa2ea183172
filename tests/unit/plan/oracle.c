/* SPDX-License-Identifier: MIT */
/*
 * Exact oracle for the MMIO-hole planner (memory space only).
 *
 * Rules (what oracle_check_layout checks literally):
 *  - a leaf (BAR, ROM, ECAM) is aligned to align ? align : size, a movable
 *    one also to mem_min_align; a pinned leaf sits exactly at pin_addr;
 *  - a window's addr and span are multiples of its granule (align, or
 *    1 MiB), span >= size, and it holds every placed child; a window with
 *    no placed non-empty child and size 0 may be closed (span 0);
 *  - a placed resource's window is placed;
 *  - two placed ranges overlap only when one is an ancestor window of the
 *    other; none overlaps RAM or a reservation;
 *  - MEM32 entries (leaves and windows) end at or below 4 GiB;
 *  - a root-level entry lies in the hole [hole_start, 4 GiB) or in the
 *    64-bit window [high_base, high_limit); hole_start is a multiple of
 *    hole_granule and >= floor;
 *  - m64_policy: under PLAN_M64_HIGH a root-level MEM64 entry may lie
 *    below 4 GiB only when it is forced there: a pinned leaf, or a window
 *    holding a MEM32 entry or a pin below 4 GiB. Entries inside a window
 *    go wherever their window goes (decision: the policy is about the
 *    host bridge's choice, a BAR behind a bridge follows its bridge).
 * Objective: most resources placed (a refused window refuses its subtree),
 * then the largest hole_start.
 *
 * Method. Fix which resources are placed (every subset closed under
 * "parent placed", largest first), which root entries go low or high, and
 * the hole start S. Root entries of one side are disjoint intervals, and so
 * are the children of one window: call each such interval a block. For a
 * block B and a lower bound x, let F(B, x) be the smallest end of B over
 * all valid placements of B's subtree with B's start >= x, avoiding the
 * fixed obstacles (RAM, reservations, pins outside B's subtree) and the
 * side's upper limit (4 GiB low, high_limit high); infinity if none.
 * F is non-decreasing in x (a larger x only removes choices).
 *
 * Completeness, by exchange arguments:
 *  1. Sequences. Take any valid layout L of blocks b1 < b2 < ... (by
 *     address). Placing them in that order, each with minimal end from the
 *     previous end, gives ends e'k <= end_L(bk) by induction: L's own
 *     placement of bk starts at >= end_L(b(k-1)) >= e'(k-1), and it avoids
 *     every fixed obstacle, so it is one of the choices F minimises over;
 *     the earlier blocks end <= the start of the next one, so nothing
 *     overlaps. Hence "exists an order whose greedy end is finite" is exact;
 *     and since F is monotone, the best end of a set Q is
 *     E(Q) = min over last block j of F(j, E(Q - j)), a DP over subsets.
 *  2. Leaves. A leaf's minimal end is its lowest aligned start >= x that
 *     misses every obstacle (a pinned leaf: its pin or nothing).
 *  3. Windows. For a base b (granule multiple >= x), any valid inner
 *     layout has children starting >= b; by 1 their least end is the DP
 *     value, the window end is max(roundup(children end), b + roundup(size))
 *     and a smaller end only shrinks the range that must miss obstacles, so
 *     the DP layout is the best one for that b. Bases: if [b - G, b) misses
 *     every obstacle and b - G >= x, the layout for b moved into a window
 *     based at b - G (children untouched) is still valid and ends no later,
 *     so F takes its minimum at b = roundup(x) or b = roundup(end of an
 *     obstacle); a base inside an obstacle is invalid anyway.
 *  4. The hole start. Every root-level constraint on S is "starts >= S",
 *     so feasibility is monotone in S (a layout for S is one for S' < S):
 *     a binary search over granule multiples finds the largest S exactly.
 *  5. Sides. Sending a root entry high only removes a block from the low
 *     sequence, which cannot make it worse; so among side assignments whose
 *     high sequence fits, only those with an inclusion-minimal low set are
 *     evaluated, and the best of them is the optimum.
 * Every answer is rebuilt into a witness layout and passed through the
 * pairwise checker, so a flaw in the reduction shows up as an error there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oracle.h"

#define O_4G (1ull << 32)
#define O_MIB (1ull << 20)
#define O_INF UINT64_MAX
#define MEMO_SLOTS 4096u
#define MAX_OBST 64

enum { SIDE_LOW, SIDE_HIGH, SIDE_N };

struct obst {
	uint64_t lo, hi;
	int pin;	/* resource index of a pin, or -1 for RAM / reservation */
};

struct memo_ent {
	uint64_t x, val;
	uint32_t gen;
	int16_t node;
};

struct solver {
	const struct plan_input *in;
	const struct plan_res *res;
	size_t n;
	struct oracle_limits lim;
	/* the tree */
	int parent[ORACLE_MAX];
	uint32_t sub[ORACLE_MAX];	/* subtree mask, the node included */
	bool win[ORACLE_MAX];
	uint64_t align[ORACLE_MAX];	/* leaf: effective alignment; window: granule */
	uint64_t wmin[ORACLE_MAX];	/* window: size rounded up to the granule */
	/* the placed subset being evaluated */
	uint32_t placed;
	bool active[ORACLE_MAX];	/* placed and occupying a range */
	uint32_t kids[ORACLE_MAX];	/* active children */
	struct obst obst[MAX_OBST];
	size_t nobst;
	uint64_t side_hi[SIDE_N];
	struct memo_ent *memo[SIDE_N];
	uint32_t gen;
	unsigned long work;
};

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static uint64_t up(uint64_t x, uint64_t a)
{
	if (x == O_INF || x > O_INF - (a - 1))
		return O_INF;
	return (x + a - 1) & ~(a - 1);
}

static uint64_t max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static bool hit(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static int popcount32(uint32_t v)
{
	return __builtin_popcount(v);
}

void oracle_limits(const struct plan_input *in, struct oracle_limits *lim)
{
	uint64_t low_end = 0, ram_end = 0, max_hole = in->max_hole ? in->max_hole : 3840 * O_MIB;
	uint64_t high_align = in->high_align ? in->high_align : (1ull << 30);
	unsigned bits = in->phys_bits ? in->phys_bits : 36;

	for (size_t j = 0; j < in->nram; j++) {
		uint64_t b = in->ram[j].base, e = b + in->ram[j].size;

		if (!in->ram[j].size)
			continue;
		if (b < O_4G)
			low_end = max64(low_end, min64(e, O_4G));
		ram_end = max64(ram_end, e);
	}
	lim->hole_granule = in->hole_granule ? in->hole_granule : O_MIB;
	lim->mem_min_align = in->mem_min_align ? in->mem_min_align : 4096;
	lim->floor = max64(low_end, max_hole < O_4G ? O_4G - max_hole : 0);
	lim->floor = max64(lim->floor, in->hole_min);
	lim->min_hole_start = min64(up(lim->floor, lim->hole_granule), O_4G);
	lim->high_base = up(max64(ram_end, O_4G), high_align);
	lim->high_limit = bits >= 64 ? O_INF : (1ull << bits);
	if (in->high_max && in->high_max < lim->high_limit - min64(lim->high_base, lim->high_limit))
		lim->high_limit = lim->high_base + in->high_max;
	if (lim->high_limit < lim->high_base)
		lim->high_limit = lim->high_base;
}

static uint64_t granule(const struct plan_res *r)
{
	return r->align ? r->align : O_MIB;
}

/* ---------------------------------------------------------------- checker */

static bool ancestor(const struct plan_res *res, size_t n, size_t a, size_t d)
{
	/* is a a (strict) ancestor of d? bounded walk: parent chains are validated */
	for (size_t k = 0, p = res[d].parent; p && k <= n; k++, p = res[p - 1].parent)
		if (p - 1 == a)
			return true;
	return false;
}

#define BAD(...) do { snprintf(why, len, __VA_ARGS__); return false; } while (0)

/* MEM32 entry or pin below 4 GiB somewhere in w's placed subtree (w included). */
static bool holds_placed_pin(const struct plan_res *res, size_t n, const struct oracle_layout *lay,
			     size_t w)
{
	for (size_t j = 0; j < n; j++)
		if (res[j].pinned && lay->placed[j] && ancestor(res, n, w, j))
			return true;
	return false;
}

static bool forced_low(const struct plan_res *res, size_t n, const struct oracle_layout *lay,
		       size_t w)
{
	for (size_t d = 0; d < n; d++) {
		if (!lay->placed[d] || (d != w && !ancestor(res, n, w, d)))
			continue;
		if (res[d].kind == PLAN_MEM32 && lay->span[d])
			return true;
		if (!(res[d].flags & PLAN_F_WINDOW) && res[d].pinned && res[d].pin_addr < O_4G)
			return true;
	}
	return false;
}

bool oracle_check_layout(const struct plan_input *in, const struct plan_res *res, size_t n,
			 const struct oracle_layout *lay, char *why, size_t len)
{
	struct oracle_limits lim;
	char dummy[8];

	if (!why || !len) {
		why = dummy;
		len = sizeof(dummy);
	}
	why[0] = 0;
	if (n > ORACLE_MAX)
		BAD("too many resources (%zu)", n);
	oracle_limits(in, &lim);
	if (lay->hole_start % lim.hole_granule || lay->hole_start < lim.floor ||
	    lay->hole_start > O_4G)
		BAD("hole start %#llx not a granule multiple in [floor %#llx, 4G]",
		    (unsigned long long)lay->hole_start, (unsigned long long)lim.floor);
	for (size_t i = 0; i < n; i++) {
		const struct plan_res *r = &res[i];
		bool window = r->flags & PLAN_F_WINDOW;
		uint64_t a = lay->addr[i], s = lay->span[i], e = a + s;

		if (r->kind != PLAN_MEM32 && r->kind != PLAN_MEM64)
			BAD("res %zu: kind %u not a memory kind", i, r->kind);
		if (r->parent > n || r->parent == i + 1 ||
		    (r->parent && !(res[r->parent - 1].flags & PLAN_F_WINDOW)))
			BAD("res %zu: parent %u is not a window", i, r->parent);
		if (!lay->placed[i])
			continue;
		if (r->parent && !lay->placed[r->parent - 1])
			BAD("res %zu placed under refused window %u", i, r->parent - 1);
		if (e < a)
			BAD("res %zu: range wraps", i);
		if (window) {
			uint64_t g = granule(r);

			if (!is_pow2(g) || (s && a % g) || s % g)
				BAD("res %zu: window %#llx+%#llx not on its granule %#llx", i,
				    (unsigned long long)a, (unsigned long long)s, (unsigned long long)g);
			/* Pins come before a window's minimum (a hot-plug reservation): a window
			 * that holds a placed pin keeps the minimum only where there is room. */
			if (s < r->size && !holds_placed_pin(res, n, lay, i))
				BAD("res %zu: window span %#llx below its minimum %#llx", i,
				    (unsigned long long)s, (unsigned long long)r->size);
		} else {
			uint64_t al = r->align ? r->align : r->size;

			if (s != r->size)
				BAD("res %zu: span %#llx != size %#llx", i, (unsigned long long)s,
				    (unsigned long long)r->size);
			if (!is_pow2(al) || a % al)
				BAD("res %zu: %#llx not aligned to %#llx", i, (unsigned long long)a,
				    (unsigned long long)al);
			if (!r->pinned && a % lim.mem_min_align)
				BAD("res %zu: movable at %#llx below mem_min_align", i,
				    (unsigned long long)a);
			if (r->pinned && a != r->pin_addr)
				BAD("res %zu: pinned at %#llx but placed at %#llx", i,
				    (unsigned long long)r->pin_addr, (unsigned long long)a);
		}
		if (!s)
			continue;
		if (r->kind == PLAN_MEM32 && e > O_4G)
			BAD("res %zu: MEM32 %#llx-%#llx above 4G", i, (unsigned long long)a,
			    (unsigned long long)e);
		for (size_t j = 0; j < in->nram; j++)
			if (hit(a, s, in->ram[j].base, in->ram[j].size))
				BAD("res %zu: %#llx-%#llx over RAM %zu", i, (unsigned long long)a,
				    (unsigned long long)e, j);
		for (size_t j = 0; j < in->nmem_reserved; j++)
			if (hit(a, s, in->mem_reserved[j].base, in->mem_reserved[j].size))
				BAD("res %zu: %#llx-%#llx over reservation %zu", i,
				    (unsigned long long)a, (unsigned long long)e, j);
		if (r->parent) {
			size_t p = r->parent - 1;
			uint64_t pa = lay->addr[p], pe = pa + lay->span[p];

			if (a < pa || e > pe)
				BAD("res %zu: %#llx-%#llx outside its window %zu %#llx-%#llx", i,
				    (unsigned long long)a, (unsigned long long)e, p,
				    (unsigned long long)pa, (unsigned long long)pe);
		} else {
			bool low = a >= lay->hole_start && e <= O_4G;
			bool high = a >= lim.high_base && e <= lim.high_limit;

			if (!low && !high)
				BAD("res %zu: %#llx-%#llx in neither hole %#llx-4G nor 64-bit window "
				    "%#llx-%#llx", i, (unsigned long long)a, (unsigned long long)e,
				    (unsigned long long)lay->hole_start,
				    (unsigned long long)lim.high_base, (unsigned long long)lim.high_limit);
			if (low && r->kind == PLAN_MEM64 && in->m64_policy != PLAN_M64_FALLBACK_LOW &&
			    !(window ? forced_low(res, n, lay, i) : r->pinned))
				BAD("res %zu: MEM64 below 4G under the high-only policy", i);
		}
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (lay->placed[i] && lay->placed[j] &&
			    hit(lay->addr[i], lay->span[i], lay->addr[j], lay->span[j]) &&
			    !ancestor(res, n, i, j) && !ancestor(res, n, j, i))
				BAD("res %zu %#llx+%#llx overlaps res %zu %#llx+%#llx", i,
				    (unsigned long long)lay->addr[i], (unsigned long long)lay->span[i], j,
				    (unsigned long long)lay->addr[j], (unsigned long long)lay->span[j]);
	return true;
}

void oracle_layout_from_plan(const struct plan_res *res, size_t n, uint64_t hole_start,
			     struct oracle_layout *lay)
{
	memset(lay, 0, sizeof(*lay));
	lay->hole_start = hole_start;
	for (size_t i = 0; i < n && i < ORACLE_MAX; i++) {
		lay->placed[i] = res[i].status == PLAN_ST_PLACED;
		lay->addr[i] = res[i].addr;
		lay->span[i] = res[i].span;
	}
}

size_t oracle_layout_count(const struct oracle_layout *lay, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n && i < ORACLE_MAX; i++)
		c += lay->placed[i];
	return c;
}

/* ------------------------------------------------------------- the search */

static bool blocked(const struct solver *s, int node, uint64_t lo, uint64_t len)
{
	for (size_t k = 0; k < s->nobst; k++) {
		const struct obst *o = &s->obst[k];

		if (o->pin >= 0 && (s->sub[node] & (1u << o->pin)))
			continue;
		if (hit(lo, len, o->lo, o->hi - o->lo))
			return true;
	}
	return false;
}

/* Leaf: the lowest aligned start >= x missing every obstacle (2 above). */
static uint64_t leaf_start(const struct solver *s, int side, int node, uint64_t x)
{
	const struct plan_res *r = &s->res[node];
	uint64_t hi = s->side_hi[side], p;

	if (r->pinned) {
		p = r->pin_addr;
		if (p < x || p % s->align[node] || p + r->size > hi || p + r->size < p ||
		    blocked(s, node, p, r->size))
			return O_INF;
		return p;
	}
	p = up(x, s->align[node]);
	for (;;) {
		bool moved = false;

		if (p == O_INF || p > hi || r->size > hi - p)
			return O_INF;
		for (size_t k = 0; k < s->nobst; k++) {
			const struct obst *o = &s->obst[k];

			if (o->pin == node || !hit(p, r->size, o->lo, o->hi - o->lo))
				continue;
			p = up(o->hi, s->align[node]);
			moved = true;
			break;
		}
		if (!moved)
			return p;
	}
}

static uint64_t best_end(struct solver *s, int side, int node, uint64_t x);

/*
 * E[Q] for every subset Q of the blocks in mask, placed from start (1):
 * E has 2^popcount(mask) entries, indexed by bits of the compacted mask.
 */
static void seq_table(struct solver *s, int side, uint32_t mask, uint64_t start, uint64_t *E,
		      int *ids)
{
	int c = 0;

	for (size_t i = 0; i < s->n; i++)
		if (mask & (1u << i))
			ids[c++] = (int)i;
	E[0] = start;
	for (uint32_t q = 1; q < (1u << c); q++) {
		uint64_t best = O_INF;

		for (int j = 0; j < c; j++) {
			uint32_t rest = q & ~(1u << j);

			if (!(q & (1u << j)) || E[rest] == O_INF)
				continue;
			best = min64(best, best_end(s, side, ids[j], E[rest]));
		}
		E[q] = best;
	}
}

static uint64_t seq_end(struct solver *s, int side, uint32_t mask, uint64_t start)
{
	uint64_t E[1u << ORACLE_MAX];
	int ids[ORACLE_MAX];

	if (!mask)
		return start;
	seq_table(s, side, mask, start, E, ids);
	return E[(1u << popcount32(mask)) - 1];
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Window bases worth trying from x (3): x and obstacle ends, on the granule. */
static size_t window_bases(const struct solver *s, int side, int node, uint64_t x, uint64_t *b)
{
	uint64_t g = s->align[node], hi = s->side_hi[side];
	size_t nb = 0;

	b[nb++] = up(x, g);
	for (size_t k = 0; k < s->nobst; k++) {
		const struct obst *o = &s->obst[k];

		if (o->pin >= 0 && (s->sub[node] & (1u << o->pin)))
			continue;
		if (o->hi > x && o->hi < hi)
			b[nb++] = up(o->hi, g);
	}
	qsort(b, nb, sizeof(*b), cmp_u64);
	return nb;
}

/* Window end for base b, or O_INF: children from b, then granule and minimum. */
static uint64_t window_end(struct solver *s, int side, int node, uint64_t b)
{
	uint64_t g = s->align[node], hi = s->side_hi[side], e;

	if (b == O_INF || b >= hi)
		return O_INF;
	e = seq_end(s, side, s->kids[node], b);
	if (e == O_INF)
		return O_INF;
	e = max64(up(e, g), b + s->wmin[node]);
	if (e > hi || blocked(s, node, b, e - b))
		return O_INF;
	return e;
}

static uint64_t window_best(struct solver *s, int side, int node, uint64_t x, uint64_t *base)
{
	uint64_t bases[MAX_OBST + 1], best = O_INF;
	size_t nb = window_bases(s, side, node, x, bases);

	*base = O_INF;
	for (size_t k = 0; k < nb; k++) {
		uint64_t e;

		if (bases[k] >= best)
			break;	/* an active window ends above its base */
		if (k && bases[k] == bases[k - 1])
			continue;
		e = window_end(s, side, node, bases[k]);
		if (e < best) {
			best = e;
			*base = bases[k];
		}
	}
	return best;
}

static uint64_t best_end_raw(struct solver *s, int side, int node, uint64_t x)
{
	uint64_t p;

	s->work++;
	if (!s->win[node]) {
		p = leaf_start(s, side, node, x);
		return p == O_INF ? O_INF : p + s->res[node].size;
	}
	return window_best(s, side, node, x, &p);
}

/* F(node, x) of the comment at the top, memoised: x values repeat across subsets and S. */
static uint64_t best_end(struct solver *s, int side, int node, uint64_t x)
{
	uint32_t h = (uint32_t)(((x >> 12) * 0x9E3779B97F4A7C15ull + (uint64_t)node * 0x632BE5ABull) >> 40) %
		     MEMO_SLOTS;
	struct memo_ent *m = s->memo[side];
	uint64_t v;

	for (unsigned k = 0; k < 8; k++) {
		struct memo_ent *e = &m[(h + k) % MEMO_SLOTS];

		if (e->gen != s->gen)
			break;
		if (e->node == node && e->x == x)
			return e->val;
	}
	v = best_end_raw(s, side, node, x);
	for (unsigned k = 0; k < 8; k++) {
		struct memo_ent *e = &m[(h + k) % MEMO_SLOTS];

		if (e->gen != s->gen || k == 7) {	/* a cache: evicting is harmless */
			*e = (struct memo_ent){ .x = x, .val = v, .gen = s->gen, .node = (int16_t)node };
			break;
		}
	}
	return v;
}

/* Write the placement F(node, x) found into lay (the same choices again). */
static void build(struct solver *s, int side, int node, uint64_t x, struct oracle_layout *lay);

static void seq_build(struct solver *s, int side, uint32_t mask, uint64_t start,
		      struct oracle_layout *lay)
{
	uint64_t E[1u << ORACLE_MAX];
	int ids[ORACLE_MAX], c = popcount32(mask);
	uint32_t q;

	if (!mask)
		return;
	seq_table(s, side, mask, start, E, ids);
	q = (1u << c) - 1;
	while (q) {
		int j;

		for (j = 0; j < c; j++) {
			uint32_t rest = q & ~(1u << j);

			if ((q & (1u << j)) && E[rest] != O_INF &&
			    best_end(s, side, ids[j], E[rest]) == E[q])
				break;
		}
		if (j == c)
			abort();	/* the table said E[q] is reachable */
		build(s, side, ids[j], E[q & ~(1u << j)], lay);
		q &= ~(1u << j);
	}
}

static void build(struct solver *s, int side, int node, uint64_t x, struct oracle_layout *lay)
{
	uint64_t b, e;

	if (!s->win[node]) {
		lay->addr[node] = leaf_start(s, side, node, x);
		lay->span[node] = s->res[node].size;
		return;
	}
	e = window_best(s, side, node, x, &b);
	lay->addr[node] = b;
	lay->span[node] = e - b;
	seq_build(s, side, s->kids[node], b, lay);
}

/* -------------------------------------------------------------- subsets */

static void begin_subset(struct solver *s, uint32_t placed)
{
	const struct plan_input *in = s->in;

	s->placed = placed;
	s->gen++;
	if (!s->gen) {	/* wrapped: really clear */
		memset(s->memo[0], 0, MEMO_SLOTS * sizeof(struct memo_ent));
		memset(s->memo[1], 0, MEMO_SLOTS * sizeof(struct memo_ent));
		s->gen = 1;
	}
	/* active: a placed leaf, or a placed window with a minimum or an active child */
	for (size_t i = 0; i < s->n; i++)
		s->active[i] = (placed & (1u << i)) && (!s->win[i] || s->res[i].size);
	for (size_t round = 0; round < s->n; round++)
		for (size_t i = 0; i < s->n; i++)
			if (s->active[i] && s->parent[i] >= 0 && (placed & (1u << s->parent[i])))
				s->active[s->parent[i]] = true;
	for (size_t i = 0; i < s->n; i++)
		s->kids[i] = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->active[i] && s->parent[i] >= 0)
			s->kids[s->parent[i]] |= 1u << i;
	s->nobst = 0;
	for (size_t j = 0; j < in->nram && s->nobst < MAX_OBST; j++)
		if (in->ram[j].size)
			s->obst[s->nobst++] = (struct obst){ in->ram[j].base,
							     in->ram[j].base + in->ram[j].size, -1 };
	for (size_t j = 0; j < in->nmem_reserved && s->nobst < MAX_OBST; j++)
		if (in->mem_reserved[j].size)
			s->obst[s->nobst++] = (struct obst){ in->mem_reserved[j].base,
							     in->mem_reserved[j].base +
							     in->mem_reserved[j].size, -1 };
	for (size_t i = 0; i < s->n && s->nobst < MAX_OBST; i++)
		if (s->active[i] && !s->win[i] && s->res[i].pinned)
			s->obst[s->nobst++] = (struct obst){ s->res[i].pin_addr,
							     s->res[i].pin_addr + s->res[i].size,
							     (int)i };
}

/* Which side a root entry may take (5, and the policy rule above). */
static void root_sides(const struct solver *s, int r, bool *can_low, bool *can_high)
{
	const struct plan_res *x = &s->res[r];
	bool has32 = false, lowpin = false, highpin = false;

	for (size_t d = 0; d < s->n; d++) {
		const struct plan_res *y = &s->res[d];

		if (!s->active[d] || !(s->sub[r] & (1u << d)))
			continue;
		has32 |= y->kind == PLAN_MEM32;
		if (!s->win[d] && y->pinned) {
			lowpin |= y->pin_addr < O_4G;
			highpin |= y->pin_addr >= O_4G;
		}
	}
	if (!s->win[r] && x->pinned) {
		*can_low = x->pin_addr < O_4G;
		*can_high = !*can_low && x->kind == PLAN_MEM64;
		return;
	}
	*can_high = !has32 && !lowpin;
	*can_low = !highpin &&
		   (has32 || lowpin || s->in->m64_policy == PLAN_M64_FALLBACK_LOW);
}

/* Largest feasible hole start for a low set (4), or O_INF when none. */
static uint64_t best_hole(struct solver *s, uint32_t low)
{
	uint64_t g = s->lim.hole_granule, klo, khi;

	if (!low)
		return O_4G;
	klo = s->lim.min_hole_start / g;
	khi = O_4G / g;
	if (s->lim.min_hole_start >= O_4G || seq_end(s, SIDE_LOW, low, klo * g) == O_INF)
		return O_INF;
	/* invariant: klo feasible, khi infeasible (nothing fits in an empty hole) */
	while (khi - klo > 1) {
		uint64_t mid = klo + (khi - klo) / 2;

		if (seq_end(s, SIDE_LOW, low, mid * g) != O_INF)
			klo = mid;
		else
			khi = mid;
	}
	return klo * g;
}

struct subset_answer {
	bool ok;
	uint64_t hole;
	uint32_t low, high;
};

static void eval_subset(struct solver *s, uint32_t placed, struct subset_answer *ans)
{
	int roots[ORACLE_MAX], nfree = 0, nr = 0, freeix[ORACLE_MAX];
	uint32_t flow = 0, fhigh = 0, lows[1u << ORACLE_MAX], highs[1u << ORACLE_MAX];
	size_t nc = 0;

	ans->ok = false;
	begin_subset(s, placed);
	for (size_t i = 0; i < s->n; i++)
		if (s->active[i] && s->parent[i] < 0)
			roots[nr++] = (int)i;
	for (int k = 0; k < nr; k++) {
		bool cl, ch;

		root_sides(s, roots[k], &cl, &ch);
		if (!cl && !ch)
			return;
		if (cl && ch)
			freeix[nfree++] = roots[k];
		else if (cl)
			flow |= 1u << roots[k];
		else
			fhigh |= 1u << roots[k];
	}
	for (uint32_t c = 0; c < (1u << nfree); c++) {
		uint32_t low = flow, high = fhigh;

		for (int k = 0; k < nfree; k++)
			if (c & (1u << k))
				low |= 1u << freeix[k];
			else
				high |= 1u << freeix[k];
		if (high && seq_end(s, SIDE_HIGH, high, s->lim.high_base) == O_INF)
			continue;
		lows[nc] = low;
		highs[nc++] = high;
	}
	for (size_t a = 0; a < nc; a++) {
		bool dominated = false;
		uint64_t h;

		for (size_t b = 0; b < nc && !dominated; b++)
			dominated = b != a && (lows[b] & lows[a]) == lows[b] && lows[b] != lows[a];
		if (dominated)
			continue;
		h = best_hole(s, lows[a]);
		if (h != O_INF && (!ans->ok || h > ans->hole)) {
			*ans = (struct subset_answer){ true, h, lows[a], highs[a] };
		}
	}
}

static bool setup(struct solver *s, const struct plan_input *in, const struct plan_res *res,
		  size_t n)
{
	memset(s, 0, sizeof(*s));
	s->in = in;
	s->res = res;
	s->n = n;
	oracle_limits(in, &s->lim);
	s->side_hi[SIDE_LOW] = O_4G;
	s->side_hi[SIDE_HIGH] = s->lim.high_limit;
	if (n > ORACLE_MAX || in->may_relocate_ram || !is_pow2(s->lim.hole_granule) ||
	    !is_pow2(s->lim.mem_min_align))
		return false;
	for (size_t i = 0; i < n; i++) {
		const struct plan_res *r = &res[i];

		if (r->kind != PLAN_MEM32 && r->kind != PLAN_MEM64)
			return false;
		if (r->parent > n || r->parent == i + 1 ||
		    (r->parent && !(res[r->parent - 1].flags & PLAN_F_WINDOW)))
			return false;
		s->parent[i] = (int)r->parent - 1;
		s->win[i] = r->flags & PLAN_F_WINDOW;
		if (s->win[i]) {
			if (r->pinned || !is_pow2(granule(r)))
				return false;
			s->align[i] = granule(r);
			s->wmin[i] = up(r->size, s->align[i]);
		} else {
			uint64_t al = r->align ? r->align : r->size;

			if (!r->size || !is_pow2(al))
				return false;
			s->align[i] = r->pinned ? al : max64(al, s->lim.mem_min_align);
		}
	}
	/* subtrees; a cycle would never reach the root within n steps */
	for (size_t i = 0; i < n; i++) {
		int p = (int)i;
		size_t k;

		for (k = 0; k <= n && p >= 0; k++) {
			s->sub[p] |= 1u << i;
			p = s->parent[p];
		}
		if (p >= 0)
			return false;
	}
	return true;
}

int oracle_solve(const struct plan_input *in, const struct plan_res *res, size_t n,
		 struct oracle_result *out)
{
	struct solver *s = calloc(1, sizeof(*s));
	struct memo_ent *memo = calloc(2 * MEMO_SLOTS, sizeof(*memo));
	struct subset_answer best = { 0 }, ans;
	uint32_t best_set = 0, all = n ? (uint32_t)((1ull << n) - 1) : 0;
	int rc = -1;
	char why[256];

	memset(out, 0, sizeof(*out));
	if (!s || !memo || !setup(s, in, res, n))
		goto done;
	s->memo[0] = memo;
	s->memo[1] = memo + MEMO_SLOTS;
	/* subsets closed under "parent placed", most resources first */
	for (int cnt = (int)n; cnt >= 0 && !best.ok; cnt--) {
		for (uint32_t set = all;; set = (set - 1) & all) {
			bool closed = popcount32(set) == cnt;

			for (size_t i = 0; closed && i < n; i++)
				closed = !(set & (1u << i)) || s->parent[i] < 0 ||
					 (set & (1u << s->parent[i]));
			if (closed) {
				eval_subset(s, set, &ans);
				if (ans.ok && (!best.ok || ans.hole > best.hole)) {
					best = ans;
					best_set = set;
				}
			}
			if (!set)
				break;
		}
		if (best.ok)
			out->max_placed = (size_t)cnt;
	}
	/* the empty set always fits */
	out->all_fit = out->max_placed == n;
	out->hole_start = best.hole;
	/* rebuild the winner and check it */
	begin_subset(s, best_set);
	out->witness.hole_start = best.hole;
	for (size_t i = 0; i < n; i++)
		out->witness.placed[i] = best_set & (1u << i);
	seq_build(s, SIDE_LOW, best.low, best.hole, &out->witness);
	seq_build(s, SIDE_HIGH, best.high, s->lim.high_base, &out->witness);
	out->work = s->work;
	if (!oracle_check_layout(in, res, n, &out->witness, why, sizeof(why))) {
		fprintf(stderr, "oracle: its own witness is invalid: %s\n", why);
		rc = -2;
		goto done;
	}
	rc = 0;
done:
	free(memo);
	free(s);
	return rc;
}
