/* SPDX-License-Identifier: MIT */
/*
 * The exact oracle (oracle.c) against hand-computed answers and a naive grid
 * search, then the planner against the oracle on seeded random trees.
 * HVMFW_ORACLE_CASES sets the number of random comparison cases (3000).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include "oracle.h"
#include "gen_tree.h"

#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)
#define T4G (1ull << 32)

/* ------------------------------------------------------------ printing */

static const char *owner_str(uint32_t o, char *buf, size_t len)
{
	static const char *const bars[] = { "bar0", "bar1", "bar2", "bar3", "bar4", "bar5",
					    "rom", "win-io", "win-mem", "win-pref" };
	unsigned bar = PLAN_OWNER_BAR(o);

	if (o & 0xff000000u)
		snprintf(buf, len, "platform:%u", o & 0xffffffu);
	else
		snprintf(buf, len, "%02x:%02x.%x/%s", PLAN_OWNER_BUS(o), PLAN_OWNER_DEV(o),
			 PLAN_OWNER_FN(o), bar < 10 ? bars[bar] : "bar?");
	return buf;
}

static void print_layout_cell(const struct oracle_layout *l, size_t i)
{
	char buf[48];

	if (!l->placed[i])
		snprintf(buf, sizeof(buf), "refused");
	else
		snprintf(buf, sizeof(buf), "%#llx+%#llx", (unsigned long long)l->addr[i],
			 (unsigned long long)l->span[i]);
	printf(" %-28s", buf);
}

/* One line for the platform, one per resource; either layout may be NULL. */
static void print_instance(const char *title, const struct plan_input *in,
			   const struct plan_res *res, size_t n, const struct oracle_layout *ora,
			   const struct oracle_layout *pla)
{
	char ob[32];

	printf("---- %s\n  ram:", title);
	for (size_t j = 0; j < in->nram; j++)
		printf(" %#llx-%#llx", (unsigned long long)in->ram[j].base,
		       (unsigned long long)(in->ram[j].base + in->ram[j].size));
	printf("  reserved:");
	for (size_t j = 0; j < in->nmem_reserved; j++)
		printf(" %#llx-%#llx", (unsigned long long)in->mem_reserved[j].base,
		       (unsigned long long)(in->mem_reserved[j].base + in->mem_reserved[j].size));
	printf("\n  hole_min %#llx max_hole %#llx hole_granule %#llx mem_min_align %#llx "
	       "phys_bits %u m64 %s\n", (unsigned long long)in->hole_min,
	       (unsigned long long)in->max_hole, (unsigned long long)in->hole_granule,
	       (unsigned long long)in->mem_min_align, in->phys_bits,
	       in->m64_policy == PLAN_M64_FALLBACK_LOW ? "fallback-low" : "high");
	printf("  %-2s %-16s %-3s %-5s %-9s %-12s %-10s %-13s %-28s %-28s\n", "#", "owner", "par",
	       "kind", "flags", "size", "align", "pin", "oracle addr+span", "planner addr+span");
	for (size_t i = 0; i < n; i++) {
		const struct plan_res *r = &res[i];
		char fl[8], pin[20], par[12];

		snprintf(fl, sizeof(fl), "%s%s%s%s", r->flags & PLAN_F_WINDOW ? "W" : "",
			 r->flags & PLAN_F_PREF ? "P" : "", r->flags & PLAN_F_ROM ? "R" : "",
			 r->flags & PLAN_F_ECAM ? "E" : "");
		if (!fl[0])
			snprintf(fl, sizeof(fl), "-");
		if (r->pinned)
			snprintf(pin, sizeof(pin), "%#llx", (unsigned long long)r->pin_addr);
		else
			snprintf(pin, sizeof(pin), "-");
		if (r->parent)
			snprintf(par, sizeof(par), "%u", r->parent - 1);
		else
			snprintf(par, sizeof(par), "-");
		printf("  %-2zu %-16s %-3s %-5s %-9s %#-12llx %#-10llx %-13s", i,
		       owner_str(r->owner, ob, sizeof(ob)), par,
		       r->kind == PLAN_MEM64 ? "mem64" : r->kind == PLAN_MEM32 ? "mem32" : "io", fl,
		       (unsigned long long)r->size, (unsigned long long)r->align, pin);
		if (ora)
			print_layout_cell(ora, i);
		if (pla)
			print_layout_cell(pla, i);
		printf("\n");
	}
	if (ora)
		printf("  oracle hole start %#llx (%llu MiB)\n", (unsigned long long)ora->hole_start,
		       (unsigned long long)((T4G - ora->hole_start) >> 20));
	if (pla)
		printf("  planner hole start %#llx (%llu MiB)\n", (unsigned long long)pla->hole_start,
		       (unsigned long long)((T4G - pla->hole_start) >> 20));
	fflush(stdout);
}

/* ----------------------------------------------------- hand-made instances */

struct hand {
	struct plan_range ram[3];
	struct plan_range rsv[4];
	struct plan_input in;
	struct plan_res r[ORACLE_MAX];
	size_t n;
};

/* RAM [0, 640 KiB) and [1 MiB, low_end); no reservations; 1 MiB granules. */
static void hand_init(struct hand *h, uint64_t low_end)
{
	memset(h, 0, sizeof(*h));
	h->ram[0] = (struct plan_range){ 0, 0xA0000, "conventional" };
	h->ram[1] = (struct plan_range){ MiB(1), low_end - MiB(1), "low" };
	h->in.ram = h->ram;
	h->in.nram = 2;
	h->in.mem_reserved = h->rsv;
	h->in.hole_granule = MiB(1);
	h->in.phys_bits = 36;
}

static void add_rsv(struct hand *h, uint64_t base, uint64_t size)
{
	h->rsv[h->in.nmem_reserved++] = (struct plan_range){ base, size, "rsv" };
}

/* Returns the parent id for children of this window (index + 1). */
static uint32_t add_win(struct hand *h, uint8_t kind, uint32_t parent, uint64_t min_size)
{
	h->r[h->n] = (struct plan_res){ .kind = kind, .flags = PLAN_F_WINDOW,
					.owner = PLAN_OWNER(0, h->n + 1, 0, PLAN_BAR_WIN_MEM),
					.parent = parent, .size = min_size };
	return (uint32_t)++h->n;
}

static size_t add_bar(struct hand *h, uint8_t kind, uint32_t parent, uint64_t size)
{
	h->r[h->n] = (struct plan_res){ .kind = kind, .owner = PLAN_OWNER(1, h->n + 1, 0, 0),
					.parent = parent, .size = size };
	return h->n++;
}

static size_t add_pin(struct hand *h, uint8_t kind, uint32_t parent, uint64_t size, uint64_t at)
{
	size_t i = add_bar(h, kind, parent, size);

	h->r[i].pinned = true;
	h->r[i].pin_addr = at;
	return i;
}

static void solve_ok(struct hand *h, struct oracle_result *o)
{
	int rc = oracle_solve(&h->in, h->r, h->n, o);

	if (rc)
		fail_msg("oracle_solve returned %d", rc);
}

static void expect(struct hand *h, bool all_fit, size_t placed, uint64_t hole)
{
	struct oracle_result o;

	solve_ok(h, &o);
	if (o.all_fit != all_fit || o.max_placed != placed || o.hole_start != hole) {
		print_instance("unexpected oracle answer", &h->in, h->r, h->n, &o.witness, NULL);
		fail_msg("oracle: all_fit %d placed %zu hole %#llx; expected %d %zu %#llx", o.all_fit,
			 o.max_placed, (unsigned long long)o.hole_start, all_fit, placed,
			 (unsigned long long)hole);
	}
}

/* Two bridges each holding a 256 MiB and a 1 MiB BAR. */
static void two_bridges(struct hand *h)
{
	hand_init(h, GiB(2));
	for (int b = 0; b < 2; b++) {
		uint32_t w = add_win(h, PLAN_MEM32, 0, 0);

		add_bar(h, PLAN_MEM32, w, MiB(256));
		add_bar(h, PLAN_MEM32, w, MiB(1));
	}
}

/*
 * Free top of 4 GiB. A window is [256 MiB BAR] plus its 1 MiB BAR on one
 * side: 257 MiB around a 256 MiB-aligned slot. The top slot 0xF0000000 takes
 * one window as [0xEFF00000, 4G). The other window's big BAR cannot use
 * 0xE0000000 (its 1 MiB would sit on 0xEFF00000 or below 0xE0000000, and
 * [0xDFF00000, 0xF0000000) meets [0xEFF00000, ...)), so it takes 0xD0000000
 * with its 1 MiB at 0xE0000000: hole 0xD0000000, 768 MiB. A start above
 * 0xD0000000 leaves only the two top slots, both needed by the big BARs,
 * and then either window's 1 MiB BAR lands inside the other window.
 */
static void test_two_bridges(void **state)
{
	struct hand h;

	two_bridges(&h);
	expect(&h, true, 6, T4G - MiB(768));
}

/*
 * With [0xFEC00000, 4G) reserved the slot 0xF0000000 is gone: big BARs at
 * 0xE0000000 (its window [0xE0000000, 0xF0100000), 1 MiB above) and
 * 0xD0000000, whose 1 MiB can go neither above (the other window) nor
 * anywhere but just below: window [0xCFF00000, 0xE0000000), 769 MiB.
 */
static void test_two_bridges_reserved(void **state)
{
	struct hand h;

	two_bridges(&h);
	add_rsv(&h, 0xFEC00000, 0x1400000);
	expect(&h, true, 6, T4G - MiB(769));
}

/* Naturally aligned BARs, largest first from the top, pack with no gap:
 * 256+128+64+32+1+1 = 482 MiB; with 256 MiB granules the hole is 512 MiB. */
static void test_flat_sum(void **state)
{
	static const unsigned sizes[] = { 1, 256, 32, 1, 128, 64 };
	struct hand h;

	hand_init(&h, GiB(2));
	for (size_t i = 0; i < 6; i++)
		add_bar(&h, PLAN_MEM32, 0, MiB(sizes[i]));
	expect(&h, true, 6, T4G - MiB(482));
	h.in.hole_granule = MiB(256);
	expect(&h, true, 6, T4G - MiB(512));
	h.in.hole_granule = 0;	/* default 1 MiB */
	expect(&h, true, 6, T4G - MiB(482));
}

/*
 * A window holds a pinned 1 MiB BAR at 0xF0000000 and a movable 16 MiB BAR.
 * (a) [0xF0100000, 4G) reserved: the only free side is below, 16 MiB-aligned
 *     at 0xEF000000; window [0xEF000000, 0xF0100000), hole 0xEF000000.
 * (b) [0xE0000000, 0xF0000000) reserved instead: the hole cannot start above
 *     the window, which cannot start above the pin, so the hole is at most
 *     0xF0000000; the 16 MiB BAR takes the free side above, 0xF1000000.
 */
static void test_pin_with_sibling(void **state)
{
	struct hand h;
	struct oracle_result o;
	uint32_t w;
	size_t mov;

	hand_init(&h, GiB(3));
	w = add_win(&h, PLAN_MEM32, 0, 0);
	add_pin(&h, PLAN_MEM32, w, MiB(1), 0xF0000000);
	mov = add_bar(&h, PLAN_MEM32, w, MiB(16));
	add_rsv(&h, 0xF0100000, T4G - 0xF0100000);
	expect(&h, true, 3, 0xEF000000);
	solve_ok(&h, &o);
	assert_int_equal(o.witness.addr[mov], 0xEF000000);
	assert_int_equal(o.witness.addr[0], 0xEF000000);
	assert_int_equal(o.witness.span[0], MiB(17));

	h.rsv[0] = (struct plan_range){ 0xE0000000, MiB(256), "below" };
	expect(&h, true, 3, 0xF0000000);
	solve_ok(&h, &o);
	assert_int_equal(o.witness.addr[mov], 0xF1000000);
	assert_int_equal(o.witness.addr[0], 0xF0000000);
	assert_int_equal(o.witness.span[0], MiB(32));
}

/*
 * RAM to 3.5 GiB, [0xFEC00000, 4G) reserved: the only 256 MiB-aligned slot
 * left is 0xE0000000. Three root 256 MiB BARs: one placed, hole 0xE0000000.
 * A window with two of them plus a root 1 MiB BAR: the window keeps one
 * child (refusing the window would refuse three), the 1 MiB goes above it
 * at 0xF0000000: 3 of 4 placed, hole 0xE0000000.
 */
static void test_nothing_fits(void **state)
{
	struct hand h;
	struct oracle_result o;
	uint32_t w;

	hand_init(&h, 0xE0000000);
	add_rsv(&h, 0xFEC00000, 0x1400000);
	for (int i = 0; i < 3; i++)
		add_bar(&h, PLAN_MEM32, 0, MiB(256));
	expect(&h, false, 1, 0xE0000000);

	hand_init(&h, 0xE0000000);
	add_rsv(&h, 0xFEC00000, 0x1400000);
	w = add_win(&h, PLAN_MEM32, 0, 0);
	add_bar(&h, PLAN_MEM32, w, MiB(256));
	add_bar(&h, PLAN_MEM32, w, MiB(256));
	add_bar(&h, PLAN_MEM32, 0, MiB(1));
	expect(&h, false, 3, 0xE0000000);
	solve_ok(&h, &o);
	assert_true(o.witness.placed[0]);
	assert_true(o.witness.placed[3]);
	assert_int_equal(o.witness.addr[3], 0xF0000000);

	/* a window whose minimum alone cannot fit is refused with its child */
	hand_init(&h, 0xE0000000);
	w = add_win(&h, PLAN_MEM32, 0, MiB(1024));
	add_bar(&h, PLAN_MEM32, w, MiB(1));
	add_bar(&h, PLAN_MEM32, 0, MiB(1));
	expect(&h, false, 1, 0xFFF00000);
}

/*
 * 64-bit BARs: above 4 GiB they do not count against the hole. With
 * phys_bits 32 there is no 64-bit window: the high-only policy refuses the
 * 512 MiB BAR, fallback-low puts it at 0xE0000000 and the 1 MiB BAR under
 * it (0xDFF00000). A 64-bit window holding a MEM32 BAR is forced below
 * 4 GiB with its 64-bit child even under the high-only policy.
 */
static void test_mem64(void **state)
{
	struct hand h;
	struct oracle_result o;
	size_t big;
	uint32_t w;

	hand_init(&h, GiB(2));
	big = add_bar(&h, PLAN_MEM64, 0, MiB(512));
	add_bar(&h, PLAN_MEM32, 0, MiB(1));
	expect(&h, true, 2, 0xFFF00000);
	solve_ok(&h, &o);
	assert_int_equal(o.witness.addr[big], T4G);

	h.in.phys_bits = 32;
	expect(&h, false, 1, 0xFFF00000);
	h.in.m64_policy = PLAN_M64_FALLBACK_LOW;
	expect(&h, true, 2, 0xDFF00000);

	hand_init(&h, GiB(2));
	w = add_win(&h, PLAN_MEM64, 0, 0);
	add_bar(&h, PLAN_MEM64, w, MiB(256));
	add_bar(&h, PLAN_MEM32, w, MiB(1));
	expect(&h, true, 3, 0xEFF00000);

	/* the same window with only 64-bit children goes high */
	h.r[2].kind = PLAN_MEM64;
	expect(&h, true, 3, T4G);
	/* ... unless a pin below 4 GiB holds it there */
	h.r[2].pinned = true;
	h.r[2].pin_addr = 0xF0000000;
	expect(&h, true, 3, 0xE0000000);
}

/* Window minimum sizes and nesting: a 3-deep chain with one BAR. */
static void test_nested_minimum(void **state)
{
	struct hand h;
	uint32_t a, b, c;

	hand_init(&h, GiB(3));
	a = add_win(&h, PLAN_MEM32, 0, 0);
	b = add_win(&h, PLAN_MEM32, a, MiB(3));
	c = add_win(&h, PLAN_MEM32, b, 0);
	add_bar(&h, PLAN_MEM32, c, MiB(2));
	/* the 2 MiB BAR at 0xFFE00000, b padded down to 3 MiB: hole 0xFFD00000 */
	expect(&h, true, 4, 0xFFD00000);
	/* an empty window with no minimum stays closed and takes nothing */
	add_win(&h, PLAN_MEM32, 0, 0);
	expect(&h, true, 5, 0xFFD00000);
	/* with a minimum it takes its granules */
	h.r[4].size = MiB(1);
	expect(&h, true, 5, 0xFFC00000);
}

/* --------------------------------------------------------- the checker */

static void expect_reject(struct hand *h, const struct oracle_layout *l, const char *what)
{
	char why[256];

	if (oracle_check_layout(&h->in, h->r, h->n, l, why, sizeof(why)))
		fail_msg("checker accepted a layout with %s", what);
	if (!strstr(why, what))
		fail_msg("checker said '%s', expected '%s'", why, what);
}

/*
 * Window W (MEM32) holding leaf L (1 MiB), root leaf M (1 MiB), RAM to
 * 2 GiB, [0xFEC00000, 4G) reserved. Valid: hole 0xF0000000, W and L at
 * 0xF0000000, M at 0xF0100000. Each broken copy breaks one rule.
 */
static void test_checker_rejects(void **state)
{
	struct hand h;
	struct oracle_layout ok = { 0 }, l;
	char why[256];

	hand_init(&h, GiB(2));
	add_rsv(&h, 0xFEC00000, 0x1400000);
	add_win(&h, PLAN_MEM32, 0, 0);
	add_bar(&h, PLAN_MEM32, 1, MiB(1));
	add_bar(&h, PLAN_MEM32, 0, MiB(1));
	ok.hole_start = 0xF0000000;
	for (int i = 0; i < 3; i++)
		ok.placed[i] = true;
	ok.addr[0] = 0xF0000000;
	ok.span[0] = MiB(1);
	ok.addr[1] = 0xF0000000;
	ok.span[1] = MiB(1);
	ok.addr[2] = 0xF0100000;
	ok.span[2] = MiB(1);
	if (!oracle_check_layout(&h.in, h.r, h.n, &ok, why, sizeof(why)))
		fail_msg("valid layout rejected: %s", why);

	l = ok;
	l.addr[2] = 0xF0000000;
	expect_reject(&h, &l, "overlaps");
	l = ok;
	l.addr[1] = 0xF0200000;
	expect_reject(&h, &l, "outside its window");
	l = ok;
	l.addr[2] = T4G;
	expect_reject(&h, &l, "above 4G");
	l = ok;
	l.addr[2] = 0x7FF00000;
	expect_reject(&h, &l, "over RAM");
	l = ok;
	l.addr[2] = 0xFEC00000;
	expect_reject(&h, &l, "over reservation");
	l = ok;
	l.addr[2] = 0xEFF00000;
	expect_reject(&h, &l, "in neither hole");
	l = ok;
	l.hole_start = 0xF0000800;
	expect_reject(&h, &l, "hole start");
	l = ok;
	l.hole_start = 0x7FF00000;
	expect_reject(&h, &l, "hole start");
	l = ok;
	l.addr[2] = 0xF0180000;
	expect_reject(&h, &l, "not aligned");
	l = ok;
	l.span[0] = MiB(1) / 2;
	expect_reject(&h, &l, "granule");
	l = ok;
	l.span[2] = MiB(2);
	expect_reject(&h, &l, "span");
	l = ok;
	l.placed[0] = false;
	expect_reject(&h, &l, "refused window");
	l = ok;
	l.span[0] = 0;
	expect_reject(&h, &l, "outside its window");

	/* window minimum, pin, policy */
	h.r[0].size = MiB(2);
	expect_reject(&h, &ok, "below its minimum");
	h.r[0].size = 0;
	h.r[2].pinned = true;
	h.r[2].pin_addr = 0xF0200000;
	expect_reject(&h, &ok, "pinned at");
	h.r[2].pinned = false;
	h.r[2].kind = PLAN_MEM64;
	expect_reject(&h, &ok, "high-only policy");
	h.in.m64_policy = PLAN_M64_FALLBACK_LOW;
	if (!oracle_check_layout(&h.in, h.r, h.n, &ok, why, sizeof(why)))
		fail_msg("fallback-low layout rejected: %s", why);
}

/* ------------------------------------------- naive grid search, tiny cases */

struct grid {
	const struct plan_input *in;
	const struct plan_res *r;
	size_t n;
	size_t order[ORACLE_MAX];	/* children before their windows */
	uint64_t S;
	struct oracle_layout lay;
	bool set[ORACLE_MAX];
	unsigned long steps;
};

static bool anc(const struct plan_res *r, size_t a, size_t d)
{
	for (uint32_t p = r[d].parent; p; p = r[p - 1].parent)
		if (p - 1 == a)
			return true;
	return false;
}

static bool overl(uint64_t a, uint64_t al, uint64_t b, uint64_t bl)
{
	return a < b + bl && b < a + al;
}

/* [a, a+len) for k: in the hole, off RAM/reservations, off everything set
 * that is not inside k (k's ancestors are set after k). */
static bool grid_free(const struct grid *g, size_t k, uint64_t a, uint64_t len)
{
	if (a < g->S || a + len > T4G)
		return false;
	for (size_t j = 0; j < g->in->nram; j++)
		if (overl(a, len, g->in->ram[j].base, g->in->ram[j].size))
			return false;
	for (size_t j = 0; j < g->in->nmem_reserved; j++)
		if (overl(a, len, g->in->mem_reserved[j].base, g->in->mem_reserved[j].size))
			return false;
	for (size_t j = 0; j < g->n; j++)
		if (g->set[j] && j != k && !anc(g->r, k, j) &&
		    overl(a, len, g->lay.addr[j], g->lay.span[j]))
			return false;
	return true;
}

static bool grid_rec(struct grid *g, size_t idx)
{
	size_t k;
	const struct plan_res *r;

	g->steps++;
	if (idx == g->n) {
		char why[256];

		g->lay.hole_start = g->S;
		if (!oracle_check_layout(g->in, g->r, g->n, &g->lay, why, sizeof(why)))
			fail_msg("grid search built an invalid layout: %s", why);
		return true;
	}
	k = g->order[idx];
	r = &g->r[k];
	g->set[k] = true;
	g->lay.placed[k] = true;
	if (!(r->flags & PLAN_F_WINDOW)) {
		uint64_t al = r->align ? r->align : r->size;

		if (al < 4096)
			al = 4096;
		g->lay.span[k] = r->size;
		for (uint64_t p = r->pinned ? r->pin_addr : (g->S + al - 1) & ~(al - 1);
		     p + r->size <= T4G; p += al) {
			g->lay.addr[k] = p;
			if (grid_free(g, k, p, r->size) && grid_rec(g, idx + 1))
				return true;
			if (r->pinned)
				break;
		}
	} else {
		uint64_t gr = r->align ? r->align : MiB(1), lo = UINT64_MAX, hi = 0;
		uint64_t mn = (r->size + gr - 1) & ~(gr - 1);

		for (size_t c = 0; c < g->n; c++)
			if (g->r[c].parent == k + 1 && g->lay.span[c]) {
				lo = g->lay.addr[c] < lo ? g->lay.addr[c] : lo;
				hi = g->lay.addr[c] + g->lay.span[c] > hi ?
				     g->lay.addr[c] + g->lay.span[c] : hi;
			}
		if (lo == UINT64_MAX && !mn) {
			g->lay.addr[k] = 0;
			g->lay.span[k] = 0;	/* closed */
			if (grid_rec(g, idx + 1))
				return true;
		} else {
			/* every base; the end shrunk to what the base needs (a smaller
			 * window is valid whenever a larger one is) */
			for (uint64_t b = (g->S + gr - 1) & ~(gr - 1); b + mn <= T4G && b <= lo;
			     b += gr) {
				uint64_t e = (hi + gr - 1) & ~(gr - 1);

				if (b + mn > e)
					e = b + mn;
				g->lay.addr[k] = b;
				g->lay.span[k] = e - b;
				if (e <= T4G && grid_free(g, k, b, e - b) && grid_rec(g, idx + 1))
					return true;
			}
		}
	}
	g->set[k] = false;
	g->lay.placed[k] = false;
	g->lay.span[k] = 0;
	return false;
}

static bool grid_fits(const struct plan_input *in, const struct plan_res *r, size_t n,
		      uint64_t S, unsigned long *steps)
{
	struct grid g = { .in = in, .r = r, .n = n, .S = S };
	unsigned depth[ORACLE_MAX];
	size_t m = 0;
	bool ok;

	for (size_t i = 0; i < n; i++) {
		depth[i] = 0;
		for (uint32_t p = r[i].parent; p; p = r[p - 1].parent)
			depth[i]++;
	}
	for (unsigned d = ORACLE_MAX; d-- > 0;)
		for (size_t i = 0; i < n; i++)
			if (depth[i] == d)
				g.order[m++] = i;
	ok = grid_rec(&g, 0);
	*steps += g.steps;
	return ok;
}

/*
 * All MEM32 in the top 32 MiB: 1-8 MiB BARs (some 512 KiB), up to three
 * windows (nested up to three deep or side by side, some with minimums or
 * 2 MiB granules), pins, reservations, and a hole_min sometimes, so that
 * the search space is small enough to walk.
 */
static void gen_tiny(uint64_t seed, struct hand *h)
{
	uint64_t s = seed * 7919 + 13;
	unsigned nwin = (unsigned)gen_below(&s, 4), nleaf = 1 + (unsigned)gen_below(&s, 4);

	hand_init(h, T4G - MiB(32));
	for (unsigned k = (unsigned)gen_below(&s, 3); k > 0; k--) {
		uint64_t b = T4G - MiB(1 + gen_below(&s, 32)), sz = MiB(1 + gen_below(&s, 2));

		add_rsv(h, b, b + sz > T4G ? T4G - b : sz);
	}
	if (gen_below(&s, 100) < 20)
		h->in.hole_min = T4G - MiB(gen_below(&s, 32));
	for (unsigned w = 0; w < nwin; w++) {
		uint32_t p = w && gen_below(&s, 2) ? 1 + (uint32_t)gen_below(&s, w) : 0;

		add_win(h, PLAN_MEM32, p, gen_below(&s, 100) < 30 ? MiB(1 + gen_below(&s, 6)) : 0);
		if (gen_below(&s, 100) < 15)
			h->r[h->n - 1].align = MiB(2);	/* a coarser granule */
	}
	for (unsigned l = 0; l < nleaf; l++) {
		uint32_t p = nwin ? (uint32_t)gen_below(&s, nwin + 1) : 0;
		uint64_t sz = gen_below(&s, 100) < 10 ? MiB(1) / 2 : MiB(1) << gen_below(&s, 4);

		if (gen_below(&s, 100) < 20)
			add_pin(h, PLAN_MEM32, p, sz, T4G - sz * (1 + gen_below(&s, MiB(32) / sz)));
		else
			add_bar(h, PLAN_MEM32, p, sz);
	}
}

/*
 * At the oracle's answer S the grid must find a layout and at S + 1 MiB
 * none (feasibility is monotone in S, so that settles optimality); when the
 * oracle says not everything fits, the grid must find nothing at the lowest
 * start. A second run with hole_min at a random S compares plain
 * feasibility away from the optimum, where the grid has room to wander.
 */
static void test_oracle_vs_grid(void **state)
{
	unsigned long steps = 0;
	int fit = 0, nofit = 0, s_fit = 0, s_nofit = 0;

	for (uint64_t c = 0; c < 2000; c++) {
		struct hand h;
		struct oracle_result o;
		struct oracle_limits lim;
		uint64_t ss = c * 31 + 7, S;
		bool ok, g;

		gen_tiny(c, &h);
		solve_ok(&h, &o);
		oracle_limits(&h.in, &lim);
		if (o.all_fit) {
			fit++;
			ok = grid_fits(&h.in, h.r, h.n, o.hole_start, &steps);
			if (ok && o.hole_start < T4G)
				ok = !grid_fits(&h.in, h.r, h.n, o.hole_start + MiB(1), &steps);
		} else {
			nofit++;
			ok = !grid_fits(&h.in, h.r, h.n, lim.min_hole_start, &steps);
		}
		if (ok) {
			S = T4G - MiB(1 + gen_below(&ss, 32));
			h.in.hole_min = S > h.in.hole_min ? S : h.in.hole_min;
			solve_ok(&h, &o);
			oracle_limits(&h.in, &lim);
			g = grid_fits(&h.in, h.r, h.n, lim.min_hole_start, &steps);
			ok = g == o.all_fit;
			s_fit += g;
			s_nofit += !g;
		}
		if (!ok) {
			print_instance("oracle and grid search disagree", &h.in, h.r, h.n, &o.witness,
				       NULL);
			fail_msg("tiny case %llu: oracle all_fit %d hole %#llx", (unsigned long long)c,
				 o.all_fit, (unsigned long long)o.hole_start);
		}
	}
	print_message("grid cross-check: %d fit, %d do not; at a random start %d fit, %d do not; "
		      "%lu grid steps\n", fit, nofit, s_fit, s_nofit, steps);
	assert_true(fit > 300 && nofit > 30 && s_fit > 200 && s_nofit > 200);
}

/* ---------------------------------------------------- random, oracle alone */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long env_cases(void)
{
	const char *e = getenv("HVMFW_ORACLE_CASES");
	unsigned long v = e ? strtoul(e, NULL, 0) : 0;

	return v ? v : 3000;
}

/*
 * Properties that hold whatever the planner does: the witness is valid
 * (oracle_solve checks it), and dropping a movable root BAR never makes
 * the best hole smaller nor the instance less placeable.
 */
static void test_oracle_random(void **state)
{
	unsigned long n = env_cases(), fits = 0, work = 0;
	double t0 = now_s(), dt;

	for (unsigned long c = 0; c < n; c++) {
		struct gen_instance g;
		struct oracle_result o, o2;
		int rc;

		gen_tree(1000 + c, &g);
		rc = oracle_solve(&g.in, g.res, g.n, &o);
		if (rc) {
			print_instance("oracle failed", &g.in, g.res, g.n, NULL, NULL);
			fail_msg("case %lu: oracle_solve %d", c, rc);
		}
		fits += o.all_fit;
		work += o.work;
		assert_true(o.max_placed <= g.n);
		assert_int_equal(o.all_fit, o.max_placed == g.n);
		assert_int_equal(oracle_layout_count(&o.witness, g.n), o.max_placed);
		/* drop the last entry when it is a root leaf nobody points at */
		if (o.all_fit && g.n > 1 && !g.res[g.n - 1].parent &&
		    !(g.res[g.n - 1].flags & PLAN_F_WINDOW)) {
			rc = oracle_solve(&g.in, g.res, g.n - 1, &o2);
			assert_int_equal(rc, 0);
			assert_true(o2.all_fit);
			if (o2.hole_start < o.hole_start) {
				print_instance("dropping a BAR made the hole larger", &g.in, g.res, g.n,
					       &o.witness, &o2.witness);
				fail_msg("case %lu", c);
			}
		}
	}
	dt = now_s() - t0;
	print_message("oracle alone: %lu cases (%lu all-fit) in %.2f s, %.0f cases/s, "
		      "%.0f evaluations per case\n", n, fits, dt, n / (dt > 0 ? dt : 1e-9),
		      (double)work / n);
	if (n >= 200)	/* the mix must exercise both outcomes */
		assert_true(fits > n / 3 && fits < n);
}

/* ----------------------------------------------------- planner vs oracle */

static void test_oracle_vs_planner(void **state)
{
	unsigned long n = env_cases(), all_fit = 0, equal = 0, worse = 0, refused = 0;
	unsigned long invalid = 0, better = 0, errors = 0, fewer = 0, more = 0;
	double t_oracle = 0, t_plan = 0;
	bool printed = false;

	for (unsigned long c = 0; c < n; c++) {
		struct gen_instance g;
		struct oracle_result o;
		struct plan_res pr[GEN_MAX_RES];
		struct plan_output po;
		struct oracle_layout pl;
		char why[256], title[384];
		const char *bad = NULL;
		void *scratch;
		size_t sb, placed;
		double t0;
		int rc;

		gen_tree(1000 + c, &g);
		t0 = now_s();
		rc = oracle_solve(&g.in, g.res, g.n, &o);
		t_oracle += now_s() - t0;
		if (rc)
			fail_msg("case %lu: oracle_solve %d", c, rc);
		all_fit += o.all_fit;

		memcpy(pr, g.res, sizeof(pr));
		memset(&po, 0, sizeof(po));
		sb = plan_scratch_bytes(&g.in, g.n);
		scratch = malloc(sb ? sb : 1);
		t0 = now_s();
		rc = plan_solve(&g.in, pr, g.n, scratch, sb, &po);
		t_plan += now_s() - t0;
		free(scratch);
		oracle_layout_from_plan(pr, g.n, po.hole_start, &pl);
		placed = oracle_layout_count(&pl, g.n);
		why[0] = 0;

		if (rc < 0) {
			errors++;
			snprintf(why, sizeof(why), "plan_solve returned %d", rc);
			bad = "error";
		} else if (!oracle_check_layout(&g.in, g.res, g.n, &pl, why, sizeof(why))) {
			invalid++;
			bad = "invalid layout";
		} else if (o.all_fit) {
			if (placed < g.n) {
				refused++;
				bad = "refused what fits";
			} else if (pl.hole_start == o.hole_start) {
				equal++;
			} else if (pl.hole_start < o.hole_start) {
				worse++;
				bad = "larger hole than the optimum";
			} else {
				better++;
				bad = "beat the oracle (oracle bug)";
			}
		} else if (placed > o.max_placed) {
			more++;
			bad = "placed more than the oracle's maximum (oracle bug)";
		} else if (placed < o.max_placed) {
			fewer++;	/* reported, not failed: the brief compares all-fit cases */
		}
		if (bad && (!printed || getenv("HVMFW_ORACLE_ALL"))) {
			snprintf(title, sizeof(title),
				 "first mismatch: case %lu (seed %lu): %s%s%s; planner rc %d, "
				 "oracle all_fit %d max_placed %zu", c, 1000 + c, bad,
				 why[0] ? ": " : "", why, rc, o.all_fit, o.max_placed);
			print_instance(title, &g.in, g.res, g.n, &o.witness, &pl);
			printed = true;
		}
	}
	print_message("oracle: %lu cases, %lu all-fit, planner equal on %lu, worse on %lu, "
		      "refused-what-fits on %lu\n", n, all_fit, equal, worse, refused);
	print_message("oracle: also invalid layouts %lu, errors %lu, better than oracle %lu, "
		      "placed more than max %lu, placed fewer than max %lu (not all-fit)\n",
		      invalid, errors, better, more, fewer);
	print_message("oracle: %.0f cases/s (oracle), %.0f cases/s (planner)\n",
		      n / (t_oracle > 0 ? t_oracle : 1e-9), n / (t_plan > 0 ? t_plan : 1e-9));
	/*
	 * Every layout must be valid, and the oracle never beaten. The planner is
	 * not yet exact on every tree: on the all-fit cases it must match the
	 * optimum at least as often as measured when this ratchet was set
	 * (99.5% equal, none refusing what fits, on the default 3000 seeds;
	 * 99.5% and 0.02% on 20 000).
	 */
	if (invalid || errors || better || more)
		fail_msg("planner broke a rule or beat the oracle (first case printed above)");
	if (all_fit && (equal * 1000 < all_fit * 993 || refused * 2000 > all_fit * 1))
		fail_msg("planner matches the optimum on %lu of %lu all-fit cases and refuses what "
			 "fits on %lu (ratchet: 99.3%% and 0.05%%)", equal, all_fit, refused);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_bridges),
		cmocka_unit_test(test_two_bridges_reserved),
		cmocka_unit_test(test_flat_sum),
		cmocka_unit_test(test_pin_with_sibling),
		cmocka_unit_test(test_nothing_fits),
		cmocka_unit_test(test_mem64),
		cmocka_unit_test(test_nested_minimum),
		cmocka_unit_test(test_checker_rejects),
		cmocka_unit_test(test_oracle_vs_grid),
		cmocka_unit_test(test_oracle_random),
		cmocka_unit_test(test_oracle_vs_planner),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
