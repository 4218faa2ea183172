/* SPDX-License-Identifier: MIT */
/* mtrr_compute: checked by decoding the result the way the CPU resolves memory types. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <hvmfw/mtrr.h>

#define GIB (1ull << 30)
#define FOUR_GIB (4 * GIB)
#define PAGE 0x1000ull

static const unsigned phys_bits_list[] = { 36, 40, 46 };

/* ---- independent decoder (SDM vol. 3, "MTRR Precedences") ---- */

static unsigned fixed_type(const struct mtrr_set *m, uint64_t a)
{
	unsigned reg, idx;

	if (a < 0x80000) {
		reg = 0, idx = a >> 16;
	} else if (a < 0xC0000) {
		reg = 1 + (a - 0x80000) / 0x20000;
		idx = ((a - 0x80000) % 0x20000) >> 14;
	} else {
		reg = 3 + (a - 0xC0000) / 0x8000;
		idx = ((a - 0xC0000) % 0x8000) >> 12;
	}
	return (m->fixed[reg] >> (8 * idx)) & 0xFF;
}

static unsigned decode(const struct mtrr_set *m, uint64_t a, unsigned phys_bits)
{
	uint64_t pmask = ((1ull << phys_bits) - 1) & ~(PAGE - 1);
	unsigned hits = 0, uc = 0, wt = 0, other = 0, type = 0;

	if (!(m->def_type & MTRR_DEF_E))
		return MTRR_UC;
	if (a < 0x100000 && (m->def_type & MTRR_DEF_FE))
		return fixed_type(m, a);
	for (unsigned i = 0; i < m->nvar; i++) {
		if (!(m->var[i].mask & MTRR_MASK_VALID))
			continue;
		uint64_t mk = m->var[i].mask & pmask;
		if ((a & mk) != (m->var[i].base & mk))
			continue;
		unsigned t = m->var[i].base & 0xFF;
		hits++;
		if (t == MTRR_UC)
			uc = 1;
		else if (t == MTRR_WT)
			wt = 1;
		else
			other = t;
		type = t;
	}
	if (!hits)
		return m->def_type & 0xFF;
	if (uc)
		return MTRR_UC;
	if (wt)
		return MTRR_WT;
	return other ? other : type;
}

/* Every range must be one the CPU accepts: UC, page-aligned, contiguous mask within
 * phys_bits, base aligned to the block the mask describes, no reserved bits. */
static void check_ranges_valid(const struct mtrr_set *m, unsigned phys_bits)
{
	uint64_t pmask = ((1ull << phys_bits) - 1) & ~(PAGE - 1);

	assert_in_range(m->nvar, 0, MTRR_NVAR);
	for (unsigned i = 0; i < m->nvar; i++) {
		uint64_t base = m->var[i].base, mask = m->var[i].mask;
		uint64_t mk = mask & ~(PAGE - 1);

		assert_int_equal(base & 0xFF, MTRR_UC);
		assert_int_equal(base & 0xF00, 0);
		assert_int_equal(base & ~pmask & ~0xFFFull, 0);
		assert_int_equal(mask & 0x7FF, 0);
		assert_true(mask & MTRR_MASK_VALID);
		assert_int_equal(mk & ~pmask, 0);
		/* contiguous: the ones run from bit phys_bits-1 down */
		uint64_t size = (~mk & pmask) + PAGE;
		assert_int_equal(size & (size - 1), 0);
		assert_int_equal(mk, pmask & ~(size - 1));
		assert_int_equal((base & ~0xFFFull) & (size - 1), 0);
	}
	for (unsigned i = m->nvar; i < MTRR_NVAR; i++)
		assert_int_equal(m->var[i].mask & MTRR_MASK_VALID, 0);
}

/* UC exactly on [uc_from, 4 GiB) above 1 MiB, WB everywhere else (page granular). */
static void check_cover(const struct mtrr_set *m, uint64_t uc_from, unsigned phys_bits)
{
	for (uint64_t a = 0x100000; a < FOUR_GIB; a += PAGE) {
		unsigned want = a >= uc_from ? MTRR_UC : MTRR_WB;
		if (decode(m, a, phys_bits) != want)
			fail_msg("page 0x%llx: type %u, want %u (UC from 0x%llx, %u bits)",
				 (unsigned long long)a, decode(m, a, phys_bits), want,
				 (unsigned long long)uc_from, phys_bits);
	}
	/* RAM above 4 GiB must not alias into the hole through short masks. */
	uint64_t top = 1ull << phys_bits;

	/* every 4 GiB up to 256 GiB, then powers of two (don't walk 64 TiB), then the top */
	for (uint64_t hi = FOUR_GIB; hi < top; hi = hi < 64 * FOUR_GIB ? hi + FOUR_GIB : hi * 2) {
		assert_int_equal(decode(m, hi, phys_bits), MTRR_WB);
		assert_int_equal(decode(m, hi + (uc_from & (FOUR_GIB - 1)), phys_bits), MTRR_WB);
		assert_int_equal(decode(m, hi + FOUR_GIB - PAGE, phys_bits), MTRR_WB);
	}
	assert_int_equal(decode(m, top - FOUR_GIB + (uc_from & (FOUR_GIB - 1)), phys_bits), MTRR_WB);
	assert_int_equal(decode(m, top - PAGE, phys_bits), MTRR_WB);
}

static void test_fixed_ranges(void **state)
{
	struct mtrr_set m;

	(void)state;
	assert_int_equal(mtrr_compute(&m, 0xC0000000, 40), 0);
	assert_int_equal(m.def_type, 0xC06);
	assert_int_equal(m.fixed[0], 0x0606060606060606ull);
	assert_int_equal(m.fixed[1], 0x0606060606060606ull);
	assert_int_equal(m.fixed[2], 0);
	for (unsigned i = 3; i < MTRR_NFIXED; i++)
		assert_int_equal(m.fixed[i], 0x0606060606060606ull);
	assert_int_equal(decode(&m, 0, 40), MTRR_WB);
	assert_int_equal(decode(&m, 0x7000, 40), MTRR_WB);
	assert_int_equal(decode(&m, 0x9FFFF, 40), MTRR_WB);
	assert_int_equal(decode(&m, 0xA0000, 40), MTRR_UC);
	assert_int_equal(decode(&m, 0xBFFFF, 40), MTRR_UC);
	assert_int_equal(decode(&m, 0xC0000, 40), MTRR_WB);
	assert_int_equal(decode(&m, 0xFFFFF, 40), MTRR_WB);
	assert_int_equal(mtrr_fixed_msr[0], 0x250);
	assert_int_equal(mtrr_fixed_msr[2], 0x259);
	assert_int_equal(mtrr_fixed_msr[3], 0x268);
	assert_int_equal(mtrr_fixed_msr[10], 0x26F);
}

static void check_hole(uint64_t hole, unsigned want_nvar)
{
	for (unsigned b = 0; b < sizeof(phys_bits_list) / sizeof(phys_bits_list[0]); b++) {
		unsigned bits = phys_bits_list[b];
		struct mtrr_set m;

		assert_int_equal(mtrr_compute(&m, hole, bits), 0);
		assert_int_equal(m.nvar, want_nvar);
		check_ranges_valid(&m, bits);
		check_cover(&m, hole, bits);
		/* largest block first */
		for (unsigned i = 1; i < m.nvar; i++)
			assert_true((m.var[i].mask & ~0xFFFull) > (m.var[i - 1].mask & ~0xFFFull));
	}
}

static void test_hole_c0000000(void **s) { (void)s; check_hole(0xC0000000, 1); }
static void test_hole_e0000000(void **s) { (void)s; check_hole(0xE0000000, 1); }
static void test_hole_80000000(void **s) { (void)s; check_hole(0x80000000, 1); }
static void test_hole_b0000000(void **s) { (void)s; check_hole(0xB0000000, 2); }
static void test_hole_f0000000(void **s) { (void)s; check_hole(0xF0000000, 1); }
static void test_hole_d0000000(void **s) { (void)s; check_hole(0xD0000000, 2); }
static void test_hole_e8000000(void **s) { (void)s; check_hole(0xE8000000, 2); }
static void test_hole_40000000(void **s) { (void)s; check_hole(0x40000000, 2); }
/* 4 GiB - 0xB1000000 = 0x4F000000: five blocks */
static void test_hole_b1000000(void **s) { (void)s; check_hole(0xB1000000, 5); }

static void test_mask_values(void **state)
{
	struct mtrr_set m;

	(void)state;
	assert_int_equal(mtrr_compute(&m, 0xC0000000, 36), 0);
	assert_int_equal(m.var[0].base, 0xC0000000);
	assert_int_equal(m.var[0].mask, 0xFC0000800ull);
	assert_int_equal(mtrr_compute(&m, 0xC0000000, 40), 0);
	assert_int_equal(m.var[0].mask, 0xFFC0000800ull);
	assert_int_equal(mtrr_compute(&m, 0xC0000000, 46), 0);
	assert_int_equal(m.var[0].mask, 0x3FFFC0000800ull);
	assert_int_equal(mtrr_compute(&m, 0xB0000000, 40), 0);
	assert_int_equal(m.var[0].base, 0xC0000000);
	assert_int_equal(m.var[0].mask, 0xFFC0000800ull);
	assert_int_equal(m.var[1].base, 0xB0000000);
	assert_int_equal(m.var[1].mask, 0xFFF0000800ull);
}

/* Needs 19 blocks: only the 8 largest fit; the bottom of the hole stays WB. */
static void test_too_many_ranges(void **state)
{
	struct mtrr_set m;
	uint64_t hole = 0x80001000;

	(void)state;
	assert_int_equal(mtrr_compute(&m, hole, 40), -1);
	assert_int_equal(m.nvar, 8);
	check_ranges_valid(&m, 40);
	/* the 8 largest blocks of [0x80001000, 4G) are 8 MiB ... 1 GiB: [0x80800000, 4G) */
	check_cover(&m, 0x80800000, 40);
}

/* An unaligned start must not make the RAM in its page UC. */
static void test_unaligned_hole(void **state)
{
	struct mtrr_set m;

	(void)state;
	assert_int_equal(mtrr_compute(&m, 0xBFFFF800, 40), -1);
	assert_int_equal(m.nvar, 1);
	check_ranges_valid(&m, 40);
	check_cover(&m, 0xC0000000, 40);
}

static void test_no_hole(void **state)
{
	struct mtrr_set m;

	(void)state;
	assert_int_equal(mtrr_compute(&m, FOUR_GIB, 40), 0);
	assert_int_equal(m.nvar, 0);
	check_ranges_valid(&m, 40);
	check_cover(&m, FOUR_GIB, 40);
	assert_int_equal(mtrr_compute(&m, 6 * GIB, 40), 0);
	assert_int_equal(m.nvar, 0);
}

/* A hole "below 1 MiB" is nonsense: start at 1 MiB, which takes 12 blocks; the 8
 * largest cover [16 MiB, 4 GiB). Low memory keeps its fixed-range types. */
static void test_hole_below_1mib(void **state)
{
	struct mtrr_set m;

	(void)state;
	assert_int_equal(mtrr_compute(&m, 0x80000, 40), -1);
	check_ranges_valid(&m, 40);
	assert_int_equal(m.nvar, 8);
	check_cover(&m, 0x1000000, 40);
	assert_int_equal(decode(&m, 0x80000, 40), MTRR_WB);
}

/* The checks above must catch a 32-bit-only mask, which aliases RAM above 4 GiB. */
static void test_decoder_catches_alias(void **state)
{
	struct mtrr_set m;

	(void)state;
	assert_int_equal(mtrr_compute(&m, 0xC0000000, 40), 0);
	m.var[0].mask = 0xC0000800;
	assert_int_equal(decode(&m, 0x1C0000000ull, 40), MTRR_UC);
	assert_int_equal(decode(&m, 0xBFFFF000ull, 40), MTRR_WB);
	m.var[0].mask = 0xFF80000800ull;     /* too big: reaches into RAM */
	assert_int_equal(decode(&m, 0x80000000ull, 40), MTRR_UC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_ranges),
		cmocka_unit_test(test_hole_c0000000),
		cmocka_unit_test(test_hole_e0000000),
		cmocka_unit_test(test_hole_80000000),
		cmocka_unit_test(test_hole_b0000000),
		cmocka_unit_test(test_hole_f0000000),
		cmocka_unit_test(test_hole_d0000000),
		cmocka_unit_test(test_hole_e8000000),
		cmocka_unit_test(test_hole_40000000),
		cmocka_unit_test(test_hole_b1000000),
		cmocka_unit_test(test_mask_values),
		cmocka_unit_test(test_too_many_ranges),
		cmocka_unit_test(test_unaligned_hole),
		cmocka_unit_test(test_no_hole),
		cmocka_unit_test(test_hole_below_1mib),
		cmocka_unit_test(test_decoder_catches_alias),
	};
	return cmocka_run_group_tests_name("mtrr_compute", tests, NULL, NULL);
}
