/* SPDX-License-Identifier: MIT */
/* SSDT part: ACPI devices with a _PRT for the PCI bridges below PCI0. */
#ifndef HVMFW_SSDT_PRT_H
#define HVMFW_SSDT_PRT_H

#include <hvmfw/acpi.h>
#include <hvmfw/aml.h>

/*
 * At the top level of a definition block: one Device (Sddf) per valid
 * entry of cfg->bridges, nested under \_SB.PCI0 by parent, each with _ADR
 * and a _PRT that routes its secondary bus the way the DSDT routes bus 0.
 * Writes nothing when there are no bridges.
 */
void ssdt_pci_bridges(struct aml *a, const struct acpi_config *cfg);

/* Whether bridge i of cfg->bridges gets a device (host tests and tools). */
bool ssdt_bridge_valid(const struct acpi_config *cfg, unsigned int i);

/* "Sddf": 'S', device in two hex digits, function. */
void ssdt_bridge_name(char name[5], const struct acpi_pci_bridge *b);

/* "\\_SB.PCI0.Sxxx....": bridge i's device (room: SSDT_BRIDGE_PATH_MAX, with ".PCNT" after it). */
#define SSDT_BRIDGE_PATH_MAX (sizeof("\\_SB.PCI0") + 5 * ACPI_MAX_BRIDGES + sizeof(".PCNT"))
void ssdt_bridge_path(char *out, const struct acpi_config *cfg, unsigned int i);

/* Bridge i's hot-plug slot devices and PCNT (ssdt_pcihp.c), inside its device. */
void ssdt_pcihp_bridge(struct aml *a, const struct acpi_config *cfg, unsigned int i);

#endif
