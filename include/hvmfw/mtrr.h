/* SPDX-License-Identifier: MIT */
/* Memory type range registers: one layout computed once, applied on every CPU. */
#ifndef HVMFW_MTRR_H
#define HVMFW_MTRR_H

#include <hvmfw/compiler.h>

/* Memory types (SDM vol. 3, "Memory Types and Their Properties"). */
#define MTRR_UC 0
#define MTRR_WC 1
#define MTRR_WT 4
#define MTRR_WP 5
#define MTRR_WB 6

#define MSR_MTRR_CAP 0xFE
#define MSR_MTRR_DEF_TYPE 0x2FF
#define MSR_MTRR_PHYS_BASE(n) (0x200 + 2 * (n))
#define MSR_MTRR_PHYS_MASK(n) (0x201 + 2 * (n))
#define MTRR_CAP_VCNT 0xFF
#define MTRR_CAP_FIX (1u << 8)
#define MTRR_DEF_FE (1u << 10)          /* fixed ranges enabled */
#define MTRR_DEF_E (1u << 11)           /* MTRRs enabled */
#define MTRR_MASK_VALID (1u << 11)
#define MTRR_NFIXED 11
#define MTRR_NVAR 8

/* MSR of fixed[i]: 64K_00000, 16K_80000, 16K_A0000, then 4K_C0000 ... 4K_F8000. */
extern const uint32_t mtrr_fixed_msr[MTRR_NFIXED];

struct mtrr_set {
	uint64_t def_type;              /* value for MTRRdefType, E and FE included */
	uint64_t fixed[MTRR_NFIXED];
	unsigned nvar;
	struct { uint64_t base, mask; } var[MTRR_NVAR];
};

/*
 * Pure: default WB, fixed ranges 0-0x9FFFF WB, 0xA0000-0xBFFFF UC, 0xC0000-0xFFFFF WB,
 * and UC variable ranges covering exactly [hole_start, 4 GiB) (hole_start rounded up
 * to 4 KiB) as naturally aligned power-of-two blocks, largest first, masks limited
 * to phys_bits. Returns 0, or -1 when 8 ranges are not enough or hole_start is below
 * 1 MiB: then the set holds the largest blocks that fit (part of the hole stays WB,
 * RAM never becomes UC) and the caller should log it.
 */
int mtrr_compute(struct mtrr_set *m, uint64_t hole_start, unsigned phys_bits);

/* Firmware only: program m on the calling CPU (disable, write, enable; caches on). */
void mtrr_apply(const struct mtrr_set *m);
/* Physical address width from CPUID 0x80000008, 36 if the leaf is absent. */
unsigned cpu_phys_bits(void);

#endif
