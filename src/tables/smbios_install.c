/* SPDX-License-Identifier: MIT */
/* Firmware side of SMBIOS: gather what the builder needs, place table and entry points. */
#include <hvmfw/legacy_tables.h>
#include <hvmfw/console.h>
#include <hvmfw/fseg.h>
#include <hvmfw/io.h>
#include <hvmfw/layout.h>
#include <hvmfw/string.h>

/* Fixed, not the build date, so the same source gives the same image. Bump with the version. */
#define HVMFW_RELEASE_DATE "11/25/2026"
#define SMBIOS_STR_MAX 64

static struct smbios_config smb;
static char str_store[SMBIOS_NSTR][SMBIOS_STR_MAX];
static char cpu_brand[49];

static void cpu_info(struct smbios_config *c)
{
	uint32_t r[4], max_ext;
	char vendor[12];

	cpuid(0, 0, r);
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	c->str[SMBIOS_CPU_MANUFACTURER] = smbios_cpu_vendor(vendor);
	if (r[0] >= 0x16) {
		uint32_t f[4];

		cpuid(0x16, 0, f);
		c->cpu_mhz = (uint16_t)f[0];    /* base frequency; 0 when not reported */
	}
	cpuid(1, 0, r);
	c->cpu_signature = r[0];
	c->cpu_features = r[3];
	cpuid(0x80000000, 0, r);
	max_ext = r[0];
	if (max_ext >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		c->cpu_64bit = (r[3] >> 29) & 1;
	}
	if (max_ext >= 0x80000004) {
		const char *p = cpu_brand;

		for (uint32_t i = 0; i < 3; i++)
			cpuid(0x80000002 + i, 0, (uint32_t *)(cpu_brand + 16 * i));
		cpu_brand[48] = '\0';
		while (*p == ' ')
			p++;
		c->str[SMBIOS_CPU_VERSION] = p;
	}
}

static void release_numbers(const char *v, uint8_t *major, uint8_t *minor)
{
	unsigned n[2] = { 0, 0 }, i = 0;

	for (; *v && i < 2; v++) {
		if (*v == '.')
			i++;
		else if (*v >= '0' && *v <= '9')
			n[i] = n[i] * 10 + (unsigned)(*v - '0');
		else
			break;
	}
	*major = (uint8_t)MIN(n[0], 0xFEu);     /* 0xFF would mean "not supported" */
	*minor = (uint8_t)MIN(n[1], 0xFFu);
}

static void overrides(const struct smbios_source *src, struct smbios_config *c)
{
	for (unsigned i = 0; i < SMBIOS_NSTR; i++) {
		const char *key = smbios_str_keys[i];

		if (!key || !src || !src->string)
			continue;
		if (src->string(key, str_store[i], SMBIOS_STR_MAX) < 0)
			continue;
		str_store[i][SMBIOS_STR_MAX - 1] = '\0';
		c->str[i] = str_store[i];
		log_info("smbios: %s = \"%s\"", key, str_store[i]);
	}
	if (src && src->uuid)
		c->has_uuid = src->uuid(c->uuid);
}

static void pt_refused(void *ctx, uint32_t off, int type, const char *why)
{
	if (type < 0)
		log_warn("smbios: pass-through record at +0x%x left out: %s", off, why);
	else
		log_warn("smbios: pass-through type %d at +0x%x left out: %s", type, off, why);
}

/* The platform's extra structures: each one taken or refused gets a line. */
static void extras(const struct smbios_source *src, struct smbios_config *c)
{
	const uint8_t *blob;
	uint32_t len;

	if (src && src->default_battery)
		c->battery = src->default_battery();
	if (!src || !src->passthrough || !src->passthrough(&blob, &len))
		return;
	smbios_pt_parse(c, blob, len, pt_refused, NULL);
	for (uint32_t i = 0; i < c->npt; i++) {
		const struct smbios_pt *s = &c->pt[i];

		log_info("smbios: passing through type %u at +0x%x (%u bytes)%s", s->p[0],
			 (uint32_t)(s->p - blob) - 4, s->size,
			 s->p[0] == 22 && c->battery ? ", instead of the default battery" : "");
	}
}

static void ram_ranges(struct smbios_config *c)
{
	for (uint32_t i = 0; i < layout_orig.n; i++) {
		const struct e820_entry *e = &layout_orig.e[i];

		if (e->type != E820_RAM)
			continue;
		if (c->nram == SMBIOS_MAX_RANGES) {
			log_warn("smbios: more than %u RAM ranges; the rest is not described",
				 SMBIOS_MAX_RANGES);
			break;
		}
		c->ram[c->nram++] = (struct smbios_range){ e->addr, e->size };
	}
}

void smbios_install(const struct smbios_source *src, uint32_t ncpus, bool acpi, bool fseg,
		    struct smbios_anchors *out)
{
	struct smbios_table t;
	uint32_t anchors = fseg ? 0 : 64;
	uint8_t *area = NULL;
	int rc;

	smbios_defaults(&smb);
	smb.str[SMBIOS_BIOS_VERSION] = HVMFW_VERSION;
	smb.str[SMBIOS_BIOS_DATE] = HVMFW_RELEASE_DATE;
	smb.str[SMBIOS_SYS_VERSION] = HVMFW_VERSION;
	release_numbers(HVMFW_VERSION, &smb.bios_major, &smb.bios_minor);
	smb.acpi = acpi;
	smb.ncpus = MAX(ncpus, 1u);
	cpu_info(&smb);
	ram_ranges(&smb);
	overrides(src, &smb);
	extras(src, &smb);

	/* A dry run with no room tells the size. */
	rc = smbios_build(&smb, NULL, 0, &t);
	if (rc == SMBIOS_E_NOSPACE) {
		area = layout_alloc_high(anchors + t.len, 16, E820_RESERVED);
		rc = smbios_build(&smb, area + anchors, t.len, &t);
	}
	if (rc)
		panic("smbios: building the structure table failed (%d)", rc);
	out->table = (uint32_t)(uintptr_t)(area + anchors);
	if (fseg) {
		out->ep3 = (uint32_t)(uintptr_t)fseg_alloc(SMBIOS_EP3_LEN, 16);
		out->ep2 = (uint32_t)(uintptr_t)fseg_alloc(SMBIOS_EP2_LEN, 16);
	} else {
		out->ep3 = (uint32_t)(uintptr_t)area;
		out->ep2 = out->ep3 + 32;
	}
	smbios_entry3((uint8_t *)(uintptr_t)out->ep3, out->table, &t);
	if (!smbios_entry2((uint8_t *)(uintptr_t)out->ep2, out->table, &t))
		out->ep2 = 0;
	log_info("smbios: %u structures, %u bytes @ 0x%x; _SM3_ @ 0x%x, _SM_ @ 0x%x", t.count,
		 t.len, out->table, out->ep3, out->ep2);
}
