/* SPDX-License-Identifier: MIT */
/*
 * Independent plan checker for the tests: sorts placed ranges with qsort
 * and compares neighbours, instead of the planner's gap lists or
 * plan_verify's pairwise loops.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "plan_check.h"

static char why[256];

struct ent {
	uint64_t lo, hi;
	size_t idx;
};

static int ent_cmp(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static const char *bad(const char *fmt, size_t i, uint64_t a, uint64_t b)
{
	snprintf(why, sizeof(why), fmt, i, (unsigned long long)a, (unsigned long long)b);
	return why;
}

static bool hit(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

const char *check_plan(const struct plan_input *in, const struct plan_res *res, size_t n,
		       const struct plan_output *out)
{
	struct ent *mem = calloc(n + 1, sizeof(*mem)), *io = calloc(n + 1, sizeof(*io));
	size_t nm = 0, ni = 0;
	unsigned bits = in->phys_bits ? in->phys_bits : 36;
	const char *r = NULL;

	if (!in->may_relocate_ram)
		for (size_t j = 0; j < in->nram; j++)
			if (out->hole_size && hit(out->hole_start, T4G - out->hole_start,
						  in->ram[j].base, in->ram[j].size)) {
				r = bad("hole covers RAM %zu start %llx end %llx", j, out->hole_start, T4G);
				goto done;
			}
	for (size_t i = 0; i < n; i++) {
		const struct plan_res *p = &res[i];
		uint64_t al = p->align ? p->align : p->size, e = p->addr + p->size;

		if (p->status != PLAN_ST_PLACED) {
			if (p->status != PLAN_ST_REFUSED || p->reason == PLAN_R_NONE) {
				r = bad("res %zu status %llx reason %llx", i, p->status, p->reason);
				goto done;
			}
			continue;
		}
		if (p->addr & (al - 1)) {
			r = bad("res %zu at %llx misaligned to %llx", i, p->addr, al);
			goto done;
		}
		if (p->kind != PLAN_IO && !p->pinned && (p->addr & 0xfff)) {
			r = bad("res %zu at %llx not page aligned %llx", i, p->addr, 0);
			goto done;
		}
		if (p->pinned && p->addr != p->pin_addr) {
			r = bad("res %zu at %llx pinned at %llx", i, p->addr, p->pin_addr);
			goto done;
		}
		if (p->kind == PLAN_IO) {
			if (e > 0x10000) {
				r = bad("io res %zu at %llx end %llx", i, p->addr, e);
				goto done;
			}
			for (size_t j = 0; j < in->nio_reserved; j++)
				if (hit(p->addr, p->size, in->io_reserved[j].base, in->io_reserved[j].size)) {
					r = bad("io res %zu at %llx over reserved %llx", i, p->addr,
						in->io_reserved[j].base);
					goto done;
				}
			io[ni++] = (struct ent){ p->addr, e, i };
			continue;
		}
		if (p->kind == PLAN_MEM32 && e > T4G) {
			r = bad("mem32 res %zu at %llx end %llx above 4G", i, p->addr, e);
			goto done;
		}
		if (e <= T4G && p->addr < out->hole_start) {
			r = bad("res %zu at %llx below hole %llx", i, p->addr, out->hole_start);
			goto done;
		}
		if (e > T4G && (p->addr < T4G || p->addr < out->high_base || e > out->high_end ||
				e > (1ull << bits))) {
			r = bad("res %zu at %llx outside window end %llx", i, p->addr, out->high_end);
			goto done;
		}
		if (p->kind == PLAN_MEM64 && !p->pinned && e <= T4G &&
		    in->m64_policy != PLAN_M64_FALLBACK_LOW) {
			r = bad("mem64 res %zu at %llx low against policy %llx", i, p->addr, 0);
			goto done;
		}
		for (size_t j = 0; j < in->nram; j++) {
			bool moved = in->may_relocate_ram && e <= T4G;

			if (!moved && hit(p->addr, p->size, in->ram[j].base, in->ram[j].size)) {
				r = bad("res %zu at %llx over RAM at %llx", i, p->addr, in->ram[j].base);
				goto done;
			}
		}
		for (size_t j = 0; j < in->nmem_reserved; j++)
			if (hit(p->addr, p->size, in->mem_reserved[j].base, in->mem_reserved[j].size)) {
				r = bad("res %zu at %llx over reserved %llx", i, p->addr,
					in->mem_reserved[j].base);
				goto done;
			}
		mem[nm++] = (struct ent){ p->addr, e, i };
	}
	qsort(mem, nm, sizeof(*mem), ent_cmp);
	qsort(io, ni, sizeof(*io), ent_cmp);
	for (size_t k = 1; k < nm; k++)
		if (mem[k].lo < mem[k - 1].hi) {
			r = bad("mem res %zu at %llx overlaps one ending %llx", mem[k].idx, mem[k].lo,
				mem[k - 1].hi);
			goto done;
		}
	for (size_t k = 1; k < ni; k++)
		if (io[k].lo < io[k - 1].hi) {
			r = bad("io res %zu at %llx overlaps one ending %llx", io[k].idx, io[k].lo,
				io[k - 1].hi);
			goto done;
		}
done:
	free(mem);
	free(io);
	return r;
}

int solve(const struct plan_input *in, struct plan_res *res, size_t n, struct plan_output *out)
{
	size_t sz = plan_scratch_bytes(in, n);
	void *s = malloc(sz);
	int rc;

	assert_non_null(s);
	/* Dirty scratch: the planner must not rely on zeroed memory. */
	memset(s, 0xa5, sz);
	rc = plan_solve(in, res, n, s, sz, out);
	free(s);
	return rc;
}

uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
}

uint64_t rnd_below(uint64_t *s, uint64_t n)
{
	return n ? rnd(s) % n : 0;
}

struct plan_res mk_mov(uint8_t kind, uint32_t owner, uint64_t size)
{
	struct plan_res r = { .kind = kind, .owner = owner, .size = size };

	return r;
}

struct plan_res mk_pin(uint8_t kind, uint32_t owner, uint64_t size, uint64_t addr)
{
	struct plan_res r = { .kind = kind, .owner = owner, .size = size, .pinned = true,
			      .pin_addr = addr };

	return r;
}
