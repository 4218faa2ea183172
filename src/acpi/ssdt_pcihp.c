/* SPDX-License-Identifier: MIT */
/*
 * ACPI PCI hot-plug of the slots on bus 0, as QEMU's PIIX4 (and qemu-xen,
 * for xl pci-attach/pci-detach) implements it: at pci_hotplug_port, four
 * 32-bit registers with one bit per slot (devices that arrived, devices to
 * remove, eject on write, removable) and a bus selector, GPE0 bit 1 on a
 * change. \_GPE._E01 runs \_SB.PCI0.PCNT, which reads both bitmaps once
 * (QEMU clears them on read) and notifies each slot: 1 (check) for an
 * arrival, 3 (eject request) for a removal. A slot's _EJ0 writes its bit to
 * the eject register, which is when the device model takes the device away.
 *
 * Every slot gets a device (SLxx) except those with an object of their own:
 * slot 0 (the host bridge), what the DSDT describes (the chipset's ISA
 * bridge) and the bridges on bus 0 (their SSDT devices carry their _PRT).
 */
#include <hvmfw/acpi_tables.h>
#include <hvmfw/aml.h>

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

/* Slots with an ACPI object of their own (bit n: slot n). */
static uint32_t taken_slots(const struct acpi_config *cfg)
{
	uint32_t taken = 1u << 0;

	if (cfg->chipset == ACPI_CHIPSET_I440FX)
		taken |= 1u << 1;       /* PCI0.ISA in the DSDT */
	for (unsigned i = 0; i < cfg->bridges.n && i < ACPI_MAX_BRIDGES; i++)
		if (cfg->bridges.b[i].parent == ACPI_BRIDGE_ROOT && cfg->bridges.b[i].dev < SLOTS)
			taken |= 1u << cfg->bridges.b[i].dev;
	return taken;
}

static void slot_device(struct aml *a, unsigned s)
{
	char name[5];

	slot_name(name, s);
	aml_device_open(a, name);
	aml_name_int(a, "_ADR", (uint32_t)s << 16);
	aml_name_int(a, "_SUN", s);
	aml_method_open(a, "_EJ0", 1, false);
	aml_op(a, AML_STORE);           /* Store (1 << s, B0EJ) */
	aml_int(a, 1ull << s);
	aml_namestring(a, "B0EJ");
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

void ssdt_pci_hotplug(struct aml *a, const struct acpi_config *cfg)
{
	uint32_t taken = taken_slots(cfg);

	if (!cfg->pci_hotplug_port)
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
	for (unsigned s = 0; s < SLOTS; s++)
		if (!(taken & (1u << s)))
			slot_device(a, s);
	aml_method_open(a, "PCNT", 0, true);
	aml_op(a, AML_STORE);           /* the registers show bus 0 */
	aml_int(a, 0);
	aml_namestring(a, "BNUM");
	aml_op(a, AML_STORE);
	aml_namestring(a, "PCIU");
	aml_op(a, AML_LOCAL0);
	aml_op(a, AML_STORE);
	aml_namestring(a, "PCID");
	aml_op(a, AML_LOCAL1);
	for (unsigned s = 0; s < SLOTS; s++) {
		if (taken & (1u << s))
			continue;
		notify_if(a, AML_LOCAL0, s, 1);
		notify_if(a, AML_LOCAL1, s, 3);
	}
	aml_close(a);
	aml_close(a);
	aml_scope_open(a, "\\_GPE");
	aml_method_open(a, "_E01", 0, false);
	aml_namestring(a, "\\_SB.PCI0.PCNT");
	aml_close(a);
	aml_close(a);
}
