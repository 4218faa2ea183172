/* SPDX-License-Identifier: MIT */
/*
 * SMBIOS (DMTF DSP0134) builder: one structure table, described by a 3.0
 * ("_SM3_") and a 2.x ("_SM_"/"_DMI_") entry point. Pure: no I/O, same bytes
 * for the same input, built for the firmware and for the host tests.
 *
 * Structures: 0 BIOS, 1 system, 3 chassis, 4 per vCPU, 16 memory array,
 * 17 memory devices, 19 array mapped addresses, 32 boot info, 127 end;
 * optionally 22 (a default portable battery) and structures passed through
 * from the platform (see smbios_pt_parse()).
 * Memory: the type 17 devices hold the total RAM rounded up to whole MiB,
 * cut into SMBIOS_DIMM_MAX bytes per device (the size then always fits the
 * 16-bit MiB field); one type 19 per RAM range gives its exact addresses
 * (KiB granular; the 64-bit fields are used from 4 TiB up, as DSP0134 says).
 */
#ifndef HVMFW_SMBIOS_H
#define HVMFW_SMBIOS_H

#include <hvmfw/compiler.h>

#define SMBIOS_EP3_LEN 24
#define SMBIOS_EP2_LEN 31
#define SMBIOS_MAX_RANGES 32
#define SMBIOS_MAX_CPUS 255
#define SMBIOS_DIMM_MAX GiB(16)

/* Strings the input may set; NULL or "" leaves the field empty (string number 0). */
enum smbios_str {
	SMBIOS_BIOS_VENDOR,
	SMBIOS_BIOS_VERSION,
	SMBIOS_BIOS_DATE,               /* mm/dd/yyyy */
	SMBIOS_SYS_MANUFACTURER,
	SMBIOS_SYS_PRODUCT,
	SMBIOS_SYS_VERSION,
	SMBIOS_SYS_SERIAL,              /* empty: the UUID as text, if there is one */
	SMBIOS_SYS_SKU,
	SMBIOS_SYS_FAMILY,
	SMBIOS_CHASSIS_MANUFACTURER,
	SMBIOS_CHASSIS_VERSION,
	SMBIOS_CHASSIS_SERIAL,
	SMBIOS_CHASSIS_ASSET_TAG,
	SMBIOS_CPU_MANUFACTURER,
	SMBIOS_CPU_VERSION,
	SMBIOS_BATTERY_MANUFACTURER,    /* the default battery (smbios_config.battery) */
	SMBIOS_BATTERY_NAME,
	SMBIOS_NSTR
};

struct smbios_range {
	uint64_t base, size;
};

/* A structure passed through as is, apart from its handle (smbios_pt_parse()). */
struct smbios_pt {
	const uint8_t *p;               /* type byte */
	uint32_t size;                  /* formatted area and string set, double NUL included */
};
#define SMBIOS_MAX_PT 32

struct smbios_config {
	const char *str[SMBIOS_NSTR];
	bool has_uuid;
	uint8_t uuid[16];               /* RFC 4122 order, as the text form reads */
	uint8_t bios_major, bios_minor; /* firmware release */
	bool acpi;                      /* ACPI tables are installed */

	uint32_t ncpus;                 /* one type 4 each */
	uint32_t cpu_signature;         /* CPUID.1 EAX */
	uint32_t cpu_features;          /* CPUID.1 EDX */
	uint16_t cpu_mhz;               /* 0: unknown */
	bool cpu_64bit;                 /* CPUID.80000001 EDX.LM */

	uint32_t nram;                  /* RAM ranges (e820 type 1), any order */
	struct smbios_range ram[SMBIOS_MAX_RANGES];

	bool battery;                   /* add a type 22 unless one is passed through */
	uint32_t npt;                   /* filled by smbios_pt_parse() */
	struct smbios_pt pt[SMBIOS_MAX_PT];
};

/*
 * Name under which each string may be overridden (NULL: not overridable).
 * They are the bios-strings/<name> keys Xen toolstacks write.
 */
extern const char *const smbios_str_keys[SMBIOS_NSTR];

/* Zero c and set the default strings (vendor "hvmfw"; version/date left to the caller). */
void smbios_defaults(struct smbios_config *c);
/* Set string 'key' (a smbios_str_keys name); false if no string has that name. */
bool smbios_set_string(struct smbios_config *c, const char *key, const char *value);
/* "Intel"/"AMD" for the CPUID leaf 0 vendor (EBX, EDX, ECX text), else NULL. */
const char *smbios_cpu_vendor(const char vendor[12]);

/*
 * Pass-through, as Xen's hvmloader/smbios/address and length give it: a blob
 * of records, each a 32-bit little-endian byte count followed by that many
 * bytes holding exactly one structure (header, formatted area, string set
 * with its double NUL; nothing after it).
 * Types taken, as hvmloader takes them: 0, 1, 2, 3, 7, 8, 9, 11, 22, 26, 27,
 * 28 and 39 once each (the first record of a type wins; the formatted area
 * must be as long as DSP0134 asks), vendor types 128-255 any number of times.
 * A passed-through 0, 1 or 3 replaces the structure hvmfw builds, a 22 the
 * default battery; the others are added, in type order.
 * Each structure gets a handle of the table's numbering, except vendor ones,
 * which keep theirs (they may point at each other; a repeated or reserved
 * one is refused). Handle fields that point at other structures are pointed
 * at this table's structure of that type, or 0xFFFF if there is none: type
 * 2's chassis always, type 27's temperature probe and type 39's probes and
 * cooling device unless they say "none" (0xFFFF, 0xFFFE).
 */

/* A record left out: its offset in the blob, its type (-1: unreadable) and why. */
typedef void (*smbios_pt_refuse_fn)(void *ctx, uint32_t off, int type, const char *why);

/*
 * Check every record of blob and append the sound ones to c->pt (which
 * point into blob: it must stay in place until smbios_build()); report each
 * other one to refuse (may be NULL). Returns how many were taken.
 */
uint32_t smbios_pt_parse(struct smbios_config *c, const uint8_t *blob, uint32_t len,
			 smbios_pt_refuse_fn refuse, void *ctx);

struct smbios_table {
	uint32_t len;                   /* bytes of the structure table */
	uint16_t count;                 /* structures, the end marker included */
	uint16_t max_struct;            /* largest structure with its strings */
};

#define SMBIOS_E_INVAL   (-1)   /* no CPUs, too many CPUs, ranges or pass-through, no RAM */
#define SMBIOS_E_NOSPACE (-2)   /* buf too small */

/*
 * Write the structure table into buf. 0 or SMBIOS_E_*; on SMBIOS_E_NOSPACE
 * out->len says how many bytes it needs (buf may be NULL with cap 0 to ask).
 */
int smbios_build(const struct smbios_config *c, uint8_t *buf, uint32_t cap, struct smbios_table *out);
/* The 3.0 entry point for a table the guest sees at table_addr. */
void smbios_entry3(uint8_t ep[SMBIOS_EP3_LEN], uint64_t table_addr, const struct smbios_table *t);
/* The 2.x entry point; false if the table is too long or lies above 4 GiB for it. */
bool smbios_entry2(uint8_t ep[SMBIOS_EP2_LEN], uint64_t table_addr, const struct smbios_table *t);

#endif
