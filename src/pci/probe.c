/* SPDX-License-Identifier: MIT */
/*
 * Phase 1 details: size a function's BARs and ROM, find out which windows
 * a bridge implements and read the capabilities the planner needs.
 * Sizing writes all-ones and reads back once; the original value is not
 * kept because apply rewrites every BAR anyway (fewer traps under Xen).
 */
#include "pci_int.h"

/*
 * A BAR the table has no room for: named with its size, and only the decode
 * of its own space goes off (a ROM never decodes: its enable bit stays clear).
 * The register is cleared so the sizing pattern does not stay behind.
 */
static void leave_out_bar(struct pci_topo *t, const struct pci_access *a, struct pci_func *f,
			  uint8_t bar, uint8_t reg, bool is64, bool io, uint64_t size)
{
	char name[24], label[8];

	pci_func_name(f, name, sizeof(name));
	if (bar == PLAN_BAR_ROM)
		snprintf(label, sizeof(label), "ROM");
	else
		snprintf(label, sizeof(label), "BAR%u", bar);
	pci_logf(a, "pci: %s %s (0x%llx bytes) left out: resource table full (%u entries); %s "
		 "decode left off", name, label, (unsigned long long)size, PCI_MAX_RES,
		 bar == PLAN_BAR_ROM ? "ROM" : io ? "I/O" : "memory");
	if (bar != PLAN_BAR_ROM)
		f->off |= io ? PCI_OFF_IO : PCI_OFF_MEM;
	wr32(a, f->bdf, reg, 0);
	if (is64)
		wr32(a, f->bdf, reg + 4, 0);
	t->dropped++;
}

static struct pci_res *add_res(struct pci_topo *t, struct pci_func *f, uint8_t bar, uint8_t reg)
{
	if (t->nr >= PCI_MAX_RES)
		return NULL;
	struct pci_res *r = &t->r[t->nr++];

	memset(r, 0, sizeof(*r));
	r->func = (uint16_t)(f - t->f);
	r->bar = bar;
	r->reg = reg;
	r->parent = f->parent;
	r->p.owner = PLAN_OWNER(PCI_BUS(f->bdf), PCI_DEV(f->bdf), PCI_FN(f->bdf), bar);
	return r;
}

/* Memory smaller than a page still gets a page of its own, as Linux expects. */
static void set_mem(struct pci_res *r, uint64_t size, uint8_t kind, uint8_t flags)
{
	r->p.kind = kind;
	r->p.flags = flags;
	r->p.size = size;
	r->p.align = MAX(size, KiB(4));
}

void pci_probe_bars(struct pci_topo *t, const struct pci_access *a, struct pci_func *f)
{
	unsigned nbars = f->hdr == 0 ? 6 : 2;
	uint8_t rom_reg = f->hdr == 0 ? PCI_ROM0 : PCI_ROM1;

	for (unsigned i = 0; i < nbars; i++) {
		uint8_t reg = (uint8_t)(PCI_BAR0 + 4 * i);

		wr32(a, f->bdf, reg, 0xFFFFFFFF);
		uint32_t v = rd32(a, f->bdf, reg);

		if (v == 0 || v == 0xFFFFFFFF)
			continue;
		if (v & PCI_BAR_IO) {
			/* 16-bit decoders leave the upper half zero. */
			uint32_t size = ~((v & ~3u) | 0xFFFF0000u) + 1;
			struct pci_res *r = size ? add_res(t, f, (uint8_t)i, reg) : NULL;

			if (r) {
				r->p.kind = PLAN_IO;
				r->p.size = r->p.align = size;
			} else if (size) {
				leave_out_bar(t, a, f, (uint8_t)i, reg, false, true, size);
			}
			continue;
		}
		uint8_t flags = (v & PCI_BAR_PREF) ? PLAN_F_PREF : 0;
		uint64_t mask = v & ~0xFu;
		bool is64 = (v & 0x6) == PCI_BAR_MEM_64 && i + 1 < nbars;

		if (is64) {
			wr32(a, f->bdf, reg + 4, 0xFFFFFFFF);
			mask |= (uint64_t)rd32(a, f->bdf, reg + 4) << 32;
		} else {
			mask |= 0xFFFFFFFF00000000ull;
		}
		uint64_t size = ~mask + 1;
		struct pci_res *r = (mask && size) ? add_res(t, f, (uint8_t)i, reg) : NULL;

		if (r) {
			set_mem(r, size, is64 ? PLAN_MEM64 : PLAN_MEM32, flags);
			r->is64 = is64;
		} else if (mask && size) {
			leave_out_bar(t, a, f, (uint8_t)i, reg, is64, false, size);
		}
		if (is64)
			i++;
	}

	/* Expansion ROM: size with the enable bit clear; it stays clear. */
	wr32(a, f->bdf, rom_reg, PCI_ROM_ADDR_MASK);
	uint32_t v = rd32(a, f->bdf, rom_reg) & PCI_ROM_ADDR_MASK;

	if (v) {
		struct pci_res *r = add_res(t, f, PLAN_BAR_ROM, rom_reg);

		if (r)
			set_mem(r, (uint64_t)(~v + 1), PLAN_MEM32, PLAN_F_ROM);
		else
			leave_out_bar(t, a, f, PLAN_BAR_ROM, rom_reg, false, false,
				      (uint64_t)(~v + 1));
	}
}

static uint64_t rsv32(uint32_t v)
{
	return v == 0xFFFFFFFF ? PCI_RSV_NONE : v;
}

static void read_reserve(const struct pci_access *a, uint16_t bdf, uint8_t cap,
			 struct pci_bridge *b)
{
	uint64_t io = rd32(a, bdf, cap + RSV_IO) | (uint64_t)rd32(a, bdf, cap + RSV_IO + 4) << 32;
	uint64_t p64 = rd32(a, bdf, cap + RSV_PREF64) |
		       (uint64_t)rd32(a, bdf, cap + RSV_PREF64 + 4) << 32;

	b->has_rsv = true;
	b->rsv_bus = rsv32(rd32(a, bdf, cap + RSV_BUS));
	b->rsv_io = io;
	b->rsv_mem = rsv32(rd32(a, bdf, cap + RSV_MEM));
	b->rsv_pref32 = rsv32(rd32(a, bdf, cap + RSV_PREF32));
	b->rsv_pref64 = p64;
}

static void read_caps(const struct pci_access *a, uint16_t bdf, uint16_t vendor,
		      struct pci_bridge *b)
{
	uint8_t ptr = rd8(a, bdf, PCI_CAP_PTR) & 0xFC;

	/* A capability list cannot hold more than 48 entries; stop a looping list. */
	for (unsigned n = 0; ptr >= 0x40 && n < 48; n++) {
		uint32_t hdr = rd32(a, bdf, ptr);
		uint8_t id = hdr & 0xFF;

		if (id == PCI_CAP_EXP) {
			uint16_t flags = (uint16_t)(hdr >> 16);

			b->pcie_type = (flags >> 4) & 0xF;
			if ((flags & 0x100) && (b->pcie_type == PCIE_TYPE_ROOT_PORT ||
						b->pcie_type == PCIE_TYPE_DOWNSTREAM))
				b->hotplug = rd32(a, bdf, ptr + PCIE_SLOT_CAP) & 0x40;
		} else if (id == PCI_CAP_SHPC) {
			b->hotplug = true;
		} else if (id == PCI_CAP_VENDOR && vendor == PCI_VENDOR_REDHAT &&
			   ((hdr >> 16) & 0xFF) >= RSV_MIN_LEN && (hdr >> 24) == 1) {
			read_reserve(a, bdf, ptr, b);
		}
		ptr = (hdr >> 8) & 0xFC;
	}
}

void pci_probe_bridge(struct pci_topo *t, const struct pci_access *a, struct pci_bridge *b,
		      bool has_caps)
{
	const struct pci_func *f = &t->f[b->func];

	b->pcie_type = PCIE_TYPE_NONE;
	b->rsv_bus = b->rsv_io = b->rsv_mem = b->rsv_pref32 = b->rsv_pref64 = PCI_RSV_NONE;
	for (int w = 0; w < PCI_WIN_N; w++)
		b->win[w] = -1;

	/* Optional windows read as zero when not implemented; apply closes what we open here. */
	wr16(a, f->bdf, PCI_IO_BASE, 0xF0F0);
	b->has_io = rd16(a, f->bdf, PCI_IO_BASE) != 0;
	wr32(a, f->bdf, PCI_PREF_BASE, 0xFFF0FFF0);
	uint32_t pref = rd32(a, f->bdf, PCI_PREF_BASE);

	b->has_pref = pref != 0;
	b->pref64 = (pref & 0xF) == PCI_PREF_64;
	if (has_caps)
		read_caps(a, f->bdf, f->vendor, b);
}
