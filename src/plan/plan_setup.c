/* SPDX-License-Identifier: MIT */
/*
 * Planner set-up: defaults and sanity of the input limits, scratch layout,
 * RAM tops and the lowest hole start the input allows.
 */
#include "plan_int.h"
#include <hvmfw/string.h>

void plan_refuse(struct plan_res *r, uint8_t reason, uint8_t conflict, uint32_t idx,
		 uint64_t base, uint64_t size, uint64_t overlap)
{
	r->status = PLAN_ST_REFUSED;
	r->reason = reason;
	r->conflict = conflict;
	r->conflict_index = idx;
	r->conflict_base = base;
	r->conflict_size = size;
	r->overlap = overlap;
	r->addr = 0;
}

uint64_t plan_move_align(const struct plan_ctx *c, const struct plan_res *r)
{
	uint64_t a = plan_req_align(r);

	return r->kind == PLAN_IO ? a : MAX(a, c->min_align);
}

size_t plan_scratch_bytes(const struct plan_input *in, size_t n)
{
	size_t nb = in->nram + in->nmem_reserved + in->nio_reserved + n + 2;

	return 8 + n * sizeof(uint32_t) + ALIGN_UP(n, 8) +
	       (2 * nb + n + 4) * sizeof(struct plan_span);
}

int plan_setup(struct plan_ctx *c, const struct plan_input *in, struct plan_res *res, size_t n,
		 void *scratch)
{
	uint8_t *p = (uint8_t *)ALIGN_UP((uintptr_t)scratch, 8);
	size_t nb = in->nram + in->nmem_reserved + in->nio_reserved + n + 2;
	unsigned int bits = in->phys_bits ? in->phys_bits : 36;

	memset(c, 0, sizeof(*c));
	c->in = in;
	c->res = res;
	c->n = n;
	c->order = (uint32_t *)p;
	c->cls = p + n * sizeof(uint32_t);
	c->busy = (struct plan_span *)(c->cls + ALIGN_UP(n, 8));
	c->busy_cap = nb;
	c->gaps.g = c->busy + nb;
	c->gaps.cap = nb + n + 4;
	c->granule = in->hole_granule ? in->hole_granule : MiB(1);
	c->min_align = in->mem_min_align ? in->mem_min_align : KiB(4);
	c->high_align = in->high_align ? in->high_align : GiB(1);
	c->max_hole = in->max_hole ? in->max_hole : XL_MMIO_HOLE_MAX;
	c->io_base = in->io_base || in->io_limit ? in->io_base : 0x1000;
	c->io_limit = in->io_base || in->io_limit ? in->io_limit : PLAN_IO_TOP;
	if (bits < 32 || bits > 52 || !plan_pow2(c->granule) || !plan_pow2(c->min_align) ||
	    !plan_pow2(c->high_align) || c->granule > PLAN_4G || c->high_align > (1ull << 52) ||
	    c->io_limit > PLAN_IO_TOP || c->io_base > c->io_limit)
		return PLAN_ERR_INVAL;
	c->phys_limit = 1ull << bits;
	return 0;
}

/* RAM tops and the lowest hole start the input allows. */
void plan_limits(struct plan_ctx *c)
{
	const struct plan_input *in = c->in;
	uint64_t top = PLAN_4G, reloc = 0, floor;

	for (size_t i = 0; i < in->nram; i++) {
		uint64_t e = in->ram[i].base + in->ram[i].size;

		if (in->ram[i].base < PLAN_4G)
			c->low_ram_top = MAX(c->low_ram_top, MIN(e, PLAN_4G));
		top = MAX(top, e);
	}
	floor = c->max_hole < PLAN_4G ? PLAN_4G - c->max_hole : 0;
	floor = MAX(floor, in->hole_min);
	if (!in->may_relocate_ram)
		floor = MAX(floor, c->low_ram_top);
	c->floor = MIN(plan_align_up(floor, c->granule), PLAN_4G);
	/* Worst case: all low RAM above the floor moves on top of high RAM. */
	if (in->may_relocate_ram)
		for (size_t i = 0; i < in->nram; i++)
			reloc += plan_overlap(in->ram[i].base, in->ram[i].size, c->floor,
					      PLAN_4G - c->floor);
	c->high_ram_top = top + reloc;
}

