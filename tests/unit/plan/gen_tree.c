/* SPDX-License-Identifier: MIT */
/*
 * Random small PCI trees for the oracle comparison. Sizes are powers of two
 * so that the instances look like real BARs; the mix is tuned so that most
 * instances fit (where the hole is compared) and some do not (where the
 * refusal count is).
 */
#include <string.h>
#include "gen_tree.h"

#define G_MIB (1ull << 20)
#define G_GIB (1ull << 30)
#define G_4G (1ull << 32)

uint64_t gen_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

uint64_t gen_below(uint64_t *state, uint64_t bound)
{
	return bound ? gen_next(state) % bound : 0;
}

/* Percent chance. */
static bool chance(uint64_t *s, unsigned pct)
{
	return gen_below(s, 100) < pct;
}

/* Memory BAR sizes: mostly 1-64 MiB, some up to 512 MiB, some 4-64 KiB. */
static uint64_t bar_size(uint64_t *s)
{
	static const unsigned logs[] = { 20, 20, 20, 21, 21, 22, 22, 23, 24, 25, 26, 27, 28, 29 };

	if (chance(s, 15))
		return 1ull << (12 + gen_below(s, 5));
	return 1ull << logs[gen_below(s, sizeof(logs) / sizeof(logs[0]))];
}

static unsigned depth_of(const struct plan_res *r, size_t i)
{
	unsigned d = 0;

	for (uint32_t p = r[i].parent; p; p = r[p - 1].parent)
		d++;
	return d;
}

/* Is some window above a MEM32 one (which keeps the whole subtree below 4 GiB)? */
static bool under_mem32(const struct plan_res *r, uint32_t parent)
{
	for (uint32_t p = parent; p; p = r[p - 1].parent)
		if (r[p - 1].kind == PLAN_MEM32)
			return true;
	return false;
}

static void pin_one(uint64_t *s, struct gen_instance *g, size_t i, uint64_t low_end,
		    uint64_t high_base)
{
	struct plan_res *r = &g->res[i];
	uint64_t sz = r->size, al = r->align ? r->align : sz;

	r->pinned = true;
	if (r->kind == PLAN_MEM64 && !under_mem32(g->res, r->parent) && chance(s, 60)) {
		/* above 4 GiB, a few BAR sizes into the 64-bit window */
		r->pin_addr = ((high_base + al - 1) & ~(al - 1)) + al * gen_below(s, 8);
		return;
	}
	if (chance(s, 70)) {
		/* near the top of 4 GiB: k BAR sizes below it */
		r->pin_addr = G_4G - al * (1 + gen_below(s, 12));
	} else {
		uint64_t lo = low_end, span = G_4G - lo;

		r->pin_addr = (lo + gen_below(s, span)) & ~(al - 1);
	}
	if (r->pin_addr < low_end && chance(s, 80))
		r->pinned = false;	/* mostly avoid pins in RAM; a few stay to be refused */
}

void gen_tree(uint64_t seed, struct gen_instance *g)
{
	static const uint64_t low_ends[] = {
		0x80000000, 0xA0000000, 0xC0000000, 0xD0000000, 0xE0000000, 0xF0000000,
	};
	uint64_t st = seed ^ 0x5DEECE66Dull, *s = &st;
	uint64_t low_end = low_ends[gen_below(s, 6)], high = 0, high_base;
	unsigned nwin = (unsigned)gen_below(s, 4), nleaf = 1 + (unsigned)gen_below(s, 6);
	unsigned npin = (unsigned)gen_below(s, 3);
	bool ecam = chance(s, 25);
	size_t n = 0, nr = 0;

	memset(g, 0, sizeof(*g));
	gen_next(s);
	if (nwin + nleaf > 8)
		nleaf = 8 - nwin;

	/* memory map */
	g->ram[0] = (struct plan_range){ 0, 0xA0000, "conventional" };
	g->ram[1] = (struct plan_range){ G_MIB, low_end - G_MIB, "low" };
	if (chance(s, 40)) {
		high = G_GIB * (1 + gen_below(s, 4));
		g->ram[2] = (struct plan_range){ G_4G, high, "high" };
	}
	high_base = G_4G + ((high + G_GIB - 1) & ~(G_GIB - 1));
	if (chance(s, 60))
		g->rsv[nr++] = (struct plan_range){ 0xFEC00000, 0x1400000, "ioapic-lapic-flash" };
	else if (chance(s, 50))
		g->rsv[nr++] = (struct plan_range){ 0xFC000000, 0x4000000, "hvm-reserved+top" };
	if (chance(s, 15)) {
		uint64_t b = (low_end + gen_below(s, 0xF0000000 - low_end)) & ~(G_MIB - 1);

		g->rsv[nr++] = (struct plan_range){ b, G_MIB << gen_below(s, 5), "middle" };
	}
	g->in.ram = g->ram;
	g->in.nram = high ? 3 : 2;
	g->in.mem_reserved = g->rsv;
	g->in.nmem_reserved = nr;
	g->in.hole_granule = chance(s, 30) ? 256 * G_MIB : (chance(s, 50) ? G_MIB : 0);
	if (chance(s, 15))
		g->in.hole_min = low_end + (gen_below(s, 0x100000000 - low_end) & ~(G_MIB - 1));
	if (chance(s, 10))
		g->in.max_hole = chance(s, 50) ? G_GIB : 512 * G_MIB;
	g->in.phys_bits = chance(s, 5) ? 33 : (uint8_t)(36 + gen_below(s, 5));
	g->in.m64_policy = chance(s, 50) ? PLAN_M64_FALLBACK_LOW : PLAN_M64_HIGH;

	/* bridge windows, up to three deep */
	for (unsigned w = 0; w < nwin; w++) {
		struct plan_res *r = &g->res[n];
		uint32_t parent = 0;

		if (w && chance(s, 60)) {
			uint32_t cand = 1 + (uint32_t)gen_below(s, n);

			if (depth_of(g->res, cand - 1) < 2)
				parent = cand;
		}
		r->parent = parent;
		r->flags = PLAN_F_WINDOW;
		r->kind = chance(s, 55) ? PLAN_MEM32 : PLAN_MEM64;
		if (r->kind == PLAN_MEM64)
			r->flags |= PLAN_F_PREF;
		r->owner = PLAN_OWNER(0, w + 1, 0, r->kind == PLAN_MEM64 ? PLAN_BAR_WIN_PREF :
						   PLAN_BAR_WIN_MEM);
		if (chance(s, 25))
			r->size = G_MIB * (1 + gen_below(s, chance(s, 50) ? 4 : 64));
		if (chance(s, 10))
			r->align = G_MIB << (1 + gen_below(s, 2));
		n++;
	}
	/* leaves: BARs and ROMs, anywhere in the tree */
	for (unsigned l = 0; l < nleaf; l++) {
		struct plan_res *r = &g->res[n];
		unsigned pick = (unsigned)gen_below(s, 100);
		uint32_t parent = nwin && chance(s, 70) ? 1 + (uint32_t)gen_below(s, nwin) : 0;

		r->parent = parent;
		if (pick < 15) {
			r->kind = PLAN_MEM32;
			r->flags = PLAN_F_ROM;
			r->size = 1ull << (16 + gen_below(s, 5));	/* 64 KiB - 1 MiB */
			r->owner = PLAN_OWNER(1, l + 1, 0, PLAN_BAR_ROM);
		} else {
			r->kind = pick < 60 ? PLAN_MEM32 : PLAN_MEM64;
			r->flags = (r->kind == PLAN_MEM64 || chance(s, 20)) ? PLAN_F_PREF : 0;
			r->size = bar_size(s);
			r->owner = PLAN_OWNER(1, l + 1, 0, gen_below(s, 6));
		}
		n++;
	}
	for (unsigned p = 0; p < npin; p++) {
		size_t i = nwin + gen_below(s, nleaf);

		if (!g->res[i].pinned)
			pin_one(s, g, i, low_end, high_base);
	}
	if (ecam) {
		g->res[n++] = (struct plan_res){
			.kind = PLAN_MEM32, .flags = PLAN_F_ECAM, .owner = PLAN_OWNER_ECAM,
			.size = 64 * G_MIB, .align = 256 * G_MIB,
		};
	}
	/* sometimes shuffle, so that children can come before their windows */
	if (chance(s, 30)) {
		uint32_t perm[GEN_MAX_RES], inv[GEN_MAX_RES];
		struct plan_res tmp[GEN_MAX_RES];

		for (size_t i = 0; i < n; i++)
			perm[i] = (uint32_t)i;
		for (size_t i = n - 1; i > 0; i--) {
			size_t j = gen_below(s, i + 1);
			uint32_t t = perm[i];

			perm[i] = perm[j];
			perm[j] = t;
		}
		/* new position k holds old entry perm[k] */
		for (size_t k = 0; k < n; k++)
			inv[perm[k]] = (uint32_t)k;
		for (size_t k = 0; k < n; k++) {
			tmp[k] = g->res[perm[k]];
			if (tmp[k].parent)
				tmp[k].parent = inv[tmp[k].parent - 1] + 1;
		}
		memcpy(g->res, tmp, n * sizeof(tmp[0]));
	}
	g->n = n;
}
