/* SPDX-License-Identifier: MIT */
/*
 * The PCI device table and the three pure phases that fill and use it:
 * scan (walk buses, number bridges, size BARs), plan (bridge windows
 * bottom-up, plan_solve for the top level, addresses top-down) and apply
 * (program everything, decode on last). No I/O of its own: config space is
 * reached through a pci_access, so host tests can drive it with a model.
 */
#ifndef HVMFW_PCI_TOPO_H
#define HVMFW_PCI_TOPO_H

#include <hvmfw/plan.h>
#include <hvmfw/pci.h>
#include <hvmfw/pci_cfg.h>

/*
 * Config space accessor; width is 1, 2 or 4. log gets one line without '\n'.
 * chipset: the functions the chipset code owns (struct chipset.funcs), which
 * the enumerator leaves alone; NULL: none, every function is enumerated.
 */
struct pci_access {
	uint32_t (*read)(void *ctx, uint16_t bdf, uint16_t off, unsigned width);
	void (*write)(void *ctx, uint16_t bdf, uint16_t off, unsigned width, uint32_t v);
	void (*log)(void *ctx, const char *line);
	void *ctx;
	const struct chipset_func *chipset;
};

/*
 * Limits of the static table. A device that does not fit is logged by name
 * and left alone (decode off, not numbered), the rest still works.
 */
#define PCI_MAX_FUNCS	256	/* functions, bridges included */
#define PCI_MAX_BRIDGES	64	/* PCI-PCI bridges and PCIe ports */
#define PCI_MAX_RES	512	/* BARs + ROMs */
/* Bridge windows have slots of their own after the BARs, so BARs never starve them. */
#define PCI_MAX_ENTRIES	(PCI_MAX_RES + PCI_WIN_N * PCI_MAX_BRIDGES)
#define PCI_MAX_DEPTH	16	/* bridge nesting */

enum pci_win { PCI_WIN_IO = 0, PCI_WIN_MEM = 1, PCI_WIN_PREF = 2, PCI_WIN_N = 3 };

/* Default reservation of an empty-able hot-plug port (no reserve capability). */
#define PCI_HP_IO	KiB(4)
#define PCI_HP_MEM	MiB(2)
#define PCI_HP_PREF	MiB(2)

/* Window granules fixed by the type-1 header encoding. */
#define PCI_IO_GRANULE	KiB(4)
#define PCI_MEM_GRANULE	MiB(1)

/* PCIe port types (PCIe capability, bits 7:4 of +2). */
#define PCIE_TYPE_ROOT_PORT	4
#define PCIE_TYPE_UPSTREAM	5
#define PCIE_TYPE_DOWNSTREAM	6
#define PCIE_TYPE_PCIE_TO_PCI	7
#define PCIE_TYPE_NONE		0xff

/* One BAR, ROM or bridge window. */
struct pci_res {
	struct plan_res p;	/* request; p.addr: offset in the parent window, then absolute */
	uint16_t func;		/* owning function (the bridge, for windows) */
	uint8_t bar;		/* 0-5, PLAN_BAR_ROM, PLAN_BAR_WIN_IO/MEM/PREF */
	uint8_t reg;		/* config offset of the BAR; 0 for windows */
	bool is64;		/* BAR has an upper dword at reg + 4 */
	int8_t parent;		/* bridge whose window holds it; -1: the host bridge */
	uint8_t pwin;		/* enum pci_win of that window */
};

/* Refusal reasons of our own, after the planner's (pci_res.p.reason). */
#define PCI_R_NO_WINDOW	(PLAN_R__COUNT + 1)	/* the bridge above has no such window */
#define PCI_R_PARENT	(PLAN_R__COUNT + 2)	/* the bridge window above was refused */
#define PCI_R_TABLE	(PLAN_R__COUNT + 3)	/* a table limit was hit */
#define PCI_R_PLANNER	(PLAN_R__COUNT + 4)	/* plan_solve failed as a whole */
const char *pci_reason_name(unsigned int reason);

/* pci_func.off: spaces whose decode stays off (something was refused). */
#define PCI_OFF_IO	(1u << 0)
#define PCI_OFF_MEM	(1u << 1)

struct pci_func {
	uint16_t bdf;
	uint16_t vendor, device;
	uint32_t class_rev;	/* config 0x08 */
	uint8_t hdr;		/* header type without the multi-function bit */
	uint8_t pin;		/* 0 none, 1 INTA .. 4 INTD */
	uint8_t irq;		/* interrupt line written by apply (0 none) */
	uint8_t off;		/* PCI_OFF_* */
	bool chipset;		/* owned by the chipset code: not sized, decode untouched */
	uint16_t cmd;		/* command register with decode bits cleared */
	int8_t parent;		/* bridge holding its bus; -1: bus 0 */
	int8_t bridge;		/* its own bridge index, -1 if not a bridge */
	uint16_t res_first, nres; /* its BARs/ROM in pci_topo.r */
};

/* QEMU resource-reserve capability values; PCI_RSV_NONE = no request. */
#define PCI_RSV_NONE	UINT64_MAX

struct pci_bridge {
	uint16_t func;
	int8_t parent;
	uint8_t depth;
	uint8_t secondary, subordinate;
	uint8_t pcie_type;	/* PCIE_TYPE_*, PCIE_TYPE_NONE for a PCI bridge */
	bool hotplug;		/* a slot that can receive devices later */
	bool has_io, has_pref, pref64;
	bool has_rsv;		/* resource-reserve capability present */
	uint64_t rsv_bus, rsv_io, rsv_mem, rsv_pref32, rsv_pref64;
	int16_t win[PCI_WIN_N];	/* index in pci_topo.r, -1: window closed */
};

struct pci_topo {
	struct pci_func f[PCI_MAX_FUNCS];
	struct pci_bridge b[PCI_MAX_BRIDGES];
	struct pci_res r[PCI_MAX_ENTRIES];
	unsigned nf, nb, nr;
	uint8_t last_bus;
	unsigned dropped;	/* devices or resources left out for a table limit */
	/* Working copies handed to the planner (children of one window, or the top level). */
	struct plan_res work[PCI_MAX_ENTRIES + 1];
	uint16_t work_idx[PCI_MAX_ENTRIES + 1];
	int16_t work_of[PCI_MAX_ENTRIES];	/* t->r index -> work index, -1 none */
};

/* Log through the accessor (printf-style, one line). */
void pci_logf(const struct pci_access *a, const char *fmt, ...) __printf(2, 3);
/* "00:1f.2 8086:2922" style name for logs. */
void pci_func_name(const struct pci_func *f, char *buf, size_t len);

/* Phase 1: walk from bus 0, number bridges, size every BAR (decode turned off). */
void pci_scan(struct pci_topo *t, const struct pci_access *a);
/* Probe one function's BARs/ROM into t->r (used by pci_scan). */
void pci_probe_bars(struct pci_topo *t, const struct pci_access *a, struct pci_func *f);
/* Probe a bridge's window support and capabilities (used by pci_scan). */
void pci_probe_bridge(struct pci_topo *t, const struct pci_access *a, struct pci_bridge *b,
		      bool has_caps);

/* Phase 2 input/output beyond the device table. */
struct pci_plan {
	struct plan_input in;		/* platform: RAM, reservations, spaces */
	const struct pci_pin *pins;
	size_t npins;
	uint64_t ecam_size;		/* 0: no ECAM to place */
	uint64_t ecam_align;		/* 256 MiB: old QEMU drops lower base bits */
	void *scratch;			/* for plan_solve */
	size_t scratch_bytes;
	/* results */
	struct plan_output out;
	uint64_t ecam_base;		/* 0 when not placed */
	int solve_rc;			/* plan_solve's return */
	unsigned refused;
};

/* Pins judged, then bridge windows bottom-up (adds window entries to t->r). */
void pci_size_windows(struct pci_topo *t, const struct pci_access *a, struct pci_plan *pl);
/* Top-level plan_solve, then absolute addresses top-down; refusals propagate. */
int pci_assign(struct pci_topo *t, const struct pci_access *a, struct pci_plan *pl);
/* Phase 2 as a whole: pci_size_windows + pci_assign. */
int pci_plan(struct pci_topo *t, const struct pci_access *a, struct pci_plan *pl);

/* Swizzle a function's pin up to bus 0: *slot = root slot, returns the pin there (0 none). */
uint8_t pci_swizzle(const struct pci_topo *t, const struct pci_func *f, uint8_t *slot);

/* Phase 3: program BARs, windows, interrupt lines; decode and bus mastering on last. */
void pci_apply(struct pci_topo *t, const struct pci_access *a,
	       uint8_t (*intx_irq)(uint8_t slot, uint8_t pin));

/*
 * The host-bridge windows that follow from a finished plan. The 32-bit
 * windows are [hole start, 0xFEC00000) less the platform reservations and
 * the ECAM window, wherever the plan put it: up to ACPI_MAX_MEM32 ranges,
 * lowest first (past that, the closest are joined across a reservation).
 */
void pci_windows_fill(const struct pci_topo *t, const struct pci_plan *pl,
		      struct pci_windows *w);

/*
 * Check a finished plan (after pci_plan; pci_apply does not change it).
 * Returns 0 when every rule holds, else -1 with one line in msg (len > 0)
 * naming the resources and both ranges [base, end) of the first violation:
 *  (i)   no two decoding ranges overlap (BARs, ROMs, open bridge windows,
 *        the ECAM, the platform reservations and RAM; RAM inside the hole
 *        only when in.may_relocate_ram), except a window with what is
 *        inside it; I/O and memory are separate spaces;
 *  (ii)  every placed resource lies inside the window above it (which must
 *        be open), and root-level memory inside the 32-bit hole or the
 *        64-bit window, root-level I/O below 64 KiB;
 *  (iii) every placed pin is exact;
 *  (iv)  nothing that decodes only below 4 GiB is above it: 32-bit BARs,
 *        ROMs, non-prefetchable windows, prefetchable windows of bridges
 *        without 64-bit support, and whatever sits inside such a window;
 *  (v)   every BAR not placed has its function's decode of that space off.
 * Plain pairwise checks, independent of the planner's code.
 */
int pci_verify(const struct pci_topo *t, const struct pci_plan *pl, char *msg, size_t len);

/* The final plan as a table, one line per resource. */
void pci_log_plan(const struct pci_topo *t, const struct pci_access *a);

#endif
