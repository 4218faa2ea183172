/* SPDX-License-Identifier: MIT */
/*
 * Bridge window layout: packs one bridge's children (one space) into a
 * window, largest alignment first, so the only slack is alignment padding
 * (which later, smaller children fill). Pinned children fix the window.
 */
#include "plan_int.h"
#include <hvmfw/string.h>

/* Padding gaps worth remembering; losing one only wastes space. */
#define PACK_GAPS 128

static bool before(const struct plan_res *ch, size_t a, size_t b)
{
	uint64_t aa = plan_req_align(&ch[a]), ab = plan_req_align(&ch[b]);

	if (aa != ab)
		return aa > ab;
	if (ch[a].size != ch[b].size)
		return ch[a].size > ch[b].size;
	if (ch[a].owner != ch[b].owner)
		return ch[a].owner < ch[b].owner;
	return a < b;
}

static bool owner_before(const struct plan_res *ch, size_t a, size_t b)
{
	return ch[a].owner != ch[b].owner ? ch[a].owner < ch[b].owner : a < b;
}

/* First fit; when a split needs room, forget the smallest inner gap. */
static bool take(struct plan_gaps *gs, uint64_t size, uint64_t align, uint64_t *addr)
{
	for (;;) {
		size_t victim = 0;

		if (gs->n < gs->cap)
			return plan_gaps_take(gs, size, align, addr);
		for (size_t i = 1; i + 1 < gs->n; i++)
			if (gs->g[i].hi - gs->g[i].lo < gs->g[victim].hi - gs->g[victim].lo)
				victim = i;
		memmove(&gs->g[victim], &gs->g[victim + 1], (gs->n - victim - 1) * sizeof(gs->g[0]));
		gs->n--;
	}
}

/* Accept pins in owner order (lower owner wins); returns the lowest pin. */
static uint64_t accept_pins(struct plan_res *ch, size_t n, bool *any)
{
	uint64_t low = PLAN_INF;

	*any = false;
	for (;;) {
		size_t k = n;

		for (size_t i = 0; i < n; i++)
			if (ch[i].pinned && ch[i].status == PLAN_ST_NONE &&
			    (k == n || owner_before(ch, i, k)))
				k = i;
		if (k == n)
			return low;
		struct plan_res *r = &ch[k];
		uint64_t a = plan_req_align(r);

		if (r->pin_addr & (a - 1)) {
			plan_refuse(r, PLAN_R_PIN_MISALIGNED, PLAN_C_LIMIT, 0, r->pin_addr & ~(a - 1),
				    a, r->pin_addr & (a - 1));
			continue;
		}
		for (size_t j = 0; j < n && r->status == PLAN_ST_NONE; j++) {
			uint64_t ov = plan_overlap(r->pin_addr, r->size, ch[j].addr, ch[j].size);

			if (j != k && ch[j].pinned && ch[j].status == PLAN_ST_PLACED && ov)
				plan_refuse(r, PLAN_R_PIN_PIN, PLAN_C_RES, (uint32_t)j, ch[j].addr,
					    ch[j].size, ov);
		}
		if (r->status != PLAN_ST_NONE)
			continue;
		r->status = PLAN_ST_PLACED;
		r->addr = r->pin_addr;
		low = MIN(low, r->addr);
		*any = true;
	}
}

/* Free space from base up, around the accepted pins (address order). */
static void pin_gaps(struct plan_gaps *gs, const struct plan_res *ch, size_t n, uint64_t base)
{
	uint64_t cur = base;

	gs->n = 0;
	for (;;) {
		size_t k = n;

		for (size_t i = 0; i < n; i++)
			if (ch[i].pinned && ch[i].status == PLAN_ST_PLACED && ch[i].addr >= cur &&
			    (k == n || ch[i].addr < ch[k].addr))
				k = i;
		if (k == n)
			break;
		if (ch[k].addr > cur && gs->n + 1 < gs->cap) {
			gs->g[gs->n].lo = cur;
			gs->g[gs->n].hi = ch[k].addr;
			gs->n++;
		}
		cur = ch[k].addr + ch[k].size;
	}
	gs->g[gs->n].lo = cur;
	gs->g[gs->n].hi = PLAN_INF;
	gs->n++;
}

int plan_pack_children(struct plan_res *ch, size_t n, uint64_t granule, struct plan_res *win)
{
	struct plan_span buf[PACK_GAPS];
	struct plan_gaps gs = { buf, 0, PACK_GAPS };
	uint64_t base = 0, end = 0, align = granule, low;
	bool pinned;
	int refused = 0;

	if (!win || (n && !ch) || !plan_pow2(granule))
		return PLAN_ERR_INVAL;
	for (size_t i = 0; i < n; i++) {
		plan_refuse(&ch[i], PLAN_R_NONE, PLAN_C_NONE, 0, 0, 0, 0);
		ch[i].status = PLAN_ST_NONE;
		if (!ch[i].size || !plan_req_align(&ch[i]) || ch[i].size >= PLAN_INF ||
		    (ch[i].pinned && ch[i].pin_addr >= PLAN_INF))
			plan_refuse(&ch[i], PLAN_R_BAD_REQUEST, PLAN_C_NONE, 0, 0, 0, 0);
	}
	low = accept_pins(ch, n, &pinned);
	if (pinned)
		base = low & ~(granule - 1);
	pin_gaps(&gs, ch, n, base);

	/* Movable children, selection order: O(n^2), no scratch needed. */
	for (;;) {
		size_t k = n;
		uint64_t addr;

		for (size_t i = 0; i < n; i++)
			if (!ch[i].pinned && ch[i].status == PLAN_ST_NONE && (k == n || before(ch, i, k)))
				k = i;
		if (k == n)
			break;
		if (!take(&gs, ch[k].size, plan_req_align(&ch[k]), &addr)) {
			plan_refuse(&ch[k], PLAN_R_NO_SPACE, PLAN_C_LIMIT, 0, base, PLAN_INF - base,
				    ch[k].size);
			continue;
		}
		ch[k].addr = addr;
		ch[k].status = PLAN_ST_PLACED;
	}
	for (size_t i = 0; i < n; i++) {
		if (ch[i].status != PLAN_ST_PLACED) {
			refused++;
			continue;
		}
		end = MAX(end, ch[i].addr + ch[i].size);
		if (!pinned)
			align = MAX(align, plan_req_align(&ch[i]));
		ch[i].addr -= base;	/* offsets from the window base */
	}
	win->size = end > base ? plan_align_up(end, granule) - base : 0;
	win->align = align;
	win->pinned = pinned;
	win->pin_addr = pinned ? base : 0;
	return refused;
}
