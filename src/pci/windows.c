/* SPDX-License-Identifier: MIT */
/* What the host bridge decodes after the plan: the PCI0 windows and bridges for ACPI. */
#include "pci_int.h"
#include <hvmfw/acpi.h>

#define IOAPIC_BASE	0xFEC00000ull
#define IO_SPACE_BASE	0x1000u
#define IO_SPACE_END	0x10000u

/* End of a range, saturated so a range reaching 2^64 still compares right. */
static uint64_t range_end(uint64_t base, uint64_t size)
{
	return base + size < base ? UINT64_MAX : base + size;
}

/* The lowest cut (reservation or ECAM) that still covers something at or above pos. */
static bool next_cut(const struct pci_plan *pl, uint64_t pos, uint64_t *cb, uint64_t *ce)
{
	const struct plan_input *in = &pl->in;
	bool found = false;

	for (size_t i = 0; i <= in->nmem_reserved; i++) {
		uint64_t b, e;

		if (i < in->nmem_reserved) {
			b = in->mem_reserved[i].base;
			e = range_end(b, in->mem_reserved[i].size);
		} else if (pl->ecam_base && pl->ecam_size) {
			b = pl->ecam_base;
			e = range_end(b, pl->ecam_size);
		} else {
			break;
		}
		if (e > b && e > pos && (!found || b < *cb)) {
			*cb = b;
			*ce = e;
			found = true;
		}
	}
	return found;
}

/* Join the two neighbours with the smallest gap between them that does not hold the ECAM. */
static void join_closest(const struct pci_plan *pl, struct acpi_window *p, unsigned *n)
{
	unsigned best = 0;
	uint64_t gap = UINT64_MAX;

	for (unsigned i = 0; i + 1 < *n; i++) {
		uint64_t gb = p[i].base + p[i].len, ge = p[i + 1].base;
		bool ecam = pl->ecam_base && pl->ecam_size && pl->ecam_base < ge &&
			    gb < pl->ecam_base + pl->ecam_size;

		if (!ecam && ge - gb < gap) {
			gap = ge - gb;
			best = i;
		}
	}
	p[best].len = p[best + 1].base + p[best + 1].len - p[best].base;
	for (unsigned i = best + 1; i + 1 < *n; i++)
		p[i] = p[i + 1];
	(*n)--;
}

/*
 * The 32-bit windows: [hole floor, IOAPIC) less every reservation and the
 * ECAM, wherever the plan put it, lowest first. The floor is the lowest
 * start the hole could have taken (the top of low RAM, 4 GiB - mmio_hole on
 * Xen, hole-min): what the plan left free below its own hole is the OS's for
 * devices that arrive later. More pieces than ACPI carries: the closest
 * neighbours are joined across the reserved range between them (never
 * across the ECAM, which must not be a window).
 */
static void fill_mem32(const struct pci_plan *pl, struct pci_windows *w)
{
	struct acpi_window p[ACPI_MAX_MEM32 + 1];
	uint64_t pos = MIN(pl->out.hole_floor, pl->out.hole_start), top = IOAPIC_BASE, cb = 0,
		 ce = 0;
	unsigned n = 0;

	while (pos < top) {
		bool cut = next_cut(pl, pos, &cb, &ce);
		uint64_t end = cut ? MIN(cb, top) : top;

		if (end > pos) {
			p[n++] = (struct acpi_window){ pos, end - pos };
			if (n > ACPI_MAX_MEM32) {
				join_closest(pl, p, &n);
				w->mem32_joined = true;
			}
		}
		if (!cut)
			break;
		pos = MAX(pos, ce);
	}
	for (unsigned i = 0; i < n; i++)
		w->mem32[i] = p[i];
}

void pci_windows_fill(const struct pci_topo *t, const struct pci_plan *pl,
		      struct pci_windows *w)
{
	const struct plan_input *in = &pl->in;
	const struct plan_output *out = &pl->out;
	uint64_t hole = out->hole_start;

	memset(w, 0, sizeof(*w));
	w->bus_start = 0;
	/* With ECAM the bus range must match MCFG; without, leave room for hot-plug. */
	w->bus_end = pl->ecam_base ? (uint8_t)((pl->ecam_size >> 20) - 1) : 0xFF;
	if (w->bus_end < t->last_bus)
		w->bus_end = t->last_bus;
	w->io_base = in->io_base || in->io_limit ? in->io_base : IO_SPACE_BASE;
	w->io_len = (in->io_base || in->io_limit ? in->io_limit : IO_SPACE_END) - w->io_base;

	for (unsigned i = 0; i < t->nf; i++)
		if (t->f[i].parent < 0)
			w->bus0_slots |= 1u << ((t->f[i].bdf >> 3) & 31);
	w->hole_start = hole;
	w->hole_size = out->hole_size;
	w->need_hole_start = out->need_hole_start;
	w->mmio_hole_mib = out->mmio_hole_mib;
	w->need_more_hole = out->need_more_hole || w->need_hole_start < hole;
	fill_mem32(pl, w);
	if (out->high_end > out->high_base) {
		w->mem64_base = out->high_base;
		w->mem64_len = out->high_end - out->high_base;
	}
	if (pl->ecam_base) {
		w->ecam_base = pl->ecam_base;
		w->ecam_len = pl->ecam_size;
	}
	pci_bridges_describe(t, &w->bridges);
}

void pci_windows_to_acpi(const struct pci_windows *w, struct acpi_config *cfg)
{
	cfg->bus_start = w->bus_start;
	cfg->bus_end = w->bus_end;
	cfg->io.base = w->io_base;
	cfg->io.len = w->io_len;
	for (unsigned i = 0; i < ACPI_MAX_MEM32; i++)
		cfg->mem32[i] = w->mem32[i];
	cfg->mem64.base = w->mem64_base;
	cfg->mem64.len = w->mem64_len;
	cfg->ecam.base = w->ecam_base;
	cfg->ecam.len = w->ecam_len;
	cfg->bridges = w->bridges;
	cfg->bus0_slots = w->bus0_slots;
}
