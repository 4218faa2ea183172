/* SPDX-License-Identifier: MIT */
/*
 * Phase 1: walk the buses depth first from bus 0 and number the bridges.
 * Every config access is a trap under Xen, so each register is read once
 * and results are kept in the table; nothing is re-read later.
 */
#include "pci_int.h"

struct scan {
	struct pci_topo *t;
	const struct pci_access *a;
	unsigned next_bus;	/* highest bus number handed out */
};

static bool id_valid(uint32_t id)
{
	uint16_t v = id & 0xFFFF;

	return v != 0xFFFF && v != 0;
}

/* Below a PCIe root or downstream port only device 0 exists (no ARI here). */
static bool one_device_bus(const struct pci_topo *t, int parent)
{
	if (parent < 0)
		return false;
	uint8_t ty = t->b[parent].pcie_type;

	return ty == PCIE_TYPE_ROOT_PORT || ty == PCIE_TYPE_DOWNSTREAM;
}

/* Stop a function we leave out from decoding or forwarding anything it kept from before. */
static void leave_out(const struct pci_access *a, uint16_t bdf, uint8_t hdr, uint32_t cmdsts)
{
	if (cmdsts & (PCI_CMD_IO | PCI_CMD_MEM | PCI_CMD_MASTER))
		wr16(a, bdf, PCI_COMMAND,
		     (uint16_t)(cmdsts & ~(PCI_CMD_IO | PCI_CMD_MEM | PCI_CMD_MASTER)));
	/* Bus numbers from an earlier boot would claim config cycles of buses we hand out. */
	if ((hdr & 0x7F) == 1)
		wr32(a, bdf, PCI_BUS_NUMBERS, PCI_BUS(bdf));
}

static void add_bridge(struct scan *s, struct pci_func *f, bool has_caps)
{
	struct pci_topo *t = s->t;
	char name[24];

	if (t->nb >= PCI_MAX_BRIDGES) {
		pci_func_name(f, name, sizeof(name));
		pci_logf(s->a, "pci: %s: bridge table full (%u bridges), left closed: nothing "
			 "behind it is configured", name, PCI_MAX_BRIDGES);
		/* Its windows were never programmed: reset values must not start forwarding. */
		f->off |= PCI_OFF_IO | PCI_OFF_MEM;
		wr32(s->a, f->bdf, PCI_BUS_NUMBERS, PCI_BUS(f->bdf));
		t->dropped++;
		return;
	}
	struct pci_bridge *b = &t->b[t->nb];

	memset(b, 0, sizeof(*b));
	b->func = (uint16_t)(f - t->f);
	b->parent = f->parent;
	b->depth = f->parent < 0 ? 1 : t->b[f->parent].depth + 1;
	f->bridge = (int8_t)t->nb++;
	/* Close forwarding left over from an earlier boot before numbering anything. */
	wr32(s->a, f->bdf, PCI_BUS_NUMBERS, PCI_BUS(f->bdf));
	pci_probe_bridge(t, s->a, b, has_caps);
}

static void add_func(struct scan *s, uint16_t bdf, uint32_t id, uint8_t hdr, int parent)
{
	struct pci_topo *t = s->t;
	const struct pci_access *a = s->a;
	uint16_t vendor = id & 0xFFFF, device = id >> 16;
	bool chipset = chipset_owns(a->chipset, bdf, vendor, device);

	if (t->nf >= PCI_MAX_FUNCS) {
		pci_logf(a, "pci: %02x:%02x.%x %04x:%04x: device table full (%u functions), "
			 "left unconfigured, decode off", PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf),
			 vendor, device, PCI_MAX_FUNCS);
		if (!chipset)
			leave_out(a, bdf, hdr, rd32(a, bdf, PCI_COMMAND));
		t->dropped++;
		return;
	}
	struct pci_func *f = &t->f[t->nf++];
	uint32_t cmdsts = rd32(a, bdf, PCI_COMMAND);

	memset(f, 0, sizeof(*f));
	f->bdf = bdf;
	f->vendor = vendor;
	f->device = device;
	f->hdr = hdr & 0x7F;
	f->parent = (int8_t)parent;
	f->bridge = -1;
	f->chipset = chipset;
	f->class_rev = rd32(a, bdf, PCI_CLASS_REV);
	f->pin = rd8(a, bdf, PCI_INT_PIN);
	if (f->pin > 4)
		f->pin = 0;
	f->res_first = (uint16_t)t->nr;
	/* The chipset code owns these: its decode and registers stay as they are. */
	if (chipset) {
		f->cmd = (uint16_t)cmdsts;
		return;
	}
	/* Decode and mastering stay off until every address is written (apply). */
	f->cmd = (uint16_t)(cmdsts & ~(PCI_CMD_IO | PCI_CMD_MEM | PCI_CMD_MASTER));
	if (cmdsts & (PCI_CMD_IO | PCI_CMD_MEM | PCI_CMD_MASTER))
		wr16(a, bdf, PCI_COMMAND, f->cmd);
	if (f->hdr == 0) {
		pci_probe_bars(t, a, f);
	} else if (f->hdr == 1) {
		pci_probe_bars(t, a, f);
		add_bridge(s, f, cmdsts & PCI_STATUS_CAPS);
	} else {
		char name[24];

		pci_func_name(f, name, sizeof(name));
		pci_logf(a, "pci: %s: header type %u not supported, left unconfigured", name, f->hdr);
	}
	f->nres = (uint16_t)(t->nr - f->res_first);
}

static void scan_bus(struct scan *s, uint8_t bus, int parent)
{
	struct pci_topo *t = s->t;
	const struct pci_access *a = s->a;
	unsigned ndev = one_device_bus(t, parent) ? 1 : 32;
	unsigned first_bridge = t->nb;

	for (unsigned dev = 0; dev < ndev; dev++) {
		unsigned nfn = 1;

		for (unsigned fn = 0; fn < nfn; fn++) {
			uint16_t bdf = PCI_BDF(bus, dev, fn);
			uint32_t id = rd32(a, bdf, PCI_ID);

			if (!id_valid(id))
				continue;
			uint8_t hdr = rd8(a, bdf, PCI_HEADER_TYPE);

			if (fn == 0 && (hdr & PCI_HDR_MULTIFN))
				nfn = 8;
			add_func(s, bdf, id, hdr, parent);
		}
	}

	/* Number the bridges of this bus only now, so none forwards while its peers are walked. */
	unsigned last_bridge = t->nb;

	for (unsigned i = first_bridge; i < last_bridge; i++) {
		struct pci_bridge *b = &t->b[i];
		struct pci_func *f = &t->f[b->func];

		if (s->next_bus >= 0xFF || b->depth > PCI_MAX_DEPTH) {
			char name[24];

			pci_func_name(f, name, sizeof(name));
			if (b->depth > PCI_MAX_DEPTH)
				pci_logf(a, "pci: %s: bridge nested %u deep (limit %u), left closed: "
					 "nothing behind it is configured", name, b->depth,
					 PCI_MAX_DEPTH);
			else
				pci_logf(a, "pci: %s: no bus number left, bridge left closed: nothing "
					 "behind it is configured", name);
			b->secondary = b->subordinate = 0;
			t->dropped++;
			continue;
		}
		b->secondary = (uint8_t)++s->next_bus;
		wr32(a, f->bdf, PCI_BUS_NUMBERS, bus | (uint32_t)b->secondary << 8 | 0xFFu << 16);
		scan_bus(s, b->secondary, (int)i);

		unsigned sub = s->next_bus;

		/* QEMU's reserve capability: keep bus numbers free for hot-plugged bridges. */
		if (b->rsv_bus != PCI_RSV_NONE && b->secondary + b->rsv_bus > sub)
			sub = (unsigned)MIN(b->secondary + b->rsv_bus, 0xFFu);
		s->next_bus = sub;
		b->subordinate = (uint8_t)sub;
		wr8(a, f->bdf, PCI_SUBORDINATE, b->subordinate);
	}
}

void pci_scan(struct pci_topo *t, const struct pci_access *a)
{
	struct scan s = { .t = t, .a = a, .next_bus = 0 };

	t->nf = t->nb = t->nr = 0;
	t->dropped = 0;
	scan_bus(&s, 0, -1);
	t->last_bus = (uint8_t)s.next_bus;
}
