/* SPDX-License-Identifier: MIT */
/*
 * Processor devices, one per MADT entry, and CPU hot-plug.
 *
 * With a CPU present map (cpu_hotplug_port: QEMU's PIIX4 and ICH9 legacy
 * interface, which qemu-xen also serves for `xl vcpu-set`), each device's
 * _STA and _MAT read its MADT entry in place, and \_GPE._E02 runs
 * \_SB.CSCN: for every CPU whose map bit differs from its entry's enabled
 * flag, flip the flag, keep the MADT checksum right (the OS may read the
 * table again) and notify the device (1: check, it arrived; 3: eject). The
 * same entry then answers _MAT with the enabled flag the OS needs to map
 * the CPU. Without a map, entries not running at boot are absent for good.
 * Names: Cxxx device, Lxxx the 8-byte entry, Fxxx its flags byte, Pxxx the
 * map bit (xxx = entry index in hex).
 */
#include <hvmfw/acpi_tables.h>
#include <hvmfw/aml.h>
#include <hvmfw/cpu_table.h>

#define CPU_MAP_LEN 32          /* 256 bits: one per APIC ID or vCPU */
#define MADT_CHECKSUM_OFF 9
#define LAPIC_ENTRY_BITS 64
#define LAPIC_FLAGS_OFF 4

static void cpu_name(char name[5], char kind, uint32_t i)
{
	static const char hex[] = "0123456789ABCDEF";

	name[0] = kind;
	name[1] = hex[(i >> 8) & 0xF];
	name[2] = hex[(i >> 4) & 0xF];
	name[3] = hex[i & 0xF];
	name[4] = '\0';
}

static bool absent(const struct acpi_config *cfg, uint32_t i)
{
	return cpu_bit(cfg->cpu_absent, i);
}

static bool hotplug(const struct acpi_config *cfg, uint32_t madt)
{
	return madt && cfg->cpu_hotplug_port;
}

/* The MADT's checksum, its entries whole (Lxxx) and their flag bytes (Fxxx). */
static void madt_fields(struct aml *a, const struct acpi_config *cfg, uint32_t madt)
{
	char name[5];

	aml_region(a, "MADT", AML_SYSTEM_MEMORY, madt, MADT_LAPIC_OFF + 8 * cfg->ncpus);
	aml_field_open(a, "MADT", AML_BYTE_ACC);
	aml_field_skip(a, 8 * MADT_CHECKSUM_OFF);
	aml_field_unit(a, "MSUM", 8);
	aml_field_skip(a, 8 * (MADT_LAPIC_OFF - MADT_CHECKSUM_OFF - 1));
	for (uint32_t i = 0; i < cfg->ncpus; i++) {
		cpu_name(name, 'L', i);
		aml_field_unit(a, name, LAPIC_ENTRY_BITS);
	}
	aml_close(a);
	aml_field_open(a, "MADT", AML_BYTE_ACC);
	aml_field_skip(a, 8 * (MADT_LAPIC_OFF + LAPIC_FLAGS_OFF));
	for (uint32_t i = 0; i < cfg->ncpus; i++) {
		cpu_name(name, 'F', i);
		aml_field_unit(a, name, 8);
		if (i + 1 < cfg->ncpus)
			aml_field_skip(a, LAPIC_ENTRY_BITS - 8);
	}
	aml_close(a);
}

/* One bit per CPU of the present map, in bit order. */
static void map_fields(struct aml *a, const struct acpi_config *cfg)
{
	char name[5];
	uint32_t at = 0;

	aml_region(a, "CPMP", AML_SYSTEM_IO, cfg->cpu_hotplug_port, CPU_MAP_LEN);
	aml_field_open(a, "CPMP", AML_BYTE_ACC);
	for (uint32_t bit = 0; bit < 8 * CPU_MAP_LEN - 1; bit++) {
		for (uint32_t i = 0; i < cfg->ncpus; i++) {
			if (cfg->cpu_map_bit[i] != bit)
				continue;
			aml_field_skip(a, bit - at);
			cpu_name(name, 'P', i);
			aml_field_unit(a, name, 1);
			at = bit + 1;
			break;  /* one CPU per bit */
		}
	}
	aml_close(a);
}

/* Unique map bits only: a CPU without one (or sharing one) is never hot-plugged. */
static bool has_map_bit(const struct acpi_config *cfg, uint32_t i)
{
	uint8_t bit = cfg->cpu_map_bit[i];

	if (bit == 0xFF)
		return false;
	for (uint32_t k = 0; k < i; k++)
		if (cfg->cpu_map_bit[k] == bit)
			return false;
	return true;
}

/* And (Fxxx, One, <null>) */
static void enabled_flag(struct aml *a, const char *flags)
{
	aml_op(a, AML_AND);
	aml_namestring(a, flags);
	aml_int(a, 1);
	aml_op(a, AML_NULL_TARGET);
}

static void device(struct aml *a, const struct acpi_config *cfg, uint32_t i, bool hp)
{
	char name[5];

	cpu_name(name, 'C', i);
	aml_device_open(a, name);
	aml_name_string(a, "_HID", "ACPI0007");
	aml_name_int(a, "_UID", i);     /* = ACPI processor ID in the MADT */
	if (!hp) {
		if (absent(cfg, i))
			aml_name_int(a, "_STA", 0);
		aml_close(a);
		return;
	}
	aml_method_open(a, "_STA", 0, false);
	aml_if_open(a);
	cpu_name(name, 'F', i);
	enabled_flag(a, name);
	aml_return(a);
	aml_int(a, 0x0F);
	aml_close(a);
	aml_return(a);
	aml_int(a, 0);
	aml_close(a);
	aml_method_open(a, "_MAT", 0, false);
	aml_return(a);
	aml_op(a, AML_TOBUFFER);
	cpu_name(name, 'L', i);
	aml_namestring(a, name);
	aml_op(a, AML_NULL_TARGET);
	aml_close(a);
	aml_close(a);
}

/* Op (MSUM, One, MSUM) */
static void checksum_step(struct aml *a, enum aml_opcode op)
{
	aml_op(a, op);
	aml_namestring(a, "MSUM");
	aml_int(a, 1);
	aml_namestring(a, "MSUM");
}

static void scan_one(struct aml *a, uint32_t i)
{
	char p[5], f[5], c[5];

	cpu_name(p, 'P', i);
	cpu_name(f, 'F', i);
	cpu_name(c, 'C', i);
	aml_if_open(a);                 /* If (LNot (LEqual (Pxxx, And (Fxxx, One)))) */
	aml_op(a, AML_LNOT);
	aml_op(a, AML_LEQUAL);
	aml_namestring(a, p);
	enabled_flag(a, f);
	aml_if_open(a);                 /* If (Pxxx): it arrived */
	aml_namestring(a, p);
	aml_op(a, AML_OR);
	aml_namestring(a, f);
	aml_int(a, 1);
	aml_namestring(a, f);
	checksum_step(a, AML_SUBTRACT);
	aml_op(a, AML_NOTIFY);
	aml_namestring(a, c);
	aml_int(a, 1);
	aml_close(a);
	aml_else_open(a);               /* it left */
	aml_op(a, AML_AND);
	aml_namestring(a, f);
	aml_int(a, 0xFE);
	aml_namestring(a, f);
	checksum_step(a, AML_ADD);
	aml_op(a, AML_NOTIFY);
	aml_namestring(a, c);
	aml_int(a, 3);
	aml_close(a);
	aml_close(a);
}

void ssdt_cpus(struct aml *a, const struct acpi_config *cfg, uint32_t madt)
{
	bool hp = hotplug(cfg, madt);

	aml_scope_open(a, "\\_SB");
	if (hp) {
		madt_fields(a, cfg, madt);
		map_fields(a, cfg);
	}
	for (uint32_t i = 0; i < cfg->ncpus; i++)
		device(a, cfg, i, hp);
	if (hp) {
		aml_method_open(a, "CSCN", 0, true);
		for (uint32_t i = 0; i < cfg->ncpus; i++)
			if (has_map_bit(cfg, i))
				scan_one(a, i);
		aml_close(a);
	}
	aml_close(a);
	if (hp) {
		aml_scope_open(a, "\\_GPE");
		aml_method_open(a, "_E02", 0, false);
		aml_namestring(a, "\\_SB.CSCN");
		aml_close(a);
		aml_close(a);
	}
}
