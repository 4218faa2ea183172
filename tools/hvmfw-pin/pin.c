/* SPDX-License-Identifier: MIT */
/* hvmfw-pin's logic (see pin.h); dom0 is reached only through struct pin_ops. */
#include "pin.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define GiB4 (1ull << 32)
#define MiB1 (1ull << 20)
/* Special pages, I/O APIC, local APIC, HPET and the firmware: fixed by Xen and the device model. */
#define XEN_RESERVED 0xFC000000ull
/* libxl's RAM below 4 GiB without mmio_hole= (HVM_BELOW_4G_RAM_END). */
#define DEFAULT_LOW_RAM_END 0xF0000000ull
#define MAX_MMIO_HOLE_MIB 3840

/* Linux's struct resource flags as sysfs prints them. */
#define IORESOURCE_MEM 0x00000200ull
#define IORESOURCE_PREFETCH 0x00002000ull
#define IORESOURCE_MEM_64 0x00100000ull

int pin_parse_resource(const char *text, struct pin_dev *d, char *why, size_t n)
{
	const char *p = text;

	d->nbars = 0;
	for (unsigned line = 0; line <= PIN_ROM; line++) {
		unsigned long long start, end, flags;
		int used = 0;

		if (sscanf(p, "%llx %llx %llx%n", &start, &end, &flags, &used) != 3) {
			snprintf(why, n, "line %u of its resource file is not \"start end flags\"",
				 line + 1);
			return -1;
		}
		p += used;
		while (*p == ' ' || *p == '\n')
			p++;
		if (!(flags & IORESOURCE_MEM) || !end || end <= start)
			continue;
		struct pin_bar *b = &d->bar[d->nbars++];
		memset(b, 0, sizeof(*b));
		b->index = (uint8_t)line;
		b->addr = start;
		b->size = end - start + 1;
		b->mem64 = flags & IORESOURCE_MEM_64;
		b->prefetch = flags & IORESOURCE_PREFETCH;
	}
	if (!d->nbars) {
		snprintf(why, n, "it has no memory BAR and no ROM to pin");
		return -1;
	}
	return 0;
}

const char *pin_collision(struct pin_bar *b, const struct pin_guest *g)
{
	uint64_t a = b->addr, end = a + b->size;

	b->advice[0] = '\0';
	if (b->addr & 0xF || end < a)
		return "its host address is not a BAR address";
	if (g->phys_bits && g->phys_bits < 64 && end > (1ull << g->phys_bits))
		return "it lies beyond the guest's physical address width";
	if (a < GiB4 && end > GiB4)
		return "it crosses 4 GiB";
	if (a < GiB4) {
		if (end > XEN_RESERVED)
			return "it overlaps Xen's fixed range 0xfc000000-0xffffffff (special pages, "
			       "I/O APIC, local APIC, HPET, firmware)";
		if (a < MiB1)
			return "it lies below 1 MiB (the legacy areas)";
		if (a < g->low_ram_end) {
			uint64_t hole = (GiB4 - (a & ~(MiB1 - 1))) >> 20;

			if (hole <= MAX_MMIO_HOLE_MIB)
				snprintf(b->advice, sizeof(b->advice), "mmio_hole=%" PRIu64 " or more",
					 hole);
			else
				snprintf(b->advice, sizeof(b->advice), "memory=%" PRIu64 " or less",
					 a >> 20);
			return "it overlaps the guest's RAM below 4 GiB";
		}
		return NULL;
	}
	if (g->high_ram_end && a < g->high_ram_end) {
		snprintf(b->advice, sizeof(b->advice), "memory=%" PRIu64 " or less",
			 (g->low_ram_end + (a - GiB4)) >> 20);
		return "it overlaps the guest's RAM above 4 GiB";
	}
	return NULL;
}

size_t pin_format(const struct pin_dev *d, unsigned nd, char *out, size_t cap)
{
	size_t len = 0;

	if (cap)
		out[0] = '\0';
	for (unsigned i = 0; i < nd; i++)
		for (unsigned k = 0; k < d[i].nbars; k++) {
			const struct pin_bar *b = &d[i].bar[k];
			char bar[8];
			int w;

			if (b->refused)
				continue;
			if (b->index == PIN_ROM)
				snprintf(bar, sizeof(bar), "rom");
			else
				snprintf(bar, sizeof(bar), "bar%u", b->index);
			size_t at = len < cap ? len : cap;

			w = snprintf(out + at, cap - at, "%s00:%02x.%x/%s=0x%" PRIx64, len ? " " : "",
				     d[i].vdevfn >> 3, d[i].vdevfn & 7, bar, b->addr);
			len += (size_t)w;
		}
	return len;
}

/* Exactly "dddd:bb:dd.f" in hex: it goes into a sysfs path. */
static bool bdf_ok(const char *s)
{
	static const char shape[] = "xxxx:xx:xx.x";

	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'x' ? !isxdigit((unsigned char)s[i]) : s[i] != shape[i])
			return false;
	return true;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static int find_domain(const struct pin_ops *ops, const char *want, unsigned *domid)
{
	char names[8192], path[64], name[256];
	int n;

	if (all_digits(want) && strlen(want) < 6) {
		*domid = (unsigned)atoi(want);
		snprintf(path, sizeof(path), "/local/domain/%u/name", *domid);
		return ops->read(ops->ctx, path, name, sizeof(name)) < 0 ? -1 : 0;
	}
	n = ops->list(ops->ctx, "/local/domain", names, sizeof(names));
	for (const char *p = names; n > 0; n--, p += strlen(p) + 1) {
		if (!all_digits(p) || strlen(p) > 5)
			continue;
		snprintf(path, sizeof(path), "/local/domain/%s/name", p);
		if (ops->read(ops->ctx, path, name, sizeof(name)) >= 0 && !strcmp(name, want)) {
			*domid = (unsigned)atoi(p);
			return 0;
		}
	}
	return -1;
}

static uint64_t read_u64(const struct pin_ops *ops, const char *path, uint64_t dflt)
{
	char v[64], *end;
	unsigned long long x;

	if (ops->read(ops->ctx, path, v, sizeof(v)) < 0)
		return dflt;
	x = strtoull(v, &end, 0);
	return *end || end == v ? dflt : x;
}

/* The RAM layout libxl gives an HVM guest: memory below the hole, the rest above 4 GiB. */
static void guest_layout(const struct pin_ops *ops, unsigned domid, struct pin_guest *g)
{
	char path[96];
	uint64_t mem, hole;

	snprintf(path, sizeof(path), "/local/domain/%u/memory/static-max", domid);
	mem = read_u64(ops, path, 0) << 10;
	snprintf(path, sizeof(path), "/local/domain/%u/platform/mmio_hole_size", domid);
	hole = read_u64(ops, path, 0);
	g->low_ram_end = hole && hole < GiB4 ? GiB4 - hole : DEFAULT_LOW_RAM_END;
	if (mem && mem < g->low_ram_end)
		g->low_ram_end = mem;
	g->high_ram_end = mem > g->low_ram_end ? GiB4 + (mem - g->low_ram_end) : 0;
}

static int read_devices(const struct pin_opts *o, const struct pin_ops *ops, unsigned domid,
			struct pin_dev *d, unsigned *nd, FILE *err)
{
	char base[64], path[160], v[64], text[8192], why[160];
	int ndevs;

	snprintf(base, sizeof(base), "/local/domain/0/backend/pci/%u/0", domid);
	snprintf(path, sizeof(path), "%s/num_devs", base);
	ndevs = (int)read_u64(ops, path, 0);
	if (ndevs <= 0) {
		fprintf(err, "hvmfw-pin: domain %u has no passed-through PCI device (no %s)\n",
			domid, path);
		return -1;
	}
	if (ndevs > PIN_MAX_DEVS) {
		fprintf(err, "hvmfw-pin: domain %u has %d passed-through devices, more than the "
			"%u hvmfw-pin handles\n", domid, ndevs, PIN_MAX_DEVS);
		return -1;
	}
	*nd = 0;
	for (int i = 0; i < ndevs; i++) {
		struct pin_dev *dev = &d[(*nd)++];

		memset(dev, 0, sizeof(*dev));
		snprintf(path, sizeof(path), "%s/dev-%d", base, i);
		if (ops->read(ops->ctx, path, dev->host, sizeof(dev->host)) < 0 ||
		    !bdf_ok(dev->host)) {
			fprintf(err, "hvmfw-pin: %s is missing or not a PCI address\n", path);
			return -1;
		}
		snprintf(path, sizeof(path), "%s/vdevfn-%d", base, i);
		if (ops->read(ops->ctx, path, v, sizeof(v)) < 0) {
			fprintf(err, "hvmfw-pin: %s has no guest slot yet: give it one in the "
				"domain's configuration (pci = [ '%s@SLOT' ]) so the pins can name "
				"it\n", dev->host, dev->host);
			return -1;
		}
		dev->vdevfn = (int)strtol(v, NULL, 16);
		if (dev->vdevfn <= 0 || dev->vdevfn > 0xFF) {
			fprintf(err, "hvmfw-pin: %s: guest slot \"%s\" is not a devfn\n", dev->host, v);
			return -1;
		}
		snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/resource", o->sysfs_root,
			 dev->host);
		if (ops->sysfs(ops->ctx, path, text, sizeof(text)) < 0) {
			fprintf(err, "hvmfw-pin: %s: cannot read %s\n", dev->host, path);
			return -1;
		}
		if (pin_parse_resource(text, dev, why, sizeof(why))) {
			fprintf(err, "hvmfw-pin: %s: %s\n", dev->host, why);
			return -1;
		}
	}
	return 0;
}

int pin_run(const struct pin_opts *o, const struct pin_ops *ops, FILE *out, FILE *err)
{
	static struct pin_dev d[PIN_MAX_DEVS];
	struct pin_guest g = { 0 };
	char value[4096], path[64];
	unsigned domid, nd = 0, refused = 0, pinned = 0;
	int paused;

	if (find_domain(ops, o->domain, &domid)) {
		fprintf(err, "hvmfw-pin: no domain \"%s\"\n", o->domain);
		return PIN_BAD_INPUT;
	}
	paused = ops->paused(ops->ctx, domid);
	if (paused < 0) {
		fprintf(err, "hvmfw-pin: domain %u does not exist for Xen\n", domid);
		return PIN_BAD_INPUT;
	}
	if (!paused && !o->dry_run) {
		fprintf(err, "hvmfw-pin: domain %u is running: its firmware has read its keys "
			"already; create it paused (xl create -p) and run hvmfw-pin before it runs\n",
			domid);
		return PIN_BAD_INPUT;
	}
	if (read_devices(o, ops, domid, d, &nd, err))
		return PIN_BAD_INPUT;
	guest_layout(ops, domid, &g);
	fprintf(out, "domain %u: RAM below 4 GiB to 0x%" PRIx64 ", above 4 GiB to 0x%" PRIx64 "\n",
		domid, g.low_ram_end, g.high_ram_end);
	for (unsigned i = 0; i < nd; i++)
		for (unsigned k = 0; k < d[i].nbars; k++) {
			struct pin_bar *b = &d[i].bar[k];
			char name[8];

			b->refused = pin_collision(b, &g);
			snprintf(name, sizeof(name), b->index == PIN_ROM ? "rom" : "bar%u", b->index);
			fprintf(out, "%s -> 00:%02x.%x %-5s 0x%012" PRIx64 " size 0x%" PRIx64 "%s%s: ",
				d[i].host, d[i].vdevfn >> 3, d[i].vdevfn & 7, name, b->addr, b->size,
				b->mem64 ? " 64-bit" : "", b->prefetch ? " pref" : "");
			if (b->refused) {
				refused++;
				fprintf(out, "refused: %s%s%s\n", b->refused,
					b->advice[0] ? "; it fits with " : "", b->advice);
			} else {
				pinned++;
				fprintf(out, "pinned\n");
			}
		}
	if (pin_format(d, nd, value, sizeof(value)) >= sizeof(value)) {
		fprintf(err, "hvmfw-pin: the pins do not fit in one xenstore value\n");
		return PIN_BAD_INPUT;
	}
	snprintf(path, sizeof(path), "/local/domain/%u/hvmfw/pins", domid);
	if (!pinned) {
		fprintf(out, "nothing to pin: %s left as it is\n", path);
	} else if (o->dry_run) {
		fprintf(out, "would write %s = \"%s\"\n", path, value);
	} else if (ops->write(ops->ctx, path, value)) {
		fprintf(err, "hvmfw-pin: writing %s failed\n", path);
		return PIN_BAD_INPUT;
	} else {
		fprintf(out, "wrote %s = \"%s\"\n", path, value);
	}
	if (o->unpause && !o->dry_run) {
		if (ops->unpause(ops->ctx, domid)) {
			fprintf(err, "hvmfw-pin: unpausing domain %u failed\n", domid);
			return PIN_BAD_INPUT;
		}
		fprintf(out, "domain %u unpaused\n", domid);
	}
	return refused ? PIN_REFUSED : PIN_OK;
}
