/* SPDX-License-Identifier: MIT */
/* e820 map editing and the hand-off invariant check. No I/O. */
#include <hvmfw/e820.h>
#include <hvmfw/string.h>

int e820_add(struct e820_map *m, uint64_t addr, uint64_t size, uint32_t type)
{
	if (!size || m->n >= E820_MAX || addr + size < addr)
		return -1;
	m->e[m->n++] = (struct e820_entry){ addr, size, type };
	return 0;
}

static void sort(struct e820_map *m)
{
	/* Insertion sort: maps are short and this keeps equal entries stable. */
	for (uint32_t i = 1; i < m->n; i++) {
		struct e820_entry t = m->e[i];
		uint32_t j = i;

		while (j && (m->e[j - 1].addr > t.addr ||
			     (m->e[j - 1].addr == t.addr && m->e[j - 1].type > t.type))) {
			m->e[j] = m->e[j - 1];
			j--;
		}
		m->e[j] = t;
	}
}

int e820_normalize(struct e820_map *m)
{
	uint32_t out = 0;

	sort(m);
	for (uint32_t i = 0; i < m->n; i++) {
		struct e820_entry *cur = &m->e[i];

		if (out) {
			struct e820_entry *prev = &m->e[out - 1];
			uint64_t pend = prev->addr + prev->size;

			if (cur->addr <= pend && cur->type == prev->type) {
				uint64_t end = cur->addr + cur->size;
				if (end > pend)
					prev->size = end - prev->addr;
				continue;
			}
			if (cur->addr < pend)
				return -1;
		}
		m->e[out++] = *cur;
	}
	m->n = out;
	return 0;
}

int e820_set(struct e820_map *m, uint64_t addr, uint64_t size, uint32_t type)
{
	struct e820_map tmp = { 0 };
	uint64_t end = addr + size;

	if (!size)
		return 0;
	for (uint32_t i = 0; i < m->n; i++) {
		const struct e820_entry *e = &m->e[i];
		uint64_t eend = e->addr + e->size;

		if (eend <= addr || e->addr >= end) {
			if (e820_add(&tmp, e->addr, e->size, e->type))
				return -1;
			continue;
		}
		if (e->addr < addr && e820_add(&tmp, e->addr, addr - e->addr, e->type))
			return -1;
		if (eend > end && e820_add(&tmp, end, eend - end, e->type))
			return -1;
	}
	if (e820_add(&tmp, addr, size, type) || e820_normalize(&tmp))
		return -1;
	*m = tmp;
	return 0;
}

uint64_t e820_total(const struct e820_map *m, uint32_t type)
{
	uint64_t t = 0;

	for (uint32_t i = 0; i < m->n; i++)
		if (m->e[i].type == type)
			t += m->e[i].size;
	return t;
}

/* Bytes of [addr, end) that entries of 'type' cover (type 0: any type). Entries must not overlap. */
static uint64_t covered(const struct e820_map *m, uint64_t addr, uint64_t end, uint32_t type)
{
	uint64_t c = 0;

	for (uint32_t i = 0; i < m->n; i++) {
		const struct e820_entry *e = &m->e[i];
		uint64_t lo = MAX(addr, e->addr), hi = MIN(end, e->addr + e->size);

		if (lo < hi && (!type || e->type == type))
			c += hi - lo;
	}
	return c;
}

bool e820_covers(const struct e820_map *m, uint64_t addr, uint64_t size, uint32_t type)
{
	return covered(m, addr, addr + size, type) == size;
}

bool e820_overlaps_any(const struct e820_map *m, uint64_t addr, uint64_t size)
{
	return covered(m, addr, addr + size, 0) != 0;
}

uint64_t e820_fit_below(const struct e820_map *m, uint64_t top, uint64_t size, uint64_t align,
			uint64_t floor)
{
	uint64_t best = 0;

	if (!size || !align || (align & (align - 1)))
		return 0;
	/* The highest aligned block below top inside one RAM entry (m is normalized). */
	for (uint32_t i = 0; i < m->n; i++) {
		const struct e820_entry *e = &m->e[i];
		uint64_t hi = MIN(e->addr + e->size, top), base;

		if (e->type != E820_RAM || hi < size || hi - size < e->addr)
			continue;
		base = ALIGN_DOWN(hi - size, align);
		if (base >= e->addr && base >= floor && base > best)
			best = base;
	}
	return best;
}

int e820_take_below(struct e820_map *m, uint64_t top, uint64_t size, uint64_t align,
		    uint64_t floor, uint32_t type, uint64_t *base)
{
	uint64_t b = e820_fit_below(m, top, size, align, floor), len;

	if (!b)
		return -1;
	if (e820_covers(m, b, top - b, E820_RAM)) {
		/* The slack up to top goes with the block: no RAM slivers. */
		len = top - b;
	} else {
		/* A hole was skipped: the block alone, as whole pages of RAM. */
		len = ALIGN_UP(size, 4096);
		if (len < size)
			return -1;
		b = e820_fit_below(m, top, len, MAX(align, (uint64_t)4096), floor);
		if (!b)
			return -1;
	}
	if (e820_set(m, b, len, type))
		return -2;
	*base = b;
	return 0;
}

uint64_t e820_ram_end_below_4g(const struct e820_map *m)
{
	uint64_t top = 0;

	for (uint32_t i = 0; i < m->n; i++) {
		const struct e820_entry *e = &m->e[i];
		uint64_t end = e->addr + e->size;

		if (e->type == E820_RAM && e->addr < GiB(4))
			top = MAX(top, MIN(end, GiB(4)));
	}
	return top;
}

int e820_check(const struct e820_map *final, const struct e820_map *orig, char *why, size_t whylen)
{
	for (uint32_t i = 0; i < final->n; i++) {
		const struct e820_entry *e = &final->e[i];

		if (i && e->addr < final->e[i - 1].addr + final->e[i - 1].size) {
			snprintf(why, whylen, "entries %u and %u overlap at 0x%llx", i - 1, i,
				 (unsigned long long)e->addr);
			return -1;
		}
		if (e->type == E820_RAM && !e820_covers(orig, e->addr, e->size, E820_RAM)) {
			snprintf(why, whylen, "RAM 0x%llx+0x%llx was not RAM before",
				 (unsigned long long)e->addr, (unsigned long long)e->size);
			return -2;
		}
	}
	for (uint32_t i = 0; i < orig->n; i++) {
		const struct e820_entry *e = &orig->e[i];

		if (e->type == E820_RAM && !e820_covers(final, e->addr, e->size, 0)) {
			snprintf(why, whylen, "RAM 0x%llx+0x%llx lost from the map",
				 (unsigned long long)e->addr, (unsigned long long)e->size);
			return -3;
		}
		/* A reservation may change type (to ACPI data, say) but never vanish:
		 * a payload would take the gap for free address space. */
		if (e->type != E820_RAM && !e820_covers(final, e->addr, e->size, 0)) {
			snprintf(why, whylen, "%s 0x%llx+0x%llx lost from the map",
				 e820_type_name(e->type), (unsigned long long)e->addr,
				 (unsigned long long)e->size);
			return -5;
		}
	}
	/*
	 * BIOSes size memory from the last RAM or ACPI-data range below 4 GiB
	 * (SeaBIOS's INT 15h E801, which QEMU's linuxboot ROM uses to place the
	 * initrd): ACPI data above the end of low RAM makes them count the hole.
	 */
	uint64_t ram_end = e820_ram_end_below_4g(orig);
	for (uint32_t i = 0; i < final->n; i++) {
		const struct e820_entry *e = &final->e[i];

		if (e->type == E820_ACPI && e->addr >= ram_end && e->addr < GiB(4)) {
			snprintf(why, whylen, "ACPI data at 0x%llx lies above low RAM (ends 0x%llx)",
				 (unsigned long long)e->addr, (unsigned long long)ram_end);
			return -4;
		}
	}
	return 0;
}

const char *e820_type_name(uint32_t type)
{
	switch (type) {
	case E820_RAM: return "usable";
	case E820_RESERVED: return "reserved";
	case E820_ACPI: return "ACPI data";
	case E820_NVS: return "ACPI NVS";
	case E820_UNUSABLE: return "unusable";
	default: return "type?";
	}
}
