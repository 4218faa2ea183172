/* SPDX-License-Identifier: MIT */
/*
 * fuzz-dsdt-scan: a device model's DSDT read for its hot-plug bus
 * selectors (src/acpi/dsdt_scan.c), then matched to a bridge list
 * (dsdt_hp_apply) as src/platform/qemu_acpi.c does.
 *
 * Checked:
 *  - the table is exactly its size (ASan): nothing is read past it;
 *  - the scan ends; buses found are within the limits (count, depth);
 *    a failure has a reason;
 *  - a bridge given a selector sits at exactly the devfn chain of a bus
 *    found, with that bus's selector and slots; the others are untouched.
 *
 * Byte layout: nbr u8 (bridges % 9), per bridge: parent u8 (0xFF or a lower
 * index), devfn u8; then the AML after a DSDT header hvmfw writes (its
 * length field is the input's length, unless the first AML byte is 0xEE:
 * then the next u32 is the length field, to try lies).
 */
#include "fuzz_bytes.h"
#include <hvmfw/acpi.h>
#include <hvmfw/dsdt_scan.h>

static void unmatched(const struct dsdt_hp_bus *b, const char *why)
{
	FUZZ_CHECK(b && why && *why, "unmatched without a reason");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dsdt_hp hp;
	struct fz f = { data, size, 0 };
	struct acpi_pci_bridges br, before;
	unsigned nbr = fz_u8(&f) % 9;
	uint32_t lenfield, aml;
	const char *why = NULL;
	uint8_t *t;

	memset(&br, 0, sizeof(br));
	for (unsigned i = 0; i < nbr; i++) {
		uint8_t parent = fz_u8(&f), devfn = fz_u8(&f);
		br.b[i].parent = parent < i ? parent : ACPI_BRIDGE_ROOT;
		br.b[i].dev = devfn >> 3;
		br.b[i].fn = devfn & 7;
	}
	br.n = (uint8_t)nbr;
	before = br;
	aml = (uint32_t)fz_left(&f);
	lenfield = 36 + aml;
	if (aml >= 5 && f.p[f.i] == 0xEE) {
		f.i++;
		lenfield = fz_u32(&f);
		aml = (uint32_t)fz_left(&f);
	}
	t = malloc(36 + aml);
	memset(t, 0, 36);
	memcpy(t, "DSDT", 4);
	memcpy(t + 4, &lenfield, 4);
	memcpy(t + 36, f.p + f.i, aml);

	if (dsdt_scan_hotplug(t, 36 + aml, &hp, &why)) {
		FUZZ_CHECK(why && *why, "scan failed without a reason");
		free(t);
		return 0;
	}
	FUZZ_CHECK(hp.n <= DSDT_HP_MAX_BUSES, "%u buses", hp.n);
	for (unsigned k = 0; k < hp.n; k++)
		FUZZ_CHECK(hp.bus[k].depth <= DSDT_HP_MAX_DEPTH, "bus %u depth %u", k, hp.bus[k].depth);

	unsigned applied = dsdt_hp_apply(&hp, &br, unmatched), given = 0;
	for (unsigned i = 0; i < nbr; i++) {
		struct acpi_pci_bridge *b = &br.b[i], *o = &before.b[i];
		if (b->bsel == o->bsel && b->hp_slots == o->hp_slots)
			continue;
		given++;
		/* Its chain, independently: up the parents. */
		uint8_t c[16];
		unsigned n = 0;
		for (unsigned at = i; at != ACPI_BRIDGE_ROOT && n < 16; at = br.b[at].parent)
			c[n++] = (uint8_t)(br.b[at].dev << 3 | br.b[at].fn);
		bool match = false;
		for (unsigned k = 0; k < hp.n && !match; k++) {
			const struct dsdt_hp_bus *h = &hp.bus[k];
			if (h->depth != n || h->bsel != b->bsel || h->slots != b->hp_slots)
				continue;
			match = true;
			for (unsigned d = 0; d < n; d++)
				match &= h->devfn[d] == c[n - 1 - d];
		}
		FUZZ_CHECK(match, "bridge %u got selector %u, slots 0x%x from no bus at its address",
			   i, b->bsel, b->hp_slots);
	}
	FUZZ_CHECK(given <= applied, "%u bridges changed, %u applied", given, applied);
	free(t);
	return 0;
}
