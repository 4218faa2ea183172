/* SPDX-License-Identifier: MIT */
/* What the host bridge decodes after the plan: the PCI0 windows and bridges for ACPI. */
#include "pci_int.h"
#include <hvmfw/acpi.h>

#define IOAPIC_BASE	0xFEC00000ull
#define PLAN_4G_BYTES	0x100000000ull
#define IO_SPACE_BASE	0x1000u
#define IO_SPACE_END	0x10000u

void pci_windows_fill(const struct pci_topo *t, const struct pci_plan *pl,
		      struct pci_windows *w)
{
	const struct plan_input *in = &pl->in;
	const struct plan_output *out = &pl->out;
	uint64_t hole = out->hole_start, top = IOAPIC_BASE;

	memset(w, 0, sizeof(*w));
	w->bus_start = 0;
	/* With ECAM the bus range must match MCFG; without, leave room for hot-plug. */
	w->bus_end = pl->ecam_base ? (uint8_t)((pl->ecam_size >> 20) - 1) : 0xFF;
	if (w->bus_end < t->last_bus)
		w->bus_end = t->last_bus;
	w->io_base = in->io_base || in->io_limit ? in->io_base : IO_SPACE_BASE;
	w->io_len = (in->io_base || in->io_limit ? in->io_limit : IO_SPACE_END) - w->io_base;

	for (size_t i = 0; i < in->nmem_reserved; i++) {
		uint64_t b = in->mem_reserved[i].base;

		if (b >= hole && b < top)
			top = b;
	}
	for (unsigned i = 0; i < t->nf; i++)
		if (t->f[i].parent < 0)
			w->bus0_slots |= 1u << ((t->f[i].bdf >> 3) & 31);
	w->hole_start = hole;
	w->hole_size = out->hole_size;
	w->need_hole_start = MIN(out->need_hole_start, pl->pin_need_start);
	w->mmio_hole_mib = out->mmio_hole_mib;
	if (w->need_hole_start < out->need_hole_start)
		w->mmio_hole_mib = (uint32_t)MIN((PLAN_4G_BYTES - w->need_hole_start) >> 20, 3840);
	w->need_more_hole = out->need_more_hole || w->need_hole_start < hole;
	w->mem32_base = hole;
	if (pl->ecam_base && pl->ecam_base == hole)
		w->mem32_base = pl->ecam_base + pl->ecam_size;
	w->mem32_len = top > w->mem32_base ? top - w->mem32_base : 0;
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
	cfg->mem32.base = w->mem32_base;
	cfg->mem32.len = w->mem32_len;
	cfg->mem64.base = w->mem64_base;
	cfg->mem64.len = w->mem64_len;
	cfg->ecam.base = w->ecam_base;
	cfg->ecam.len = w->ecam_len;
	cfg->bridges = w->bridges;
	cfg->bus0_slots = w->bus0_slots;
}
