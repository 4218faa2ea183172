/* SPDX-License-Identifier: MIT */
/* Parser for hvmfw's configuration keys (see include/hvmfw/config.h). */
#include <hvmfw/config.h>
#include <hvmfw/string.h>

const char *const config_keys[] = { "log-level", "pins", "hole-min", NULL };

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->log_level = -1;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Unsigned number in a base; the whole span must be digits, no overflow. */
static int parse_base(const char *s, size_t len, unsigned base, uint64_t *out)
{
	uint64_t v = 0;

	if (!len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int d = hexval(s[i]);
		if (d < 0 || (unsigned)d >= base || v > (UINT64_MAX - (unsigned)d) / base)
			return -1;
		v = v * base + (unsigned)d;
	}
	*out = v;
	return 0;
}

int config_parse_u64(const char *s, size_t len, uint64_t *out)
{
	unsigned shift = 0;

	/* strchr() also finds the terminating NUL: a NUL in the span is no suffix. */
	if (len && s[len - 1] && strchr("KkMmGg", s[len - 1])) {
		char u = s[len - 1] | 0x20;
		shift = u == 'k' ? 10 : u == 'm' ? 20 : 30;
		len--;
	}
	if (len > 2 && s[0] == '0' && (s[1] | 0x20) == 'x') {
		if (parse_base(s + 2, len - 2, 16, out))
			return -1;
	} else if (parse_base(s, len, 10, out)) {
		return -1;
	}
	if (shift && *out > (UINT64_MAX >> shift))
		return -1;
	*out <<= shift;
	return 0;
}

static bool is_sep(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == ',' || ch == ';';
}

/* "BB:DD.F/barN=ADDR" or "BB:DD.F/rom=ADDR"; returns a reason or NULL. */
static const char *parse_pin(const char *s, size_t len, struct config_pin *p)
{
	uint64_t bus, dev, fn, bar;
	const char *slash = memchr(s, '/', len), *eq = memchr(s, '=', len);

	if (!slash || !eq || eq < slash)
		return "expected BB:DD.F/barN=ADDR";
	const char *colon = memchr(s, ':', slash - s), *dot = memchr(s, '.', slash - s);
	if (!colon || !dot || dot < colon ||
	    parse_base(s, colon - s, 16, &bus) || parse_base(colon + 1, dot - colon - 1, 16, &dev) ||
	    parse_base(dot + 1, slash - dot - 1, 16, &fn))
		return "bad PCI address, expected BB:DD.F in hex";
	if (bus > 255 || dev > 31 || fn > 7)
		return "PCI address out of range (bus <= ff, device <= 1f, function <= 7)";
	size_t blen = eq - slash - 1;
	if (blen == 3 && !memcmp(slash + 1, "rom", 3))
		bar = CONFIG_BAR_ROM;
	else if (blen == 4 && !memcmp(slash + 1, "bar", 3) && slash[4] >= '0' && slash[4] <= '5')
		bar = slash[4] - '0';
	else
		return "BAR must be bar0..bar5 or rom";
	if (config_parse_u64(eq + 1, s + len - eq - 1, &p->addr))
		return "bad address";
	if (p->addr & 0xF)
		return "address is not 16-byte aligned";
	p->bus = bus, p->dev = dev, p->fn = fn, p->bar = bar;
	return NULL;
}

static int apply_pins(struct config *c, const char *v, config_refuse_fn refuse)
{
	int bad = 0;
	char item[80];

	for (const char *p = v; *p;) {
		while (*p && is_sep(*p))
			p++;
		const char *start = p;
		while (*p && !is_sep(*p))
			p++;
		size_t len = p - start;
		if (!len)
			break;
		snprintf(item, sizeof(item), "%.*s", (int)len, start);
		struct config_pin pin;
		const char *why = parse_pin(start, len, &pin);
		if (!why && c->npins >= CONFIG_MAX_PINS)
			why = "too many pins (at most 32)";
		for (uint32_t i = 0; !why && i < c->npins; i++)
			if (c->pins[i].bus == pin.bus && c->pins[i].dev == pin.dev &&
			    c->pins[i].fn == pin.fn && c->pins[i].bar == pin.bar)
				why = "this BAR is already pinned";
		if (why) {
			refuse("pins", item, why);
			bad++;
			continue;
		}
		c->pins[c->npins++] = pin;
	}
	return bad;
}

int config_apply(struct config *c, const char *key, const char *v, config_refuse_fn refuse)
{
	static const char *const levels[] = { "error", "warn", "info", "debug" };

	if (!strcmp(key, "pins"))
		return apply_pins(c, v, refuse);
	if (!strcmp(key, "log-level")) {
		for (int i = 0; i < 4; i++)
			if (!strcmp(v, levels[i])) {
				c->log_level = i;
				return 0;
			}
		refuse(key, v, "expected error, warn, info or debug");
		return 1;
	}
	if (!strcmp(key, "hole-min")) {
		uint64_t a;
		if (config_parse_u64(v, strlen(v), &a) || a >= GiB(4) || (a & (MiB(1) - 1))) {
			refuse(key, v, "expected a 1 MiB-aligned address below 4 GiB");
			return 1;
		}
		c->hole_min = a;
		return 0;
	}
	refuse(key, v, "unknown key");
	return 1;
}
