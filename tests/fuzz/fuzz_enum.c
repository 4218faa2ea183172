/* SPDX-License-Identifier: MIT */
/*
 * fuzz-enum: the PCI enumerator's pure phases on a configuration space that
 * lies (lying_model.[ch]), run as src/pci/setup.c runs them: pci_scan;
 * pci_plan with a platform like platform_input() there (RAM, the
 * IOAPIC..4G reservation, the chipset's fixed I/O, a 64 KiB scratch
 * buffer, pins, ECAM sized by the last bus); pci_apply through a
 * write-only accessor; the plan table; pci_verify; the host-bridge windows.
 *
 * Checked (a broken rule prints one line on stderr and abort()s):
 *  - config accesses are 1, 2 or 4 bytes, aligned, and fewer than
 *    LM_MAX_ACCESS (a looping scan is caught there or by libFuzzer's
 *    -timeout); log lines are single lines under 256 bytes;
 *  - the scan's table is consistent: counts within PCI_MAX_*, every bdf
 *    once, each function on its bridge's secondary bus, bus ranges nested
 *    and distinct, bridge nesting bounded, resources owned by their function;
 *  - after pci_plan every resource is PLACED or REFUSED;
 *  - pci_apply only writes (it must not read config space again), only to
 *    functions of the table, never an address register of a function whose
 *    decode it has already turned on, and never turns on a decode the table
 *    says stays off;
 *  - pci_verify (src/pci/verify.c) accepts the plan.
 * FUZZ_DUMP=1 in the environment prints the enumerator's log (for reading a
 * finding: fuzz-enum FILE or fuzz-replay-enum -n 0 FILE).
 * No FUZZ_KNOWN names at the moment (fuzz_bytes.h).
 *
 * Byte layout (make_seeds.py writes the seed corpus in it):
 *   pctl u8    bit0 ECAM to place (Q35), bit1 may_relocate_ram, bit2 hole_min
 *              u8 follows (v << 24), bit3 high RAM u8 follows (GiB above 4 GiB),
 *              bit4 an e820 reservation follows (u8 base: 0xF0000000 + v MiB,
 *              u8 size: (v + 1) * 64 KiB), bit5 PLAN_M64_HIGH (else
 *              FALLBACK_LOW, as the firmware), bit6 hole_granule 256 MiB,
 *              bit7 the interrupt router gives no IRQ
 *   low u8     RAM below 4 GiB: [0, (v + 1) * 16 MiB)
 *   phys u8    phys_bits = 32 + v % 21
 *   npins u8 (% 9), per pin: bus u8 (% 8), devfn u8, bar u8 (% 7), sel u8:
 *              0: 0xC0000000 + u16 pages, 1: 4 GiB - u16 pages,
 *              2: 4 GiB + u16 MiB, 3: u32
 *   nfn u8 (% (LM_MAX_FN + 1)), per function:
 *              where u8 (segment = v % segments so far; 0 is bus 0), devfn u8,
 *              type u8: bits0-1 header (0, 1 bridge, 2, 3: raw header u8
 *                follows), bit2 answers every free dev/fn of its bus, bit3
 *                multi-function bit lies, bit4 capabilities follow, bit5 left
 *                decoding, bit6 lies follow, bit7 vendor 1b36 (else 8086);
 *              class u8 (bridges: 060400 unless bit7); interrupt pin u8;
 *              headers 0/1: per BAR slot a selector u8 (bits0-2: 0 none,
 *                1 I/O, 2 mem32, 3 mem64, 4 mem64 with raw upper writable
 *                bits u32, 5 raw type bits and raw writable bits u32, 6 sizes
 *                to 0, 7 reads all ones; bit3 prefetchable; bit4 64-bit for
 *                mode 6) plus a size byte for modes 1-5; ROM u8 (0 none,
 *                bit7: raw writable bits u32, else 2 KiB << (v % 21));
 *              bridges: u8 (bits0-1: segment behind it: 0/3 new, 1 its own
 *                (it sees itself again), 2 an existing one (u8 follows);
 *                bit2 I/O window, bit3 prefetchable, bit4 64-bit
 *                prefetchable; bits5-7 port: 0 PCI, 1 root port, 2 upstream,
 *                3 downstream, 4 PCIe-to-PCI, 5 hot-plug root port,
 *                6 hot-plug downstream, 7 SHPC);
 *              capabilities: count u8 (% 6), per capability: id u8 (bits0-1:
 *                0 PCIe with flags from the other bits, 1 SHPC, 2 QEMU
 *                resource reserve with u8 values (bus, io, mem, pref32,
 *                pref64: 0 none, else 1 << (v % 32)), 3 raw id u8), link u8
 *                (0 next, 1 back to the first, 2 itself, 3 the byte itself);
 *              lies: count u8 (% 7), per lie: dword u8 (& 0x3F), mode u8
 *                (% 3: fixed, flicker, counter), value u32.
 */
#include <hvmfw/pci_topo.h>
#include <string.h>
#include "lying_model.h"

#define SCRATCH_BYTES	(64 * 1024)	/* as src/pci/setup.c */
#define ECAM_ALIGN	MiB(256)

static struct lm model;
static struct pci_topo topo;

/* ---- the platform, as platform_input() in src/pci/setup.c builds it ---- */

struct platform {
	struct plan_range ram[2], rsv[2];
	struct pci_pin pins[8];
	size_t npins;
	bool no_irq;
};

static const struct plan_range io_rsv[] = {
	{ 0xAE00, 0x300, "ACPI hot-plug, GPE0, PM" },
};

static uint64_t pin_addr(struct fz *in)
{
	uint8_t sel = fz_u8(in);

	switch (sel & 3) {
	case 0:
		return 0xC0000000ull + (uint64_t)fz_u16(in) * KiB(4);
	case 1:
		return GiB(4) - (uint64_t)fz_u16(in) * KiB(4);
	case 2:
		return GiB(4) + (uint64_t)fz_u16(in) * MiB(1);
	default:
		return fz_u32(in);
	}
}

static void platform(struct fz *in, struct platform *p, struct pci_plan *pl, uint8_t *pctl)
{
	struct plan_input *pi = &pl->in;
	size_t nram = 0, nrsv = 0;

	memset(p, 0, sizeof(*p));
	memset(pl, 0, sizeof(*pl));
	*pctl = fz_u8(in);
	p->ram[nram++] = (struct plan_range){ 0, ((uint64_t)fz_u8(in) + 1) * MiB(16), "RAM" };
	if (*pctl & 4)
		pi->hole_min = (uint64_t)fz_u8(in) << 24;
	if (*pctl & 8) {
		uint8_t g = fz_u8(in);

		if (g)
			p->ram[nram++] = (struct plan_range){ GiB(4), GiB(g), "RAM" };
	}
	if (*pctl & 0x10) {
		uint64_t b = 0xF0000000ull + MiB(fz_u8(in));

		p->rsv[nrsv++] = (struct plan_range){ b, ((uint64_t)fz_u8(in) + 1) * KiB(64),
						      "reserved" };
	}
	p->rsv[nrsv++] = (struct plan_range){ 0xFEC00000, GiB(4) - 0xFEC00000, "IOAPIC..4G" };
	pi->ram = p->ram;
	pi->nram = nram;
	pi->mem_reserved = p->rsv;
	pi->nmem_reserved = nrsv;
	pi->io_reserved = io_rsv;
	pi->nio_reserved = 1;
	pi->io_base = 0x1000;
	pi->io_limit = 0x10000;
	pi->phys_bits = (uint8_t)(32 + fz_u8(in) % 21);
	pi->m64_policy = (*pctl & 0x20) ? PLAN_M64_HIGH : PLAN_M64_FALLBACK_LOW;
	pi->may_relocate_ram = *pctl & 2;
	if (*pctl & 0x40)
		pi->hole_granule = ECAM_ALIGN;
	p->no_irq = *pctl & 0x80;
	/* The planner's search is fuzz-plan's; a small budget keeps runs fast here. */
	pi->search_runs = 8;

	p->npins = fz_u8(in) % 9;
	for (size_t k = 0; k < p->npins; k++) {
		uint8_t bus = fz_u8(in) % 8, devfn = fz_u8(in);

		p->pins[k].bdf = PCI_BDF(bus, devfn >> 3, devfn & 7);
		p->pins[k].bar = fz_u8(in) % 7;
		p->pins[k].addr = pin_addr(in);
	}
	pl->pins = p->pins;
	pl->npins = p->npins;
}

/* ---- the scan's table ---- */

static void check_scan(const struct pci_topo *t)
{
	static uint8_t seen[65536 / 8];
	uint8_t sec_used[256 / 8] = { 0 };

	FUZZ_CHECK(t->nf <= PCI_MAX_FUNCS && t->nb <= PCI_MAX_BRIDGES && t->nr <= PCI_MAX_RES,
		   "table counts %u functions, %u bridges, %u resources", t->nf, t->nb, t->nr);
	memset(seen, 0, sizeof(seen));
	for (unsigned i = 0; i < t->nf; i++) {
		const struct pci_func *f = &t->f[i];
		unsigned bus = PCI_BUS(f->bdf);

		FUZZ_CHECK(!(seen[f->bdf >> 3] & (1u << (f->bdf & 7))),
			   "function %02x:%02x.%x is in the table twice", bus, PCI_DEV(f->bdf),
			   PCI_FN(f->bdf));
		seen[f->bdf >> 3] |= (uint8_t)(1u << (f->bdf & 7));
		FUZZ_CHECK(f->parent >= -1 && f->parent < (int)t->nb, "function %u: parent %d", i,
			   f->parent);
		if (f->parent < 0) {
			FUZZ_CHECK(bus == 0, "function %u on bus %02x has no bridge above it", i, bus);
		} else {
			const struct pci_bridge *b = &t->b[f->parent];

			FUZZ_CHECK(b->secondary && bus == b->secondary,
				   "function %u on bus %02x behind a bridge whose secondary is %02x",
				   i, bus, b->secondary);
		}
		FUZZ_CHECK(f->bridge == -1 || (f->bridge >= 0 && f->bridge < (int)t->nb &&
					       t->b[f->bridge].func == i),
			   "function %u: bridge index %d", i, f->bridge);
		FUZZ_CHECK((unsigned)f->res_first + f->nres <= t->nr,
			   "function %u: resources %u+%u of %u", i, f->res_first, f->nres, t->nr);
		for (unsigned k = f->res_first; k < (unsigned)f->res_first + f->nres; k++)
			FUZZ_CHECK(t->r[k].func == i, "resource %u of function %u names function %u",
				   k, i, t->r[k].func);
	}
	for (unsigned i = 0; i < t->nb; i++) {
		const struct pci_bridge *b = &t->b[i];

		FUZZ_CHECK(b->func < t->nf && t->f[b->func].bridge == (int)i &&
			   b->parent == t->f[b->func].parent && b->parent < (int)i,
			   "bridge %u: function %u, parent %d", i, b->func, b->parent);
		if (!b->secondary)
			continue;	/* closed: nothing behind it */
		FUZZ_CHECK(b->depth <= PCI_MAX_DEPTH, "bridge %u open %u deep", i, b->depth);
		FUZZ_CHECK(b->secondary > PCI_BUS(t->f[b->func].bdf) &&
			   b->secondary <= b->subordinate && b->subordinate <= t->last_bus,
			   "bridge %u on bus %02x: buses %02x-%02x, last bus %02x", i,
			   PCI_BUS(t->f[b->func].bdf), b->secondary, b->subordinate, t->last_bus);
		FUZZ_CHECK(!(sec_used[b->secondary >> 3] & (1u << (b->secondary & 7))),
			   "bus %02x is the secondary of two bridges", b->secondary);
		sec_used[b->secondary >> 3] |= (uint8_t)(1u << (b->secondary & 7));
		if (b->parent >= 0) {
			const struct pci_bridge *p = &t->b[b->parent];

			FUZZ_CHECK(b->secondary > p->secondary && b->subordinate <= p->subordinate,
				   "bridge %u buses %02x-%02x outside its parent's %02x-%02x", i,
				   b->secondary, b->subordinate, p->secondary, p->subordinate);
		}
	}
}

/* ---- pci_apply through a write-only accessor ---- */

struct apply_ctx {
	const struct pci_topo *t;
	uint16_t idx[65536];		/* bdf -> function index + 1 */
	bool decoding[PCI_MAX_FUNCS];
};

static struct apply_ctx ap;

static uint32_t wo_read(void *ctx, uint16_t bdf, uint16_t off, unsigned width)
{
	FUZZ_CHECK(0, "pci_apply read %02x:%02x.%x offset 0x%x: apply must only write",
		   PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf), off);
	return 0;
}

static bool addr_reg(uint8_t hdr, unsigned off)
{
	if (hdr == 1)
		return (off >= 0x10 && off < 0x18) || (off >= 0x1C && off < 0x1E) ||
		       (off >= 0x20 && off < 0x34) || (off >= 0x38 && off < 0x3C);
	return (off >= 0x10 && off < 0x28) || (off >= 0x30 && off < 0x34);
}

static void wo_write(void *ctx, uint16_t bdf, uint16_t off, unsigned width, uint32_t v)
{
	struct apply_ctx *c = ctx;
	unsigned i = c->idx[bdf];

	FUZZ_CHECK(i, "pci_apply wrote %02x:%02x.%x, which is not in the table", PCI_BUS(bdf),
		   PCI_DEV(bdf), PCI_FN(bdf));
	FUZZ_CHECK((width == 1 || width == 2 || width == 4) && !(off & (width - 1)) &&
		   off + width <= 256, "pci_apply wrote %u bytes at 0x%x", width, off);
	const struct pci_func *f = &c->t->f[--i];

	for (unsigned b = off; b < off + width; b++)
		FUZZ_CHECK(!(c->decoding[i] && addr_reg(f->hdr, b)),
			   "pci_apply wrote address register 0x%x of %02x:%02x.%x after turning "
			   "its decode on", b, PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf));
	if (off <= 0x04 && off + width > 0x04) {
		uint32_t cmd = v >> (8 * (0x04 - off));

		FUZZ_CHECK(!((f->off & PCI_OFF_IO) && (cmd & 1)) && !((f->off & PCI_OFF_MEM) && (cmd & 2)),
			   "pci_apply turned on decode 0x%x of %02x:%02x.%x, whose table entry "
			   "says off 0x%x", cmd & 3, PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf), f->off);
		c->decoding[i] = cmd & 3;
	}
}

static void wo_log(void *ctx, const char *line)
{
	lm_check_log(line);
}

static bool no_irq;

static uint8_t intx(uint8_t slot, uint8_t pin)
{
	FUZZ_CHECK(slot < 32 && pin >= 1 && pin <= 4, "interrupt asked for slot %u pin %u", slot,
		   pin);
	return no_irq ? 0xFF : (uint8_t)(5 + ((slot + pin) & 7));
}

static void apply(struct pci_topo *t)
{
	struct pci_access wo = { .read = wo_read, .write = wo_write, .log = wo_log, .ctx = &ap };

	ap.t = t;
	memset(ap.decoding, 0, sizeof(ap.decoding));
	for (unsigned i = 0; i < t->nf; i++)
		ap.idx[t->f[i].bdf] = (uint16_t)(i + 1);
	pci_apply(t, &wo, intx);
	pci_log_plan(t, &wo);
	for (unsigned i = 0; i < t->nf; i++)
		ap.idx[t->f[i].bdf] = 0;
}

/* ---- the target ---- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz in = { data, size, 0 };
	struct platform p;
	struct pci_plan pl;
	struct pci_access a;
	struct pci_windows w;
	uint8_t pctl;
	char msg[256];

	platform(&in, &p, &pl, &pctl);
	no_irq = p.no_irq;
	lm_build(&model, &in);
	a = lm_accessor(&model);
	/* Junk everywhere: the phases must not read table entries they did not fill. */
	memset(&topo, 0xA5, sizeof(topo));

	pci_scan(&topo, &a);
	check_scan(&topo);

	pl.scratch = malloc(SCRATCH_BYTES);
	FUZZ_CHECK(pl.scratch, "out of memory");
	pl.scratch_bytes = SCRATCH_BYTES;
	if (pctl & 1) {
		/* As ecam_size_for() in setup.c. */
		pl.ecam_size = topo.last_bus < 64 ? MiB(64) : topo.last_bus < 128 ? MiB(128) : MiB(256);
		pl.ecam_align = ECAM_ALIGN;
	}
	pci_plan(&topo, &a, &pl);
	for (unsigned i = 0; i < topo.nr; i++)
		FUZZ_CHECK(topo.r[i].p.status == PLAN_ST_PLACED ||
			   topo.r[i].p.status == PLAN_ST_REFUSED,
			   "resource %u (function %u, BAR %u) left with status %u after pci_plan", i,
			   topo.r[i].func, topo.r[i].bar, topo.r[i].p.status);

	apply(&topo);

	msg[0] = '\0';
	FUZZ_CHECK(!pci_verify(&topo, &pl, msg, sizeof(msg)), "pci_verify: %s", msg);

	memset(&w, 0, sizeof(w));
	pci_windows_fill(&topo, &pl, &w);
	{
		struct pci_access lo = { .read = wo_read, .write = wo_write, .log = wo_log, .ctx = &ap };

		pci_log_windows(&lo, &w);
	}
	free(pl.scratch);
	return 0;
}
