/* SPDX-License-Identifier: MIT */
/*
 * Host tool for the cross-checks: writes SMBIOS dumps in dmidecode's
 * --dump-bin layout (entry point at 0 pointing at the table at 0x20), or
 * prints pir_pirq() for every bus-0 slot and pin. The -pt kinds add
 * passed-through structures (types 1, 2, 11 and a vendor one) and the
 * default battery.
 *   tables-dump smbios3|smbios2|smbios3-pt|smbios2-pt FILE NCPUS
 *   tables-dump wiring piix3|ich9
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hvmfw/pir.h>
#include <hvmfw/smbios.h>

#define DUMP_TABLE_OFF 0x20

static uint8_t out[DUMP_TABLE_OFF + 256 * 1024];

/* Records as Xen's hvmloader/smbios blob holds them: a 32-bit length, then the structure. */
static uint8_t blob[1024];
static uint32_t blob_len;

static void record(const uint8_t *fmt, uint8_t flen, const char *strings, uint32_t slen)
{
	uint32_t size = flen + slen;

	for (int i = 0; i < 4; i++)
		blob[blob_len + i] = (uint8_t)(size >> (8 * i));
	memcpy(blob + blob_len + 4, fmt, flen);
	memcpy(blob + blob_len + 4 + flen, strings, slen);
	blob_len += 4 + size;
}

static void passthrough(struct smbios_config *c)
{
	static const char sys[] = "Passed Inc\0PT Product\0PT-SERIAL\0";
	static const char board[] = "Board Co\0B-1\0";
	static const char oem[] = "oem-a\0oem-b\0";
	uint8_t t1[0x1B] = { 1, 0x1B, 0x34, 0x12, 1, 2, 0, 3 };
	/* Manufacturer, product; hosting board; chassis handle as hvmloader numbers it. */
	uint8_t t2[0x0F] = { 2, 0x0F, 0x00, 0x02, 1, 2, 0, 0, 0, 0x09, 0, 0x00, 0x03, 0x0A, 0 };
	uint8_t t11[0x05] = { 11, 0x05, 0x00, 0x0B, 2 };
	uint8_t t80[0x08] = { 0x80, 0x08, 0x00, 0x40, 0xDE, 0xAD, 0xBE, 0xEF };

	t1[0x18] = 6;                           /* wake-up: power switch */
	record(t1, sizeof(t1), sys, sizeof(sys));
	record(t2, sizeof(t2), board, sizeof(board));
	record(t11, sizeof(t11), oem, sizeof(oem));
	record(t80, sizeof(t80), "\0", 2);
	if (smbios_pt_parse(c, blob, blob_len, NULL, NULL) != 4)
		exit(1);
	c->battery = true;
}

static int smbios_dump(const char *kind, const char *file, unsigned ncpus)
{
	static const uint8_t uuid[16] = { 0x5a, 0x1f, 0x0c, 0x2e, 0x44, 0x71, 0x4b, 0x8e,
					  0x9d, 0x10, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 };
	struct smbios_config c;
	struct smbios_table t;
	FILE *f;

	smbios_defaults(&c);
	c.str[SMBIOS_BIOS_VERSION] = "0.1.0";
	c.str[SMBIOS_BIOS_DATE] = "11/25/2026";
	c.str[SMBIOS_CPU_MANUFACTURER] = "Intel";
	c.str[SMBIOS_CPU_VERSION] = "Test CPU @ 2.40GHz";
	c.has_uuid = true;
	memcpy(c.uuid, uuid, 16);
	c.bios_major = 0;
	c.bios_minor = 1;
	c.acpi = true;
	c.ncpus = ncpus;
	c.cpu_signature = 0x000906EA;
	c.cpu_features = 0x0F8BFBFF;
	c.cpu_mhz = 2400;
	c.cpu_64bit = true;
	c.nram = 4;
	c.ram[0] = (struct smbios_range){ 0, 0x9FC00 };
	c.ram[1] = (struct smbios_range){ 0x100000, 0x7FF00000 };
	c.ram[2] = (struct smbios_range){ 0x100000000ull, 40ull << 30 };
	c.ram[3] = (struct smbios_range){ 1ull << 42, 1ull << 30 };     /* extended type 19 */
	if (strstr(kind, "-pt"))
		passthrough(&c);
	if (smbios_build(&c, out + DUMP_TABLE_OFF, sizeof(out) - DUMP_TABLE_OFF, &t))
		return 1;
	if (!strncmp(kind, "smbios3", 7))
		smbios_entry3(out, DUMP_TABLE_OFF, &t);
	else if (!smbios_entry2(out, DUMP_TABLE_OFF, &t))
		return 1;
	f = fopen(file, "wb");
	if (!f || fwrite(out, 1, DUMP_TABLE_OFF + t.len, f) != DUMP_TABLE_OFF + t.len)
		return 1;
	return fclose(f) != 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strncmp(argv[1], "smbios", 6))
		return smbios_dump(argv[1], argv[2], (unsigned)atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "wiring")) {
		enum pir_router r = !strcmp(argv[2], "ich9") ? PIR_ICH9 : PIR_PIIX3;

		for (int s = 0; s < 32; s++)
			for (int p = 0; p < 4; p++)
				printf("%d %d %u\n", s, p, pir_pirq(r, (uint8_t)s, (uint8_t)p));
		return 0;
	}
	fprintf(stderr, "usage: %s smbios3|smbios2[-pt] FILE NCPUS | wiring piix3|ich9\n", argv[0]);
	return 2;
}
