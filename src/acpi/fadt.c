/* SPDX-License-Identifier: MIT */
/* The FADT and the two structures it points to: FACS and DSDT. */
#include <hvmfw/acpi_tables.h>
#include <hvmfw/string.h>

/* FADT flags (ACPI 6.0 §5.2.9, table 5-35) */
#define FADT_WBINVD             (1u << 0)
#define FADT_PROC_C1            (1u << 2)
#define FADT_SLP_BUTTON         (1u << 5)       /* no fixed sleep button */
#define FADT_RTC_S4             (1u << 7)
#define FADT_RESET_REG_SUP      (1u << 10)
#define FADT_PLATFORM_CLOCK     (1u << 15)
#define FADT_APIC_CLUSTER       (1u << 18)

/* IA-PC boot architecture flags */
#define BOOT_LEGACY_DEVICES     (1u << 0)
#define BOOT_8042               (1u << 1)

#define RTC_CENTURY_INDEX 0x32

/* A legacy 32-bit port field and its X_ twin, kept identical (ACPICA prefers X_). */
static void put_block(uint8_t *t, uint32_t off32, uint32_t offx, uint32_t offlen,
		      uint16_t port, uint8_t len)
{
	acpi_put32(t, off32, port);
	acpi_put8(t, offlen, len);
	acpi_put_gas(t, offx, ACPI_GAS_IO, (uint8_t)(8 * len), 0, port);
}

uint32_t acpi_build_fadt(uint8_t *dst, uint32_t room, const struct acpi_config *cfg,
			 uint32_t facs, uint32_t dsdt)
{
	uint32_t flags = FADT_WBINVD | FADT_PROC_C1 | FADT_SLP_BUTTON | FADT_RTC_S4 |
			 FADT_RESET_REG_SUP | FADT_PLATFORM_CLOCK;

	if (room < ACPI_FADT_LEN || cfg->pm_base == 0)
		return 0;
	/* Windows wants the cluster model when more than 8 CPUs exist (as QEMU does). */
	if (cfg->ncpus > 8)
		flags |= FADT_APIC_CLUSTER;

	acpi_header(dst, "FACP", ACPI_FADT_LEN, 6, cfg);
	acpi_put32(dst, 36, facs);              /* FIRMWARE_CTRL; X_ left 0 */
	acpi_put32(dst, 40, dsdt);
	acpi_put16(dst, 46, cfg->sci_irq);
	acpi_put32(dst, 48, cfg->smi_cmd);
	acpi_put8(dst, 52, cfg->smi_cmd ? cfg->acpi_enable : 0);
	acpi_put8(dst, 53, cfg->smi_cmd ? cfg->acpi_disable : 0);

	put_block(dst, 56, 148, 88, cfg->pm_base, 4);           /* PM1a_EVT */
	put_block(dst, 64, 172, 89, cfg->pm_base + 4, 2);       /* PM1a_CNT */
	put_block(dst, 76, 208, 91, cfg->pm_base + 8, 4);       /* PM_TMR */
	if (cfg->gpe0_len)
		put_block(dst, 80, 220, 92, cfg->gpe0_base, cfg->gpe0_len);

	acpi_put16(dst, 96, 0x0FFF);            /* C2 latency: not supported */
	acpi_put16(dst, 98, 0x0FFF);            /* C3 latency: not supported */
	acpi_put8(dst, 108, RTC_CENTURY_INDEX);
	acpi_put16(dst, 109, BOOT_LEGACY_DEVICES | BOOT_8042);
	acpi_put32(dst, 112, flags);

	acpi_put_gas(dst, 116, ACPI_GAS_IO, 8, 1, cfg->reset_port);
	acpi_put8(dst, 128, cfg->reset_value);
	acpi_put8(dst, 131, 0);                 /* minor version: 6.0 */
	acpi_put64(dst, 140, dsdt);             /* X_DSDT */
	acpi_finish(dst);
	return ACPI_FADT_LEN;
}

/*
 * The DSDT was compiled by iasl; copy it and give it our OEM IDs so every
 * table of one build carries the same identity. Creator stays iasl's.
 */
uint32_t acpi_build_dsdt(uint8_t *dst, uint32_t room, const struct acpi_config *cfg)
{
	if (!cfg->dsdt || cfg->dsdt_len < ACPI_HDR_LEN || cfg->dsdt_len > room ||
	    memcmp(cfg->dsdt, "DSDT", 4) != 0)
		return 0;
	memcpy(dst, cfg->dsdt, cfg->dsdt_len);
	memcpy(dst + 10, cfg->oem_id, 6);
	memcpy(dst + 16, cfg->oem_table_id, 8);
	acpi_finish(dst);
	return cfg->dsdt_len;
}

/* 64-byte structure without checksum; the caller aligns it to 64 bytes. */
uint32_t acpi_build_facs(uint8_t *dst, uint32_t room)
{
	if (room < ACPI_FACS_LEN)
		return 0;
	memset(dst, 0, ACPI_FACS_LEN);
	memcpy(dst, "FACS", 4);
	acpi_put32(dst, 4, ACPI_FACS_LEN);
	acpi_put8(dst, 32, 2);                  /* version (ACPI 4.0+ layout) */
	return ACPI_FACS_LEN;
}

