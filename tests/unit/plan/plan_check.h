/* SPDX-License-Identifier: MIT */
/* Test helpers: an independent plan checker and a seeded RNG. */
#ifndef TEST_PLAN_CHECK_H
#define TEST_PLAN_CHECK_H

#include <hvmfw/plan.h>

#define T4G (1ull << 32)

/* Returns NULL if the plan is valid, else a static description. */
const char *check_plan(const struct plan_input *in, const struct plan_res *res, size_t n,
		       const struct plan_output *out);

/* Run plan_solve with malloc'd scratch; returns its result. */
int solve(const struct plan_input *in, struct plan_res *res, size_t n, struct plan_output *out);

/* xorshift64*; never returns the same stream for different seeds. */
uint64_t rnd(uint64_t *s);
uint64_t rnd_below(uint64_t *s, uint64_t n);

struct plan_res mk_mov(uint8_t kind, uint32_t owner, uint64_t size);
struct plan_res mk_pin(uint8_t kind, uint32_t owner, uint64_t size, uint64_t addr);

/* Assert via cmocka that check_plan passes, printing the reason if not. */
#define assert_plan_ok(in, res, n, out) do { \
		const char *why_ = check_plan(in, res, n, out); \
		if (why_) fail_msg("plan invalid: %s", why_); \
	} while (0)

#endif
