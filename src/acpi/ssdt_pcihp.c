/* SPDX-License-Identifier: MIT */
/*
 * ACPI PCI hot-plug as QEMU's PIIX4 and ICH9 (and qemu-xen's PIIX4, for xl
 * pci-attach/pci-detach) implement it: at pci_hotplug_port, 32-bit
 * registers with one bit per slot (devices that arrived, devices to
 * remove, eject on write, removable) for the bus the selector register
 * names, and GPE0 bit 1 on a change. Every access goes through one
 * serialized method, \_SB.PCI0.PCIO (select, then eject or read both
 * bitmaps), so a scan and an eject never interleave on the selector.
 *
 * A hot-plug bus (bus 0 when pci_hotplug_bus0, a bridge's secondary bus
 * when the device model gave it a selector) gets a device per slot (SLxx:
 * _ADR, _SUN, _EJ0) and a PCNT method that reads the bitmaps once (QEMU
 * clears "up" on read) and notifies each slot: 1 (check) for an arrival,
 * 3 (eject request) for a removal; \_GPE._E01 runs every PCNT. A slot's
 * _EJ0 writes its bit to the eject register, which is when the device
 * model takes the device away. Slots with an object of their own (the
 * host bridge, the DSDT's ISA bridge, bridges, whose SSDT devices carry
 * their _PRT) get no slot device.
 */
#include <hvmfw/acpi_tables.h>
#include <hvmfw/aml.h>
#include <hvmfw/string.h>
#include "ssdt_prt.h"

#define PCIHP_LEN 0x14          /* up, down, eject, removable, bus select */
#define SLOTS 32

static void slot_name(char name[5], unsigned s)
{
	static const char hex[] = "0123456789ABCDEF";

	name[0] = 'S';
	name[1] = 'L';
	name[2] = hex[(s >> 4) & 0xF];
	name[3] = hex[s & 0xF];
	name[4] = '\0';
}

/* Slots of bus 0 with an ACPI object of their own (bit n: slot n). */
static uint32_t bus0_taken(const struct acpi_config *cfg)
{
	uint32_t taken = 1u << 0;

	if (cfg->chipset == ACPI_CHIPSET_I440FX)
		taken |= 1u << 1;       /* PCI0.ISA in the DSDT */
	for (unsigned i = 0; i < cfg->bridges.n && i < ACPI_MAX_BRIDGES; i++)
		if (cfg->bridges.b[i].parent == ACPI_BRIDGE_ROOT && cfg->bridges.b[i].dev < SLOTS)
			taken |= 1u << cfg->bridges.b[i].dev;
	return taken;
}

/* The hot-plug slots behind bridge i: the device model's, less those of bridges. */
static uint32_t bridge_slots(const struct acpi_config *cfg, unsigned i)
{
	uint32_t slots = cfg->bridges.b[i].hp_slots;

	if (!cfg->pci_hotplug_port || !ssdt_bridge_valid(cfg, i))
		return 0;
	for (unsigned j = i + 1; j < cfg->bridges.n && j < ACPI_MAX_BRIDGES; j++)
		if (cfg->bridges.b[j].parent == i)
			slots &= ~(1u << (cfg->bridges.b[j].dev & 31));
	return slots;
}

static void slot_device(struct aml *a, unsigned s, uint8_t bsel)
{
	char name[5];

	slot_name(name, s);
	aml_device_open(a, name);
	aml_name_int(a, "_ADR", (uint32_t)s << 16);
	aml_name_int(a, "_SUN", s);
	aml_method_open(a, "_EJ0", 1, false);
	aml_namestring(a, "\\_SB.PCI0.PCIO");        /* PCIO (bsel, 1 << s) */
	aml_int(a, bsel);
	aml_int(a, 1ull << s);
	aml_close(a);
	aml_close(a);
}

/* If (And (Localn, 1 << s)) { Notify (SLxx, value) } */
static void notify_if(struct aml *a, enum aml_opcode local, unsigned s, unsigned value)
{
	char name[5];

	slot_name(name, s);
	aml_if_open(a);
	aml_op(a, AML_AND);
	aml_op(a, local);
	aml_int(a, 1ull << s);
	aml_op(a, AML_NULL_TARGET);
	aml_op(a, AML_NOTIFY);
	aml_namestring(a, name);
	aml_int(a, value);
	aml_close(a);
}

/* The slot devices and PCNT of one hot-plug bus, in the current scope. */
static void bus_slots(struct aml *a, uint8_t bsel, uint32_t slots)
{
	for (unsigned s = 0; s < SLOTS; s++)
		if (slots & (1u << s))
			slot_device(a, s, bsel);
	aml_method_open(a, "PCNT", 0, false);
	aml_op(a, AML_STORE);                   /* Store (PCIO (bsel, 0), Local0) */
	aml_namestring(a, "\\_SB.PCI0.PCIO");
	aml_int(a, bsel);
	aml_int(a, 0);
	aml_op(a, AML_LOCAL0);
	aml_op(a, AML_STORE);                   /* Store (PDWN, Local1) */
	aml_namestring(a, "\\_SB.PCI0.PDWN");
	aml_op(a, AML_LOCAL1);
	for (unsigned s = 0; s < SLOTS; s++) {
		if (!(slots & (1u << s)))
			continue;
		notify_if(a, AML_LOCAL0, s, 1);
		notify_if(a, AML_LOCAL1, s, 3);
	}
	aml_close(a);
}

void ssdt_pcihp_bridge(struct aml *a, const struct acpi_config *cfg, unsigned i)
{
	uint32_t slots = bridge_slots(cfg, i);

	if (slots)
		bus_slots(a, cfg->bridges.b[i].bsel, slots);
}

/* Method (PCIO, 2, Serialized): select Arg0; eject Arg1, or return up and keep down in PDWN. */
static void pcio(struct aml *a)
{
	aml_name_int(a, "PDWN", 0);
	aml_method_open(a, "PCIO", 2, true);
	aml_op(a, AML_STORE);
	aml_op(a, AML_ARG0);
	aml_namestring(a, "BNUM");
	aml_if_open(a);
	aml_op(a, (enum aml_opcode)(AML_ARG0 + 1));
	aml_op(a, AML_STORE);
	aml_op(a, (enum aml_opcode)(AML_ARG0 + 1));
	aml_namestring(a, "B0EJ");
	aml_return(a);
	aml_int(a, 0);
	aml_close(a);
	aml_op(a, AML_STORE);
	aml_namestring(a, "PCIU");
	aml_op(a, AML_LOCAL0);
	aml_op(a, AML_STORE);
	aml_namestring(a, "PCID");
	aml_namestring(a, "PDWN");
	aml_return(a);
	aml_op(a, AML_LOCAL0);
	aml_close(a);
}

void ssdt_pci_hotplug(struct aml *a, const struct acpi_config *cfg)
{
	bool any = cfg->pci_hotplug_bus0;
	char path[SSDT_BRIDGE_PATH_MAX];

	if (!cfg->pci_hotplug_port)
		return;
	for (unsigned i = 0; i < cfg->bridges.n && i < ACPI_MAX_BRIDGES; i++)
		any |= bridge_slots(cfg, i) != 0;
	if (!any)
		return;
	aml_scope_open(a, "\\_SB.PCI0");
	aml_region(a, "PCHP", AML_SYSTEM_IO, cfg->pci_hotplug_port, PCIHP_LEN);
	aml_field_open(a, "PCHP", AML_DWORD_ACC);
	aml_field_unit(a, "PCIU", 32);
	aml_field_unit(a, "PCID", 32);
	aml_field_unit(a, "B0EJ", 32);
	aml_field_unit(a, "PRMV", 32);
	aml_field_unit(a, "BNUM", 32);
	aml_close(a);
	pcio(a);
	if (cfg->pci_hotplug_bus0)
		bus_slots(a, 0, ~bus0_taken(cfg));
	aml_close(a);
	aml_scope_open(a, "\\_GPE");
	aml_method_open(a, "_E01", 0, false);
	if (cfg->pci_hotplug_bus0)
		aml_namestring(a, "\\_SB.PCI0.PCNT");
	for (unsigned i = 0; i < cfg->bridges.n && i < ACPI_MAX_BRIDGES; i++) {
		if (!bridge_slots(cfg, i))
			continue;
		ssdt_bridge_path(path, cfg, i);
		memcpy(path + strlen(path), ".PCNT", 6);
		aml_namestring(a, path);
	}
	aml_close(a);
	aml_close(a);
}
