/* SPDX-License-Identifier: MIT */
/* The MTRR layout every CPU gets: WB by default, the 32-bit PCI hole UC. No I/O. */
#include <hvmfw/mtrr.h>

#define FOUR_GIB (1ull << 32)
#define PAGE 0x1000ull
#define ALL_BYTES(t) (0x0101010101010101ull * (t))

const uint32_t mtrr_fixed_msr[MTRR_NFIXED] = {
	0x250, 0x258, 0x259, 0x268, 0x269, 0x26A, 0x26B, 0x26C, 0x26D, 0x26E, 0x26F,
};

static uint64_t lowest_bit(uint64_t x)
{
	return x & -x;
}

int mtrr_compute(struct mtrr_set *m, uint64_t hole_start, unsigned phys_bits)
{
	struct { uint64_t base, size; } blk[32];
	unsigned nblk = 0;
	int rc = 0;

	/* Fixed ranges: conventional memory WB, VGA window UC, and 0xC0000-0xFFFFF WB:
	 * it is shadow RAM on QEMU and plain RAM on Xen (hvmloader uses WB there too). */
	m->def_type = MTRR_DEF_E | MTRR_DEF_FE | MTRR_WB;
	for (unsigned i = 0; i < MTRR_NFIXED; i++)
		m->fixed[i] = ALL_BYTES(MTRR_WB);
	m->fixed[2] = ALL_BYTES(MTRR_UC);

	if (phys_bits < 32)
		phys_bits = 32;
	if (phys_bits > 52)
		phys_bits = 52;
	uint64_t addr_mask = ((1ull << phys_bits) - 1) & ~(PAGE - 1);

	/* Variable ranges work in pages: round the start up so no RAM turns UC, and never
	 * reach below 1 MiB, which the fixed ranges own. */
	uint64_t start = ALIGN_UP(hole_start, PAGE);
	if (start != hole_start)
		rc = -1;
	if (start < (1ull << 20)) {
		start = 1ull << 20;
		rc = -1;
	}

	/* Greedy from the bottom: the largest aligned block that starts here. The hole
	 * ends at 4 GiB, so the blocks only grow and their count is minimal. */
	for (uint64_t a = start; a < FOUR_GIB; nblk++) {
		uint64_t size = lowest_bit(a);

		blk[nblk].base = a;
		blk[nblk].size = size;
		a += size;
	}

	/* Largest first: if 8 are not enough, the small ones at the bottom stay WB. */
	m->nvar = 0;
	for (unsigned i = nblk; i-- > 0;) {
		if (m->nvar == MTRR_NVAR) {
			rc = -1;
			break;
		}
		m->var[m->nvar].base = blk[i].base | MTRR_UC;
		m->var[m->nvar].mask = (~(blk[i].size - 1) & addr_mask) | MTRR_MASK_VALID;
		m->nvar++;
	}
	for (unsigned i = m->nvar; i < MTRR_NVAR; i++)
		m->var[i].base = m->var[i].mask = 0;
	return rc;
}
