/* SPDX-License-Identifier: MIT */
/* Small fixed-layout tables: HPET, WAET, MCFG. */
#include <hvmfw/acpi_tables.h>
#include <hvmfw/string.h>

uint32_t acpi_build_waet(uint8_t *dst, uint32_t room, const struct acpi_config *cfg)
{
	const uint32_t len = ACPI_HDR_LEN + 4;

	if (room < len)
		return 0;
	acpi_header(dst, "WAET", len, 1, cfg);
	/* PM timer needs a single read; the RTC flag is left to the OS (QEMU's choice). */
	acpi_put32(dst, 36, 1u << 1);
	acpi_finish(dst);
	return len;
}

uint32_t acpi_build_hpet(uint8_t *dst, uint32_t room, const struct acpi_config *cfg)
{
	const uint32_t len = 56;

	if (room < len)
		return 0;
	acpi_header(dst, "HPET", len, 1, cfg);
	acpi_put32(dst, 36, cfg->hpet_block_id);
	acpi_put_gas(dst, 40, ACPI_GAS_MEM, 0, 0, cfg->hpet_addr);
	acpi_put8(dst, 52, 0);                  /* HPET number */
	acpi_put16(dst, 53, 0);                 /* minimum tick: no constraint */
	acpi_put8(dst, 55, 0);                  /* no page protection */
	acpi_finish(dst);
	return len;
}

/* One ECAM allocation for segment 0; the base is that of bus 0. */
uint32_t acpi_build_mcfg(uint8_t *dst, uint32_t room, const struct acpi_config *cfg)
{
	const uint32_t len = 44 + 16;

	if (room < len || cfg->ecam.len == 0)
		return 0;
	acpi_header(dst, "MCFG", len, 1, cfg);
	acpi_put64(dst, 44, cfg->ecam.base);
	acpi_put16(dst, 52, 0);                 /* segment group */
	acpi_put8(dst, 54, cfg->bus_start);
	acpi_put8(dst, 55, cfg->bus_end);
	acpi_finish(dst);
	return len;
}
