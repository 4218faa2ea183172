/* SPDX-License-Identifier: MIT */
/* acpi_build(): check the configuration, lay out every table, link them. */
#include <hvmfw/acpi_tables.h>
#include <hvmfw/string.h>

struct layout {
	const struct acpi_config *cfg;
	uint8_t *buf;
	uint32_t buflen;
	uint32_t phys;
	uint32_t off;
	struct acpi_result *out;
	uint32_t facs, dsdt;            /* for the FADT */
	uint32_t madt;                  /* for the SSDT's CPU hot-plug AML */
	uint32_t root[8 + ACPI_MAX_EXTRA_TABLES];       /* tables listed in RSDT/XSDT */
	uint32_t nroot;
	const struct acpi_extra_table *extra;           /* the one being copied */
};

static bool window_ok(const struct acpi_window *w, uint64_t limit)
{
	return w->len == 0 || (w->base + w->len - 1 >= w->base && w->base + w->len - 1 <= limit);
}

static bool overlap(const struct acpi_window *a, const struct acpi_window *b)
{
	return a->len && b->len && a->base < b->base + b->len && b->base < a->base + a->len;
}

static bool config_ok(const struct acpi_config *c)
{
	if (c->ncpus == 0 || c->ncpus > ACPI_MAX_CPUS || c->sci_irq > 15 || c->pm_base == 0)
		return false;
	if (!c->dsdt || c->dsdt_len < ACPI_HDR_LEN || memcmp(c->dsdt, "DSDT", 4) != 0)
		return false;
	if (c->bus_start > c->bus_end || (c->gpe0_len & 1))
		return false;
	/* SLP_TYP is a 3-bit field of PM1_CNT. */
	if ((c->s3.present && c->s3.slp_typ > 7) || (c->s4.present && c->s4.slp_typ > 7))
		return false;
	if (c->extra_len && !c->extra)
		return false;
	/* The I/O window sits above the legacy ports and the 0xCF8 config block. */
	if (c->io.len && (c->io.base < 0x0D00 || !window_ok(&c->io, 0xFFFF)))
		return false;
	if (!window_ok(&c->mem64, UINT64_MAX) || !window_ok(&c->ecam, UINT64_MAX))
		return false;
	/* ECAM must be claimed as a motherboard resource, never offered as a window. */
	if (overlap(&c->ecam, &c->mem64))
		return false;
	for (unsigned i = 0; i < ACPI_MAX_MEM32; i++) {
		if (!window_ok(&c->mem32[i], 0xFFFFFFFFu) || overlap(&c->ecam, &c->mem32[i]))
			return false;
		/* One address, one window: the OS would see the range twice. */
		for (unsigned j = i + 1; j < ACPI_MAX_MEM32; j++)
			if (overlap(&c->mem32[i], &c->mem32[j]))
				return false;
	}
	if (c->ecam.len && ((uint64_t)c->bus_end + 1) << 20 > c->ecam.len)
		return false;
	return true;
}

/* Offset of the next 'align'-byte physical boundary at or after off. */
static uint64_t aligned(const struct layout *l, uint64_t off, uint32_t align)
{
	return ALIGN_UP((uint64_t)l->phys + off, align) - l->phys;
}

/* Place one table at the next 'align'-byte physical boundary. */
static int place(struct layout *l, const char *sig, uint32_t align,
		 uint32_t (*fn)(struct layout *l, uint8_t *dst, uint32_t room), uint32_t *addr)
{
	uint64_t at64 = aligned(l, l->off, align);
	uint32_t at = (uint32_t)at64, len, n = l->out->ntables;

	if (at64 > l->buflen || n == ARRAY_SIZE(l->out->tables))
		return ACPI_E_NOSPACE;
	memset(l->buf + l->off, 0, at - l->off);        /* padding stays deterministic */
	len = fn(l, l->buf + at, l->buflen - at);
	if (len == 0)
		return ACPI_E_NOSPACE;
	memcpy(l->out->tables[n].sig, sig, 4);
	l->out->tables[n].sig[4] = '\0';
	l->out->tables[n].addr = l->phys + at;
	l->out->tables[n].len = len;
	l->out->ntables = n + 1;
	l->off = at + len;
	*addr = l->phys + at;
	return 0;
}

static uint32_t facs_fn(struct layout *l, uint8_t *d, uint32_t r) { (void)l; return acpi_build_facs(d, r); }
static uint32_t dsdt_fn(struct layout *l, uint8_t *d, uint32_t r) { return acpi_build_dsdt(d, r, l->cfg); }
static uint32_t madt_fn(struct layout *l, uint8_t *d, uint32_t r) { return acpi_build_madt(d, r, l->cfg); }
static uint32_t hpet_fn(struct layout *l, uint8_t *d, uint32_t r) { return acpi_build_hpet(d, r, l->cfg); }
static uint32_t waet_fn(struct layout *l, uint8_t *d, uint32_t r) { return acpi_build_waet(d, r, l->cfg); }
static uint32_t mcfg_fn(struct layout *l, uint8_t *d, uint32_t r) { return acpi_build_mcfg(d, r, l->cfg); }
static uint32_t ssdt_fn(struct layout *l, uint8_t *d, uint32_t r) { return acpi_build_ssdt(d, r, l->cfg, l->madt); }

static uint32_t extra_fn(struct layout *l, uint8_t *d, uint32_t r)
{
	if (r < l->extra->len)
		return 0;
	memcpy(d, l->extra->data, l->extra->len);
	return l->extra->len;
}

static uint32_t fadt_fn(struct layout *l, uint8_t *d, uint32_t r)
{
	return acpi_build_fadt(d, r, l->cfg, l->facs, l->dsdt);
}
static uint32_t rsdt_fn(struct layout *l, uint8_t *d, uint32_t r)
{
	return acpi_build_rsdt(d, r, l->cfg, l->root, l->nroot);
}
static uint32_t xsdt_fn(struct layout *l, uint8_t *d, uint32_t r)
{
	return acpi_build_xsdt(d, r, l->cfg, l->root, l->nroot);
}

/* A table the root tables point to */
static int place_root(struct layout *l, const char *sig,
		      uint32_t (*fn)(struct layout *l, uint8_t *dst, uint32_t room))
{
	return place(l, sig, 16, fn, &l->root[l->nroot++]);
}

/* Where the RSDP would end if the root tables listing nroot tables came at off. */
static uint64_t roots_end(const struct layout *l, uint64_t off, uint32_t nroot)
{
	off = aligned(l, off, 16) + ACPI_HDR_LEN + 4 * nroot;   /* RSDT */
	off = aligned(l, off, 16) + ACPI_HDR_LEN + 8 * nroot;   /* XSDT */
	return aligned(l, off, 16) + ACPI_RSDP_LEN;
}

static void refuse_extra(const struct layout *l, struct acpi_extra_table *t, const char *why)
{
	t->refused = why;
	if (l->cfg->extra_refused)
		l->cfg->extra_refused(t);
}

/*
 * The platform's tables after ours, each while it still leaves room for the
 * root tables that will list it: one that does not fit is refused, not an
 * error, and a smaller one after it may still go in.
 */
static int place_extras(struct layout *l)
{
	const struct acpi_config *cfg = l->cfg;
	struct acpi_extra_table t;
	uint32_t off = 0, added = 0;
	int err;

	while (acpi_extra_next(cfg->extra, cfg->extra_len, &off, &t)) {
		if (t.refused)
			refuse_extra(l, &t, t.refused);
		else if (added == ACPI_MAX_EXTRA_TABLES)
			refuse_extra(l, &t, "too many tables passed through");
		else if (roots_end(l, aligned(l, l->off, 16) + t.len, l->nroot + 1) > l->buflen)
			refuse_extra(l, &t, "no room left in the ACPI area");
		else {
			l->extra = &t;
			if ((err = place_root(l, t.sig, extra_fn)))
				return err;
			added++;
		}
	}
	return 0;
}

int acpi_build(const struct acpi_config *cfg, uint8_t *buf, uint32_t buflen,
	       uint32_t buf_phys, struct acpi_result *out)
{
	struct layout l = { .cfg = cfg, .buf = buf, .buflen = buflen, .phys = buf_phys, .out = out };
	uint32_t rsdt, xsdt, rsdp;
	int err;

	memset(out, 0, sizeof(*out));
	if (!config_ok(cfg) || (uint64_t)buf_phys + buflen > 0x100000000ull)
		return ACPI_E_INVAL;

	/* FACS first: it needs 64-byte alignment and the FADT points at it. */
	if ((err = place(&l, "FACS", 64, facs_fn, &l.facs)) ||
	    (err = place(&l, "DSDT", 16, dsdt_fn, &l.dsdt)) ||
	    (err = place_root(&l, "FACP", fadt_fn)) ||
	    (err = place_root(&l, "APIC", madt_fn)))
		return err;
	l.madt = l.root[l.nroot - 1];
	if ((cfg->hpet_present && (err = place_root(&l, "HPET", hpet_fn))) ||
	    (err = place_root(&l, "WAET", waet_fn)) ||
	    (cfg->ecam.len && (err = place_root(&l, "MCFG", mcfg_fn))) ||
	    (err = place_root(&l, "SSDT", ssdt_fn)) ||
	    (err = place_extras(&l)) ||
	    (err = place(&l, "RSDT", 16, rsdt_fn, &rsdt)) ||
	    (err = place(&l, "XSDT", 16, xsdt_fn, &xsdt)))
		return err;

	rsdp = (uint32_t)ALIGN_UP((uint64_t)buf_phys + l.off, 16) - buf_phys;
	if (rsdp > buflen || buflen - rsdp < ACPI_RSDP_LEN)
		return ACPI_E_NOSPACE;
	memset(buf + l.off, 0, rsdp - l.off);
	acpi_write_rsdp(buf + rsdp, rsdt, xsdt, cfg->oem_id);
	out->rsdp = buf_phys + rsdp;
	out->total_len = rsdp + ACPI_RSDP_LEN;
	return 0;
}
