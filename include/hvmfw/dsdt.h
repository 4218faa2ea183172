/* SPDX-License-Identifier: MIT */
/* DSDTs compiled by iasl at build time from acpi/dsdt-<chip>.asl, embedded as C arrays. */
#ifndef HVMFW_DSDT_H
#define HVMFW_DSDT_H

#include <hvmfw/compiler.h>

extern const uint8_t dsdt_i440fx_aml[];
extern const uint32_t dsdt_i440fx_aml_len;
extern const uint8_t dsdt_q35_aml[];
extern const uint32_t dsdt_q35_aml_len;

#endif
