/* SPDX-License-Identifier: MIT */
/*
 * PCI/PCIe enumeration for the firmware: scan every bus, plan the MMIO hole
 * and I/O space with the planner, program BARs, bridge windows, ECAM (Q35)
 * and interrupt lines, and report the host-bridge windows for ACPI.
 */
#ifndef HVMFW_PCI_H
#define HVMFW_PCI_H

#include <hvmfw/chipset.h>
#include <hvmfw/e820.h>
#include <hvmfw/plan.h>

/* A BAR the configuration wants at a fixed address (1:1 pass-through). bar: 0-5, 6 = ROM. */
struct pci_pin {
	uint16_t bdf;
	uint8_t bar;
	uint64_t addr;
};

/* What the host bridge decodes once pci_setup is done (len 0: no such window). */
struct pci_windows {
	uint8_t bus_start, bus_end;
	uint64_t io_base, io_len;
	/* The hole less reservations and ECAM, lowest first; len 0: unused. */
	struct acpi_window mem32[ACPI_MAX_MEM32];
	bool mem32_joined;		/* more pieces than that: the closest were joined */
	uint64_t mem64_base, mem64_len;
	uint64_t ecam_base, ecam_len;
	uint64_t hole_start;		/* 32-bit MMIO hole is [hole_start, 4 GiB) */
	uint64_t hole_size;		/* 0: no plan (planner failed) */
	uint64_t need_hole_start;	/* hole start that would hold all 32-bit demand */
	uint32_t mmio_hole_mib;		/* xl mmio_hole= for need_hole_start */
	bool need_more_hole;		/* 32-bit demand was refused for lack of hole */
	struct acpi_pci_bridges bridges; /* for the bridges' _PRT in the SSDT */
	uint32_t bus0_slots;		/* bit n: a device sits in slot n of bus 0 */
};

/* What the platform tells the enumerator about guest memory. */
struct pci_platform {
	/* MMIO below 4 GiB that no BAR may take (APICs, HPET, firmware, platform pages). */
	const struct plan_range *reserved;
	size_t nreserved;
	/* Lowest start the 32-bit hole may take (0: no limit). */
	uint64_t hole_min;
	/*
	 * Non-NULL when low RAM under a larger hole may move above 4 GiB: called
	 * with the bytes to move before anything is programmed; nonzero = failed.
	 */
	int (*relocate_ram)(uint64_t bytes);
};

/*
 * Enumerate, plan with the given platform inputs, program. ram = platform
 * RAM map, pins = pinned BARs from the configuration (may be NULL/0). Never
 * panics for a device problem: logs one line naming the device and continues
 * without it. Reserves the ECAM window (Q35) in the payload's e820 via
 * layout_reserve.
 */
void pci_setup(const struct chipset *cs, const struct e820_map *ram,
	       const struct pci_platform *pp, const struct pci_pin *pins, size_t npins,
	       struct pci_windows *out);

/* Copy the windows and bridges into the ACPI description (PCI0 _CRS, MCFG, _PRT). */
void pci_windows_to_acpi(const struct pci_windows *w, struct acpi_config *cfg);

struct pci_topo;
struct pci_access;

/* The bridges of a finished scan as ACPI describes them (pci_windows_fill calls it). */
void pci_bridges_describe(const struct pci_topo *t, struct acpi_pci_bridges *out);

/* Log the hole (start, MiB, the xl mmio_hole= that fits all 32-bit demand) and the windows. */
void pci_log_windows(const struct pci_access *a, const struct pci_windows *w);

#endif
