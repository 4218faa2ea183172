/* SPDX-License-Identifier: MIT */
/*
 * fuzz-memmap: the Xen memory map to hvmfw's first e820, then the e820
 * code the firmware runs on it (src/platform/xen_memmap.c, src/mem/e820.c):
 * the runtime-data allocator (e820_take_below, as layout_alloc_high uses
 * it), retyping (e820_set, as layout_reserve), moving low RAM above 4 GiB
 * (xen_memmap_move) and the hand-off check (e820_check).
 *
 * Checked:
 *  - the first e820 says, at every address, what the toolstack's entries
 *    say (memmap_check.h: no reservation lost, no RAM dropped or invented);
 *  - an allocation lies in RAM below its top and above its floor, aligned,
 *    and retypes only RAM; the map stays well formed;
 *  - e820_check accepts every map made only of such steps, and refuses a
 *    map that invents RAM, loses RAM or loses a reservation;
 *  - a RAM move keeps the amount of RAM and the reservations.
 *
 * Byte layout: n u8 (entries % 48), per entry: sel u8 (bits0-1 address
 * form: 0 64 KiB units below 4 GiB (u16), 1 near 4 GiB (u16 pages below),
 * 2 above 4 GiB (u16 MiB), 3 raw u64; bits2-3 size form: 0 64 KiB units
 * (u16), 1 pages (u16), 2 MiB (u16), 3 raw u64), type u8 (% 9); then
 * reserved_pgstart u32; then operations until the end: op u8 (% 4:
 * allocate, retype RAM, move RAM, break the map) with their operands.
 */
#include "memmap_check.h"

static uint64_t addr_of(struct fz *f, uint8_t form)
{
	switch (form & 3) {
	case 0: return (uint64_t)fz_u16(f) << 16;
	case 1: return (1ull << 32) - ((uint64_t)fz_u16(f) << 12);
	case 2: return (1ull << 32) + ((uint64_t)fz_u16(f) << 20);
	default: return fz_u64(f);
	}
}

static uint64_t size_of(struct fz *f, uint8_t form)
{
	switch (form & 3) {
	case 0: return (uint64_t)fz_u16(f) << 16;
	case 1: return (uint64_t)fz_u16(f) << 12;
	case 2: return (uint64_t)fz_u16(f) << 20;
	default: return fz_u64(f);
	}
}

/* Is [a, a + n) all of one type in m (adjacent entries count)? */
static bool all_of(const struct e820_map *m, uint64_t a, uint64_t n, uint32_t type)
{
	while (n) {
		uint32_t i;
		for (i = 0; i < m->n; i++)
			if (m->e[i].type == type && a >= m->e[i].addr && a - m->e[i].addr < m->e[i].size)
				break;
		if (i == m->n)
			return false;
		uint64_t left = m->e[i].size - (a - m->e[i].addr);
		if (left >= n)
			return true;
		a += left;
		n -= left;
	}
	return true;
}

static void allocate(struct e820_map *m, const struct e820_map *orig, struct fz *f)
{
	uint64_t top = (uint64_t)fz_u16(f) << 12, size = fz_u16(f) + 1;
	uint64_t align = 1ull << (fz_u8(f) % 13), floor = (uint64_t)fz_u8(f) << 16, base = 0;
	struct e820_map before = *m;
	uint32_t type = 2 + fz_u8(f) % 3;
	int rc = e820_take_below(m, top, size, align, floor, type, &base);

	if (rc == -1) {
		/* Nothing fits: then not even whole pages of RAM lie there (the
		 * allocator's last resort when a hole is in the way). */
		uint64_t ps = ALIGN_UP(size, 4096), pa = MAX(align, (uint64_t)4096);
		uint64_t b = ALIGN_DOWN(top >= ps ? top - ps : 0, pa);
		FUZZ_CHECK(!memcmp(m, &before, sizeof(*m)), "a failed allocation changed the map");
		for (unsigned k = 0; k < 64 && b >= floor && b >= pa && top >= ps; k++, b -= pa)
			FUZZ_CHECK(!all_of(&before, b, ps, E820_RAM),
				   "0x%llx bytes fit at 0x%llx below 0x%llx, but none were found",
				   (unsigned long long)ps, (unsigned long long)b, (unsigned long long)top);
		return;
	}
	if (rc)
		return;         /* map full: the firmware stops the guest */
	FUZZ_CHECK(base >= floor && base && !(base & (align - 1)) && base + size <= top,
		   "0x%llx bytes at 0x%llx (align 0x%llx, floor 0x%llx, top 0x%llx)",
		   (unsigned long long)size, (unsigned long long)base, (unsigned long long)align,
		   (unsigned long long)floor, (unsigned long long)top);
	FUZZ_CHECK(all_of(&before, base, size, E820_RAM), "allocated 0x%llx+0x%llx from non-RAM",
		   (unsigned long long)base, (unsigned long long)size);
	FUZZ_CHECK(all_of(m, base, size, type), "the block is not marked");
	e820_wellformed(m, "after an allocation");
	/* Only RAM changed type. */
	for (uint32_t i = 0; i < before.n; i++)
		if (before.e[i].type != E820_RAM)
			FUZZ_CHECK(all_of(m, before.e[i].addr, before.e[i].size, before.e[i].type),
				   "an allocation retyped non-RAM 0x%llx+0x%llx",
				   (unsigned long long)before.e[i].addr,
				   (unsigned long long)before.e[i].size);
	(void)orig;
}

static void retype(struct e820_map *m, struct fz *f)
{
	/* As layout_reserve does on RAM it owns: pick a RAM entry and a piece of it. */
	if (!m->n)
		return;
	const struct e820_entry *e = &m->e[fz_u8(f) % m->n];
	uint64_t off = fz_u16(f) << 12, len = ((uint64_t)fz_u16(f) + 1) << 12;

	if (e->type != E820_RAM || off >= e->size)
		return;
	len = MIN(len, e->size - off);
	if (!e820_set(m, e->addr + off, len, 2 + fz_u8(f) % 3))
		e820_wellformed(m, "after retyping");
}

static void move(struct e820_map *m, struct fz *f)
{
	uint64_t lo = fz_u32(f) & 0xFFFFF, n = fz_u16(f), hi = 0x100000 + fz_u16(f);
	struct e820_map before = *m;

	if (xen_memmap_move(m, lo, lo + n, hi)) {
		FUZZ_CHECK(!memcmp(m, &before, sizeof(*m)), "a refused move changed the map");
		return;
	}
	e820_wellformed(m, "after a move");
	FUZZ_CHECK(e820_total(m, E820_RAM) == e820_total(&before, E820_RAM), "a move lost RAM");
	for (uint32_t i = 0; i < before.n; i++)
		if (before.e[i].type != E820_RAM)
			FUZZ_CHECK(all_of(m, before.e[i].addr, before.e[i].size, before.e[i].type),
				   "a move took a reservation");
}

/* Break the map on purpose: e820_check must see it. */
static void broken(const struct e820_map *m, const struct e820_map *orig, struct fz *f)
{
	struct e820_map bad = *m;
	char why[128];
	uint32_t i;

	if (!bad.n)
		return;
	i = fz_u8(f) % bad.n;
	if (bad.e[i].type == E820_RAM && !all_of(orig, bad.e[i].addr, bad.e[i].size, E820_RAM))
		return;         /* already odd: skip */
	switch (fz_u8(f) % 2) {
	case 0:                 /* drop an entry that was in the platform's map */
		if (!all_of(orig, bad.e[i].addr, 1, bad.e[i].type) &&
		    !all_of(orig, bad.e[i].addr, 1, E820_RAM))
			return;
		memmove(&bad.e[i], &bad.e[i + 1], (bad.n - i - 1) * sizeof(bad.e[0]));
		bad.n--;
		break;
	default:                /* call a reservation RAM */
		/* (an allocation made from RAM may well become RAM again) */
		if (bad.e[i].type == E820_RAM || all_of(orig, bad.e[i].addr, bad.e[i].size, E820_RAM))
			return;
		bad.e[i].type = E820_RAM;
		break;
	}
	FUZZ_CHECK(e820_check(&bad, orig, why, sizeof(why)) != 0, "e820_check missed a broken map");
	FUZZ_CHECK(strlen(why) < sizeof(why) - 1, "reason cut short");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size, 0 };
	unsigned n = fz_u8(&f) % 48;
	struct xen_e820_entry in[48];
	struct e820_map orig, *m, cur;
	char why[128];

	for (unsigned i = 0; i < n; i++) {
		uint8_t sel = fz_u8(&f);
		in[i].addr = addr_of(&f, sel);
		in[i].size = size_of(&f, sel >> 2);
		in[i].type = fz_u8(&f) % 9;
	}
	m = memmap_check(in, n, fz_u32(&f));
	if (!m)
		return 0;
	orig = cur = *m;
	FUZZ_CHECK(!e820_check(&cur, &orig, why, sizeof(why)) ||
		   /* ACPI data above low RAM in the toolstack's own map is its business */
		   strstr(why, "ACPI data"), "e820_check refused the first map: %s", why);
	for (unsigned k = 0; fz_left(&f) && k < 64; k++) {
		switch (fz_u8(&f) % 4) {
		case 0: allocate(&cur, &orig, &f); break;
		case 1: retype(&cur, &f); break;
		case 2:
			move(&cur, &f);
			orig = cur;     /* the firmware moves before it keeps the original */
			break;
		default: broken(&cur, &orig, &f); break;
		}
		if (e820_check(&cur, &orig, why, sizeof(why)))
			FUZZ_CHECK(strstr(why, "ACPI data"), "e820_check refused a legal map: %s", why);
	}
	return 0;
}
