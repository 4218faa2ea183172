/* SPDX-License-Identifier: MIT */
/*
 * The Xen memory map to hvmfw's first e820 (xen_memmap_build), checked
 * address by address against what the toolstack's entries say, by a
 * separate sweep over every boundary: no reservation is lost, no RAM is
 * dropped, nothing that is not RAM becomes RAM.
 */
#ifndef FUZZ_MEMMAP_CHECK_H
#define FUZZ_MEMMAP_CHECK_H

#include "fuzz_bytes.h"
#include <hvmfw/xen/memmap.h>

/* The firmware reads at most 1024 entries and stops the guest beyond that. */
#define XEN_MEMMAP_MAX_CHECKED 1024

static inline bool mm_valid(const struct xen_e820_entry *e)
{
	return e->size && e->type >= 1 && e->type <= 7 && e->addr + e->size > e->addr;
}

/* What the firmware's first map must say at address a (0: nothing). */
static inline uint32_t mm_expected(const struct xen_e820_entry *in, unsigned n, uint64_t rsv,
				   uint64_t a)
{
	uint32_t other = 0;
	bool ram = false;

	if (a >= rsv && a < (1ull << 32))
		return E820_RESERVED;
	for (unsigned i = 0; i < n; i++) {
		if (!mm_valid(&in[i]) || a < in[i].addr || a - in[i].addr >= in[i].size)
			continue;
		if (in[i].type == E820_RAM)
			ram = true;
		else
			other = in[i].type;     /* the last one listed wins */
	}
	if (other)
		return other;
	if (a < 0xA0000 || (a >= 0x100000 && ram))
		return E820_RAM;
	return 0;
}

static inline uint32_t mm_type_at(const struct e820_map *m, uint64_t a)
{
	for (uint32_t i = 0; i < m->n; i++)
		if (a >= m->e[i].addr && a - m->e[i].addr < m->e[i].size)
			return m->e[i].type;
	return 0;
}

static inline int mm_cmp(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

static void mm_refuse(const char *what, const char *why)
{
	FUZZ_CHECK(strlen(what) < 80 && *why, "memory map refusal text");
}

/* Check a well-formed e820: sorted, no overlap, no empty entry, no wrap. */
static inline void e820_wellformed(const struct e820_map *m, const char *name)
{
	FUZZ_CHECK(m->n <= E820_MAX, "%s: %u entries", name, m->n);
	for (uint32_t i = 0; i < m->n; i++) {
		const struct e820_entry *e = &m->e[i];
		FUZZ_CHECK(e->size && e->addr + e->size > e->addr, "%s: entry %u empty or wraps", name, i);
		FUZZ_CHECK(!i || m->e[i - 1].addr + m->e[i - 1].size <= e->addr,
			   "%s: entries %u and %u overlap or are out of order", name, i - 1, i);
	}
}

/* Build the first e820 from in[0..n) and check it; returns the map (or NULL: refused). */
static inline struct e820_map *memmap_check(const struct xen_e820_entry *in, unsigned n,
					    uint32_t reserved_pgstart)
{
	static struct e820_map out;
	uint64_t rsv = XEN_RESERVED_BASE;
	uint64_t *pts;
	unsigned np = 0;

	if (reserved_pgstart && (uint64_t)reserved_pgstart << 12 < rsv &&
	    reserved_pgstart < XEN_SPECIAL_END_PFN)
		rsv = (uint64_t)reserved_pgstart << 12;
	if (xen_memmap_build(&out, in, n, reserved_pgstart, mm_refuse))
		return NULL;    /* more than E820_MAX entries: the firmware stops the guest */
	e820_wellformed(&out, "first e820");

	pts = malloc((2 * n + 2 * out.n + 8) * sizeof(*pts));
	pts[np++] = 0;
	pts[np++] = 0xA0000;
	pts[np++] = 0x100000;
	pts[np++] = rsv;
	pts[np++] = 1ull << 32;
	for (unsigned i = 0; i < n; i++) {
		if (!mm_valid(&in[i]))
			continue;
		pts[np++] = in[i].addr;
		pts[np++] = in[i].addr + in[i].size;
	}
	for (uint32_t i = 0; i < out.n; i++) {
		pts[np++] = out.e[i].addr;
		pts[np++] = out.e[i].addr + out.e[i].size;   /* 0 if it ends at 2^64 */
	}
	qsort(pts, np, sizeof(*pts), mm_cmp);
	for (unsigned i = 0; i < np; i++) {
		if (i && pts[i] == pts[i - 1])
			continue;
		uint32_t want = mm_expected(in, n, rsv, pts[i]), got = mm_type_at(&out, pts[i]);
		FUZZ_CHECK(want == got, "at 0x%llx the first e820 says type %u, the toolstack's "
			   "map type %u", (unsigned long long)pts[i], got, want);
	}
	free(pts);
	return &out;
}

#endif
