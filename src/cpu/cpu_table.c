/* SPDX-License-Identifier: MIT */
/* Which processors the MADT, the MP table and the ACPI devices list (see cpu_table.h). */
#include <hvmfw/cpu_table.h>
#include <hvmfw/string.h>

static bool listed(const struct cpu_table *t, uint8_t id)
{
	for (unsigned i = 0; i < t->n; i++)
		if (t->apic_id[i] == id)
			return true;
	return false;
}

static bool add(struct cpu_table *t, uint8_t id, uint8_t bit, bool enabled)
{
	if (t->n == CPU_TABLE_MAX)
		return false;
	t->apic_id[t->n] = id;
	t->map_bit[t->n] = bit;
	if (enabled)
		cpu_bit_set(t->enabled, t->n);
	t->n++;
	return true;
}

int cpu_wake_list(const struct cpu_platform *p, uint8_t *apic_ids, unsigned max)
{
	unsigned n = 0, all = 0;

	if (!p->xen_ids)
		return CPU_WAKE_ALL;	/* QEMU: CPUs not plugged in do not exist yet */
	for (unsigned i = 1; i < p->max && i < CPU_TABLE_MAX / 2 + 1; i++) {
		if (!cpu_bit(p->online, i))
			continue;
		all++;
		if (n < max)
			apic_ids[n++] = (uint8_t)(2 * i);
	}
	/* Every vCPU online: one broadcast does it. */
	return all + 1 == p->max ? CPU_WAKE_ALL : (int)n;
}

unsigned cpu_table_build(const struct cpu_platform *p, const uint8_t *seen, unsigned nseen,
			 struct cpu_table *t)
{
	unsigned lost = 0;

	memset(t, 0, sizeof(*t));
	if (p->xen_ids) {
		/* vCPU n, APIC ID 2n; 2n must stay below the broadcast ID. */
		for (unsigned i = 0; i < p->max && 2 * i < 0xFF; i++)
			add(t, (uint8_t)(2 * i), (uint8_t)i, i == 0 || cpu_bit(p->online, i));
		for (unsigned k = 0; k < nseen; k++)
			if (seen[k] != 0xFF && !listed(t, seen[k]) &&
			    !add(t, seen[k], seen[k] % 2 ? CPU_NO_MAP_BIT : seen[k] / 2, true))
				lost++;
		return lost;
	}
	for (unsigned k = 0; k < nseen; k++)
		if (seen[k] != 0xFF && !listed(t, seen[k]) && !add(t, seen[k], seen[k], true))
			lost++;
	/* The rest of the possible CPUs take the lowest IDs nobody has. */
	for (unsigned id = 0; t->n < p->max && id < 0xFF; id++)
		if (!listed(t, (uint8_t)id))
			add(t, (uint8_t)id, (uint8_t)id, false);
	return lost;
}
