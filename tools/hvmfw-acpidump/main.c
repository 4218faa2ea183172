/* SPDX-License-Identifier: MIT */
/*
 * hvmfw-acpidump: run acpi_build() on the host for a described machine and
 * write each table to DIR/<SIG>.dat (DIR/<SIG>2.dat, ... for a signature seen
 * before), or print them in acpidump's text format (which acpixtract reads).
 * Used by the tests to feed iasl and acpiexec.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hvmfw/acpi.h>
#include <hvmfw/dsdt.h>

static void defaults(struct acpi_config *c, enum acpi_chipset chip, unsigned int ncpus)
{
	memset(c, 0, sizeof(*c));
	c->chipset = chip;
	c->ncpus = ncpus;
	for (unsigned int i = 0; i < ncpus; i++) {
		c->apic_ids[i] = (uint8_t)i;
		c->cpu_map_bit[i] = (uint8_t)i;        /* QEMU's map: one bit per APIC ID */
	}
	c->cpu_hotplug_port = chip == ACPI_CHIPSET_Q35 ? 0x0CD8 : 0xAF00;
	c->pci_hotplug_port = chip == ACPI_CHIPSET_Q35 ? 0 : 0xAE00;    /* as the chipset code */
	c->pci_hotplug_bus0 = chip != ACPI_CHIPSET_Q35;
	c->lapic_addr = 0xFEE00000;
	c->ioapic_addr = 0xFEC00000;
	c->ioapic_id = 0;
	c->hpet_present = true;
	c->hpet_addr = 0xFED00000;
	c->hpet_block_id = 0x8086A201;
	c->pm_base = 0xB000;
	c->sci_irq = 9;
	c->reset_port = 0xCF9;
	c->reset_value = 0x06;
	c->bus_start = 0;
	c->bus_end = 0xFF;
	if (chip == ACPI_CHIPSET_Q35) {
		c->dsdt = dsdt_q35_aml;
		c->dsdt_len = dsdt_q35_aml_len;
		c->gpe0_base = 0xB020;
		c->gpe0_len = 0x10;
		c->ecam = (struct acpi_window){ 0xE0000000, 0x10000000 };
		c->mem32[0] = (struct acpi_window){ 0xC0000000, 0x20000000 };
	} else {
		c->dsdt = dsdt_i440fx_aml;
		c->dsdt_len = dsdt_i440fx_aml_len;
		c->gpe0_base = 0xAFE0;
		c->gpe0_len = 4;
		c->mem32[0] = (struct acpi_window){ 0xE0000000, 0x1EC00000 };
	}
	memcpy(c->oem_id, "HVMFW ", 7);
	memcpy(c->oem_table_id, "HVMFW   ", 9);
}

static int parse_window(const char *s, struct acpi_window *w)
{
	char *end;

	errno = 0;
	w->base = strtoull(s, &end, 0);
	if (*end != ':')
		return -1;
	w->len = strtoull(end + 1, &end, 0);
	return (*end || errno) ? -1 : 0;
}

/*
 * --bridge D.F[:P][=BSEL/SLOTS]: a bridge at device D function F (hex) on
 * bus 0, or on the secondary bus of bridge number P (0-based, given
 * earlier). Root slot and pin offset follow the standard swizzle, as the
 * enumerator computes. =BSEL/SLOTS: the slots behind it hot-plug through
 * ACPI under that bus selector (as read from QEMU's DSDT); needs --pcihp.
 */
static int parse_bridge(const char *s, struct acpi_pci_bridges *br)
{
	struct acpi_pci_bridge *b = &br->b[br->n];
	unsigned long dev, fn, parent = ACPI_BRIDGE_ROOT;
	char *end;

	if (br->n >= ACPI_MAX_BRIDGES)
		return -1;
	dev = strtoul(s, &end, 16);
	if (*end != '.')
		return -1;
	fn = strtoul(end + 1, &end, 16);
	if (*end == ':')
		parent = strtoul(end + 1, &end, 0);
	if (*end == '=') {
		unsigned long bsel = strtoul(end + 1, &end, 0), slots;

		if (*end != '/' || bsel > 255)
			return -1;
		slots = strtoul(end + 1, &end, 0);
		if (!slots || slots > 0xFFFFFFFFul)
			return -1;
		b->bsel = (uint8_t)bsel;
		b->hp_slots = (uint32_t)slots;
	}
	if (*end || dev > 31 || fn > 7 || (parent != ACPI_BRIDGE_ROOT && parent >= br->n))
		return -1;
	b->parent = (uint8_t)parent;
	b->dev = (uint8_t)dev;
	b->fn = (uint8_t)fn;
	b->secondary = (uint8_t)(br->n + 1);
	if (parent == ACPI_BRIDGE_ROOT) {
		b->root_slot = b->dev;
		b->pin_off = 0;
	} else {
		b->root_slot = br->b[parent].root_slot;
		b->pin_off = (uint8_t)((br->b[parent].pin_off + b->dev) & 3);
	}
	br->n++;
	return 0;
}

static void hexdump(const char *sig, uint32_t addr, const uint8_t *p, uint32_t len)
{
	printf("%s @ 0x%016x\n", sig, addr);
	for (uint32_t off = 0; off < len; off += 16) {
		printf("    %04X:", off);
		for (uint32_t i = off; i < off + 16 && i < len; i++)
			printf(" %02X", p[i]);
		printf("\n");
	}
	printf("\n");
}

/* Tables of the blob given with --extra that acpi_build() left out. */
static void extra_refused(const struct acpi_extra_table *t)
{
	fprintf(stderr, "extra table %s at +0x%x (%u bytes) left out: %s\n", t->sig, t->off,
		t->len, t->refused);
}

static int read_blob(const char *path, uint8_t *dst, size_t cap, uint32_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		perror(path);
		return -1;
	}
	n = fread(dst, 1, cap, f);
	if (ferror(f) || !feof(f)) {
		fprintf(stderr, "%s: unreadable or larger than %zu bytes\n", path, cap);
		fclose(f);
		return -1;
	}
	fclose(f);
	*len = (uint32_t)n;
	return 0;
}

/* Sleep state: its SLP_TYP value, 0-7. */
static int parse_sleep(const char *s, struct acpi_sleep_state *st)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (*end || v > 7)
		return -1;
	*st = (struct acpi_sleep_state){ true, (uint8_t)v };
	return 0;
}

static int write_file(const char *dir, const char *sig, const uint8_t *p, uint32_t len)
{
	static char seen[64][5];
	static unsigned nseen;
	char path[4096];
	unsigned dup = 1;
	FILE *f;

	for (unsigned i = 0; i < nseen; i++)
		dup += !strcmp(seen[i], sig);
	if (nseen < 64)
		memcpy(seen[nseen++], sig, 5);
	if (dup > 1)
		snprintf(path, sizeof(path), "%s/%s%u.dat", dir, sig, dup);
	else
		snprintf(path, sizeof(path), "%s/%s.dat", dir, sig);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: hvmfw-acpidump [-c i440fx|q35] [-n NCPUS] [--mem32 B:L]... [--mem64 B:L]\n"
		"         [--io B:L] [--ecam B:L] [--buses S:E] [--no-hpet] [--phys ADDR]\n"
		"         [--bridge D.F[:PARENT][=BSEL/SLOTS]]... [--pcihp PORT] [--vmgenid ADDR]\n"
		"         [--s3 SLP_TYP] [--s4 SLP_TYP] [--extra FILE] [--absent N]\n"
		"         [--no-cpu-hotplug]\n"
		"         [-o DIR | -x]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "chipset", 1, 0, 'c' }, { "cpus", 1, 0, 'n' }, { "out", 1, 0, 'o' },
		{ "hex", 0, 0, 'x' }, { "mem32", 1, 0, 1 }, { "mem64", 1, 0, 2 },
		{ "io", 1, 0, 3 }, { "ecam", 1, 0, 4 }, { "buses", 1, 0, 5 },
		{ "no-hpet", 0, 0, 6 }, { "phys", 1, 0, 7 }, { "bridge", 1, 0, 8 },
		{ "vmgenid", 1, 0, 9 }, { "s3", 1, 0, 10 }, { "s4", 1, 0, 11 },
		{ "extra", 1, 0, 12 }, { "absent", 1, 0, 13 }, { "no-cpu-hotplug", 0, 0, 14 },
		{ "pcihp", 1, 0, 15 },
		{ 0, 0, 0, 0 },
	};
	static struct acpi_config cfg;
	static uint8_t buf[256 * 1024], extra[256 * 1024];
	struct acpi_result res;
	struct acpi_window w;
	char *end;
	enum acpi_chipset chip = ACPI_CHIPSET_I440FX;
	unsigned long ncpus = 1, phys = 0x000E0000;
	const char *outdir = NULL;
	unsigned int nmem32 = 0;
	int o, rc;

	/* First pass: chipset and CPU count select the defaults the rest overrides. */
	while ((o = getopt_long(argc, argv, "c:n:o:x", opts, NULL)) != -1) {
		if (o == 'c' && !strcmp(optarg, "q35"))
			chip = ACPI_CHIPSET_Q35;
		else if (o == 'c' && strcmp(optarg, "i440fx"))
			usage();
		else if (o == 'n')
			ncpus = strtoul(optarg, NULL, 0);
		else if (o == '?')
			usage();
	}
	if (ncpus == 0 || ncpus > ACPI_MAX_CPUS)
		usage();
	defaults(&cfg, chip, (unsigned int)ncpus);

	optind = 1;
	while ((o = getopt_long(argc, argv, "c:n:o:x", opts, NULL)) != -1) {
		if (o == 'o')
			outdir = optarg;
		else if (o == 1) {
			/* The first --mem32 replaces the default window, later ones add windows. */
			if (parse_window(optarg, &w) || nmem32 == ACPI_MAX_MEM32)
				usage();
			if (!nmem32)
				memset(cfg.mem32, 0, sizeof(cfg.mem32));
			cfg.mem32[nmem32++] = w;
		} else if (o >= 2 && o <= 4) {
			if (parse_window(optarg, &w))
				usage();
			*(o == 2 ? &cfg.mem64 : o == 3 ? &cfg.io : &cfg.ecam) = w;
		} else if (o == 5) {
			if (parse_window(optarg, &w) || w.base > 255 || w.len > 255)
				usage();
			cfg.bus_start = (uint8_t)w.base;
			cfg.bus_end = (uint8_t)w.len;
		} else if (o == 6)
			cfg.hpet_present = false;
		else if (o == 7)
			phys = strtoul(optarg, NULL, 0);
		else if (o == 8 && parse_bridge(optarg, &cfg.bridges))
			usage();
		else if (o == 9) {
			errno = 0;
			cfg.vmgenid_addr = strtoull(optarg, &end, 0);
			if (*end || errno)
				usage();
		} else if ((o == 10 && parse_sleep(optarg, &cfg.s3)) ||
			   (o == 11 && parse_sleep(optarg, &cfg.s4)))
			usage();
		else if (o == 13) {
			/* The last N CPUs are not running: listed disabled, for hot-plug. */
			unsigned long k = strtoul(optarg, &end, 0);

			if (*end || k >= cfg.ncpus)
				usage();
			for (unsigned long i = cfg.ncpus - k; i < cfg.ncpus; i++)
				cfg.cpu_absent[i / 8] |= (uint8_t)(1u << (i % 8));
		} else if (o == 14)
			cfg.cpu_hotplug_port = 0;
		else if (o == 15) {
			/* The chipset's ACPI PCI hot-plug registers (Q35 with QEMU: 0xcc0). */
			unsigned long port = strtoul(optarg, &end, 0);

			if (*end || !port || port > 0xFFFF)
				usage();
			cfg.pci_hotplug_port = (uint16_t)port;
		}
		else if (o == 12) {
			if (read_blob(optarg, extra, sizeof(extra), &cfg.extra_len))
				return 1;
			cfg.extra = extra;
			cfg.extra_refused = extra_refused;
		}
	}

	rc = acpi_build(&cfg, buf, sizeof(buf), (uint32_t)phys, &res);
	if (rc) {
		fprintf(stderr, "acpi_build failed: %d\n", rc);
		return 1;
	}
	for (uint32_t i = 0; i < res.ntables; i++) {
		const uint8_t *p = buf + (res.tables[i].addr - phys);
		if (outdir ? write_file(outdir, res.tables[i].sig, p, res.tables[i].len)
			   : (hexdump(res.tables[i].sig, res.tables[i].addr, p, res.tables[i].len), 0))
			return 1;
	}
	if (outdir)
		return write_file(outdir, "RSDP", buf + (res.rsdp - phys), 36) ? 1 : 0;
	hexdump("RSDP", res.rsdp, buf + (res.rsdp - phys), 36);
	return 0;
}
