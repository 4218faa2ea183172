/* SPDX-License-Identifier: MIT */
/* Programming the MTRRs of the calling CPU, and the CPUID facts they depend on. */
#include <hvmfw/io.h>
#include <hvmfw/mtrr.h>

#define CR0_NW (1u << 29)
#define CR0_CD (1u << 30)
#define CPUID1_EDX_MTRR (1u << 12)

unsigned cpu_phys_bits(void)
{
	uint32_t r[4];

	cpuid(0x80000000, 0, r);
	if (r[0] < 0x80000008)
		return 36;
	cpuid(0x80000008, 0, r);
	return (r[0] & 0xFF) ? (r[0] & 0xFF) : 36;
}

static uint32_t read_cr0(void)
{
	uint32_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static void write_cr0(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr0" :: "r"(v) : "memory");
}

static void wbinvd(void)
{
	__asm__ volatile("wbinvd" ::: "memory");
}

/* The SDM's sequence for changing MTRRs: caches off and flushed while they change.
 * It runs on the BSP and on each AP with interrupts already off. */
void mtrr_apply(const struct mtrr_set *m)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	if (!(r[3] & CPUID1_EDX_MTRR))
		return;
	uint64_t cap = rdmsr(MSR_MTRR_CAP);
	unsigned vcnt = cap & MTRR_CAP_VCNT;
	uint64_t def = m->def_type;

	write_cr0((read_cr0() | CR0_CD) & ~CR0_NW);
	wbinvd();
	wrmsr(MSR_MTRR_DEF_TYPE, 0);

	if (cap & MTRR_CAP_FIX) {
		for (unsigned i = 0; i < MTRR_NFIXED; i++)
			wrmsr(mtrr_fixed_msr[i], m->fixed[i]);
	} else {
		def &= ~(uint64_t)MTRR_DEF_FE;
	}
	/* m lists the largest blocks first, so a CPU with fewer ranges keeps those;
	 * ranges beyond m->nvar are cleared in case something set them before us. */
	for (unsigned i = 0; i < vcnt; i++) {
		bool used = i < m->nvar && i < MTRR_NVAR;

		wrmsr(MSR_MTRR_PHYS_MASK(i), 0);
		wrmsr(MSR_MTRR_PHYS_BASE(i), used ? m->var[i].base : 0);
		if (used)
			wrmsr(MSR_MTRR_PHYS_MASK(i), m->var[i].mask);
	}

	wbinvd();
	wrmsr(MSR_MTRR_DEF_TYPE, def);
	/* After INIT an AP runs with CD and NW set; leave every CPU with caches on. */
	write_cr0(read_cr0() & ~(CR0_CD | CR0_NW));
}
