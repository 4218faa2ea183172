/* SPDX-License-Identifier: MIT */
/*
 * hvmfw-pin DOMAIN [--dry-run] [--unpause]: in dom0, keep a paused
 * domain's passed-through devices' BARs at their host addresses (see
 * --help). dom0's side: libxenstore for the keys, libxenctrl for the
 * domain's state, sysfs for the host BARs; the logic is in pin.c.
 */
#include "pin.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <xenctrl.h>
#include <xenstore.h>

struct dom0 {
	struct xs_handle *xs;
	xc_interface *xc;
};

static int xs_get(void *ctx, const char *path, char *buf, size_t cap)
{
	struct dom0 *d = ctx;
	unsigned int len = 0;
	char *v = xs_read(d->xs, XBT_NULL, path, &len);

	if (!v)
		return -1;
	if (len >= cap) {
		free(v);
		return -1;
	}
	memcpy(buf, v, len);
	buf[len] = '\0';
	free(v);
	return (int)len;
}

static int xs_put(void *ctx, const char *path, const char *value)
{
	struct dom0 *d = ctx;

	return xs_write(d->xs, XBT_NULL, path, value, strlen(value)) ? 0 : -1;
}

static int xs_list(void *ctx, const char *path, char *buf, size_t cap)
{
	struct dom0 *d = ctx;
	unsigned int n = 0;
	char **names = xs_directory(d->xs, XBT_NULL, path, &n);
	size_t at = 0;
	int count = 0;

	if (!names)
		return -1;
	for (unsigned int i = 0; i < n; i++) {
		size_t l = strlen(names[i]) + 1;
		if (at + l > cap)
			break;
		memcpy(buf + at, names[i], l);
		at += l;
		count++;
	}
	free(names);
	return count;
}

static int file_get(void *ctx, const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n;

	(void)ctx;
	if (!f)
		return -1;
	n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	return (int)n;
}

static int dom_paused(void *ctx, unsigned domid)
{
	struct dom0 *d = ctx;
	xc_dominfo_t info;

	if (xc_domain_getinfo(d->xc, domid, 1, &info) != 1 || info.domid != domid)
		return -1;
	return info.paused ? 1 : 0;
}

static int dom_unpause(void *ctx, unsigned domid)
{
	struct dom0 *d = ctx;

	return xc_domain_unpause(d->xc, domid) ? -1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hvmfw-pin DOMAIN [--dry-run] [--unpause]\n"
		"\n"
		"Keep the BARs of a domain's passed-through PCI devices at their host\n"
		"addresses (1:1), for devices whose drivers read their BAR addresses from\n"
		"the device itself. For a domain created paused (xl create -p) whose devices\n"
		"have guest slots (pci = [ 'BDF@SLOT' ]): reads each device's memory BARs\n"
		"and ROM from sysfs, says which fit the guest and why the others do not\n"
		"(with the mmio_hole= or memory= that would make them fit), and writes the\n"
		"pins hvmfw honours to the domain's hvmfw/pins key.\n"
		"\n"
		"  DOMAIN     name or id\n"
		"  --dry-run  print the pins and what each collides with; write nothing\n"
		"  --unpause  unpause the domain afterwards\n"
		"  --help     this text\n"
		"\n"
		"Exit status: 0 every BAR pinned, 1 some refused (the others are written),\n"
		"2 bad input (unknown or running domain, no device, unreadable sysfs):\n"
		"nothing written.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", 0, 0, 'n' }, { "unpause", 0, 0, 'u' }, { "help", 0, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct pin_opts o = { .sysfs_root = "/sys" };
	struct dom0 d;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'n')
			o.dry_run = true;
		else if (c == 'u')
			o.unpause = true;
		else if (c == 'h') {
			usage(stdout);
			return PIN_OK;
		} else {
			usage(stderr);
			return PIN_BAD_INPUT;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return PIN_BAD_INPUT;
	}
	o.domain = argv[optind];
	d.xs = xs_open(0);
	if (!d.xs) {
		fprintf(stderr, "hvmfw-pin: cannot open xenstore (%s): run it in dom0 as root\n",
			strerror(errno));
		return PIN_BAD_INPUT;
	}
	d.xc = xc_interface_open(NULL, NULL, 0);
	if (!d.xc) {
		fprintf(stderr, "hvmfw-pin: cannot open the Xen control interface: run it in "
			"dom0 as root\n");
		xs_close(d.xs);
		return PIN_BAD_INPUT;
	}
	struct pin_ops ops = { xs_get, xs_put, xs_list, file_get, dom_paused, dom_unpause, &d };
	rc = pin_run(&o, &ops, stdout, stderr);
	xc_interface_close(d.xc);
	xs_close(d.xs);
	return rc;
}
