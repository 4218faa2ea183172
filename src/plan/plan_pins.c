/* SPDX-License-Identifier: MIT */
/*
 * Pinned (1:1) resources: each either stays exactly at pin_addr or is
 * refused, naming the first thing it collides with. Pins are judged in
 * owner order, so between two overlapping pins the lower owner id wins
 * whatever the input order.
 */
#include "plan_int.h"

static int pin_cmp(const void *ctx, uint32_t a, uint32_t b)
{
	const struct plan_res *r = ctx;

	if (r[a].owner != r[b].owner)
		return r[a].owner < r[b].owner ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* Lowest-based range of list[] overlapping [b, e), ignoring [skip_lo, skip_hi). */
static bool find_range(const struct plan_range *list, size_t nl, uint64_t b, uint64_t e,
		       uint64_t skip_hi, size_t *hit, uint64_t *ov)
{
	bool found = false;

	for (size_t i = 0; i < nl; i++) {
		uint64_t lo = MAX(list[i].base, skip_hi), hi = list[i].base + list[i].size;
		uint64_t o;

		if (hi <= lo)
			continue;
		o = plan_overlap(b, e - b, lo, hi - lo);
		if (!o)
			continue;
		if (!found || list[i].base < list[*hit].base) {
			*hit = i;
			*ov = o;
			found = true;
		}
	}
	return found;
}

static bool check_ranges(struct plan_res *r, const struct plan_range *list, size_t nl,
			 uint64_t skip_hi, uint8_t reason, uint8_t conflict)
{
	uint64_t b = r->pin_addr, e = b + r->size, ov = 0;
	size_t hit = 0;

	if (!find_range(list, nl, b, e, skip_hi, &hit, &ov))
		return true;
	plan_refuse(r, reason, conflict, (uint32_t)hit, list[hit].base, list[hit].size, ov);
	return false;
}

/* Space limits; true if the pin may stay. */
static bool check_space(struct plan_ctx *c, struct plan_res *r)
{
	uint64_t b = r->pin_addr, e = b + r->size;
	uint64_t top = r->kind == PLAN_IO ? PLAN_IO_TOP :
		       r->kind == PLAN_MEM32 ? PLAN_4G : c->phys_limit;

	if (e < b || b >= top) {
		plan_refuse(r, PLAN_R_PIN_OUT_OF_SPACE, PLAN_C_LIMIT, 0, 0, top, r->size);
		return false;
	}
	if (e > top) {
		plan_refuse(r, PLAN_R_PIN_OUT_OF_SPACE, PLAN_C_LIMIT, 0, 0, top, e - top);
		return false;
	}
	/* A memory pin must sit wholly in the hole or wholly in the window. */
	if (r->kind != PLAN_IO && b < PLAN_4G && e > PLAN_4G) {
		plan_refuse(r, PLAN_R_PIN_OUT_OF_SPACE, PLAN_C_LIMIT, 0, 0, PLAN_4G, e - PLAN_4G);
		return false;
	}
	return true;
}

static bool check_mem(struct plan_ctx *c, struct plan_res *r)
{
	const struct plan_input *in = c->in;
	uint64_t b = r->pin_addr, e = b + r->size;
	bool low = e <= PLAN_4G;
	/* Low RAM that may be relocated does not block a low pin. */
	uint64_t skip = (low && in->may_relocate_ram) ? PLAN_4G : 0;

	if (!check_ranges(r, in->ram, in->nram, skip, PLAN_R_PIN_RAM, PLAN_C_RAM))
		return false;
	if (!check_ranges(r, in->mem_reserved, in->nmem_reserved, 0, PLAN_R_PIN_RESERVED,
			  PLAN_C_RESERVED))
		return false;
	if (low && b < c->floor) {
		plan_refuse(r, PLAN_R_PIN_BELOW_HOLE, PLAN_C_LIMIT, 0, 0, c->floor,
			    MIN(e, c->floor) - b);
		return false;
	}
	if (!low && b < c->high_ram_top) {
		plan_refuse(r, PLAN_R_PIN_OUTSIDE_WINDOW, PLAN_C_LIMIT, 0, PLAN_4G,
			    c->high_ram_top - PLAN_4G, MIN(e, c->high_ram_top) - b);
		return false;
	}
	return true;
}

void plan_pins_check(struct plan_ctx *c)
{
	struct plan_res *res = c->res;
	size_t np = 0;

	for (size_t i = 0; i < c->n; i++)
		if (res[i].pinned && res[i].status == PLAN_ST_NONE)
			c->order[np++] = (uint32_t)i;
	plan_sort_idx(c->order, np, pin_cmp, res);

	for (size_t k = 0; k < np; k++) {
		struct plan_res *r = &res[c->order[k]];
		uint64_t a = plan_req_align(r);

		if (r->pin_addr & (a - 1)) {
			plan_refuse(r, PLAN_R_PIN_MISALIGNED, PLAN_C_LIMIT, 0,
				    r->pin_addr & ~(a - 1), a, r->pin_addr & (a - 1));
			continue;
		}
		if (!check_space(c, r))
			continue;
		if (r->kind == PLAN_IO) {
			if (!check_ranges(r, c->in->io_reserved, c->in->nio_reserved, 0,
					  PLAN_R_PIN_RESERVED, PLAN_C_RESERVED))
				continue;
		} else if (!check_mem(c, r)) {
			continue;
		}
		/* Against the pins already accepted (lower owners). */
		for (size_t j = 0; j < k; j++) {
			struct plan_res *o = &res[c->order[j]];
			uint64_t ov;

			if (o->status != PLAN_ST_PLACED || (o->kind == PLAN_IO) != (r->kind == PLAN_IO))
				continue;
			ov = plan_overlap(r->pin_addr, r->size, o->addr, o->size);
			if (ov) {
				plan_refuse(r, PLAN_R_PIN_PIN, PLAN_C_RES, c->order[j], o->addr,
					    o->size, ov);
				break;
			}
		}
		if (r->status == PLAN_ST_REFUSED)
			continue;
		r->status = PLAN_ST_PLACED;
		r->addr = r->pin_addr;
	}
}
