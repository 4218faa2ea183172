/* SPDX-License-Identifier: MIT */
/*
 * Shapes of movable bridge windows. A window's base only needs its granule
 * (1 MiB memory, 4 KiB I/O) as long as the children inside keep their own
 * alignment, so a window is packed around an anchor P aligned to its most
 * aligned child: shape 0 stacks the children downwards from P (the window
 * ends on an aligned boundary, odd granules at its bottom), shape 1 upwards
 * (it starts on one, odd granules at its top). Both are kept; whoever
 * places the window takes the one that fits best there. Shapes are
 * computed innermost first in a virtual frame (PLAN_FRAME, aligned to
 * anything) and are valid wherever P lands on an aligned boundary.
 */
#include "plan_int.h"

void plan_footprint(const struct plan_ctx *c, uint32_t i, unsigned s, uint64_t *lo,
		    uint64_t *hi, uint64_t *a)
{
	const struct plan_res *r = &c->res[i];

	if (!plan_is_window(r)) {
		*lo = 0;
		*hi = plan_align_up(r->size, r->kind == PLAN_IO ? 1 : c->min_align);
		*a = plan_move_align(c, r);
		/* A block that fills its alignment also covers the padding. */
		if (*hi < *a && plan_align_up(r->size, r->kind == PLAN_IO ? 1 : c->min_align) == *a)
			*hi = *a;
		return;
	}
	*lo = c->ext[2 * PLAN_SHAPES * i + 2 * s];
	*hi = c->ext[2 * PLAN_SHAPES * i + 2 * s + 1];
	*a = c->shape_align[i];
}

void plan_commit(struct plan_ctx *c, uint32_t i, unsigned s, uint64_t p)
{
	struct plan_res *r = &c->res[i];
	uint64_t lo, hi, a;

	plan_footprint(c, i, s, &lo, &hi, &a);
	r->status = PLAN_ST_PLACED;
	c->shape_in[i] = (uint16_t)((c->shape_in[i] & 0xff) | (s << 8));
	if (!plan_is_window(r)) {
		r->addr = p;
		r->span = r->size;
		return;
	}
	if (lo + hi == 0) {	/* empty: closed, and so is every window inside */
		r->addr = 0;
		r->span = 0;
		for (uint32_t k = c->child[i]; k != PLAN_NONE; k = c->next[k])
			if (c->res[k].status != PLAN_ST_REFUSED && plan_is_window(&c->res[k]))
				plan_commit(c, k, 0, 0);
		return;
	}
	r->addr = p - lo;
	r->span = lo + hi;
	c->hull[2 * i] = p;	/* the anchor (a moved window's hull is not used) */
	for (uint32_t k = c->child[i]; k != PLAN_NONE; k = c->next[k]) {
		struct plan_res *ch = &c->res[k];
		uint64_t at = p + c->rel[PLAN_SHAPES * k + s] - PLAN_FRAME;

		if (ch->status == PLAN_ST_REFUSED || c->cls[k] != PLAN_CLS_CHILD)
			continue;
		plan_commit(c, k, (c->shape_in[k] >> (2 * s)) & 3, at);
		/* Its padding stays split as it was when the frame was packed. */
		if (plan_is_window(ch) && ch->span)
			ch->addr = at - c->rel_lo[PLAN_SHAPES * k + s];
	}
}

/* Anchor of a committed resource (its base for leaves). */
static uint64_t anchor_of(const struct plan_ctx *c, uint32_t k)
{
	return plan_is_window(&c->res[k]) ? c->hull[2 * k] : c->res[k].addr;
}

/* The child packed first (most aligned, then largest), if it is a window. */
static uint32_t hanging_child(const struct plan_ctx *c, uint32_t w)
{
	uint32_t best = PLAN_NONE;
	uint64_t ba = 0, bs = 0;

	for (uint32_t k = c->child[w]; k != PLAN_NONE; k = c->next[k]) {
		uint64_t lo, hi, a;

		if (c->res[k].status == PLAN_ST_REFUSED)
			continue;
		plan_footprint(c, k, 0, &lo, &hi, &a);
		if (!(lo + hi))
			continue;
		if (best == PLAN_NONE || a > ba || (a == ba && lo + hi > bs)) {
			best = k;
			ba = a;
			bs = lo + hi;
		}
	}
	return best != PLAN_NONE && plan_is_window(&c->res[best]) ? best : PLAN_NONE;
}

/* Pack the children of w in the frame for shape s. */
static void pack_frame(struct plan_ctx *c, uint32_t w, unsigned s, uint32_t hang)
{
	uint32_t *list = (uint32_t *)c->busy;	/* free while shapes are computed */
	const uint64_t half = PLAN_FRAME >> 1;
	size_t m = 0;

	c->gaps.n = 1;
	if (s >= 2 && hang != PLAN_NONE && c->res[hang].status != PLAN_ST_REFUSED) {
		/* The hanging child across the anchor, the rest stacked away from it. */
		struct plan_res *h = &c->res[hang];

		plan_commit(c, hang, s == 2 ? 0 : 1, PLAN_FRAME);
		c->gaps.g[0] = s == 2 ?
			(struct plan_span){ MAX(PLAN_FRAME, h->addr + h->span), PLAN_FRAME + half } :
			(struct plan_span){ PLAN_FRAME - half, MIN(PLAN_FRAME, h->addr) };
	} else {
		hang = PLAN_NONE;
		c->gaps.g[0] = PLAN_PAD_BELOW(s) ? (struct plan_span){ PLAN_FRAME - half, PLAN_FRAME }
						 : (struct plan_span){ PLAN_FRAME, PLAN_FRAME + half };
	}
	for (uint32_t k = c->child[w]; k != PLAN_NONE; k = c->next[k])
		if (c->res[k].status != PLAN_ST_REFUSED && k != hang)
			list[m++] = k;
	plan_pack(c, list, m, PLAN_PAD_BELOW(s));
}

static void shape(struct plan_ctx *c, uint32_t w)
{
	struct plan_res *r = &c->res[w];
	uint64_t g = plan_granule(r), a = g, min = plan_align_up(r->size, g);

	for (uint32_t k = c->child[w]; k != PLAN_NONE; k = c->next[k]) {
		if (c->res[k].status == PLAN_ST_REFUSED)
			continue;
		c->cls[k] = PLAN_CLS_CHILD;
		if (plan_is_window(&c->res[k]))
			shape(c, k);
	}
	for (uint32_t k = c->child[w]; k != PLAN_NONE; k = c->next[k]) {
		uint64_t lo, hi, ka;

		if (c->res[k].status == PLAN_ST_REFUSED)
			continue;
		plan_footprint(c, k, 0, &lo, &hi, &ka);
		if (lo + hi)
			a = MAX(a, ka);
	}
	c->shape_align[w] = a;
	uint32_t hang = hanging_child(c, w);

	for (unsigned s = 0; s < PLAN_SHAPES; s++) {
		uint64_t bot = PLAN_FRAME, top = PLAN_FRAME;

		pack_frame(c, w, s, hang);
		for (uint32_t k = c->child[w]; k != PLAN_NONE; k = c->next[k]) {
			const struct plan_res *ch = &c->res[k];

			if (ch->status != PLAN_ST_PLACED || !ch->span)
				continue;
			bot = MIN(bot, ch->addr);
			top = MAX(top, ch->addr + ch->span);
			c->rel[PLAN_SHAPES * k + s] = anchor_of(c, k);
			c->rel_lo[PLAN_SHAPES * k + s] = anchor_of(c, k) - ch->addr;
			c->shape_in[k] = (uint16_t)((c->shape_in[k] & ~(3u << (2 * s))) |
						    (((c->shape_in[k] >> 8) & 3) << (2 * s)));
		}
		for (uint32_t k = c->child[w]; k != PLAN_NONE; k = c->next[k]) {
			struct plan_res *ch = &c->res[k];

			if (ch->status == PLAN_ST_PLACED) {
				ch->status = PLAN_ST_NONE;
			} else if (ch->status == PLAN_ST_NONE) {
				/* Larger than any frame: nothing could ever hold it. */
				plan_refuse(ch, PLAN_R_NO_SPACE, PLAN_C_LIMIT, 0, 0, PLAN_INF, ch->size);
				c->cls[k] = PLAN_CLS_DONE;
				plan_refuse_subtree(c, k);
			}
		}
		bot = plan_align_down(bot, g);
		top = plan_align_up(top, g);
		c->pad[PLAN_SHAPES * w + s] = top - bot < min ? min - (top - bot) : 0;
		if (top - bot < min) {
			if (PLAN_PAD_BELOW(s))
				bot = top - min;
			else
				top = bot + min;
		}
		c->ext[2 * PLAN_SHAPES * w + 2 * s] = PLAN_FRAME - bot;
		c->ext[2 * PLAN_SHAPES * w + 2 * s + 1] = top - PLAN_FRAME;
	}
}

/* Movable windows at the root or inside a window that holds pins. */
void plan_shapes(struct plan_ctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct plan_res *r = &c->res[i];
		uint32_t p = r->parent ? r->parent - 1 : PLAN_NONE;

		if (r->status != PLAN_ST_NONE || c->cls[i] == PLAN_CLS_FIXED)
			continue;
		if (p != PLAN_NONE && c->cls[p] != PLAN_CLS_FIXED)
			continue;
		c->cls[i] = PLAN_CLS_CHILD;	/* root ones get their class from the caller */
		if (plan_is_window(r))
			shape(c, (uint32_t)i);
	}
}
