/* SPDX-License-Identifier: MIT */
/*
 * hvmfw-pin's logic, apart from dom0's xenstore, sysfs and hypercalls (which
 * come in through struct pin_ops): find a domain's passed-through devices,
 * read their host BARs, decide which pins fit the guest and write the
 * hvmfw/pins key that the firmware honours.
 */
#ifndef HVMFW_PIN_H
#define HVMFW_PIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PIN_MAX_DEVS 16
#define PIN_ROM 6

struct pin_bar {
	uint8_t index;          /* 0-5, or PIN_ROM */
	uint64_t addr, size;
	bool mem64, prefetch;
	const char *refused;    /* NULL: pinned; else why not */
	char advice[96];        /* what would make it fit, "" if nothing */
};

struct pin_dev {
	char host[16];          /* "0000:01:00.0" */
	int vdevfn;             /* guest dev << 3 | fn, -1: none given */
	unsigned nbars;
	struct pin_bar bar[7];
};

/* What the toolstack will give the guest (from its xenstore keys). */
struct pin_guest {
	uint64_t low_ram_end;   /* RAM [0, low_ram_end) */
	uint64_t high_ram_end;  /* RAM [4 GiB, high_ram_end); 0: none */
	unsigned phys_bits;     /* guest physical address width; 0: unknown */
};

/* dom0's services; every call returns 0 or a negative value (and sets nothing). */
struct pin_ops {
	/* xenstore read: value NUL-terminated in buf */
	int (*read)(void *ctx, const char *path, char *buf, size_t cap);
	/* xenstore write */
	int (*write)(void *ctx, const char *path, const char *value);
	/* xenstore directory: names separated by NULs, their count returned */
	int (*list)(void *ctx, const char *path, char *buf, size_t cap);
	/* the text of a sysfs file */
	int (*sysfs)(void *ctx, const char *path, char *buf, size_t cap);
	/* 1 paused, 0 running, negative: no such domain */
	int (*paused)(void *ctx, unsigned domid);
	int (*unpause)(void *ctx, unsigned domid);
	void *ctx;
};

struct pin_opts {
	const char *domain;     /* name or id */
	bool dry_run, unpause;
	const char *sysfs_root; /* "/sys" */
};

/* Exit statuses. */
#define PIN_OK 0
#define PIN_REFUSED 1
#define PIN_BAD_INPUT 2

/* Memory BARs and ROM from a sysfs "resource" file (start end flags per line). */
int pin_parse_resource(const char *text, struct pin_dev *d, char *why, size_t n);

/* Why BAR b cannot keep its host address in this guest (advice filled), or NULL. */
const char *pin_collision(struct pin_bar *b, const struct pin_guest *g);

/* The hvmfw/pins value for the BARs that fit: "BB:DD.F/barN=0x... ...". */
size_t pin_format(const struct pin_dev *d, unsigned nd, char *out, size_t cap);

/* The whole job; messages on out (what was done) and err (what went wrong). */
int pin_run(const struct pin_opts *o, const struct pin_ops *ops, FILE *out, FILE *err);

#endif
