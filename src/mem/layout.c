/* SPDX-License-Identifier: MIT */
/* Firmware-owned guest memory and the e820 the payload receives. */
#include <hvmfw/layout.h>
#include <hvmfw/console.h>
#include <hvmfw/string.h>

struct e820_map layout_orig;
struct e820_map layout_map;
static uint32_t high_top;
/* Optional fixed runtime area: [area_next, area_end), pages backed on demand. */
static uint32_t area_next, area_end, area_backed;
static int (*area_back)(uint32_t pfn, uint32_t n);

void layout_init(const struct e820_map *platform_map)
{
	layout_orig = *platform_map;
	if (e820_normalize(&layout_orig))
		panic("platform memory map has overlapping ranges of different types");
	layout_map = layout_orig;
	high_top = (uint32_t)MIN(e820_ram_end_below_4g(&layout_map), GiB(4) - 1);
	if (high_top < MiB(32))
		panic("only 0x%x bytes of low RAM; hvmfw needs at least 32 MiB", high_top);
	/* EBDA slot, VGA window, option-ROM and BIOS areas are never RAM for the payload. */
	layout_reserve(0x9FC00, 0x100000 - 0x9FC00, E820_RESERVED);
}

void layout_reserve(uint64_t addr, uint64_t size, uint32_t type)
{
	if (e820_set(&layout_map, addr, size, type))
		panic("e820 map full while reserving 0x%llx+0x%llx: the platform's map has %u "
		      "entries and the payload gets at most %u", (unsigned long long)addr,
		      (unsigned long long)size, layout_orig.n, E820_MAX);
}

void layout_ram_gone(uint64_t addr, uint64_t size)
{
	if (e820_set(&layout_orig, addr, size, E820_RESERVED))
		panic("e820 map full while removing RAM 0x%llx+0x%llx", (unsigned long long)addr,
		      (unsigned long long)size);
	layout_reserve(addr, size, E820_RESERVED);
}

void layout_set_runtime_area(uint32_t base, uint32_t size, int (*back)(uint32_t pfn, uint32_t n))
{
	area_next = area_backed = base;
	area_end = base + size;
	area_back = back;
}

static void *area_alloc(uint32_t size, uint32_t align, uint32_t type)
{
	uint32_t base = ALIGN_UP(area_next, align), end = base + size;

	if (end > area_end || end < base)
		panic("runtime area 0x%x-0x%x is full (%u more bytes wanted)", area_next, area_end, size);
	if (end > area_backed) {
		uint32_t top = ALIGN_UP(end, 4096);
		int rc = area_back(area_backed >> 12, (top - area_backed) >> 12);
		if (rc)
			panic("cannot back runtime memory 0x%x-0x%x (%d)", area_backed, top, rc);
		area_backed = top;
	}
	/*
	 * ACPI data above RAM would be counted as RAM by BIOSes that size memory
	 * from the e820 (see e820_check); hvmloader uses NVS there for that reason.
	 */
	layout_reserve(base, end - base, type == E820_ACPI ? E820_NVS : type);
	area_next = end;
	memset((void *)(uintptr_t)base, 0, size);
	return (void *)(uintptr_t)base;
}

void *layout_alloc_high(uint32_t size, uint32_t align, uint32_t type)
{
	if (area_end)
		return area_alloc(size, align, type);
	/* Only RAM: a hole inside low RAM is skipped, never handed out. */
	uint64_t base;
	int rc = e820_take_below(&layout_map, high_top, size, align, MiB(16),
				 type, &base);

	if (rc == -1)
		panic("no RAM for %u bytes of runtime data below 0x%x", size, high_top);
	if (rc)
		panic("e820 map full while reserving %u bytes below 0x%x: the platform's map has "
		      "%u entries and the payload gets at most %u", size, high_top, layout_orig.n,
		      E820_MAX);
	high_top = (uint32_t)base;
	memset((void *)(uintptr_t)base, 0, size);
	return (void *)(uintptr_t)base;
}

uint32_t layout_high_floor(void)
{
	return high_top;
}

void layout_finish(void)
{
	char why[96];

	for (uint32_t i = 0; i < layout_map.n; i++) {
		const struct e820_entry *e = &layout_map.e[i];
		log_info("e820: [mem 0x%016llx-0x%016llx] %s", (unsigned long long)e->addr,
			 (unsigned long long)(e->addr + e->size - 1), e820_type_name(e->type));
	}
	if (e820_check(&layout_map, &layout_orig, why, sizeof(why)))
		panic("e820 invariant broken: %s", why);
}
