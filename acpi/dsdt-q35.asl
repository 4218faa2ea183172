/* SPDX-License-Identifier: MIT */
/*
 * hvmfw DSDT for the q35 machine. Revision 2: 64-bit integers for the
 * whole namespace. acpi_build() replaces the OEM IDs with the configured ones.
 */
DefinitionBlock ("", "DSDT", 2, "HVMFW", "HVMFW", 1)
{
    Include ("common.asi")
    Include ("q35.asi")
}
