/* SPDX-License-Identifier: MIT */
/*
 * I/O port packing, and sizing of the hole an admin would need
 * (xl mmio_hole=) when 32-bit demand was refused.
 */
#include "plan_int.h"

void plan_place_io(struct plan_ctx *c, struct plan_output *out)
{
	const struct plan_input *in = c->in;
	size_t m = plan_collect(c, PLAN_CLS_IO), nb;
	uint64_t lo = PLAN_IO_TOP, hi = 0;

	nb = plan_add_ranges(c, 0, in->io_reserved, in->nio_reserved, 0);
	for (size_t i = 0; i < c->n; i++) {
		const struct plan_res *r = &c->res[i];

		if (r->kind == PLAN_IO && r->pinned && r->status == PLAN_ST_PLACED) {
			c->busy[nb].lo = r->addr;
			c->busy[nb].hi = r->addr + r->size;
			nb++;
		}
	}
	plan_sort_spans(c->busy, nb);
	plan_pack(c, m, nb, c->io_base, c->io_limit, true);
	plan_refuse_nofit(c, c->io_base, c->io_limit);
	for (size_t i = 0; i < c->n; i++) {
		const struct plan_res *r = &c->res[i];

		if (r->kind == PLAN_IO && r->status == PLAN_ST_PLACED) {
			lo = MIN(lo, r->addr);
			hi = MAX(hi, r->addr + r->size);
		}
	}
	out->io_lo = (uint32_t)(hi ? lo : 0);
	out->io_hi = (uint32_t)hi;
}

/* Hole an admin would have to ask for (xl mmio_hole=) so that every
 * 32-bit resource, refused low pins included, fits: RAM is ignored because
 * the toolstack shrinks low RAM to match. */
void plan_size_need(struct plan_ctx *c, struct plan_output *out)
{
	uint64_t floor = plan_align_up(PLAN_4G - XL_MMIO_HOLE_MAX, c->granule);
	uint64_t top, need, mib;
	size_t m, nb;
	bool refused_low = out->need_more_hole;

	for (size_t i = 0; i < c->n; i++) {
		const struct plan_res *r = &c->res[i];

		if (r->pinned && r->kind != PLAN_IO && r->status == PLAN_ST_REFUSED &&
		    (r->reason == PLAN_R_PIN_RAM || r->reason == PLAN_R_PIN_BELOW_HOLE) &&
		    r->pin_addr + r->size <= PLAN_4G)
			refused_low = true;
	}
	need = out->hole_start;
	if (refused_low) {
		for (size_t i = 0; i < c->n; i++) {
			const struct plan_res *r = &c->res[i];
			bool mem = r->kind != PLAN_IO && !r->pinned;

			if (mem && ((r->status == PLAN_ST_PLACED && r->addr < PLAN_4G) ||
				    (r->status == PLAN_ST_REFUSED && r->reason == PLAN_R_NO_SPACE &&
				     (r->kind == PLAN_MEM32 ||
				      c->in->m64_policy == PLAN_M64_FALLBACK_LOW))))
				c->cls[i] = PLAN_CLS_NEED;
		}
		m = plan_collect(c, PLAN_CLS_NEED);
		nb = plan_busy_mem(c, true);
		top = MAX(floor, plan_pins_top(c, true));
		need = floor;
		if (!m || !plan_pack(c, m, nb, floor, PLAN_4G, false))
			need = plan_search_start(c, m, nb, floor, top);
		for (size_t k = 0; k < m; k++)
			c->cls[c->order[k]] = PLAN_CLS_DONE;
	}
	out->need_hole_start = need;
	mib = (PLAN_4G - need + MiB(1) - 1) >> 20;
	out->mmio_hole_mib = (uint32_t)MIN(MAX(MiB(mib), XL_MMIO_HOLE_MIN), XL_MMIO_HOLE_MAX) >> 20;
}

