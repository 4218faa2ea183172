/* SPDX-License-Identifier: MIT */
/* The simulated configuration space (see pci_model.h). */
#include "pci_model.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct model M;

static void put(uint8_t *p, unsigned off, unsigned width, uint32_t v)
{
	for (unsigned i = 0; i < width; i++)
		p[off + i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get(const uint8_t *p, unsigned off, unsigned width)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < width; i++)
		v |= (uint32_t)p[off + i] << (8 * i);
	return v;
}

void m_reset(void)
{
	memset(&M, 0, sizeof(M));
	M.nseg = 1;
	M.first_decode_on = ~0u;
}

static struct mfn *new_fn(int seg, int dev, int fn, uint16_t vendor, uint16_t device,
			  uint32_t class24, uint8_t hdr)
{
	if (M.nf >= M_MAX_FN)
		abort();
	struct mfn *f = &M.f[M.nf++];

	memset(f, 0, sizeof(*f));
	f->seg = seg;
	f->dev = (uint8_t)dev;
	f->fn = (uint8_t)fn;
	f->sec_seg = -1;
	f->next_cap = 0x40;
	put(f->cfg, 0x00, 2, vendor);
	put(f->cfg, 0x02, 2, device);
	put(f->cfg, 0x08, 4, class24 << 8);
	f->cfg[0x0E] = hdr;
	f->wmask[0x04] = 0x07;		/* I/O, memory, bus master */
	f->wmask[0x3C] = 0xFF;
	return f;
}

int m_dev(int seg, int dev, int fn, uint16_t vendor, uint16_t device, uint32_t class24,
	  uint8_t pin)
{
	struct mfn *f = new_fn(seg, dev, fn, vendor, device, class24, 0);

	f->cfg[0x3D] = pin;
	return (int)(f - M.f);
}

static void set_mask(struct mfn *f, unsigned off, unsigned width, uint32_t mask)
{
	put(f->wmask, off, width, mask);
}

void m_bar(int fi, int i, uint64_t size, unsigned type)
{
	struct mfn *f = &M.f[fi];
	unsigned reg = 0x10 + 4 * i;
	uint64_t mask = ~(size - 1);

	f->bar_size[i] = size;
	if ((type & 0xF) == M_IO) {
		f->cfg[reg] = 0x1;
		set_mask(f, reg, 4, (uint32_t)mask & 0xFFFFFFFCu);
		return;
	}
	f->cfg[reg] = (type & M_PREF ? 0x8 : 0) | ((type & 0xF) == M_MEM64 ? 0x4 : 0);
	set_mask(f, reg, 4, (uint32_t)mask & 0xFFFFFFF0u);
	if ((type & 0xF) == M_MEM64)
		set_mask(f, reg + 4, 4, (uint32_t)(mask >> 32));
}

void m_rom(int fi, uint32_t size)
{
	struct mfn *f = &M.f[fi];
	unsigned reg = (f->cfg[0x0E] & 0x7F) ? 0x38 : 0x30;

	f->bar_size[6] = size;
	set_mask(f, reg, 4, (~(size - 1) & 0xFFFFF800u) | 1);
}

static uint8_t add_cap(struct mfn *f, uint8_t id, unsigned len)
{
	uint8_t off = f->next_cap;

	f->cfg[off] = id;
	f->cfg[off + 1] = f->cfg[0x34];		/* push on the front of the list */
	f->cfg[0x34] = off;
	f->cfg[0x06] |= 0x10;
	f->next_cap = (uint8_t)(off + ((len + 3) & ~3u));
	return off;
}

int m_bridge(int seg, int dev, int fn, uint16_t vendor, uint16_t device, unsigned feat,
	     uint8_t pcie_type, bool hotplug)
{
	struct mfn *f = new_fn(seg, dev, fn, vendor, device, 0x060400, 1);

	f->sec_seg = M.nseg++;
	set_mask(f, 0x18, 4, 0xFFFFFFFF);
	set_mask(f, 0x20, 4, 0xFFF0FFF0);
	if (feat & M_BR_IO) {
		f->cfg[0x1C] = f->cfg[0x1D] = 0x01;	/* 32-bit I/O */
		set_mask(f, 0x1C, 2, 0xF0F0);
		set_mask(f, 0x30, 4, 0xFFFFFFFF);
	}
	if (feat & M_BR_PREF) {
		set_mask(f, 0x24, 4, 0xFFF0FFF0);
		if (feat & M_BR_PREF64) {
			f->cfg[0x24] = f->cfg[0x26] = 0x01;
			set_mask(f, 0x28, 4, 0xFFFFFFFF);
			set_mask(f, 0x2C, 4, 0xFFFFFFFF);
		}
	}
	if (pcie_type != PCIE_TYPE_NONE) {
		uint8_t c = add_cap(f, 0x10, 0x3C);
		bool slot = pcie_type == PCIE_TYPE_ROOT_PORT || pcie_type == PCIE_TYPE_DOWNSTREAM;

		put(f->cfg, c + 2, 2, 0x2 | pcie_type << 4 | (slot ? 0x100 : 0));
		put(f->cfg, c + 0x14, 4, hotplug ? 0x40 : 0);
	} else if (hotplug) {
		add_cap(f, 0x0C, 8);	/* SHPC */
	}
	return (int)(f - M.f);
}

int m_sec_seg(int fi)
{
	return M.f[fi].sec_seg;
}

void m_reserve_cap(int fi, uint32_t bus, uint64_t io, uint32_t mem, uint32_t pref32,
		   uint64_t pref64)
{
	struct mfn *f = &M.f[fi];
	uint8_t c = add_cap(f, 0x09, 32);

	f->cfg[c + 2] = 32;
	f->cfg[c + 3] = 1;
	put(f->cfg, c + 4, 4, bus);
	put(f->cfg, c + 8, 4, (uint32_t)io);
	put(f->cfg, c + 12, 4, (uint32_t)(io >> 32));
	put(f->cfg, c + 16, 4, mem);
	put(f->cfg, c + 20, 4, pref32);
	put(f->cfg, c + 24, 4, (uint32_t)pref64);
	put(f->cfg, c + 28, 4, (uint32_t)(pref64 >> 32));
}

/* Segment that bus number 'bus' reaches, following bridges as hardware would. */
static int seg_for_bus(unsigned bus, int seg, unsigned segbus, int depth)
{
	if (bus == segbus)
		return seg;
	if (depth > 64)
		return -1;
	for (int i = 0; i < M.nf; i++) {
		const struct mfn *f = &M.f[i];
		unsigned sec = f->cfg[0x19], sub = f->cfg[0x1A];

		if (f->seg == seg && f->sec_seg >= 0 && sec && bus >= sec && bus <= sub)
			return seg_for_bus(bus, f->sec_seg, sec, depth + 1);
	}
	return -1;
}

static struct mfn *route(uint16_t bdf)
{
	int seg = seg_for_bus(PCI_BUS(bdf), 0, 0, 0);

	for (int i = 0; seg >= 0 && i < M.nf; i++)
		if (M.f[i].seg == seg && M.f[i].dev == PCI_DEV(bdf) && M.f[i].fn == PCI_FN(bdf))
			return &M.f[i];
	return NULL;
}

static bool multifunction(const struct mfn *f)
{
	for (int i = 0; i < M.nf; i++)
		if (M.f[i].seg == f->seg && M.f[i].dev == f->dev && M.f[i].fn)
			return true;
	return false;
}

static uint32_t m_read(void *ctx, uint16_t bdf, uint16_t off, unsigned width)
{
	struct mfn *f = route(bdf);

	M.reads++;
	if (!f || off + width > 256)
		return width == 4 ? 0xFFFFFFFF : (1u << (8 * width)) - 1;
	uint32_t v = get(f->cfg, off, width);

	if (off <= 0x0E && off + width > 0x0E && f->fn == 0 && multifunction(f))
		v |= 0x80u << (8 * (0x0E - off));
	return v;
}

/* BAR, ROM and window registers: must never change while the function decodes. */
static bool is_addr_reg(const struct mfn *f, unsigned off)
{
	if (f->cfg[0x0E] & 0x7F)
		return (off >= 0x10 && off < 0x18) || (off >= 0x1C && off < 0x1E) ||
		       (off >= 0x20 && off < 0x34) || (off >= 0x38 && off < 0x3C);
	return (off >= 0x10 && off < 0x28) || (off >= 0x30 && off < 0x34);
}

static void m_write(void *ctx, uint16_t bdf, uint16_t off, unsigned width, uint32_t v)
{
	struct mfn *f = route(bdf);

	M.writes++;
	M.seq++;
	if (!f || off + width > 256)
		return;
	if (is_addr_reg(f, off)) {
		if (f->cfg[0x04] & 0x3)
			M.addr_writes_while_decoding++;
		M.last_addr_write = M.seq;
	}
	for (unsigned i = 0; i < width; i++) {
		uint8_t m = f->wmask[off + i];

		f->cfg[off + i] = (uint8_t)((f->cfg[off + i] & ~m) | ((v >> (8 * i)) & m));
	}
	if (off == 0x04 && (f->cfg[0x04] & 0x3) && M.first_decode_on == ~0u)
		M.first_decode_on = M.seq;
}

static void m_log(void *ctx, const char *line)
{
	if (M.loglen < sizeof(M.log))
		M.loglen += (size_t)snprintf(M.log + M.loglen, sizeof(M.log) - M.loglen, "%s\n", line);
	if (M.loglen > sizeof(M.log))
		M.loglen = sizeof(M.log);
	if (getenv("PCI_TEST_VERBOSE"))
		printf("%s\n", line);
}

/* The Q35 chipset's functions are left alone, as on the firmware's Q35 (tests use its host bridge). */
const struct pci_access model_access = { m_read, m_write, m_log, NULL, chipset_q35_funcs };

uint64_t m_bar_addr(int fi, int i)
{
	const struct mfn *f = &M.f[fi];

	if (i == 6)
		return get(f->cfg, (f->cfg[0x0E] & 0x7F) ? 0x38 : 0x30, 4) & 0xFFFFF800u;
	uint32_t lo = get(f->cfg, 0x10 + 4 * i, 4);

	if (lo & 1)
		return lo & ~3u;
	uint64_t a = lo & ~0xFu;

	if ((lo & 0x6) == 0x4)
		a |= (uint64_t)get(f->cfg, 0x14 + 4 * i, 4) << 32;
	return a;
}

uint16_t m_cmd(int fi)
{
	return (uint16_t)get(M.f[fi].cfg, 0x04, 2);
}

uint8_t m_reg8(int fi, uint8_t off)
{
	return M.f[fi].cfg[off];
}

bool m_window(int fi, int w, uint64_t *base, uint64_t *limit)
{
	const uint8_t *c = M.f[fi].cfg;

	/* Unimplemented optional windows read as zero and decode nothing. */
	if ((w == PCI_WIN_IO && !M.f[fi].wmask[0x1C]) || (w == PCI_WIN_PREF && !M.f[fi].wmask[0x24]))
		return false;
	if (w == PCI_WIN_IO) {
		*base = (uint64_t)(c[0x1C] & 0xF0) << 8 | (uint64_t)get(c, 0x30, 2) << 16;
		*limit = (uint64_t)(c[0x1D] & 0xF0) << 8 | 0xFFF | (uint64_t)get(c, 0x32, 2) << 16;
	} else {
		unsigned r = w == PCI_WIN_MEM ? 0x20 : 0x24;

		*base = (uint64_t)(get(c, r, 2) & 0xFFF0) << 16;
		*limit = (uint64_t)(get(c, r + 2, 2) & 0xFFF0) << 16 | 0xFFFFF;
		if (w == PCI_WIN_PREF && (c[0x24] & 0xF) == 1) {
			*base |= (uint64_t)get(c, 0x28, 4) << 32;
			*limit |= (uint64_t)get(c, 0x2C, 4) << 32;
		}
	}
	return *base <= *limit;
}

bool m_logged(const char *s)
{
	return strstr(M.log, s) != NULL;
}
