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
	return as && bs && a < b + bs && b < a + as;
}

/* Space checks for one placed resource; returns a violation kind. */
static uint8_t check_space(const struct plan_input *in, const struct plan_res *r,
			   const struct plan_output *out, bool fixed)
{
	uint64_t end = r->addr + r->span;
	unsigned int bits = in->phys_bits ? in->phys_bits : 36;
	bool io_default = !in->io_base && !in->io_limit;
	uint64_t io_lo = io_default ? 0x1000 : in->io_base;
	uint64_t io_hi = io_default ? PLAN_IO_TOP : in->io_limit;

	if (end < r->addr)
		return PLAN_V_OUTSIDE;
	if (r->kind == PLAN_IO) {
		if (fixed ? end > PLAN_IO_TOP : (r->addr < io_lo || end > io_hi))
			return PLAN_V_OUTSIDE;
		return PLAN_V_OK;
	}
	if (r->kind == PLAN_MEM32 && end > PLAN_4G)
		return PLAN_V_KIND;
	if (r->kind == PLAN_MEM64 && !r->pinned && end <= PLAN_4G && !plan_is_window(r) &&
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

static bool plan_descends(const struct plan_res *res, size_t n, size_t a, size_t w)
{
	size_t steps = 0;

	for (uint32_t p = res[a].parent; p && p <= n && steps <= n; p = res[p - 1].parent, steps++)
		if (p - 1 == w)
			return true;
	return false;
}

static bool holds_pin(const struct plan_res *res, size_t n, size_t w)
{
	for (size_t i = 0; i < n; i++)
		if (res[i].pinned && res[i].status == PLAN_ST_PLACED && plan_descends(res, n, i, w))
			return true;
	return false;
}

/* Alignment and size rules of one placed resource. */
static bool aligned_ok(const struct plan_input *in, const struct plan_res *r, uint64_t min_align)
{
	if (plan_is_window(r)) {
		uint64_t g = plan_granule(r);

		return g && !(r->addr % g) && !(r->span % g);
	}
	uint64_t a = plan_req_align(r);

	if (!a || r->addr % a || r->span != r->size)
		return false;
	return r->pinned || r->kind == PLAN_IO || !(r->addr % min_align);
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
		const struct plan_range *rsv = r->kind == PLAN_IO ? in->io_reserved : in->mem_reserved;
		size_t nrsv = r->kind == PLAN_IO ? in->nio_reserved : in->nmem_reserved;
		uint32_t p = r->parent;
		uint8_t k;

		if (r->status == PLAN_ST_REFUSED)
			continue;
		if (r->status != PLAN_ST_PLACED)
			return fail(v, PLAN_V_STATUS, i, 0);
		if (p > n || p - 1 == i)
			return fail(v, PLAN_V_WINDOW, i, 0);
		if (p && (res[p - 1].status != PLAN_ST_PLACED || !plan_is_window(&res[p - 1])))
			return fail(v, PLAN_V_WINDOW, i, p - 1);
		if (r->pinned && !plan_is_window(r) && r->addr != r->pin_addr)
			return fail(v, PLAN_V_PIN, i, 0);
		if (!r->span) {
			if (!plan_is_window(r))
				return fail(v, PLAN_V_ALIGN, i, 0);
			continue;	/* a closed window decodes nothing */
		}
		if (!aligned_ok(in, r, min_align))
			return fail(v, PLAN_V_ALIGN, i, 0);
		if (plan_is_window(r) && r->span < r->size && !holds_pin(res, n, i))
			return fail(v, PLAN_V_ALIGN, i, 0);
		if (r->addr + r->span < r->addr ||
		    (r->kind == PLAN_MEM32 && r->addr + r->span > PLAN_4G))
			return fail(v, PLAN_V_KIND, i, 0);
		if (p) {
			const struct plan_res *w = &res[p - 1];

			if (!w->span || r->addr < w->addr || r->addr + r->span > w->addr + w->span)
				return fail(v, PLAN_V_WINDOW, i, p - 1);
			continue;	/* RAM, reservations and spaces: checked on the window */
		}
		k = check_space(in, r, out, r->pinned || (plan_is_window(r) && holds_pin(res, n, i)));
		if (k != PLAN_V_OK)
			return fail(v, k, i, 0);
		for (size_t j = 0; j < in->nram && r->kind != PLAN_IO; j++)
			if (ram_hit(in, out, &in->ram[j], r->addr, r->span))
				return fail(v, PLAN_V_RAM, i, j);
		for (size_t j = 0; j < nrsv; j++)
			if (overlaps(r->addr, r->span, rsv[j].base, rsv[j].size))
				return fail(v, PLAN_V_RESERVED, i, j);
	}
	/* No two decoding ranges of one space meet, unless one holds the other. */
	for (size_t i = 0; i < n; i++) {
		const struct plan_res *r = &res[i];

		if (r->status != PLAN_ST_PLACED || !r->span)
			continue;
		for (size_t j = 0; j < i; j++) {
			const struct plan_res *o = &res[j];

			if (o->status != PLAN_ST_PLACED || !o->span ||
			    (o->kind == PLAN_IO) != (r->kind == PLAN_IO) ||
			    !overlaps(r->addr, r->span, o->addr, o->span))
				continue;
			if (plan_descends(res, n, i, j) || plan_descends(res, n, j, i))
				continue;
			return fail(v, PLAN_V_OVERLAP, j, i);
		}
	}
	return 0;
}
