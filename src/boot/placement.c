/* SPDX-License-Identifier: MIT */
/*
 * Where the kernel and the initrd QEMU hands over go (pure, host-tested).
 * Everything is computed in 64 bits and checked against the RAM map and
 * the firmware's own ranges: a header field cannot put the kernel at 0, on
 * the firmware, past 4 GiB or over a hole in RAM. What cannot be placed is
 * refused with the reason.
 */
#include <hvmfw/linux.h>
#include <hvmfw/string.h>

#define KERNEL_MIN_ADDR MiB(16)         /* as bootloaders do: clear of the legacy areas */

/* Is [a, e) all RAM in map: covered by RAM entries (adjacent ones count as one), none other? */
static bool all_ram(const struct e820_map *map, uint64_t a, uint64_t e)
{
	bool moved = true;

	for (uint32_t i = 0; i < map->n; i++) {
		const struct e820_entry *r = &map->e[i];

		if (r->type != E820_RAM && r->addr < e && a < r->addr + r->size)
			return false;
	}

	while (a < e && moved) {
		moved = false;
		for (uint32_t i = 0; i < map->n; i++) {
			const struct e820_entry *r = &map->e[i];

			if (r->type == E820_RAM && r->addr <= a && a < r->addr + r->size) {
				a = r->addr + r->size;
				moved = true;
			}
		}
	}
	return a >= e;
}

/*
 * The lowest aligned base >= lo with [base, base + need) all RAM and below
 * in->top; 0 if none. A block starts in some RAM entry: the lowest aligned
 * address of each entry (above lo) is the only candidate it offers.
 */
static uint64_t lowest_fit(const struct linux_place_in *in, uint64_t lo, uint64_t need,
			   uint64_t align)
{
	uint64_t best = 0;

	for (uint32_t i = 0; i < in->ram->n; i++) {
		const struct e820_entry *r = &in->ram->e[i];
		uint64_t base = ALIGN_UP(MAX(lo, r->addr), align);

		if (r->type != E820_RAM || base >= r->addr + r->size || base + need > in->top)
			continue;
		if ((!best || base < best) && all_ram(in->ram, base, base + need))
			best = base;
	}
	return best;
}

int linux_place(const struct linux_header *h, uint32_t kernel_size, uint32_t initrd_size,
		const struct linux_place_in *in, struct linux_params *p, char *why, size_t n)
{
	uint64_t align = h->kernel_alignment, base, kend, top, ia, need, lo;

	if (!align) {
		snprintf(why, n, "kernel_alignment is 0");
		return -1;
	}
	/* A relocatable kernel may go anywhere aligned: the preferred address if it can,
	 * else the lowest aligned block of RAM above the firmware that holds it. */
	need = MAX((uint64_t)kernel_size, (uint64_t)h->init_size);
	lo = MAX((uint64_t)KERNEL_MIN_ADDR, in->fw_end);
	base = ALIGN_UP(MAX(h->pref_address < GiB(4) ? h->pref_address : 0, lo), align);
	if (base + need > in->top || !all_ram(in->ram, base, base + need))
		base = lowest_fit(in, lo, need, align);
	if (!base) {
		snprintf(why, n, "the kernel needs 0x%llx bytes of RAM (init_size 0x%x) aligned to "
			 "0x%llx between 0x%llx and 0x%llx, and no such block is RAM",
			 (unsigned long long)need, h->init_size, (unsigned long long)align,
			 (unsigned long long)lo, (unsigned long long)in->top);
		return -1;
	}
	kend = base + need;
	p->kernel_addr = (uint32_t)base;
	p->initrd_addr = 0;
	p->initrd_size = initrd_size;
	if (!initrd_size)
		return 0;
	top = MIN(in->top, (uint64_t)h->initrd_addr_max + 1);
	ia = top > initrd_size ? ALIGN_DOWN(top - initrd_size, 4096) : 0;
	if (ia < kend || !all_ram(in->ram, ia, ia + initrd_size)) {
		snprintf(why, n, "an initrd of %u bytes does not fit in RAM between the kernel "
			 "(ends 0x%llx) and 0x%llx", initrd_size, (unsigned long long)kend,
			 (unsigned long long)top);
		return -1;
	}
	p->initrd_addr = (uint32_t)ia;
	return 0;
}
