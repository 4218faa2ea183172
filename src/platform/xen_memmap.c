/* SPDX-License-Identifier: MIT */
/* Xen's memory map to hvmfw's starting e820. Pure code. */
#include <hvmfw/xen/memmap.h>
#include <hvmfw/string.h>

#define LOW_RAM_END 0xA0000u

void xen_memmap_from_start_info(const struct hvm_memmap_entry *in, unsigned n,
				struct xen_e820_entry *out)
{
	for (unsigned i = 0; i < n; i++) {
		struct hvm_memmap_entry e;

		/* The toolstack chose the address: copy out, it need not be aligned. */
		memcpy(&e, (const uint8_t *)in + i * sizeof(e), sizeof(e));
		out[i].addr = e.addr;
		out[i].size = e.size;
		out[i].type = e.type;
	}
}

static bool known_type(uint32_t t)
{
	return t >= 1 && t <= 7;
}

int xen_memmap_build(struct e820_map *out, const struct xen_e820_entry *in, unsigned n,
		     uint32_t reserved_pgstart, void (*refuse)(const char *what, const char *why))
{
	uint64_t rsv = XEN_RESERVED_BASE;
	char what[80];

	out->n = 0;
	/* Xen populates the first 640 KiB but lists RAM only from 1 MiB. */
	if (e820_add(out, 0, LOW_RAM_END, E820_RAM))
		return -1;
	/* RAM first, so that any overlapping typed entry cuts it afterwards. */
	for (unsigned i = 0; i < n; i++) {
		snprintf(what, sizeof(what), "memory map entry 0x%llx+0x%llx type %u",
			 (unsigned long long)in[i].addr, (unsigned long long)in[i].size, in[i].type);
		if (!in[i].size || !known_type(in[i].type) || in[i].addr + in[i].size < in[i].addr) {
			refuse(what, !in[i].size ? "zero size" : !known_type(in[i].type) ?
			       "unknown type" : "wraps around");
			continue;
		}
		if (in[i].type != E820_RAM)
			continue;
		/* Below 1 MiB is ours to describe (the VGA window is not RAM). */
		uint64_t a = MAX(in[i].addr, MiB(1)), e = in[i].addr + in[i].size;
		if (a < e && e820_set(out, a, e - a, E820_RAM))
			return -1;
	}
	for (unsigned i = 0; i < n; i++) {
		if (!in[i].size || !known_type(in[i].type) || in[i].type == E820_RAM ||
		    in[i].addr + in[i].size < in[i].addr)
			continue;
		if (e820_set(out, in[i].addr, in[i].size, in[i].type))
			return -1;
	}
	/* Special and ioreq-server pages normally sit inside the range; if hvm_info says
	 * they start lower, reserve from there. */
	if (reserved_pgstart && (uint64_t)reserved_pgstart << 12 < rsv &&
	    reserved_pgstart < XEN_SPECIAL_END_PFN)
		rsv = (uint64_t)reserved_pgstart << 12;
	if (e820_set(out, rsv, GiB(4) - rsv, E820_RESERVED))
		return -1;
	return e820_normalize(out);
}

/* Drop [addr, addr+size) from the map: mark it with a scratch type, then filter. */
static int e820_cut(struct e820_map *m, uint64_t addr, uint64_t size)
{
	const uint32_t scratch = 0xDEAD;
	uint32_t j = 0;

	if (e820_set(m, addr, size, scratch))
		return -1;
	for (uint32_t i = 0; i < m->n; i++)
		if (m->e[i].type != scratch)
			m->e[j++] = m->e[i];
	m->n = j;
	return 0;
}

int xen_memmap_move(struct e820_map *m, uint64_t lo_pfn, uint64_t lo_end, uint64_t hi_pfn)
{
	uint64_t size = (lo_end - lo_pfn) << 12;
	struct e820_map tmp = *m;

	if (lo_end <= lo_pfn || !e820_covers(m, lo_pfn << 12, size, E820_RAM))
		return -1;
	if (e820_overlaps_any(m, hi_pfn << 12, size))
		return -1;
	if (e820_cut(&tmp, lo_pfn << 12, size) || e820_add(&tmp, hi_pfn << 12, size, E820_RAM) ||
	    e820_normalize(&tmp))
		return -1;
	*m = tmp;
	return 0;
}
