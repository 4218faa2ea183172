/* SPDX-License-Identifier: MIT */
/*
 * The processors the tables describe: every CPU that may ever run (so a
 * vCPU added later has its MADT entry and ACPI processor device), marked
 * enabled when it runs at boot. Pure code, host-tested.
 */
#ifndef HVMFW_CPU_TABLE_H
#define HVMFW_CPU_TABLE_H

#include <hvmfw/compiler.h>

#define CPU_TABLE_MAX 255	/* xAPIC IDs are 8 bits and 0xFF is broadcast */
#define CPU_NO_MAP_BIT 0xFF

/* What the platform says of its vCPUs. */
struct cpu_platform {
	unsigned max;		/* CPUs that may ever run (0: unknown, what checks in) */
	unsigned boot;		/* CPUs running at boot, BSP included (0: unknown) */
	/*
	 * Xen: vCPU n has APIC ID 2n and online bit n says whether it runs at
	 * boot; the CPU hot-plug map is indexed by n. Otherwise (QEMU) APIC IDs
	 * are learnt from the CPUs that check in, the ones that may come later
	 * take the lowest free IDs, and the hot-plug map is indexed by APIC ID.
	 */
	bool xen_ids;
	uint8_t online[CPU_TABLE_MAX / 8 + 1];	/* xen_ids: bit n, vCPU n online at boot */
};

struct cpu_table {
	unsigned n;				/* entries (MADT order, BSP first) */
	uint8_t apic_id[CPU_TABLE_MAX];
	uint8_t map_bit[CPU_TABLE_MAX];		/* bit of the CPU hot-plug map, or
						   CPU_NO_MAP_BIT: not hot-pluggable */
	uint8_t enabled[CPU_TABLE_MAX / 8 + 1];	/* bit i: entry i runs at boot */
};

static inline bool cpu_bit(const uint8_t *map, unsigned i)
{
	return map[i / 8] & (1u << (i % 8));
}

static inline void cpu_bit_set(uint8_t *map, unsigned i)
{
	map[i / 8] |= (uint8_t)(1u << (i % 8));
}

/*
 * The APs smp_init should wake, by APIC ID: CPU_WAKE_ALL when a broadcast
 * reaches exactly the right ones (every CPU that exists runs), else how many
 * it stored (Xen with vCPUs offline: the online ones only).
 */
#define CPU_WAKE_ALL (-1)
int cpu_wake_list(const struct cpu_platform *p, uint8_t *apic_ids, unsigned max);

/*
 * Build the table from the platform's description and the CPUs that
 * checked in (seen[0] is the BSP). Entries the platform marks offline are
 * listed disabled; a CPU that checked in but the platform does not know is
 * listed enabled (it runs). Logs nothing; returns the number of CPUs that
 * checked in but found no room (0 normally).
 */
unsigned cpu_table_build(const struct cpu_platform *p, const uint8_t *seen, unsigned nseen,
			 struct cpu_table *t);

#endif
