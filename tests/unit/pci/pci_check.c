/* SPDX-License-Identifier: MIT */
#include "pci_check.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

struct run R;

void run_init(void)
{
	memset(&R, 0, sizeof(R));
	R.ram[0] = (struct plan_range){ 0, 0xA0000, "conventional" };
	R.ram[1] = (struct plan_range){ 0x100000, GiB(1) - 0x100000, "low" };
	R.rsv[0] = (struct plan_range){ 0xFEC00000, GiB(4) - 0xFEC00000, "ioapic..4g" };
	R.pl.in.ram = R.ram;
	R.pl.in.nram = 2;
	R.pl.in.mem_reserved = R.rsv;
	R.pl.in.nmem_reserved = 1;
	R.pl.in.io_base = 0x1000;
	R.pl.in.io_limit = 0x10000;
	R.pl.in.phys_bits = 40;
	R.pl.in.m64_policy = PLAN_M64_FALLBACK_LOW;
	R.pl.scratch = R.scratch;
	R.pl.scratch_bytes = sizeof(R.scratch);
	R.access = model_access;
}

uint8_t test_intx(uint8_t slot, uint8_t pin)
{
	return (uint8_t)(slot * 4 + pin);
}

int run_all(const struct pci_pin *pins, size_t npins, uint64_t ecam_size)
{
	R.pl.pins = pins;
	R.pl.npins = npins;
	R.pl.ecam_size = ecam_size;
	R.pl.ecam_align = MiB(256);
	pci_scan(&R.t, &R.access);
	int rc = pci_plan(&R.t, &R.access, &R.pl);

	pci_apply(&R.t, &R.access, test_intx);
	pci_log_plan(&R.t, &R.access);
	return rc;
}

/* The bus number a segment got: the secondary of the bridge above it. */
static unsigned seg_bus(int seg)
{
	for (int i = 0; i < M.nf; i++)
		if (M.f[i].sec_seg == seg)
			return M.f[i].cfg[0x19];
	return 0;
}

uint16_t m_bdf(int f)
{
	return PCI_BDF(seg_bus(M.f[f].seg), M.f[f].dev, M.f[f].fn);
}

const struct pci_func *run_func(int f)
{
	for (unsigned i = 0; i < R.t.nf; i++)
		if (R.t.f[i].bdf == m_bdf(f))
			return &R.t.f[i];
	return NULL;
}

struct rng {
	uint64_t lo, hi;	/* inclusive */
	bool io, pref;
	int owner;
};

static int parent_of(int seg)
{
	for (int i = 0; i < M.nf; i++)
		if (M.f[i].sec_seg == seg)
			return i;
	return -1;
}

/* The decoded ranges of function f (BARs, ROM, open windows). */
static size_t ranges(int f, struct rng *out)
{
	const struct mfn *m = &M.f[f];
	uint16_t cmd = m_cmd(f);
	size_t n = 0;

	for (int i = 0; i < 7; i++) {
		if (!m->bar_size[i])
			continue;
		uint64_t a = m_bar_addr(f, i);
		bool io = i < 6 && (m->cfg[0x10 + 4 * i] & 1);

		if (i == 6 ? a == 0 : !(cmd & (io ? 1 : 2)))
			continue;
		out[n++] = (struct rng){ a, a + m->bar_size[i] - 1, io,
					 i < 6 && (m->cfg[0x10 + 4 * i] & 8), f };
	}
	if (m->sec_seg >= 0)
		for (int w = 0; w < PCI_WIN_N; w++) {
			uint64_t b, l;

			/* Reset values (base = limit = 0) forward nothing while decode is off. */
			if (m_window(f, w, &b, &l) && (cmd & (w == PCI_WIN_IO ? 1 : 2)))
				out[n++] = (struct rng){ b, l, w == PCI_WIN_IO, w == PCI_WIN_PREF, f };
		}
	return n;
}

static bool inside_parent(int p, const struct rng *r)
{
	uint64_t b, l;

	/* The bridge itself must forward the space. */
	if (!(m_cmd(p) & (r->io ? 1 : 2)))
		return false;
	if (r->io)
		return m_window(p, PCI_WIN_IO, &b, &l) && r->lo >= b && r->hi <= l;
	if (m_window(p, PCI_WIN_MEM, &b, &l) && r->lo >= b && r->hi <= l)
		return true;
	return r->pref && m_window(p, PCI_WIN_PREF, &b, &l) && r->lo >= b && r->hi <= l;
}

void check_invariants(void)
{
	static struct rng all[M_MAX_FN * 10];
	size_t n = 0;

	assert_int_equal(M.addr_writes_while_decoding, 0);
	if (M.first_decode_on != ~0u)
		assert_true(M.last_addr_write < M.first_decode_on);
	for (int f = 0; f < M.nf; f++) {
		size_t k = ranges(f, &all[n]);
		int p = parent_of(M.f[f].seg);

		/* ROM enable stays off. */
		assert_int_equal(m_reg8(f, (M.f[f].cfg[0x0E] & 0x7F) ? 0x38 : 0x30) & 1, 0);
		for (size_t i = n; i < n + k; i++) {
			if (p >= 0 && !inside_parent(p, &all[i]))
				fail_msg("fn %d range 0x%llx-0x%llx outside bridge %d's window", f,
					 (unsigned long long)all[i].lo, (unsigned long long)all[i].hi, p);
			if (!all[i].io)
				assert_true(all[i].lo >= GiB(1));	/* above RAM */
			assert_true(all[i].hi >= all[i].lo);
		}
		n += k;
	}
	check_verify();
	/* Same bus, same space: disjoint. */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			if (all[i].io != all[j].io || M.f[all[i].owner].seg != M.f[all[j].owner].seg)
				continue;
			if (all[i].lo <= all[j].hi && all[j].lo <= all[i].hi)
				fail_msg("overlap: fn %d 0x%llx-0x%llx and fn %d 0x%llx-0x%llx",
					 all[i].owner, (unsigned long long)all[i].lo,
					 (unsigned long long)all[i].hi, all[j].owner,
					 (unsigned long long)all[j].lo, (unsigned long long)all[j].hi);
		}
}

void check_verify(void)
{
	char msg[256];

	if (pci_verify(&R.t, &R.pl, msg, sizeof(msg)))
		fail_msg("pci_verify: %s", msg);
}
