/* SPDX-License-Identifier: MIT */
/*
 * hvmfw DSDT for the i440fx machine. Revision 2: 64-bit integers for the
 * whole namespace. acpi_build() replaces the OEM IDs with the configured ones.
 */
DefinitionBlock ("", "DSDT", 2, "HVMFW", "HVMFW", 1)
{
    Include ("common.asi")
    Include ("i440fx.asi")
}
