/* SPDX-License-Identifier: MIT */
/*
 * Individual ACPI table builders used by acpi_build(). Each writes one
 * table at dst and returns its length, or 0 if it does not fit in 'room'
 * bytes (or the configuration cannot be described). Checksums are final.
 */
#ifndef HVMFW_ACPI_TABLES_H
#define HVMFW_ACPI_TABLES_H

#include <hvmfw/acpi.h>

#define ACPI_HDR_LEN 36
#define ACPI_CREATOR_ID "HVMF"
#define ACPI_CREATOR_REV 1u

#define ACPI_FADT_LEN 276       /* revision 6 */
#define ACPI_FACS_LEN 64
#define ACPI_RSDP_LEN 36

/* Little-endian stores; table fields are not naturally aligned. */
static inline void acpi_put8(uint8_t *p, uint32_t off, uint8_t v) { p[off] = v; }
static inline void acpi_put16(uint8_t *p, uint32_t off, uint16_t v)
{
	p[off] = (uint8_t)v;
	p[off + 1] = (uint8_t)(v >> 8);
}
static inline void acpi_put32(uint8_t *p, uint32_t off, uint32_t v)
{
	acpi_put16(p, off, (uint16_t)v);
	acpi_put16(p, off + 2, (uint16_t)(v >> 16));
}
static inline void acpi_put64(uint8_t *p, uint32_t off, uint64_t v)
{
	acpi_put32(p, off, (uint32_t)v);
	acpi_put32(p, off + 4, (uint32_t)(v >> 32));
}

static inline uint32_t acpi_get32(const uint8_t *p, uint32_t off)
{
	return p[off] | (uint32_t)p[off + 1] << 8 | (uint32_t)p[off + 2] << 16 |
	       (uint32_t)p[off + 3] << 24;
}

/* Zero len bytes and fill the common header (checksum left 0). */
void acpi_header(uint8_t *t, const char sig[4], uint32_t len, uint8_t rev,
		 const struct acpi_config *cfg);
/* Set the checksum byte (offset 9) so the table sums to 0. */
void acpi_finish(uint8_t *t);

/* Generic Address Structure at t + off */
#define ACPI_GAS_MEM 0
#define ACPI_GAS_IO 1
void acpi_put_gas(uint8_t *t, uint32_t off, uint8_t space, uint8_t bits, uint8_t access,
		  uint64_t addr);

struct aml;

uint32_t acpi_build_facs(uint8_t *dst, uint32_t room);
uint32_t acpi_build_fadt(uint8_t *dst, uint32_t room, const struct acpi_config *cfg,
			 uint32_t facs, uint32_t dsdt);
uint32_t acpi_build_madt(uint8_t *dst, uint32_t room, const struct acpi_config *cfg);
uint32_t acpi_build_hpet(uint8_t *dst, uint32_t room, const struct acpi_config *cfg);
uint32_t acpi_build_waet(uint8_t *dst, uint32_t room, const struct acpi_config *cfg);
uint32_t acpi_build_mcfg(uint8_t *dst, uint32_t room, const struct acpi_config *cfg);
/* madt: where the MADT landed, for the CPU hot-plug AML that updates its entries. */
uint32_t acpi_build_ssdt(uint8_t *dst, uint32_t room, const struct acpi_config *cfg,
			 uint32_t madt);
/* The processor devices (and their hot-plug AML) of the SSDT, in \_SB. */
void ssdt_cpus(struct aml *a, const struct acpi_config *cfg, uint32_t madt);
/* Bus 0's hot-plug slots and their GPE handler (ssdt_pcihp.c), when the chipset has them. */
void ssdt_pci_hotplug(struct aml *a, const struct acpi_config *cfg);
/* Offset of the first Processor Local APIC entry in the MADT. */
#define MADT_LAPIC_OFF 44
uint32_t acpi_build_dsdt(uint8_t *dst, uint32_t room, const struct acpi_config *cfg);
uint32_t acpi_build_rsdt(uint8_t *dst, uint32_t room, const struct acpi_config *cfg,
			 const uint32_t *addr, uint32_t n);
uint32_t acpi_build_xsdt(uint8_t *dst, uint32_t room, const struct acpi_config *cfg,
			 const uint32_t *addr, uint32_t n);

#endif
