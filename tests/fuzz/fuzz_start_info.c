/* SPDX-License-Identifier: MIT */
/*
 * fuzz-start-info: hvm_start_info, its module list and module names, and
 * the memory map it points at, read from guest memory the input fills,
 * then turned into hvmfw's first e820 (src/platform/xen_start_info.c,
 * xen_memmap.c) as the firmware does on Xen.
 *
 * Guest memory is one readable window [WIN, WIN + input bytes). map()
 * returns a fresh copy of exactly the bytes asked for (nothing readable
 * after it, at an odd address), so a parser that reads past what it had
 * mapped, or assumes alignment, is caught by ASan/UBSan.
 *
 * Checked:
 *  - every module kept is named, non-empty, below 4 GiB and readable, at
 *    most one per name; the memory map kept is readable below 4 GiB;
 *  - region_lo/region_hi cover the start info, the module list, the names
 *    and data kept and the memory map (the firmware keeps clear of them);
 *  - the memory map then goes through the same checks as fuzz-memmap.
 *
 * Byte layout: si_off u16 (the start info's offset in the window), then the
 * window's bytes (the rest of the input). The seeds are laid out as the
 * toolstack lays out its start info page.
 */
#include "fuzz_bytes.h"
#include "memmap_check.h"
#include <hvmfw/xen/start_info.h>
#include <hvmfw/xen/memmap.h>

#define WIN 0x100000ull

struct guest {
	const uint8_t *mem;
	size_t len;
	void *maps[4096];
	unsigned nmaps;
};

static const void *map(uint64_t gpa, uint64_t len, void *ctx)
{
	struct guest *g = ctx;
	uint8_t *copy;

	if (gpa < WIN || gpa - WIN > g->len || len > g->len - (gpa - WIN) || !len)
		return NULL;
	FUZZ_CHECK(g->nmaps < ARRAY_SIZE(g->maps), "more than %zu map() calls",
		   ARRAY_SIZE(g->maps));
	copy = malloc(len + 1);
	memcpy(copy + 1, g->mem + (gpa - WIN), len);
	g->maps[g->nmaps++] = copy;
	return copy + 1;
}

static void refuse(const char *what, const char *why)
{
	FUZZ_CHECK(strlen(what) < 128 && *why && strlen(why) < 128, "refusal text");
}

static void inside(const struct xen_boot_info *bi, uint64_t a, uint64_t n, const char *what)
{
	FUZZ_CHECK(!n || (a >= bi->region_lo && a + n <= bi->region_hi),
		   "%s [0x%llx, +0x%llx) outside the region [0x%x, 0x%x)", what,
		   (unsigned long long)a, (unsigned long long)n, bi->region_lo, bi->region_hi);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size, 0 };
	uint16_t si_off = fz_u16(&f);
	struct guest *g = calloc(1, sizeof(*g));
	struct xen_boot_info bi;
	const char *why = NULL;

	g->mem = f.p + f.i;
	g->len = fz_left(&f);
	if (!xen_start_info_parse(WIN + si_off, map, g, &bi, refuse, &why)) {
		uint64_t win_end = WIN + g->len;

		FUZZ_CHECK(bi.region_lo <= bi.region_hi, "region upside down");
		inside(&bi, WIN + si_off, bi.version >= 1 ? 56 : 40, "the start info");
		for (unsigned i = 0; i < XEN_MOD_COUNT; i++) {
			const struct xen_module *m = &bi.mod[i];
			if (!m->size)
				continue;
			FUZZ_CHECK(m->addr >= WIN && (uint64_t)m->addr + m->size <= win_end,
				   "module %u kept but not readable", i);
			inside(&bi, m->addr, m->size, "a module");
		}
		if (bi.memmap_addr) {
			uint64_t len = (uint64_t)bi.memmap_entries * sizeof(struct hvm_memmap_entry);
			FUZZ_CHECK(bi.memmap_entries && bi.memmap_addr >= WIN &&
				   bi.memmap_addr + len <= win_end, "memory map kept but not readable");
			inside(&bi, bi.memmap_addr, len, "the memory map");
			/* As xen.c: copy the entries out and build the first e820. */
			unsigned n = MIN(bi.memmap_entries, (uint32_t)XEN_MEMMAP_MAX_CHECKED);
			const void *src = map(bi.memmap_addr, n * sizeof(struct hvm_memmap_entry), g);
			struct xen_e820_entry *x = malloc(n * sizeof(*x) + 1);
			xen_memmap_from_start_info(src, n, x);
			memmap_check(x, n, 0);
			free(x);
		}
	} else {
		FUZZ_CHECK(why && *why, "failure without a reason");
	}
	for (unsigned i = 0; i < g->nmaps; i++)
		free(g->maps[i]);
	free(g);
	return 0;
}
