/* SPDX-License-Identifier: MIT */
/* The lying configuration space of fuzz-enum (see lying_model.h; input layout in fuzz_enum.c). */
#include "lying_model.h"
#include <string.h>

#define ROUTE_UNKNOWN	(-2)
#define ROUTE_DEPTH	32

static void put(uint8_t *p, unsigned off, unsigned width, uint32_t v)
{
	for (unsigned i = 0; i < width && off + i < 256; i++)
		p[off + i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p, unsigned off)
{
	return (uint32_t)p[off] | (uint32_t)p[off + 1] << 8 | (uint32_t)p[off + 2] << 16 |
	       (uint32_t)p[off + 3] << 24;
}

static void route_forget(struct lm *m)
{
	for (int i = 0; i < 256; i++)
		m->route[i] = ROUTE_UNKNOWN;
}

/* ---- decoding the input ---- */

static const uint32_t classes[] = {
	0x020000,	/* Ethernet */
	0x010100,	/* IDE: legacy ports */
	0x030000,	/* VGA: legacy decode */
	0x0C0330,	/* xHCI */
	0x010802,	/* NVMe */
	0x060000,	/* host bridge */
	0x060100,	/* ISA bridge */
	0x00FF00,	/* unclassified */
};

static void bar(struct lm_fn *f, struct fz *in, unsigned reg, bool last, bool *skip_next)
{
	uint8_t sel = fz_u8(in), a = (sel & 7) >= 1 && (sel & 7) <= 5 ? fz_u8(in) : 0;
	uint8_t pref = (sel & 8) ? 0x8 : 0;
	uint64_t size, mask;

	switch (sel & 7) {
	case 1:		/* I/O */
		size = 4u << (a % 14);
		f->cfg[reg] = 0x1;
		put(f->wmask, reg, 4, (uint32_t)~(size - 1) & 0xFFFFFFFCu);
		break;
	case 2:		/* 32-bit memory, up to 2 GiB */
		size = 16ull << (a % 28);
		f->cfg[reg] = pref;
		put(f->wmask, reg, 4, (uint32_t)~(size - 1) & 0xFFFFFFF0u);
		break;
	case 3:		/* 64-bit memory, up to 2^63 */
		size = 16ull << (a % 60);
		mask = ~(size - 1);
		f->cfg[reg] = pref | 0x4;
		put(f->wmask, reg, 4, (uint32_t)mask & 0xFFFFFFF0u);
		if (!last)
			put(f->wmask, reg + 4, 4, (uint32_t)(mask >> 32));
		*skip_next = !last;
		break;
	case 4:		/* 64-bit, upper half writable bits straight from the input */
		size = 16ull << (a % 28);
		f->cfg[reg] = pref | 0x4;
		put(f->wmask, reg, 4, (uint32_t)~(size - 1) & 0xFFFFFFF0u);
		if (!last)
			put(f->wmask, reg + 4, 4, fz_u32(in));
		*skip_next = !last;
		break;
	case 5:		/* any type bits, any writable bits */
		f->cfg[reg] = a & 0xF;
		put(f->wmask, reg, 4, fz_u32(in) & ~0xFu);
		break;
	case 6:		/* memory BAR that sizes to 0 */
		f->cfg[reg] = pref | (sel & 0x10 ? 0x4 : 0);
		break;
	case 7:		/* reads all ones, always */
		if (f->nlie < LM_MAX_LIES) {
			f->lie[f->nlie].off = (uint8_t)reg;
			f->lie[f->nlie].mode = LM_LIE_FIXED;
			f->lie[f->nlie].val = 0xFFFFFFFF;
			f->nlie++;
		}
		break;
	default:
		break;
	}
}

static void rom(struct lm_fn *f, struct fz *in, unsigned reg)
{
	uint8_t sel = fz_u8(in);

	if (!sel)
		return;
	if (sel & 0x80)
		put(f->wmask, reg, 4, fz_u32(in) | 1);
	else
		put(f->wmask, reg, 4, ((uint32_t)~((2048ull << (sel % 21)) - 1) & 0xFFFFF800u) | 1);
}

static void bridge(struct lm *m, struct lm_fn *f, struct fz *in, uint8_t *pcie)
{
	uint8_t sel = fz_u8(in);

	switch (sel & 3) {
	case 1:
		f->sec_seg = f->seg;		/* the bridge is behind itself */
		break;
	case 2:
		f->sec_seg = fz_u8(in) % m->nseg;	/* some bus seen already */
		break;
	default:
		f->sec_seg = m->nseg < LM_MAX_SEG ? m->nseg++ : f->seg;
		break;
	}
	put(f->wmask, 0x18, 4, 0xFFFFFFFF);
	put(f->wmask, 0x20, 4, 0xFFF0FFF0);
	if (sel & 4) {
		f->cfg[0x1C] = f->cfg[0x1D] = 0x01;
		put(f->wmask, 0x1C, 2, 0xF0F0);
		put(f->wmask, 0x30, 4, 0xFFFFFFFF);
	}
	if (sel & 8) {
		put(f->wmask, 0x24, 4, 0xFFF0FFF0);
		if (sel & 0x10) {
			f->cfg[0x24] = f->cfg[0x26] = 0x01;
			put(f->wmask, 0x28, 4, 0xFFFFFFFF);
			put(f->wmask, 0x2C, 4, 0xFFFFFFFF);
		}
	}
	*pcie = sel >> 5;
}

/* Capability k lives at 0x40 + 0x20 * k; returns its offset. */
static uint8_t cap_at(unsigned k)
{
	return (uint8_t)(0x40 + 0x20 * k);
}

static uint32_t rsv_val(uint8_t v)
{
	return v ? (uint32_t)(1ull << (v % 32)) : 0xFFFFFFFF;
}

static void caps(struct lm_fn *f, struct fz *in, uint8_t pcie, bool want)
{
	unsigned n = 0, nfuzz = want ? fz_u8(in) % 6 : 0;
	uint8_t link[6];

	/* The port type chosen for a bridge comes first. */
	if (pcie >= 1 && pcie <= 6) {
		static const uint8_t type[] = { 0, PCIE_TYPE_ROOT_PORT, PCIE_TYPE_UPSTREAM,
						PCIE_TYPE_DOWNSTREAM, PCIE_TYPE_PCIE_TO_PCI,
						PCIE_TYPE_ROOT_PORT, PCIE_TYPE_DOWNSTREAM };
		uint8_t c = cap_at(n);
		bool slot = type[pcie] == PCIE_TYPE_ROOT_PORT || type[pcie] == PCIE_TYPE_DOWNSTREAM;

		f->cfg[c] = 0x10;
		put(f->cfg, c + 2, 2, 0x2 | (uint32_t)type[pcie] << 4 | (slot ? 0x100u : 0));
		put(f->cfg, c + 0x14, 4, pcie >= 5 ? 0x40 : 0);
		link[n++] = 0;
	} else if (pcie == 7) {
		f->cfg[cap_at(n)] = 0x0C;	/* SHPC */
		link[n++] = 0;
	}
	for (unsigned k = 0; k < nfuzz && n < 6; k++) {
		uint8_t id = fz_u8(in), l = fz_u8(in), c = cap_at(n);

		switch (id & 3) {
		case 0:
			f->cfg[c] = 0x10;
			put(f->cfg, c + 2, 2, 0x2 | (uint32_t)((id >> 2) & 0xF) << 4 |
			    (uint32_t)((id >> 6) & 1) << 8);
			put(f->cfg, c + 0x14, 4, (id & 0x80) ? 0x40 : 0);
			break;
		case 1:
			f->cfg[c] = 0x0C;
			break;
		case 2:		/* QEMU's resource reserve (used on Red Hat bridges only) */
			f->cfg[c] = 0x09;
			f->cfg[c + 2] = (id & 0x80) ? fz_u8(in) : 0x20;
			f->cfg[c + 3] = 1;
			put(f->cfg, c + 4, 4, rsv_val(fz_u8(in)));
			put(f->cfg, c + 8, 4, rsv_val(fz_u8(in)));
			put(f->cfg, c + 12, 4, (id & 0x40) ? fz_u32(in) : 0);
			put(f->cfg, c + 16, 4, rsv_val(fz_u8(in)));
			put(f->cfg, c + 20, 4, rsv_val(fz_u8(in)));
			put(f->cfg, c + 24, 4, rsv_val(fz_u8(in)));
			put(f->cfg, c + 28, 4, (id & 0x20) ? fz_u32(in) : 0);
			break;
		default:
			f->cfg[c] = fz_u8(in);
			break;
		}
		link[n++] = l;
	}
	if (!n)
		return;
	f->cfg[0x34] = cap_at(0);
	f->cfg[0x06] |= 0x10;
	for (unsigned k = 0; k < n; k++) {
		uint8_t c = cap_at(k), next;

		switch (link[k] & 3) {
		case 0:
			next = k + 1 < n ? cap_at(k + 1) : 0;
			break;
		case 1:
			next = cap_at(0);	/* back to the first: a cycle */
			break;
		case 2:
			next = c;		/* to itself */
			break;
		default:
			next = link[k];		/* anywhere, unaligned too */
			break;
		}
		f->cfg[c + 1] = next;
	}
}

static void lies(struct lm_fn *f, struct fz *in)
{
	unsigned n = fz_u8(in) % (LM_MAX_LIES + 1);

	for (unsigned k = 0; k < n && f->nlie < LM_MAX_LIES; k++) {
		f->lie[f->nlie].off = (uint8_t)((fz_u8(in) & 0x3F) * 4);
		f->lie[f->nlie].mode = fz_u8(in) % 3;
		f->lie[f->nlie].val = fz_u32(in);
		f->nlie++;
	}
}

void lm_build(struct lm *m, struct fz *in)
{
	int n = fz_u8(in) % (LM_MAX_FN + 1);

	memset(m, 0, sizeof(*m));
	memset(m->at, -1, sizeof(m->at));
	memset(m->any, -1, sizeof(m->any));
	m->nseg = 1;
	route_forget(m);
	for (int i = 0; i < n && fz_left(in); i++) {
		struct lm_fn *f = &m->f[m->nf++];
		uint8_t where = fz_u8(in), devfn = fz_u8(in), type = fz_u8(in), hdr, pcie = 0;
		uint8_t cls;

		f->seg = where % m->nseg;
		f->dev = devfn >> 3;
		f->fn = devfn & 7;
		f->sec_seg = -1;
		f->answer_all = type & 4;
		f->mf_lie = type & 8;
		hdr = (type & 3) == 3 ? fz_u8(in) : (type & 3);
		put(f->cfg, 0x00, 2, (type & 0x80) ? 0x1b36 : 0x8086);
		put(f->cfg, 0x02, 2, 0x1000 + (uint32_t)i);
		cls = fz_u8(in);
		put(f->cfg, 0x08, 4, (uint32_t)(((hdr & 0x7F) == 1 && !(cls & 0x80) ? 0x060400 :
						 classes[cls % 8]) << 8));
		f->cfg[0x0E] = hdr;
		f->cfg[0x3D] = fz_u8(in);
		f->wmask[0x04] = 0x07;
		f->wmask[0x3C] = 0xFF;
		if (type & 0x20)
			f->cfg[0x04] = 0x07;	/* left decoding by an earlier boot */
		if ((hdr & 0x7F) <= 1) {
			unsigned nbars = (hdr & 0x7F) == 0 ? 6 : 2;
			bool skip = false;

			for (unsigned b = 0; b < nbars; b++) {
				if (skip) {
					skip = false;
					continue;
				}
				bar(f, in, 0x10 + 4 * b, b + 1 == nbars, &skip);
			}
			rom(f, in, (hdr & 0x7F) == 0 ? 0x30 : 0x38);
		}
		if ((hdr & 0x7F) == 1)
			bridge(m, f, in, &pcie);
		caps(f, in, pcie, type & 0x10);
		if (type & 0x40)
			lies(f, in);
	}
	/* Who answers where, and which fn 0 says it has siblings. */
	for (int i = 0; i < m->nf; i++) {
		struct lm_fn *f = &m->f[i];
		int8_t *slot = &m->at[f->seg][f->dev << 3 | f->fn];

		if (*slot < 0)
			*slot = (int8_t)i;
		if (f->answer_all && m->any[f->seg] < 0)
			m->any[f->seg] = (int8_t)i;
		f->mf = f->answer_all;
		for (int j = 0; j < m->nf && !f->mf; j++)
			f->mf = j != i && m->f[j].seg == f->seg && m->f[j].dev == f->dev && m->f[j].fn;
		f->mf ^= f->mf_lie;
	}
}

/* ---- the accessor ---- */

/* A dword as the function shows it, lies included (read: count it). */
static uint32_t show(struct lm_fn *f, unsigned dw, bool read)
{
	uint32_t v = get32(f->cfg, dw);

	if (dw == 0x0C && f->fn == 0 && f->mf)
		v |= 0x80u << 16;
	for (unsigned k = 0; k < f->nlie; k++) {
		if (f->lie[k].off != dw)
			continue;
		if (f->lie[k].mode == LM_LIE_FIXED)
			v = f->lie[k].val;
		else if (!read)
			continue;	/* routing sees the register itself */
		else if (f->lie[k].mode == LM_LIE_FLICKER)
			v ^= (f->reads & 1) ? f->lie[k].val : 0;
		else
			v = f->lie[k].val + f->reads;
	}
	if (read)
		f->reads++;
	return v;
}

static int seg_for_bus(struct lm *m, unsigned bus, int seg, unsigned segbus, int depth)
{
	if (bus == segbus)
		return seg;
	if (depth >= ROUTE_DEPTH)
		return -1;
	for (int i = 0; i < m->nf; i++) {
		struct lm_fn *f = &m->f[i];

		if (f->seg != seg || f->sec_seg < 0)
			continue;
		uint32_t busreg = show(f, 0x18, false);
		unsigned sec = (busreg >> 8) & 0xFF, sub = (busreg >> 16) & 0xFF;

		if (sec && bus >= sec && bus <= sub)
			return seg_for_bus(m, bus, f->sec_seg, sec, depth + 1);
	}
	return -1;
}

static struct lm_fn *lookup(struct lm *m, uint16_t bdf)
{
	unsigned bus = PCI_BUS(bdf);

	if (m->route[bus] == ROUTE_UNKNOWN)
		m->route[bus] = seg_for_bus(m, bus, 0, 0, 0);
	int seg = m->route[bus], i;

	if (seg < 0)
		return NULL;
	i = m->at[seg][bdf & 0xFF];
	if (i < 0)
		i = m->any[seg];
	return i < 0 ? NULL : &m->f[i];
}

static void count(struct lm *m, uint16_t off, unsigned width)
{
	FUZZ_CHECK(++m->accesses <= LM_MAX_ACCESS, "more than %u config accesses: runaway scan",
		   LM_MAX_ACCESS);
	FUZZ_CHECK((width == 1 || width == 2 || width == 4) && !(off & (width - 1)) &&
		   off + width <= 4096, "config access of width %u at 0x%x", width, off);
}

static uint32_t lm_read(void *ctx, uint16_t bdf, uint16_t off, unsigned width)
{
	struct lm *m = ctx;
	uint32_t ones = width == 4 ? 0xFFFFFFFF : (1u << (8 * width)) - 1;

	count(m, off, width);
	struct lm_fn *f = lookup(m, bdf);

	if (!f || off + width > 256)
		return ones;
	return (show(f, off & ~3u, true) >> (8 * (off & 3))) & ones;
}

static void lm_write(void *ctx, uint16_t bdf, uint16_t off, unsigned width, uint32_t v)
{
	struct lm *m = ctx;

	count(m, off, width);
	struct lm_fn *f = lookup(m, bdf);

	if (!f || off + width > 256)
		return;
	for (unsigned i = 0; i < width; i++) {
		uint8_t wm = f->wmask[off + i];

		f->cfg[off + i] = (uint8_t)((f->cfg[off + i] & ~wm) | ((v >> (8 * i)) & wm));
	}
	/* New bus numbers: the routes change. */
	if (f->sec_seg >= 0 && off < 0x1C && off + width > 0x18)
		route_forget(m);
}

static void lm_log(void *ctx, const char *line)
{
	static int dump = -1;
	size_t n = strnlen(line, 1024);

	if (dump < 0)
		dump = getenv("FUZZ_DUMP") != NULL;
	if (dump)
		printf("%.*s\n", (int)n, line);

	FUZZ_CHECK(n < 256 && !memchr(line, '\n', n), "log line of %zu bytes or with a newline: %.80s",
		   n, line);
}

struct pci_access lm_accessor(struct lm *m)
{
	struct pci_access a = { .read = lm_read, .write = lm_write, .log = lm_log, .ctx = m };

	return a;
}

void lm_check_log(const char *line)
{
	lm_log(NULL, line);
}
