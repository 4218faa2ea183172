/* SPDX-License-Identifier: MIT */
/*
 * hvmfw's configuration schema. One parser for every platform: QEMU gives
 * the values as fw_cfg files opt/org.hvmfw/<key>, Xen as xenstore keys
 * hvmfw/<key> in the domain's home. Pure code.
 *
 *   log-level   error | warn | info | debug
 *   pins        entries "BB:DD.F/barN=ADDR" (or "/rom=ADDR"), separated by
 *               spaces, commas or semicolons: keep that BAR at ADDR (1:1)
 *   hole-min    lowest start (hex or decimal bytes, K/M/G suffix) the 32-bit
 *               MMIO hole may take; the planner otherwise picks the smallest
 */
#ifndef HVMFW_CONFIG_H
#define HVMFW_CONFIG_H

#include <hvmfw/compiler.h>

#define CONFIG_MAX_PINS 32
#define CONFIG_BAR_ROM 6

struct config_pin {
	uint8_t bus, dev, fn;
	uint8_t bar;            /* 0-5, or CONFIG_BAR_ROM */
	uint64_t addr;
};

struct config {
	int log_level;          /* -1: not given */
	uint32_t npins;
	struct config_pin pins[CONFIG_MAX_PINS];
	uint64_t hole_min;      /* 0: not given */
};

/* Called once per refused value: key, the offending text, the reason. */
typedef void (*config_refuse_fn)(const char *key, const char *value, const char *why);

void config_defaults(struct config *c);
/*
 * Apply one key's value. Good parts are kept, bad parts refused through
 * 'refuse' (one call each). Returns the number of refusals; an unknown key
 * is one refusal.
 */
int config_apply(struct config *c, const char *key, const char *value, config_refuse_fn refuse);
/* Parse a number: 0x hex or decimal, optional K/M/G suffix. 0 on success. */
int config_parse_u64(const char *s, size_t len, uint64_t *out);

/* Keys hvmfw reads, for the platform glue to ask for. */
extern const char *const config_keys[];

/* Firmware: read every key from the platform, refusing bad values in the log. */
void config_load(struct config *c);

#endif
