/* SPDX-License-Identifier: MIT */
/* Common table plumbing: checksum, header, Generic Address Structure. */
#include <hvmfw/acpi_tables.h>
#include <hvmfw/string.h>

uint8_t acpi_checksum(const void *p, uint32_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *b++);
	return (uint8_t)(0 - sum);
}

void acpi_header(uint8_t *t, const char sig[4], uint32_t len, uint8_t rev,
		 const struct acpi_config *cfg)
{
	memset(t, 0, len);
	memcpy(t, sig, 4);
	acpi_put32(t, 4, len);
	acpi_put8(t, 8, rev);
	memcpy(t + 10, cfg->oem_id, 6);
	memcpy(t + 16, cfg->oem_table_id, 8);
	acpi_put32(t, 24, 1);                   /* OEM revision */
	memcpy(t + 28, ACPI_CREATOR_ID, 4);
	acpi_put32(t, 32, ACPI_CREATOR_REV);
}

void acpi_finish(uint8_t *t)
{
	uint32_t len = t[4] | (uint32_t)t[5] << 8 | (uint32_t)t[6] << 16 | (uint32_t)t[7] << 24;

	t[9] = 0;
	t[9] = acpi_checksum(t, len);
}

void acpi_put_gas(uint8_t *t, uint32_t off, uint8_t space, uint8_t bits, uint8_t access,
		  uint64_t addr)
{
	acpi_put8(t, off, space);
	acpi_put8(t, off + 1, bits);
	acpi_put8(t, off + 2, 0);               /* bit offset */
	acpi_put8(t, off + 3, access);
	acpi_put64(t, off + 4, addr);
}
