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
	uint32_t root[8];               /* tables listed in RSDT/XSDT */
	uint32_t nroot;
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
	/* The I/O window sits above the legacy ports and the 0xCF8 config block. */
	if (c->io.len && (c->io.base < 0x0D00 || !window_ok(&c->io, 0xFFFF)))
		return false;
	if (!window_ok(&c->mem32, 0xFFFFFFFFu) || !window_ok(&c->mem64, UINT64_MAX) ||
	    !window_ok(&c->ecam, UINT64_MAX))
		return false;
	/* ECAM must be claimed as a motherboard resource, never offered as a window. */
	if (overlap(&c->ecam, &c->mem32) || overlap(&c->ecam, &c->mem64))
		return false;
	if (c->ecam.len && ((uint64_t)c->bus_end + 1) << 20 > c->ecam.len)
		return false;
	return true;
}

/* Place one table at the next 'align'-byte physical boundary. */
static int place(struct layout *l, const char *sig, uint32_t align,
		 uint32_t (*fn)(struct layout *l, uint8_t *dst, uint32_t room), uint32_t *addr)
{
	uint32_t at = (uint32_t)ALIGN_UP((uint64_t)l->phys + l->off, align) - l->phys;
	uint32_t len, n = l->out->ntables;

	if (at > l->buflen || n == ARRAY_SIZE(l->out->tables))
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
static uint32_t ssdt_fn(struct layout *l, uint8_t *d, uint32_t r) { return acpi_build_ssdt(d, r, l->cfg); }

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
	    (err = place_root(&l, "APIC", madt_fn)) ||
	    (cfg->hpet_present && (err = place_root(&l, "HPET", hpet_fn))) ||
	    (err = place_root(&l, "WAET", waet_fn)) ||
	    (cfg->ecam.len && (err = place_root(&l, "MCFG", mcfg_fn))) ||
	    (err = place_root(&l, "SSDT", ssdt_fn)) ||
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
