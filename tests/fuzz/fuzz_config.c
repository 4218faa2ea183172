/* SPDX-License-Identifier: MIT */
/*
 * fuzz-config: the configuration values hvmfw reads from fw_cfg
 * (opt/hvmfw/<key>) and from xenstore (hvmfw/<key>, and the toolstack's
 * platform/ and bios-strings/ keys), parsed as the firmware parses them.
 *
 * Checked:
 *  - config_parse_u64 reads only the span it is given (the span is a copy of
 *    exactly that many bytes, with no NUL after it) and agrees with an
 *    independent parse (strtoull on a checked copy);
 *  - config_apply keeps at most CONFIG_MAX_PINS pins, each with a legal PCI
 *    address, BAR and 16-byte aligned address, no BAR twice; a log level
 *    and hole-min are either refused or legal; every refusal names its key
 *    and carries NUL-terminated text;
 *  - xen_parse_num/bool/genid agree with independent parses;
 *  - xen_platform_info_read, with every key answered from the input (absent,
 *    a value, or "too long" as the firmware's getter reports it), leaves
 *    every string NUL-terminated and within its array and every count
 *    within its bound.
 *
 * Byte layout: mode u8 (bit0: xenstore platform keys, else hvmfw keys),
 * then values: a length u8 then that many bytes (values stop at the end of
 * the input; a length of 0xFF means "longer than the reader's buffer").
 */
#include <errno.h>
#include "fuzz_bytes.h"
#include <hvmfw/config.h>
#include <hvmfw/xen/platform_info.h>

static unsigned refusals;

static void refuse_cfg(const char *key, const char *value, const char *why)
{
	FUZZ_CHECK(key && value && why && *why, "config refusal without text");
	FUZZ_CHECK(strlen(key) < 64 && strlen(why) < 200, "config refusal text too long");
	(void)strlen(value);
	refusals++;
}

/* Independent reading of NUMBER[KkMmGg]: decimal, or 0x hex; no sign, no spaces. */
static int oracle_u64(const char *s, size_t len, uint64_t *out)
{
	char buf[300];
	unsigned shift = 0;
	int base = 10;
	size_t start = 0;

	if (len && memchr("KkMmGg", s[len - 1], 6)) {
		shift = (s[len - 1] | 0x20) == 'k' ? 10 : (s[len - 1] | 0x20) == 'm' ? 20 : 30;
		len--;
	}
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, start = 2;
	if (len == start || len - start >= sizeof(buf))
		return -1;
	for (size_t i = start; i < len; i++) {
		char ch = s[i];
		bool ok = (ch >= '0' && ch <= '9') ||
			  (base == 16 && ((ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')));
		if (!ok)
			return -1;
	}
	memcpy(buf, s + start, len - start);
	buf[len - start] = '\0';
	errno = 0;
	unsigned long long v = strtoull(buf, NULL, base);
	if (errno == ERANGE || (shift && v > (UINT64_MAX >> shift)))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

/* A value from the input, NUL-terminated; *len 0xFF: "too long". */
static size_t take(struct fz *f, char *buf, size_t cap)
{
	size_t n = fz_u8(f);

	n = MIN(n, MIN(fz_left(f), cap - 1));
	memcpy(buf, f->p + f->i, n);
	f->i += n;
	buf[n] = '\0';
	return n;
}

static void check_u64(const char *v, size_t n)
{
	/* Exactly n bytes, nothing after them: ASan catches a read past the span. */
	char *copy = malloc(n ? n : 1);
	uint64_t a = 0, b = 0;

	memcpy(copy, v, n);
	int ra = config_parse_u64(copy, n, &a);
	int rb = oracle_u64(copy, n, &b);
	FUZZ_CHECK(!ra == !rb && (ra || a == b), "config_parse_u64(\"%.*s\") = %d/0x%llx, expected %d/0x%llx",
		   (int)n, v, ra, (unsigned long long)a, rb, (unsigned long long)b);
	free(copy);
}

static void check_config(const struct config *c)
{
	FUZZ_CHECK(c->npins <= CONFIG_MAX_PINS, "%u pins", c->npins);
	FUZZ_CHECK(c->log_level >= -1 && c->log_level <= 3, "log level %d", c->log_level);
	FUZZ_CHECK(c->hole_min < (1ull << 32) && !(c->hole_min & 0xFFFFF), "hole_min 0x%llx",
		   (unsigned long long)c->hole_min);
	for (uint32_t i = 0; i < c->npins; i++) {
		const struct config_pin *p = &c->pins[i];

		FUZZ_CHECK(p->dev < 32 && p->fn < 8 && p->bar <= CONFIG_BAR_ROM && !(p->addr & 0xF),
			   "pin %u: %x:%x.%x bar %u at 0x%llx", i, p->bus, p->dev, p->fn, p->bar,
			   (unsigned long long)p->addr);
		for (uint32_t j = 0; j < i; j++)
			FUZZ_CHECK(memcmp(&c->pins[j], p, 4), "pin %u twice", i);
	}
}

static void fuzz_hvmfw_keys(struct fz *f)
{
	struct config c;
	char v[300];

	config_defaults(&c);
	while (fz_left(f)) {
		unsigned k = fz_u8(f) % 4;
		size_t n = take(f, v, sizeof(v));
		const char *key = k < 3 ? config_keys[k] : "no-such-key";
		unsigned before = refusals;

		check_u64(v, n);
		int bad = config_apply(&c, key, v, refuse_cfg);
		FUZZ_CHECK(bad >= 0 && (unsigned)bad == refusals - before,
			   "config_apply returned %d after %u refusals", bad, refusals - before);
		check_config(&c);
	}
}

struct keys {
	struct fz *f;
	unsigned asked;
};

static int key_get(void *ctx, const char *key, char *buf, size_t cap)
{
	struct keys *k = ctx;
	uint8_t sel = fz_u8(k->f);
	size_t n;

	FUZZ_CHECK(key && strlen(key) < 128, "key name");
	FUZZ_CHECK(++k->asked < 1000, "more than 1000 keys read");
	if (sel < 0x40 || !fz_left(k->f))
		return -1;              /* absent */
	if (sel == 0xFF)
		return (int)cap;        /* too long, as the firmware's getter says */
	n = fz_u8(k->f);
	n = MIN(n, MIN(fz_left(k->f), cap - 1));
	memcpy(buf, k->f->p + k->f->i, n);
	k->f->i += n;
	buf[n] = '\0';
	return (int)n;
}

static void key_used(const char *key, const char *value)
{
	FUZZ_CHECK(strlen(key) < 128 && strlen(value) < 256, "used() text");
}

static void key_refused(const char *what, const char *why)
{
	FUZZ_CHECK(strlen(what) < 256 && *why && strlen(why) < 256, "refuse() text");
}

static void check_num(const char *s)
{
	uint64_t a = 0, b;
	char *end;
	bool strict = *s && strspn(s, "0123456789abcdefABCDEFxX") == strlen(s);

	int ra = xen_parse_num(s, &a);
	errno = 0;
	b = strict ? strtoull(s, &end, 0) : 0;
	bool ok = strict && !*end && errno != ERANGE;
	FUZZ_CHECK(!ra == ok && (ra || a == b), "xen_parse_num(\"%s\") = %d/0x%llx", s, ra,
		   (unsigned long long)a);

	bool v = false;
	ra = xen_parse_bool(s, &v);
	FUZZ_CHECK(!ra == (!strcmp(s, "0") || !strcmp(s, "1")) && (ra || v == (*s == '1')),
		   "xen_parse_bool(\"%s\")", s);

	/* "<low>:<high>", both decimal and within 64 bits. */
	uint64_t g[2] = { 0, 0 }, h[2] = { 0, 0 };
	const char *colon = strchr(s, ':');
	ok = colon && colon > s && colon[1] && strspn(s, "0123456789") == (size_t)(colon - s) &&
	     strspn(colon + 1, "0123456789") == strlen(colon + 1);
	if (ok) {
		errno = 0;
		h[0] = strtoull(s, NULL, 10);
		h[1] = strtoull(colon + 1, NULL, 10);
		ok = errno != ERANGE;
	}
	ra = xen_parse_genid(s, g);
	FUZZ_CHECK(!ra == ok && (ra || (g[0] == h[0] && g[1] == h[1])), "xen_parse_genid(\"%s\") = %d", s, ra);
}

static void fuzz_xen_keys(struct fz *f)
{
	struct xen_platform_info pi;
	struct keys k = { f, 0 };
	char v[300];
	size_t n;

	/* A few values through the number parsers first, then every key. */
	for (unsigned i = 0; i < 4 && fz_left(f); i++) {
		n = take(f, v, sizeof(v));
		(void)n;
		check_num(v);
	}
	xen_platform_info_defaults(&pi);
	xen_platform_info_read(&pi, key_get, &k, key_used, key_refused);
	FUZZ_CHECK(pi.n_oem <= XEN_OEM_STRINGS_MAX, "%u OEM strings", pi.n_oem);
	for (unsigned i = 0; i < XEN_STR_COUNT; i++)
		FUZZ_CHECK(memchr(pi.strings[i], 0, XEN_STR_MAX), "string %u not terminated", i);
	for (unsigned i = 0; i < pi.n_oem; i++)
		FUZZ_CHECK(memchr(pi.oem[i], 0, XEN_STR_MAX), "OEM string %u not terminated", i);
	FUZZ_CHECK(pi.bios == XEN_BIOS_SEABIOS || pi.bios == XEN_BIOS_OVMF, "bios %d", pi.bios);
	FUZZ_CHECK(!pi.acpi_pt.len || (uint64_t)pi.acpi_pt.addr + pi.acpi_pt.len <= (1ull << 32),
		   "ACPI pass-through past 4 GiB");
	FUZZ_CHECK(!pi.smbios_pt.len || (uint64_t)pi.smbios_pt.addr + pi.smbios_pt.len <= (1ull << 32),
		   "SMBIOS pass-through past 4 GiB");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size, 0 };

	if (fz_u8(&f) & 1)
		fuzz_xen_keys(&f);
	else
		fuzz_hvmfw_keys(&f);
	return 0;
}
