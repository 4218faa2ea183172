/* SPDX-License-Identifier: MIT */
/* Root pointers: RSDP, RSDT (32-bit entries) and XSDT (64-bit entries). */
#include <hvmfw/acpi_tables.h>
#include <hvmfw/string.h>

void acpi_write_rsdp(uint8_t *dst, uint32_t rsdt_phys, uint64_t xsdt_phys, const char oem_id[6])
{
	memset(dst, 0, ACPI_RSDP_LEN);
	memcpy(dst, "RSD PTR ", 8);
	memcpy(dst + 9, oem_id, 6);
	acpi_put8(dst, 15, 2);                  /* ACPI 2.0+ form */
	acpi_put32(dst, 16, rsdt_phys);
	acpi_put32(dst, 20, ACPI_RSDP_LEN);
	acpi_put64(dst, 24, xsdt_phys);
	/* ACPI 1.0 readers check only the first 20 bytes: sum them first. */
	dst[8] = acpi_checksum(dst, 20);
	dst[32] = acpi_checksum(dst, ACPI_RSDP_LEN);
}

uint32_t acpi_build_rsdt(uint8_t *dst, uint32_t room, const struct acpi_config *cfg,
			 const uint32_t *addr, uint32_t n)
{
	uint32_t len = ACPI_HDR_LEN + 4 * n;

	if (room < len)
		return 0;
	acpi_header(dst, "RSDT", len, 1, cfg);
	for (uint32_t i = 0; i < n; i++)
		acpi_put32(dst, ACPI_HDR_LEN + 4 * i, addr[i]);
	acpi_finish(dst);
	return len;
}

uint32_t acpi_build_xsdt(uint8_t *dst, uint32_t room, const struct acpi_config *cfg,
			 const uint32_t *addr, uint32_t n)
{
	uint32_t len = ACPI_HDR_LEN + 8 * n;

	if (room < len)
		return 0;
	acpi_header(dst, "XSDT", len, 1, cfg);
	for (uint32_t i = 0; i < n; i++)
		acpi_put64(dst, ACPI_HDR_LEN + 8 * i, addr[i]);
	acpi_finish(dst);
	return len;
}
