/* SPDX-License-Identifier: MIT */
/* Installing firmware tables (ACPI now; SMBIOS, MP, $PIR later) in guest memory. */
#ifndef HVMFW_TABLES_H
#define HVMFW_TABLES_H

#include <hvmfw/acpi.h>
#include <hvmfw/boot.h>

/* Build the ACPI tables for cfg in runtime memory; returns the RSDP address. */
uint32_t acpi_install(struct acpi_config *cfg, bool legacy_copy);

#endif
