/* SPDX-License-Identifier: MIT */
/*
 * Text rendering of a plan for the boot log. Numbers are formatted here
 * rather than with %llx so the firmware's printf needs no 64-bit support.
 */
#include "plan_int.h"
#include <hvmfw/string.h>

struct out {
	char *buf;
	size_t len, pos;	/* pos counts what would have been written */
};

static void put_c(struct out *o, char c)
{
	if (o->pos + 1 < o->len)
		o->buf[o->pos] = c;
	o->pos++;
}

static void put_s(struct out *o, const char *s)
{
	while (*s)
		put_c(o, *s++);
}

static void put_hex(struct out *o, uint64_t v)
{
	char tmp[17];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	put_s(o, "0x");
	while (n)
		put_c(o, tmp[--n]);
}

static void put_dec(struct out *o, uint64_t v)
{
	char tmp[21];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		put_c(o, tmp[--n]);
}

static void pad_to(struct out *o, size_t start, size_t width)
{
	while (o->pos - start < width)
		put_c(o, ' ');
}

static size_t finish(struct out *o)
{
	if (o->len)
		o->buf[MIN(o->pos, o->len - 1)] = '\0';
	return o->pos;
}

static void put_owner(struct out *o, uint32_t owner)
{
	static const char *const bar[] = {
		[PLAN_BAR_ROM] = "ROM", [PLAN_BAR_WIN_IO] = "IOW",
		[PLAN_BAR_WIN_MEM] = "MEMW", [PLAN_BAR_WIN_PREF] = "PREFW",
	};
	unsigned int b = PLAN_OWNER_BAR(owner);
	char t[3];

	if (owner == PLAN_OWNER_ECAM) {
		put_s(o, "ECAM");
		return;
	}
	if (owner & 0xff000000u) {
		put_s(o, "platform ");
		put_dec(o, owner & 0xffffff);
		return;
	}
	t[2] = '\0';
	t[0] = "0123456789abcdef"[PLAN_OWNER_BUS(owner) >> 4];
	t[1] = "0123456789abcdef"[PLAN_OWNER_BUS(owner) & 15];
	put_s(o, t);
	put_c(o, ':');
	t[0] = "0123456789abcdef"[PLAN_OWNER_DEV(owner) >> 4];
	t[1] = "0123456789abcdef"[PLAN_OWNER_DEV(owner) & 15];
	put_s(o, t);
	put_c(o, '.');
	put_dec(o, PLAN_OWNER_FN(owner));
	put_c(o, ' ');
	if (b < ARRAY_SIZE(bar) && bar[b]) {
		put_s(o, bar[b]);
	} else {
		put_s(o, "BAR");
		put_dec(o, b);
	}
}

const char *plan_kind_name(unsigned int kind)
{
	return kind == PLAN_MEM32 ? "mem32" : kind == PLAN_MEM64 ? "mem64" :
	       kind == PLAN_IO ? "io" : "?";
}

const char *plan_reason_name(unsigned int reason)
{
	static const char *const names[PLAN_R__COUNT] = {
		[PLAN_R_NONE] = "ok",
		[PLAN_R_BAD_REQUEST] = "bad request (size or alignment)",
		[PLAN_R_PIN_MISALIGNED] = "pin not aligned",
		[PLAN_R_PIN_RAM] = "pin overlaps RAM",
		[PLAN_R_PIN_RESERVED] = "pin overlaps platform range",
		[PLAN_R_PIN_PIN] = "pin overlaps another pin",
		[PLAN_R_PIN_OUT_OF_SPACE] = "pin outside address space",
		[PLAN_R_PIN_BELOW_HOLE] = "pin below lowest allowed hole start",
		[PLAN_R_PIN_OUTSIDE_WINDOW] = "pin between RAM and 64-bit window",
		[PLAN_R_NO_SPACE] = "no space",
		[PLAN_R_PARENT] = "window above refused",
		[PLAN_R_NESTING] = "not inside a window of its space",
		[PLAN_R_PIN_WINDOW] = "windows above cannot hold the pin",
		[PLAN_R_PIN_REACH] = "pin beyond what the windows above decode",
	};

	return reason < PLAN_R__COUNT ? names[reason] : "?";
}

size_t plan_format_header(char *buf, size_t len)
{
	struct out o = { buf, len, 0 };

	put_s(&o, "owner          kind    size          address             how    status\n");
	return finish(&o);
}

size_t plan_format_row(char *buf, size_t len, const struct plan_res *r)
{
	struct out o = { buf, len, 0 };

	put_owner(&o, r->owner);
	pad_to(&o, 0, 15);
	put_s(&o, plan_kind_name(r->kind));
	if (r->flags & PLAN_F_PREF)
		put_c(&o, 'p');
	pad_to(&o, 0, 23);
	put_hex(&o, r->size);
	pad_to(&o, 0, 37);
	if (r->status == PLAN_ST_PLACED)
		put_hex(&o, r->addr);
	else
		put_c(&o, '-');
	pad_to(&o, 0, 57);
	put_s(&o, r->pinned ? "pinned" : "moved");
	pad_to(&o, 0, 64);
	put_s(&o, r->status == PLAN_ST_PLACED ? "placed" :
		  r->status == PLAN_ST_REFUSED ? "REFUSED" : "pending");
	put_c(&o, '\n');
	return finish(&o);
}

static void put_range(struct out *o, uint64_t base, uint64_t size)
{
	put_c(o, '[');
	put_hex(o, base);
	put_c(o, '-');
	put_hex(o, base + size);
	put_c(o, ')');
}

size_t plan_format_refusal(char *buf, size_t len, const struct plan_input *in,
			   const struct plan_res *res, size_t n, size_t i)
{
	struct out o = { buf, len, 0 };
	const struct plan_res *r = &res[i];
	const struct plan_range *list = r->kind == PLAN_IO ? in->io_reserved : in->mem_reserved;
	size_t nl = r->kind == PLAN_IO ? in->nio_reserved : in->nmem_reserved;

	put_s(&o, "refused ");
	put_owner(&o, r->owner);
	put_c(&o, ' ');
	put_s(&o, plan_kind_name(r->kind));
	put_s(&o, " size ");
	put_hex(&o, r->size);
	if (r->pinned) {
		put_s(&o, " pinned at ");
		put_hex(&o, r->pin_addr);
	}
	put_s(&o, ": ");
	put_s(&o, plan_reason_name(r->reason));
	switch (r->conflict) {
	case PLAN_C_RAM:
		put_c(&o, ' ');
		if (r->conflict_index < in->nram && in->ram[r->conflict_index].name) {
			put_s(&o, in->ram[r->conflict_index].name);
			put_c(&o, ' ');
		}
		break;
	case PLAN_C_RESERVED:
		put_c(&o, ' ');
		if (r->conflict_index < nl && list[r->conflict_index].name) {
			put_s(&o, list[r->conflict_index].name);
			put_c(&o, ' ');
		}
		break;
	case PLAN_C_RES:
		put_c(&o, ' ');
		if (r->conflict_index < n)
			put_owner(&o, res[r->conflict_index].owner);
		put_c(&o, ' ');
		break;
	case PLAN_C_LIMIT:
		put_s(&o, r->reason == PLAN_R_NO_SPACE ? " in " : " limit ");
		break;
	default:
		break;
	}
	if (r->conflict != PLAN_C_NONE) {
		put_range(&o, r->conflict_base, r->conflict_size);
		put_s(&o, r->reason == PLAN_R_NO_SPACE ? ", short by " :
			  r->reason == PLAN_R_PIN_MISALIGNED ? ", off by " : ", overlap ");
		put_dec(&o, r->overlap);
		put_s(&o, " bytes");
	}
	put_c(&o, '\n');
	return finish(&o);
}

size_t plan_format_summary(char *buf, size_t len, const struct plan_output *out)
{
	struct out o = { buf, len, 0 };

	put_s(&o, "hole ");
	if (out->hole_size) {
		put_range(&o, out->hole_start, out->hole_size);
		put_c(&o, ' ');
		put_dec(&o, out->hole_size >> 20);
		put_s(&o, " MiB");
	} else {
		put_s(&o, "none");
	}
	put_s(&o, ", 64-bit ");
	if (out->high_end > out->high_base)
		put_range(&o, out->high_base, out->high_end - out->high_base);
	else
		put_s(&o, "none");
	put_s(&o, ", io ");
	if (out->io_hi > out->io_lo)
		put_range(&o, out->io_lo, out->io_hi - out->io_lo);
	else
		put_s(&o, "none");
	put_s(&o, ", placed ");
	put_dec(&o, out->placed);
	put_s(&o, " (pinned ");
	put_dec(&o, out->pinned);
	put_s(&o, "), refused ");
	put_dec(&o, out->refused);
	if (out->ram_relocate) {
		put_s(&o, ", RAM to relocate ");
		put_dec(&o, out->ram_relocate);
		put_s(&o, " bytes");
	}
	put_s(&o, out->need_hole_start < out->hole_start ? "; need mmio_hole=" : "; mmio_hole=");
	put_dec(&o, out->mmio_hole_mib);
	put_s(&o, " (MiB) holds all 32-bit demand\n");
	return finish(&o);
}

size_t plan_format_all(char *buf, size_t len, const struct plan_input *in,
		       const struct plan_res *res, size_t n, const struct plan_output *out)
{
	size_t pos = 0;

	/* Each helper NUL-terminates its piece; the next one overwrites it. */
	{
		size_t left = pos < len ? len - pos : 0;
		pos += plan_format_header(left ? buf + pos : NULL, left);
	}
	for (size_t i = 0; i < n; i++) {
		size_t left = pos < len ? len - pos : 0;
		pos += plan_format_row(left ? buf + pos : NULL, left, &res[i]);
	}
	for (size_t i = 0; i < n; i++) {
		size_t left = pos < len ? len - pos : 0;

		if (res[i].status == PLAN_ST_REFUSED)
			pos += plan_format_refusal(left ? buf + pos : NULL, left, in, res, n, i);
	}
	{
		size_t left = pos < len ? len - pos : 0;
		pos += plan_format_summary(left ? buf + pos : NULL, left, out);
	}
	return pos;
}
