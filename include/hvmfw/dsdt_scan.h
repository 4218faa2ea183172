/* SPDX-License-Identifier: MIT */
/*
 * Reading a device model's own DSDT for what only it knows: which PCI
 * buses it hot-plugs through ACPI and under which bus selector (QEMU's
 * BSEL, numbered in an order the guest cannot see). Pure code.
 */
#ifndef HVMFW_DSDT_SCAN_H
#define HVMFW_DSDT_SCAN_H

#include <hvmfw/compiler.h>

#define DSDT_HP_MAX_BUSES 64
#define DSDT_HP_MAX_DEPTH 8

/* One bus with a selector: the bridge it is behind, as a chain of devfns from \_SB.PCI0. */
struct dsdt_hp_bus {
	uint8_t depth;                          /* 0: PCI0's own bus (the root) */
	uint8_t devfn[DSDT_HP_MAX_DEPTH];       /* dev << 3 | fn, outermost first */
	uint32_t bsel;
	uint32_t slots;                         /* bit n: a hot-plug slot n (a device with _SUN) */
};

struct dsdt_hp {
	unsigned n;
	struct dsdt_hp_bus bus[DSDT_HP_MAX_BUSES];
};

/*
 * Scan a DSDT (header included) for devices under \_SB.PCI0 that declare
 * Name (BSEL, n), with their _ADR chain and the slots below them that
 * declare _SUN. Only what is needed is parsed: scopes, devices and Name
 * objects; methods, fields and everything else are skipped by their
 * length, and an object the scanner does not know ends the scan of its
 * scope (never a read outside the table). Returns 0, or -1 when the table
 * is not a DSDT with a sane length or more than the limits' worth of
 * objects was found (*why says which).
 */
int dsdt_scan_hotplug(const uint8_t *dsdt, uint32_t len, struct dsdt_hp *out, const char **why);

struct acpi_pci_bridges;

/*
 * Give each bridge of br the selector and slots the scan found for the bus
 * behind it (matched by devfn chain); buses without such a bridge are
 * reported to unmatched with the reason. Returns the bridges given one.
 */
unsigned dsdt_hp_apply(const struct dsdt_hp *hp, struct acpi_pci_bridges *br,
		       void (*unmatched)(const struct dsdt_hp_bus *b, const char *why));

#endif
