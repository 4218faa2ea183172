/* SPDX-License-Identifier: MIT */
/* Log output of the enumerator: names, reasons and the final plan table. */
#include "pci_int.h"
#include <stdarg.h>

void pci_logf(const struct pci_access *a, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (!a->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	a->log(a->ctx, line);
}

void pci_func_name(const struct pci_func *f, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x.%x %04x:%04x", PCI_BUS(f->bdf), PCI_DEV(f->bdf),
		 PCI_FN(f->bdf), f->vendor, f->device);
}

const char *pci_reason_name(unsigned int reason)
{
	switch (reason) {
	case PCI_R_NO_WINDOW:
		return "bridge above has no window of this type";
	case PCI_R_PARENT:
		return "bridge window above was refused";
	case PCI_R_TABLE:
		return "enumerator table full";
	case PCI_R_PLANNER:
		return "planner failed";
	default:
		return plan_reason_name(reason);
	}
}

static const char *res_label(const struct pci_res *r, char *buf, size_t len)
{
	static const char *const win[] = { "win-io", "win-mem", "win-pref" };

	if (r->bar >= PLAN_BAR_WIN_IO)
		return win[r->bar - PLAN_BAR_WIN_IO];
	if (r->bar == PLAN_BAR_ROM)
		return "ROM";
	snprintf(buf, len, "BAR%u", r->bar);
	return buf;
}

static const char *res_type(const struct pci_res *r)
{
	if (r->p.kind == PLAN_IO)
		return "io";
	if (r->p.flags & PLAN_F_PREF)
		return r->p.kind == PLAN_MEM64 ? "mem64-pref" : "mem32-pref";
	return r->p.kind == PLAN_MEM64 ? "mem64" : "mem32";
}

void pci_log_plan(const struct pci_topo *t, const struct pci_access *a)
{
	char name[24], bar[8];

	pci_logf(a, "pci: %-17s %-8s %-10s %-12s %-18s %s", "device", "res", "type", "size",
		 "address", "placement");
	for (unsigned i = 0; i < t->nr; i++) {
		const struct pci_res *r = &t->r[i];
		const char *how = r->p.status != PLAN_ST_PLACED ? "REFUSED" :
				  r->p.pinned ? "pinned" : "moved";

		/* An empty window stays closed: nothing to show. */
		if (r->bar >= PLAN_BAR_WIN_IO && r->p.status == PLAN_ST_PLACED && !r->p.span)
			continue;
		pci_func_name(&t->f[r->func], name, sizeof(name));
		pci_logf(a, "pci: %-17s %-8s %-10s 0x%010llx 0x%016llx %s", name,
			 res_label(r, bar, sizeof(bar)), res_type(r),
			 (unsigned long long)(r->p.status == PLAN_ST_PLACED ? r->p.span : r->p.size),
			 (unsigned long long)(r->p.status == PLAN_ST_PLACED ? r->p.addr : 0), how);
	}
	for (unsigned i = 0; i < t->nb; i++) {
		const struct pci_bridge *b = &t->b[i];

		pci_func_name(&t->f[b->func], name, sizeof(name));
		pci_logf(a, "pci: %s bus %02x-%02x%s%s", name, b->secondary, b->subordinate,
			 b->hotplug ? " hot-plug" : "", b->has_rsv ? " reserve-cap" : "");
	}
}

/*
 * The hole a Xen admin must allow: xl's mmio_hole= is the size of
 * [start, 4 GiB) in MiB. When 32-bit demand was refused, name the value
 * that would have held all of it.
 */
void pci_log_windows(const struct pci_access *a, const struct pci_windows *w)
{
	unsigned long long start = w->hole_start, mib = w->hole_size >> 20;

	if (!w->mmio_hole_mib)
		pci_logf(a, "pci: no 32-bit hole planned");
	else if (w->need_more_hole)
		pci_logf(a, "pci: hole 0x%llx-0xffffffff (%llu MiB) too small, 32-bit demand refused; "
			 "mmio_hole=%u (hole from 0x%llx) would hold it", start, mib,
			 w->mmio_hole_mib, (unsigned long long)w->need_hole_start);
	else if (!w->hole_size)
		pci_logf(a, "pci: no 32-bit hole in use, mmio_hole=%u (the least xl takes) is enough",
			 w->mmio_hole_mib);
	else
		pci_logf(a, "pci: hole 0x%llx-0xffffffff (%llu MiB), mmio_hole=%u holds all 32-bit "
			 "demand", start, mib, w->mmio_hole_mib);
	/* The first 32-bit window keeps its place in the line; others follow the ECAM. */
	char more[4 + ACPI_MAX_MEM32 * 40] = "";
	size_t n = 0;

	for (unsigned i = 1; i < ACPI_MAX_MEM32; i++)
		if (w->mem32[i].len)
			n += (size_t)snprintf(more + n, sizeof(more) - n, "%s 0x%llx+0x%llx",
					      n ? "" : ", more mem32",
					      (unsigned long long)w->mem32[i].base,
					      (unsigned long long)w->mem32[i].len);
	pci_logf(a, "pci: mem32 0x%llx+0x%llx, mem64 0x%llx+0x%llx, io 0x%llx+0x%llx, "
		 "ecam 0x%llx+0x%llx%s, %u bridges for ACPI", (unsigned long long)w->mem32[0].base,
		 (unsigned long long)w->mem32[0].len, (unsigned long long)w->mem64_base,
		 (unsigned long long)w->mem64_len, (unsigned long long)w->io_base,
		 (unsigned long long)w->io_len, (unsigned long long)w->ecam_base,
		 (unsigned long long)w->ecam_len, more, w->bridges.n);
	if (w->mem32_joined)
		pci_logf(a, "pci: the hole less reservations and ECAM is more than %u ranges; the "
			 "closest were joined across the reservations between them", ACPI_MAX_MEM32);
}
