/* SPDX-License-Identifier: MIT */
/*
 * A device model's DSDT, read for its hot-plug bus selectors (see
 * dsdt_scan.h). A small AML walker: the encodings are the ACPI
 * specification's (PkgLength, NameString, the Name and integer opcodes);
 * it descends into Scope and Device, reads Name (_ADR / BSEL / _SUN, n),
 * and skips what has a length of its own. Every read is bounded by the
 * enclosing object's end.
 */
#include <hvmfw/dsdt_scan.h>
#include <hvmfw/acpi.h>
#include <hvmfw/string.h>

#define HDR_LEN 36
#define MAX_SEGS 12             /* path depth the walker follows */
#define MAX_FRAMES 16

#define SEG(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define SEG_SB   SEG('_', 'S', 'B', '_')
#define SEG_PCI0 SEG('P', 'C', 'I', '0')
#define SEG_ADR  SEG('_', 'A', 'D', 'R')
#define SEG_BSEL SEG('B', 'S', 'E', 'L')
#define SEG_SUN  SEG('_', 'S', 'U', 'N')

struct frame {
	uint32_t end;
	uint8_t nseg;
	uint32_t seg[MAX_SEGS];
	bool device;
	bool has_adr, has_bsel, has_sun;
	uint32_t adr, bsel, slots;
};

struct walk {
	const uint8_t *p;
	uint32_t pos;
	struct frame f[MAX_FRAMES];
	unsigned depth;                 /* frames in use; f[depth - 1] is the current one */
	struct dsdt_hp *out;
	const char *why;
};

static struct frame *top(struct walk *w)
{
	return &w->f[w->depth - 1];
}

/* PkgLength at w->pos: the object ends at its first byte plus the length. */
static bool pkg_end(struct walk *w, uint32_t *end)
{
	uint32_t start = w->pos, lim = top(w)->end, len, follow;

	if (w->pos >= lim)
		return false;
	follow = w->p[w->pos] >> 6;
	if (lim - w->pos < 1 + follow)
		return false;
	if (!follow) {
		len = w->p[w->pos] & 0x3F;
	} else {
		len = w->p[w->pos] & 0x0F;
		for (uint32_t i = 0; i < follow; i++)
			len |= (uint32_t)w->p[w->pos + 1 + i] << (4 + 8 * i);
	}
	w->pos += 1 + follow;
	if (len < 1 + follow || len > lim - start)
		return false;
	*end = start + len;
	return true;
}

/* A NameString at w->pos, resolved against base into path (segments). */
static bool name_string(struct walk *w, const struct frame *base, uint32_t *path, uint8_t *nseg)
{
	uint32_t lim = top(w)->end, count;

	*nseg = base->nseg;
	memcpy(path, base->seg, sizeof(base->seg));
	if (w->pos < lim && w->p[w->pos] == '\\') {
		*nseg = 0;
		w->pos++;
	}
	while (w->pos < lim && w->p[w->pos] == '^') {
		if (!*nseg)
			return false;
		(*nseg)--;
		w->pos++;
	}
	if (w->pos >= lim)
		return false;
	if (w->p[w->pos] == 0x00) {
		w->pos++;
		return true;
	}
	if (w->p[w->pos] == 0x2E) {
		count = 2;
		w->pos++;
	} else if (w->p[w->pos] == 0x2F) {
		if (lim - w->pos < 2)
			return false;
		count = w->p[w->pos + 1];
		w->pos += 2;
	} else {
		count = 1;
	}
	if (count > (lim - w->pos) / 4)
		return false;
	for (uint32_t i = 0; i < count; i++, w->pos += 4) {
		uint32_t s;

		memcpy(&s, w->p + w->pos, 4);
		if (*nseg < MAX_SEGS)
			path[*nseg] = s;
		(*nseg)++;
	}
	return *nseg <= MAX_SEGS;
}

/* An integer constant at w->pos (Zero, One, Ones, Byte/Word/DWord/QWordConst). */
static bool integer(struct walk *w, uint64_t *v)
{
	uint32_t lim = top(w)->end, n;
	uint8_t op;

	if (w->pos >= lim)
		return false;
	op = w->p[w->pos++];
	switch (op) {
	case 0x00: *v = 0; return true;
	case 0x01: *v = 1; return true;
	case 0xFF: *v = UINT64_MAX; return true;
	case 0x0A: n = 1; break;
	case 0x0B: n = 2; break;
	case 0x0C: n = 4; break;
	case 0x0E: n = 8; break;
	default: return false;
	}
	if (lim - w->pos < n)
		return false;
	*v = 0;
	for (uint32_t i = 0; i < n; i++)
		*v |= (uint64_t)w->p[w->pos + i] << (8 * i);
	w->pos += n;
	return true;
}

/* Name (X, data): record the three names we want on the current object. */
static bool name_object(struct walk *w)
{
	struct frame *f = top(w);
	uint32_t path[MAX_SEGS], lim = f->end, end;
	uint8_t nseg;
	uint64_t v;

	if (!name_string(w, f, path, &nseg) || w->pos >= lim)
		return false;
	switch (w->p[w->pos]) {
	case 0x0D:                      /* String: to its NUL */
		while (w->pos < lim && w->p[w->pos])
			w->pos++;
		w->pos++;
		return w->pos <= lim;
	case 0x11: case 0x12: case 0x13:        /* Buffer, Package, VarPackage */
		w->pos++;
		if (!pkg_end(w, &end))
			return false;
		w->pos = end;
		return true;
	}
	if (!integer(w, &v))
		return false;
	/* Only a plain NameSeg names something of this object. */
	if (nseg != f->nseg + 1 || nseg > MAX_SEGS)
		return true;
	if (path[nseg - 1] == SEG_ADR) {
		f->has_adr = true;
		f->adr = (uint32_t)v;
	} else if (path[nseg - 1] == SEG_BSEL) {
		f->has_bsel = true;
		f->bsel = (uint32_t)v;
	} else if (path[nseg - 1] == SEG_SUN) {
		f->has_sun = true;
	}
	return true;
}

static bool under_pci0(const struct frame *f)
{
	return f->nseg >= 2 && f->seg[0] == SEG_SB && f->seg[1] == SEG_PCI0;
}

/* A Scope or Device closes: report a bus with a selector, mark a slot in the parent. */
static void close_frame(struct walk *w)
{
	struct frame *f = top(w), *parent = &w->f[w->depth - 2];

	if (f->has_bsel && under_pci0(f) && f->nseg <= 2 + DSDT_HP_MAX_DEPTH &&
	    (f->nseg == 2 || f->device)) {
		struct dsdt_hp_bus b = { .depth = (uint8_t)(f->nseg - 2), .bsel = f->bsel,
					 .slots = f->slots };
		bool known = true;

		/* Each level below PCI0 must be a device on the stack with its _ADR. */
		for (unsigned lvl = 3; lvl <= f->nseg && known; lvl++) {
			known = false;
			for (unsigned k = 0; k < w->depth; k++) {
				const struct frame *g = &w->f[k];
				if (g->nseg == lvl && g->device && g->has_adr &&
				    !memcmp(g->seg, f->seg, lvl * sizeof(uint32_t))) {
					b.devfn[lvl - 3] = (uint8_t)((g->adr >> 16 & 31) << 3 | (g->adr & 7));
					known = true;
				}
			}
		}
		if (known) {
			if (w->out->n < DSDT_HP_MAX_BUSES)
				w->out->bus[w->out->n++] = b;
			else
				w->why = "more buses with a selector than hvmfw takes";
		}
	}
	if (f->device && f->has_sun && f->has_adr && w->depth >= 2)
		parent->slots |= 1u << (f->adr >> 16 & 31);
	w->pos = f->end;
	w->depth--;
}

static bool open_frame(struct walk *w, bool device, uint32_t end)
{
	struct frame *f = top(w), *n;

	if (w->depth == MAX_FRAMES)
		return false;
	n = &w->f[w->depth];
	memset(n, 0, sizeof(*n));
	n->device = device;
	if (!name_string(w, f, n->seg, &n->nseg) || w->pos > end)
		return false;
	n->end = end;
	w->depth++;
	return true;
}

/* A NameString we only step over. */
static bool skip_name(struct walk *w)
{
	uint32_t path[MAX_SEGS];
	uint8_t n;

	return name_string(w, top(w), path, &n);
}

/* One term of the current scope; false: stop scanning this scope. */
static bool term(struct walk *w)
{
	uint8_t op = w->p[w->pos], ext;
	uint32_t end, lim = top(w)->end;
	uint64_t v;

	w->pos++;
	switch (op) {
	case 0x10:                      /* Scope */
		return pkg_end(w, &end) && open_frame(w, false, end);
	case 0x08:                      /* Name */
		return name_object(w);
	case 0x14: case 0xA0: case 0xA1: case 0xA2:     /* Method, If, Else, While */
		if (!pkg_end(w, &end))
			return false;
		w->pos = end;
		return true;
	case 0x06:                      /* Alias */
		return skip_name(w) && skip_name(w);
	case 0x15:                      /* External: name, type, argument count */
		if (!skip_name(w) || lim - w->pos < 2)
			return false;
		w->pos += 2;
		return true;
	case 0x5B:
		break;
	default:
		return false;
	}
	if (w->pos >= lim)
		return false;
	ext = w->p[w->pos++];
	switch (ext) {
	case 0x82:                      /* Device */
		return pkg_end(w, &end) && open_frame(w, true, end);
	case 0x81: case 0x83: case 0x84: case 0x85: case 0x86: case 0x87:
		/* Field, Processor, PowerResource, ThermalZone, IndexField, BankField */
		if (!pkg_end(w, &end))
			return false;
		w->pos = end;
		return true;
	case 0x80:                      /* OperationRegion: name, space, offset, length */
		if (!skip_name(w) || w->pos >= lim)
			return false;
		w->pos++;
		return integer(w, &v) && integer(w, &v);
	case 0x01:                      /* Mutex: name, flags */
		if (!skip_name(w) || w->pos >= lim)
			return false;
		w->pos++;
		return true;
	case 0x02:                      /* Event */
		return skip_name(w);
	default:
		return false;
	}
}

int dsdt_scan_hotplug(const uint8_t *dsdt, uint32_t len, struct dsdt_hp *out, const char **why)
{
	static struct walk w;
	uint32_t tlen;

	memset(out, 0, sizeof(*out));
	if (len < HDR_LEN || memcmp(dsdt, "DSDT", 4)) {
		*why = "not a DSDT";
		return -1;
	}
	memcpy(&tlen, dsdt + 4, 4);
	if (tlen < HDR_LEN || tlen > len) {
		*why = "its length field runs past the data";
		return -1;
	}
	memset(&w, 0, sizeof(w));
	w.p = dsdt;
	w.pos = HDR_LEN;
	w.out = out;
	w.f[0].end = tlen;
	w.depth = 1;
	for (;;) {
		struct frame *f = top(&w);

		if (w.pos >= f->end) {
			if (w.depth == 1)
				break;
			close_frame(&w);
			continue;
		}
		uint32_t depth = w.depth;
		if (!term(&w)) {
			/* Unknown or malformed: the rest of this scope is out of reach. */
			w.depth = depth;
			w.pos = top(&w)->end;
		}
	}
	if (w.why) {
		*why = w.why;
		return -1;
	}
	return 0;
}

/* Bridge i's devfn chain from bus 0, outermost first; its length, or 0 if too deep. */
static unsigned chain(const struct acpi_pci_bridges *br, unsigned i, uint8_t out[DSDT_HP_MAX_DEPTH])
{
	uint8_t rev[DSDT_HP_MAX_DEPTH];
	unsigned n = 0;

	for (unsigned at = i; at != ACPI_BRIDGE_ROOT; at = br->b[at].parent) {
		if (n == DSDT_HP_MAX_DEPTH || at >= br->n || (n && at >= i))
			return 0;
		rev[n++] = (uint8_t)(br->b[at].dev << 3 | (br->b[at].fn & 7));
		if (br->b[at].parent != ACPI_BRIDGE_ROOT && br->b[at].parent >= at)
			return 0;       /* parents come first: anything else is a loop */
	}
	for (unsigned k = 0; k < n; k++)
		out[k] = rev[n - 1 - k];
	return n;
}

unsigned dsdt_hp_apply(const struct dsdt_hp *hp, struct acpi_pci_bridges *br,
		       void (*unmatched)(const struct dsdt_hp_bus *b, const char *why))
{
	unsigned applied = 0;

	for (unsigned k = 0; k < hp->n; k++) {
		const struct dsdt_hp_bus *b = &hp->bus[k];
		bool found = false;

		if (!b->depth)
			continue;       /* bus 0: the chipset decides */
		if (b->bsel > 0xFF) {
			unmatched(b, "its selector is above 255");
			continue;
		}
		for (unsigned i = 0; i < br->n && i < ACPI_MAX_BRIDGES && !found; i++) {
			uint8_t c[DSDT_HP_MAX_DEPTH];

			if (chain(br, i, c) != b->depth || memcmp(c, b->devfn, b->depth))
				continue;
			br->b[i].bsel = (uint8_t)b->bsel;
			br->b[i].hp_slots = b->slots;
			found = true;
			applied++;
		}
		if (!found)
			unmatched(b, "no bridge found at that address");
	}
	return applied;
}
