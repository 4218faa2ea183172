/* SPDX-License-Identifier: MIT */
/* Parse hvm_start_info: find the modules by name, note the memory map. Pure code. */
#include <hvmfw/xen/start_info.h>
#include <hvmfw/string.h>

static const char *const module_names[XEN_MOD_COUNT] = {
	[XEN_MOD_FIRMWARE] = "firmware",
	[XEN_MOD_IPXE] = "ipxe",
};

const char *xen_module_name(enum xen_module_id id)
{
	return id < XEN_MOD_COUNT ? module_names[id] : "?";
}

static void cover(struct xen_boot_info *bi, uint64_t addr, uint64_t len)
{
	if (!len)
		return;
	if (!bi->region_hi || addr < bi->region_lo)
		bi->region_lo = (uint32_t)addr;
	if (addr + len > bi->region_hi)
		bi->region_hi = (uint32_t)(addr + len);
}

/* Copy a module name for messages, with anything unprintable replaced. */
static void printable(char *dst, size_t cap, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < cap; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7F && src[i] != '"') ? src[i] : '?';
	dst[i] = '\0';
}

static void parse_module(unsigned idx, const struct hvm_modlist_entry *m, xen_map_fn map, void *ctx,
			 struct xen_boot_info *bi, xen_refuse_fn refuse)
{
	char what[80], shown[40];
	const char *name;
	size_t len;
	int id;

	snprintf(what, sizeof(what), "module %u", idx);
	if (!m->cmdline_paddr) {
		refuse(what, "it has no name string (cmdline_paddr 0)");
		return;
	}
	/* The name can be near the end of readable memory: look for the NUL in steps. */
	name = map(m->cmdline_paddr, 1, ctx);
	len = 0;
	while (name && len < XEN_MODULE_NAME_MAX) {
		const char *p = map(m->cmdline_paddr, len + 1, ctx);
		if (!p) {
			name = NULL;
			break;
		}
		if (p[len] == '\0')
			break;
		len++;
	}
	if (!name) {
		refuse(what, "its name string is not in readable memory");
		return;
	}
	if (len == XEN_MODULE_NAME_MAX) {
		refuse(what, "its name string has no NUL in 1024 bytes");
		return;
	}
	name = map(m->cmdline_paddr, len + 1, ctx);    /* read only what is mapped */
	if (!name) {
		refuse(what, "its name string is not in readable memory");
		return;
	}
	printable(shown, sizeof(shown), name, len);
	snprintf(what, sizeof(what), "module %u \"%s\"", idx, shown);
	for (id = 0; id < XEN_MOD_COUNT; id++)
		if (strlen(module_names[id]) == len && !memcmp(name, module_names[id], len))
			break;
	if (id == XEN_MOD_COUNT) {
		refuse(what, "unknown module name (hvmfw takes \"firmware\" and \"ipxe\")");
		return;
	}
	if (!m->paddr || !m->size) {
		refuse(what, "empty (address or size 0)");
		return;
	}
	if (m->paddr >= GiB(4) || m->size > GiB(4) - m->paddr) {
		refuse(what, "does not lie below 4 GiB");
		return;
	}
	if (!map(m->paddr, m->size, ctx)) {
		refuse(what, "its data is not in readable memory");
		return;
	}
	if (bi->mod[id].size) {
		refuse(what, "a second module of that name (the first one is kept)");
		return;
	}
	bi->mod[id].addr = (uint32_t)m->paddr;
	bi->mod[id].size = (uint32_t)m->size;
	cover(bi, m->paddr, m->size);
	cover(bi, m->cmdline_paddr, len + 1);
}

/*
 * Guest-provided structures are copied out before use: their addresses need
 * not be aligned, and only what was mapped is read.
 */
int xen_start_info_parse(uint64_t si_gpa, xen_map_fn map, void *ctx, struct xen_boot_info *out,
			 xen_refuse_fn refuse, const char **why)
{
	struct hvm_start_info info = { 0 }, *si = &info;
	const void *p = map(si_gpa, HVM_START_INFO_V0_LEN, ctx);
	unsigned n;

	memset(out, 0, sizeof(*out));
	if (!p) {
		*why = "start info is not in readable memory";
		return -1;
	}
	memcpy(&info, p, HVM_START_INFO_V0_LEN);
	if (si->magic != XEN_START_MAGIC) {
		*why = "bad start info magic";
		return -1;
	}
	out->version = si->version;
	cover(out, si_gpa, si->version >= 1 ? sizeof(*si) : HVM_START_INFO_V0_LEN);
	if (si->version >= 1) {
		if (!(p = map(si_gpa, sizeof(*si), ctx))) {
			*why = "start info v1 is cut short by unreadable memory";
			return -1;
		}
		memcpy(&info, p, sizeof(info));
	}

	n = si->nr_modules;
	if (n && !si->modlist_paddr) {
		refuse("module list", "nr_modules is set but the list address is 0");
		n = 0;
	}
	if (n > XEN_MODULES_MAX) {
		refuse("module list", "more than 16 entries; the rest are ignored");
		n = XEN_MODULES_MAX;
	}
	if (n) {
		const uint8_t *ml = map(si->modlist_paddr,
					(uint64_t)n * sizeof(struct hvm_modlist_entry), ctx);
		if (!ml) {
			refuse("module list", "not in readable memory");
			n = 0;
		} else {
			cover(out, si->modlist_paddr, (uint64_t)n * sizeof(struct hvm_modlist_entry));
		}
		for (unsigned i = 0; i < n; i++) {
			struct hvm_modlist_entry m;

			memcpy(&m, ml + i * sizeof(m), sizeof(m));
			parse_module(i, &m, map, ctx, out, refuse);
		}
	}

	/* Version 0 ends before the memory map fields: do not read them. */
	if (si->version >= 1 && si->memmap_entries && si->memmap_paddr) {
		uint64_t len = (uint64_t)si->memmap_entries * sizeof(struct hvm_memmap_entry);
		if (si->memmap_paddr >= GiB(4) || !map(si->memmap_paddr, len, ctx)) {
			refuse("start info memory map", "not in readable memory below 4 GiB");
		} else {
			out->memmap_addr = (uint32_t)si->memmap_paddr;
			out->memmap_entries = si->memmap_entries;
			cover(out, si->memmap_paddr, len);
		}
	}
	return 0;
}
