/* SPDX-License-Identifier: MIT */
/* The e820 memory map: pure code, shared by the firmware and the host tests. */
#ifndef HVMFW_E820_H
#define HVMFW_E820_H

#include <hvmfw/compiler.h>

enum e820_type {
	E820_RAM = 1,
	E820_RESERVED = 2,
	E820_ACPI = 3,
	E820_NVS = 4,
	E820_UNUSABLE = 5,
};

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __packed;

/* Linux's zero page holds 128 entries; more than that we never produce. */
#define E820_MAX 128

struct e820_map {
	uint32_t n;
	struct e820_entry e[E820_MAX];
};

/* Append a range as it is (input maps may be unsorted). -1 when full or size 0. */
int e820_add(struct e820_map *m, uint64_t addr, uint64_t size, uint32_t type);
/* Sort by address, merge adjacent or overlapping ranges of equal type; -1 if types overlap. */
int e820_normalize(struct e820_map *m);
/* Make [addr, addr+size) the given type, cutting whatever was there. -1 when full. */
int e820_set(struct e820_map *m, uint64_t addr, uint64_t size, uint32_t type);
/* Bytes of a type. */
uint64_t e820_total(const struct e820_map *m, uint32_t type);
/* Is [addr, addr+size) entirely of this type? */
bool e820_covers(const struct e820_map *m, uint64_t addr, uint64_t size, uint32_t type);
/* Does [addr, addr+size) touch any entry at all? */
bool e820_overlaps_any(const struct e820_map *m, uint64_t addr, uint64_t size);
/* Highest end of RAM below 4 GiB (the end of the range holding 'from'). */
uint64_t e820_ram_end_below_4g(const struct e820_map *m);
/*
 * Highest base >= floor, aligned, with [base, base + size) inside one RAM
 * entry of the (normalized) map and ending at or below top; 0 if none.
 */
uint64_t e820_fit_below(const struct e820_map *m, uint64_t top, uint64_t size, uint64_t align,
			uint64_t floor);

/*
 * Allocate from RAM below top, top down: the highest base e820_fit_below()
 * finds, and [base, top) is marked with type when all of it is RAM (the
 * slack above goes with the block); if a hole lies in between, the block
 * alone, as whole pages of RAM. Only RAM is ever retyped. 0 with *base
 * set; -1 when nothing fits, -2 when the map is full.
 */
int e820_take_below(struct e820_map *m, uint64_t top, uint64_t size, uint64_t align,
		    uint64_t floor, uint32_t type, uint64_t *base);

/*
 * Hand-off invariant: 'final' is sorted without overlaps, every byte that
 * was RAM in 'orig' is still described (as RAM or as a firmware type such
 * as ACPI or reserved), and no RAM appears that 'orig' did not have.
 * Returns 0, or a negative code with a reason written to why.
 */
int e820_check(const struct e820_map *final, const struct e820_map *orig, char *why, size_t whylen);

const char *e820_type_name(uint32_t type);

#endif
