/* SPDX-License-Identifier: MIT */
/*
 * _PRT for every PCI bridge. A device at (slot d, pin p) behind a bridge
 * reaches bus 0 at the bridge's root slot s with pin q = (p + d + off) mod 4
 * (off: the swizzle of the bridges in between). Both DSDTs route bus 0 by
 * rotating over four links, so a bridge's table depends only on which four
 * (A-D or E-H) and on a rotation k: at most 8 different tables, each kept
 * once in \_SB.PCI0 and returned by every bridge that uses it.
 *
 * The DSDT's bus-0 rules, mirrored here:
 *   i440FX: link (s + q) mod 4 of LNKA-D, in both interrupt models;
 *   Q35: slots 0-0x18 rotate E-H by (s + q), 0x1E uses E-H by q, the rest
 *        A-D by q; LNKx in PIC mode, the fixed-GSI links GSIx when \PICM.
 */
#include "ssdt_prt.h"
#include <hvmfw/string.h>

#define NSLOTS 32
#define GRP_AD 0
#define GRP_EH 1
#define PCI0 "\\_SB.PCI0"
#define PATH_MAX_LEN (sizeof(PCI0) + 5 * ACPI_MAX_BRIDGES)

static const char hex[] = "0123456789ABCDEF";

void ssdt_bridge_name(char name[5], const struct acpi_pci_bridge *b)
{
	name[0] = 'S';
	name[1] = hex[(b->dev >> 4) & 0xF];
	name[2] = hex[b->dev & 0xF];
	name[3] = (char)('0' + (b->fn & 7));
	name[4] = '\0';
}

/* Which four links and which rotation serve the bridge's secondary bus. */
static void route(const struct acpi_config *cfg, const struct acpi_pci_bridge *b,
		  uint8_t *grp, uint8_t *k)
{
	uint8_t s = b->root_slot;

	if (cfg->chipset == ACPI_CHIPSET_I440FX) {
		*grp = GRP_AD;
		*k = (uint8_t)((s + b->pin_off) & 3);
	} else if (s <= 0x18) {
		*grp = GRP_EH;
		*k = (uint8_t)((s + b->pin_off) & 3);
	} else {
		*grp = s == 0x1E ? GRP_EH : GRP_AD;
		*k = b->pin_off & 3;
	}
}

/* "\_SB.PCI0.B<mode><group><k>": mode P (PIC, LNKx) or A (APIC, GSIx). */
static void table_path(char path[16], bool apic, uint8_t grp, uint8_t k)
{
	static const char tpl[] = PCI0 ".Bmgk";
	char *tail = path + sizeof(tpl) - 4;

	memcpy(path, tpl, sizeof(tpl));
	tail[0] = apic ? 'A' : 'P';
	tail[1] = grp == GRP_EH ? 'E' : 'A';
	tail[2] = (char)('0' + k);
}

static void table(struct aml *a, bool apic, uint8_t grp, uint8_t k)
{
	char path[16], src[] = "\\_SB.LNKx";

	if (apic)
		memcpy(src + 5, "GSI", 3);
	table_path(path, apic, grp, k);
	aml_name(a, path + sizeof(PCI0));       /* inside Scope (\_SB.PCI0) */
	aml_package_open(a, NSLOTS * 4);
	for (uint32_t d = 0; d < NSLOTS; d++)
		for (uint32_t p = 0; p < 4; p++) {
			src[8] = (char)((grp == GRP_EH ? 'E' : 'A') + ((k + d + p) & 3));
			aml_package_open(a, 4);
			aml_int(a, d << 16 | 0xFFFF);   /* all functions of slot d */
			aml_int(a, p);
			aml_namestring(a, src);
			aml_int(a, 0);
			aml_close(a);
		}
	aml_close(a);
}

bool ssdt_bridge_valid(const struct acpi_config *cfg, unsigned int i)
{
	const struct acpi_pci_bridge *b;

	if (i >= cfg->bridges.n || i >= ACPI_MAX_BRIDGES)
		return false;
	b = &cfg->bridges.b[i];
	if (b->dev > 31 || b->fn > 7 || b->root_slot > 31 || b->pin_off > 3)
		return false;
	if (b->parent != ACPI_BRIDGE_ROOT && (b->parent >= i || !ssdt_bridge_valid(cfg, b->parent)))
		return false;
	/* Two devices of one name in a scope would make the whole table fail to load. */
	for (unsigned int j = 0; j < i; j++) {
		const struct acpi_pci_bridge *o = &cfg->bridges.b[j];

		if (o->parent == b->parent && o->dev == b->dev && o->fn == b->fn)
			return false;
	}
	return true;
}

/* \_SB.PCI0.Sxxx...: the scope bridge i is declared in (its parent's device). */
static void parent_path(char *out, const struct acpi_config *cfg, unsigned int i)
{
	uint8_t chain[ACPI_MAX_BRIDGES];
	unsigned int n = 0;
	char *p = out;

	for (uint8_t at = cfg->bridges.b[i].parent; at != ACPI_BRIDGE_ROOT;
	     at = cfg->bridges.b[at].parent)
		chain[n++] = at;                /* parents have lower indices: no loop */
	memcpy(p, PCI0, sizeof(PCI0) - 1);
	p += sizeof(PCI0) - 1;
	while (n--) {
		*p++ = '.';
		ssdt_bridge_name(p, &cfg->bridges.b[chain[n]]);
		p += 4;
	}
	*p = '\0';
}

/* If (\PICM) { Return (table) }: the body is a few bytes, a one-byte PkgLength. */
static void if_apic_return(struct aml *a, const char *path)
{
	uint8_t body[32];
	struct aml b;

	aml_init(&b, body, sizeof(body));
	aml_namestring(&b, "\\PICM");
	aml_return(&b);
	aml_namestring(&b, path);
	if (!aml_ok(&b) || b.len + 1 > 0x3F) {
		a->error = true;
		return;
	}
	aml_byte(a, 0xA0);                      /* IfOp */
	aml_byte(a, (uint8_t)(b.len + 1));
	aml_bytes(a, body, b.len);
}

void ssdt_bridge_path(char *out, const struct acpi_config *cfg, unsigned int i)
{
	size_t n;

	parent_path(out, cfg, i);
	n = strlen(out);
	out[n] = '.';
	ssdt_bridge_name(out + n + 1, &cfg->bridges.b[i]);
}

static void bridge_device(struct aml *a, const struct acpi_config *cfg, unsigned int i)
{
	const struct acpi_pci_bridge *b = &cfg->bridges.b[i];
	bool q35 = cfg->chipset == ACPI_CHIPSET_Q35;
	char scope[PATH_MAX_LEN], name[5], path[16];
	uint8_t grp, k;

	route(cfg, b, &grp, &k);
	parent_path(scope, cfg, i);
	ssdt_bridge_name(name, b);
	aml_scope_open(a, scope);
	aml_device_open(a, name);
	aml_name_int(a, "_ADR", (uint32_t)b->dev << 16 | b->fn);
	aml_method_open(a, "_PRT", 0, false);
	if (q35) {
		table_path(path, true, grp, k);
		if_apic_return(a, path);
	}
	table_path(path, false, grp, k);
	aml_return(a);
	aml_namestring(a, path);
	aml_close(a);
	ssdt_pcihp_bridge(a, cfg, i);   /* its hot-plug slots, if it has any */
	aml_close(a);
	aml_close(a);
}

void ssdt_pci_bridges(struct aml *a, const struct acpi_config *cfg)
{
	uint8_t used[2] = { 0, 0 };             /* per group, bit k: table in use */
	bool q35 = cfg->chipset == ACPI_CHIPSET_Q35;
	uint8_t grp, k;

	for (unsigned int i = 0; i < cfg->bridges.n && i < ACPI_MAX_BRIDGES; i++)
		if (ssdt_bridge_valid(cfg, i)) {
			route(cfg, &cfg->bridges.b[i], &grp, &k);
			used[grp] |= (uint8_t)(1u << k);
		}
	if (!used[GRP_AD] && !used[GRP_EH])
		return;
	aml_scope_open(a, PCI0);
	for (grp = GRP_AD; grp <= GRP_EH; grp++)
		for (k = 0; k < 4; k++) {
			if (!(used[grp] & (1u << k)))
				continue;
			table(a, false, grp, k);
			if (q35)
				table(a, true, grp, k);
		}
	aml_close(a);
	for (unsigned int i = 0; i < cfg->bridges.n && i < ACPI_MAX_BRIDGES; i++)
		if (ssdt_bridge_valid(cfg, i))
			bridge_device(a, cfg, i);
}
