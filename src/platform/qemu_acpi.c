/* SPDX-License-Identifier: MIT */
/*
 * QEMU's own ACPI tables (fw_cfg etc/acpi/tables), read for what only QEMU
 * knows: the bus selector of each bridge it hot-plugs through ACPI
 * (dsdt_scan.h). hvmfw still builds every table the guest sees.
 */
#include <hvmfw/acpi.h>
#include <hvmfw/console.h>
#include <hvmfw/dsdt_scan.h>
#include <hvmfw/fw_cfg.h>
#include <hvmfw/platform.h>
#include <hvmfw/scratch.h>
#include <hvmfw/string.h>

#define HDR_LEN 36

/* The DSDT in the blob: the first "DSDT" header whose length fits (checksums are
 * the loader's job in QEMU's blob, so they are not looked at). */
static const uint8_t *find_dsdt(const uint8_t *blob, uint32_t n, uint32_t *len)
{
	for (uint32_t off = 0; off + HDR_LEN <= n; off++) {
		uint32_t l;

		if (memcmp(blob + off, "DSDT", 4))
			continue;
		memcpy(&l, blob + off + 4, 4);
		if (l >= HDR_LEN && l <= n - off) {
			*len = l;
			return blob + off;
		}
	}
	return NULL;
}

static void unmatched(const struct dsdt_hp_bus *b, const char *why)
{
	log_warn("acpi: QEMU's hot-plug bus selector %u (behind devfn %02x, depth %u) not used: %s",
		 b->bsel, b->depth ? b->devfn[b->depth - 1] : 0, b->depth, why);
}

void qemu_acpi_extras(struct acpi_config *cfg)
{
	static struct dsdt_hp hp;
	const uint8_t *dsdt;
	const char *why = NULL;
	uint32_t len = 0;
	uint8_t *buf;
	int n;

	if (!cfg->pci_hotplug_port || !cfg->bridges.n)
		return;
	buf = scratch_take("QEMU's ACPI tables");
	n = fw_cfg_read_file("etc/acpi/tables", buf, SCRATCH_BYTES);
	if (n < 0)
		why = "fw_cfg has no etc/acpi/tables";
	else if ((uint32_t)n > SCRATCH_BYTES)
		why = "etc/acpi/tables is larger than hvmfw's 192 KiB work buffer";
	else if (!(dsdt = find_dsdt(buf, (uint32_t)n, &len)))
		why = "no DSDT in etc/acpi/tables";
	else if (!dsdt_scan_hotplug(dsdt, len, &hp, &why))
		dsdt_hp_apply(&hp, &cfg->bridges, unmatched);
	scratch_give();
	if (why) {
		log_warn("acpi: cannot read QEMU's hot-plug bus selectors (%s): no ACPI hot-plug "
			 "behind bridges", why);
		return;
	}
	for (unsigned i = 0; i < cfg->bridges.n && i < ACPI_MAX_BRIDGES; i++) {
		const struct acpi_pci_bridge *b = &cfg->bridges.b[i];

		if (b->hp_slots)
			log_info("acpi: bridge to bus %02x (device %02x.%x): ACPI hot-plug, selector %u, "
				 "slots 0x%08x", b->secondary, b->dev, b->fn, b->bsel, b->hp_slots);
	}
}
