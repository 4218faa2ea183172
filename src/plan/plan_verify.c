/* SPDX-License-Identifier: MIT */
/*
 * Independent check of a finished plan, written without the solver's
 * gap machinery (plain pairwise tests) so a solver bug is not repeated.
 */
#include "plan_int.h"

static int fail(struct plan_violation *v, uint8_t kind, size_t a, size_t b)
{
	if (v) {
		v->kind = kind;
		v->a = a;
		v->b = b;
	}
	return -1;
}

static bool overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

/* Space checks for one placed resource; returns a violation kind. */
static uint8_t check_space(const struct plan_input *in, const struct plan_res *r,
			   const struct plan_output *out)
{
	uint64_t end = r->addr + r->size;
	unsigned int bits = in->phys_bits ? in->phys_bits : 36;
	bool io_default = !in->io_base && !in->io_limit;
	uint64_t io_lo = io_default ? 0x1000 : in->io_base;
	uint64_t io_hi = io_default ? PLAN_IO_TOP : in->io_limit;

	if (end < r->addr)
		return PLAN_V_OUTSIDE;
	if (r->kind == PLAN_IO) {
		if (r->pinned ? end > PLAN_IO_TOP : (r->addr < io_lo || end > io_hi))
			return PLAN_V_OUTSIDE;
		return PLAN_V_OK;
	}
	if (r->kind == PLAN_MEM32 && end > PLAN_4G)
		return PLAN_V_KIND;
	if (r->kind == PLAN_MEM64 && !r->pinned && end <= PLAN_4G &&
	    in->m64_policy != PLAN_M64_FALLBACK_LOW)
		return PLAN_V_KIND;
	if (end <= PLAN_4G)
		return r->addr >= out->hole_start ? PLAN_V_OK : PLAN_V_OUTSIDE;
	if (r->addr < PLAN_4G || r->addr < out->high_base || end > out->high_end ||
	    end > (1ull << bits))
		return PLAN_V_OUTSIDE;
	return PLAN_V_OK;
}

/* RAM that the plan may cover: low RAM inside the hole when it is relocated. */
static bool ram_hit(const struct plan_input *in, const struct plan_output *out,
		    const struct plan_range *ram, uint64_t a, uint64_t s)
{
	if (!overlaps(a, s, ram->base, ram->size))
		return false;
	if (in->may_relocate_ram && a >= out->hole_start && a + s <= PLAN_4G)
		return false;
	return true;
}

int plan_verify(const struct plan_input *in, const struct plan_res *res, size_t n,
		const struct plan_output *out, struct plan_violation *v)
{
	uint64_t min_align = in->mem_min_align ? in->mem_min_align : KiB(4);

	if (v)
		v->kind = PLAN_V_OK;
	/* The hole itself may only cover RAM that is being relocated. */
	for (size_t j = 0; j < in->nram && !in->may_relocate_ram; j++)
		if (out->hole_size && overlaps(out->hole_start, out->hole_size, in->ram[j].base,
					       in->ram[j].size))
			return fail(v, PLAN_V_RAM, (size_t)-1, j);

	for (size_t i = 0; i < n; i++) {
		const struct plan_res *r = &res[i];
		uint64_t a = plan_req_align(r);
		const struct plan_range *rsv = r->kind == PLAN_IO ? in->io_reserved : in->mem_reserved;
		size_t nrsv = r->kind == PLAN_IO ? in->nio_reserved : in->nmem_reserved;
		uint8_t k;

		if (r->status == PLAN_ST_REFUSED)
			continue;
		if (r->status != PLAN_ST_PLACED)
			return fail(v, PLAN_V_STATUS, i, 0);
		if (!a || r->addr % a || (!r->pinned && r->kind != PLAN_IO && r->addr % min_align))
			return fail(v, PLAN_V_ALIGN, i, 0);
		if (r->pinned && r->addr != r->pin_addr)
			return fail(v, PLAN_V_PIN, i, 0);
		k = check_space(in, r, out);
		if (k != PLAN_V_OK)
			return fail(v, k, i, 0);
		for (size_t j = 0; j < in->nram && r->kind != PLAN_IO; j++)
			if (ram_hit(in, out, &in->ram[j], r->addr, r->size))
				return fail(v, PLAN_V_RAM, i, j);
		for (size_t j = 0; j < nrsv; j++)
			if (overlaps(r->addr, r->size, rsv[j].base, rsv[j].size))
				return fail(v, PLAN_V_RESERVED, i, j);
		for (size_t j = 0; j < i; j++) {
			const struct plan_res *o = &res[j];

			if (o->status == PLAN_ST_PLACED && (o->kind == PLAN_IO) == (r->kind == PLAN_IO) &&
			    overlaps(r->addr, r->size, o->addr, o->size))
				return fail(v, PLAN_V_OVERLAP, j, i);
		}
	}
	return 0;
}
