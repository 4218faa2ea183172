/* SPDX-License-Identifier: MIT */
/*
 * fuzz-plan: the MMIO-hole planner on arbitrary input.
 *
 * The input bytes decode into a struct plan_input (RAM, reservations,
 * limits, policy) and up to FUZZ_PLAN_MAX struct plan_res, tree links
 * included: windows (PLAN_F_WINDOW) holding children through `parent`, and
 * bad links on purpose (self-parent, forward references that can form
 * cycles, parent beyond the array, parent that is not a window), pins,
 * ECAM-like entries, sizes and alignments of every sort (0, not a power of
 * two, huge). Then plan_solve with exactly plan_scratch_bytes() of scratch
 * (heap, so ASan sees any overrun) and, when it succeeds:
 *  - plan_verify() must accept the plan;
 *  - every resource is PLACED or REFUSED, and the counts in plan_output
 *    (placed, refused, pinned) and the return value agree with them;
 *  - a second solve of the same request, with other garbage in the output
 *    fields and the scratch, gives the same plan (no state kept, outputs
 *    and scratch not read before written); on one input in four, chosen by
 *    a hash of its bytes;
 *  - the formatter renders the plan within the lengths it reports.
 * A broken rule prints one line on stderr and abort()s. With FUZZ_DUMP=1 in
 * the environment every run prints the decoded request and the plan table
 * (for reading a finding: fuzz-plan FILE or fuzz-replay-plan -n 0 FILE).
 * No FUZZ_KNOWN names at the moment (fuzz_bytes.h): every finding so far is
 * fixed and its input kept in corpus/plan/.
 *
 * Byte layout (see make_seeds.py, which writes the seed corpus):
 *   ctl u8         bit0 may_relocate_ram, bit1 PLAN_M64_FALLBACK_LOW,
 *                  bit2 limits follow, bit3 first try one byte too little
 *                  scratch (must fail cleanly), bit4 search budget 24 runs
 *                  (else 4), bits5-7 scratch misalignment
 *   nram u8 (%5)      then per range: addr, size
 *   nmem u8 (%5)      then per range: addr, size
 *   nio u8 (%4)       then per range: u16 base, u16 size
 *   [limits, ctl bit2] hole_min addr, max_hole size, hole_granule size,
 *                  mem_min_align size, high_align size, high_max size,
 *                  io_base u16, io_limit u8 (0: 0x10000, else v << 9),
 *                  phys_bits u8
 *   n u8 (% (FUZZ_PLAN_MAX + 1))
 *   per resource:  shape u8: bits0-1 kind (3 = invalid), bits2-3 role
 *                  (0 BAR, 1 window, 2 ROM, 3 ECAM), bit4 pinned, bit5 pref,
 *                  bits6-7 parent mode (0 root, 1 an earlier window,
 *                  2 any index, 3 odd link);
 *                  [parent mode != 0] u8 selector; size; align u8 selector
 *                  (0: 0, 1: = size, else a size value); [pinned] pin;
 *                  owner u16
 * "addr" and "size" are one selector byte plus what the selector needs
 * (addr_val / size_val below).
 */
#include <hvmfw/plan.h>
#include <string.h>
#include "fuzz_bytes.h"

#define FUZZ_PLAN_MAX	64

static uint64_t size_val(struct fz *f)
{
	static const uint64_t odd[] = {
		1, 3, 0xFFF, 1ull << 32, 1ull << 63, ~0ull, ~0ull << 12, 0x80000000ull,
		0xFFFFF000ull, 0x1800, MiB(64), MiB(256), GiB(3), 0x10000,
	};
	uint8_t sel = fz_u8(f);

	switch (sel & 7) {
	case 0:
		return 1ull << (fz_u8(f) % 64);
	case 1:
		return KiB(4) << (fz_u8(f) % 20);
	case 2:
		return ((uint64_t)fz_u16(f) + 1) * KiB(4);	/* mostly not a power of two */
	case 3:
		return fz_u64(f);
	case 4:
		return 0;
	case 5:
		return 16ull << (fz_u8(f) % 12);
	case 6:
		return MiB(1) << (fz_u8(f) % 16);
	default:
		return odd[fz_u8(f) % (sizeof(odd) / sizeof(odd[0]))];
	}
}

static uint64_t addr_val(struct fz *f)
{
	static const uint64_t odd[] = {
		0, 0xFEC00000ull, 0xFEE00000ull, GiB(4), 1ull << 36, 1ull << 52, ~0ull,
		0xC0000000ull, 0x80000000ull, 0xF0000000ull, 0xE0000000ull, GiB(64), 0xCF8,
	};
	uint8_t sel = fz_u8(f);

	switch (sel & 7) {
	case 0:
		return 0xE0000000ull + (uint64_t)fz_u16(f) * KiB(4);
	case 1:
		return GiB(4) - (uint64_t)fz_u16(f) * MiB(1);
	case 2:
		return GiB(4) + ((uint64_t)fz_u8(f) << 30);
	case 3:
		return fz_u64(f);
	case 4:
		return fz_u32(f);
	case 5:
		return fz_u16(f);
	case 6:
		return odd[fz_u8(f) % (sizeof(odd) / sizeof(odd[0]))];
	default:
		return (uint64_t)fz_u16(f) << 20;
	}
}

/* A pin: mostly aligned to what the resource asks, sometimes anything. */
static uint64_t pin_val(struct fz *f, uint64_t size, uint64_t align)
{
	uint8_t sel = fz_u8(f);
	uint64_t a = align ? align : size, v = addr_val(f);

	if ((sel & 3) == 0 || !a || (a & (a - 1)))
		return v;
	return v & ~(a - 1);
}

static void read_range(struct fz *f, struct plan_range *r, bool io)
{
	if (io) {
		r->base = fz_u16(f);
		r->size = fz_u16(f);
	} else {
		r->base = addr_val(f);
		r->size = size_val(f);
	}
	r->name = "fuzz";
}

struct req {
	struct plan_input in;
	struct plan_range ram[4], mem[4], io[3];
	struct plan_res res[FUZZ_PLAN_MAX];
	size_t n;
	uint8_t ctl;
};

static void decode(struct fz *f, struct req *q)
{
	struct plan_input *in = &q->in;

	memset(q, 0, sizeof(*q));
	q->ctl = fz_u8(f);
	in->may_relocate_ram = q->ctl & 1;
	in->m64_policy = (q->ctl & 2) ? PLAN_M64_FALLBACK_LOW : PLAN_M64_HIGH;
	/* A small search budget keeps runs fast; the search code runs all the same. */
	in->search_runs = (q->ctl & 16) ? 24 : 4;
	in->nram = fz_u8(f) % 5;
	for (size_t i = 0; i < in->nram; i++)
		read_range(f, &q->ram[i], false);
	in->nmem_reserved = fz_u8(f) % 5;
	for (size_t i = 0; i < in->nmem_reserved; i++)
		read_range(f, &q->mem[i], false);
	in->nio_reserved = fz_u8(f) % 4;
	for (size_t i = 0; i < in->nio_reserved; i++)
		read_range(f, &q->io[i], true);
	in->ram = in->nram ? q->ram : NULL;
	in->mem_reserved = in->nmem_reserved ? q->mem : NULL;
	in->io_reserved = in->nio_reserved ? q->io : NULL;
	if (q->ctl & 4) {
		uint8_t lim;

		in->hole_min = addr_val(f);
		in->max_hole = size_val(f);
		in->hole_granule = size_val(f);
		in->mem_min_align = size_val(f);
		in->high_align = size_val(f);
		in->high_max = size_val(f);
		in->io_base = fz_u16(f);
		lim = fz_u8(f);
		in->io_limit = lim ? (uint32_t)lim << 9 : 0x10000;
		in->phys_bits = fz_u8(f);
	}

	q->n = fz_u8(f) % (FUZZ_PLAN_MAX + 1);
	for (size_t i = 0; i < q->n; i++) {
		struct plan_res *r = &q->res[i];
		uint8_t shape = fz_u8(f), role = (shape >> 2) & 3, pmode = shape >> 6, sel;

		r->kind = shape & 3;
		r->pinned = (shape >> 4) & 1;
		r->flags = (shape & 0x20) ? PLAN_F_PREF : 0;
		if (role == 1)
			r->flags |= PLAN_F_WINDOW;
		else if (role == 2)
			r->flags |= PLAN_F_ROM;
		else if (role == 3)
			r->flags |= PLAN_F_ECAM;

		sel = pmode ? fz_u8(f) : 0;
		if (pmode == 1) {
			/* The sel-th earlier window (counting back), root if there is none. */
			size_t seen = 0, want = sel % 8;

			for (size_t k = i; k-- > 0;)
				if ((q->res[k].flags & PLAN_F_WINDOW) && seen++ == want) {
					r->parent = (uint32_t)(k + 1);
					break;
				}
		} else if (pmode == 2) {
			r->parent = sel % (uint32_t)(q->n + 2);	/* forward, self, out of range too */
		} else if (pmode == 3) {
			switch (sel & 3) {
			case 0:
				r->parent = (uint32_t)(i + 1);		/* itself */
				break;
			case 1:
				r->parent = (uint32_t)(i + 2);		/* the next one */
				break;
			case 2:
				r->parent = i ? (uint32_t)i : 0;	/* the one before, window or not */
				break;
			default:
				r->parent = (uint32_t)sel << 24 | sel;	/* far out */
				break;
			}
		}

		r->size = size_val(f);
		sel = fz_u8(f);
		r->align = sel == 0 ? 0 : sel == 1 ? r->size : size_val(f);
		if (role == 3 && !(sel & 0x80)) {
			r->kind = PLAN_MEM32;
			r->size = MiB(64);
			r->align = MiB(256);
		}
		if (r->pinned)
			r->pin_addr = pin_val(f, r->size, r->align);
		r->owner = fz_u16(f);
		if (role == 3)
			r->owner = PLAN_OWNER_ECAM;
		else if (r->owner >= 0xF000)
			r->owner |= PLAN_OWNER_PLATFORM;
	}
}

/* Fill every output field with junk: the planner must write what it reports. */
static void junk_outputs(struct plan_res *res, size_t n, uint8_t pattern)
{
	for (size_t i = 0; i < n; i++) {
		struct plan_res *r = &res[i];

		memset(&r->addr, pattern, sizeof(r->addr));
		memset(&r->span, pattern, sizeof(r->span));
		r->status = pattern;
		r->reason = pattern;
		r->conflict = pattern;
		memset(&r->conflict_index, pattern, sizeof(r->conflict_index));
		memset(&r->conflict_base, pattern, sizeof(r->conflict_base));
		memset(&r->conflict_size, pattern, sizeof(r->conflict_size));
		memset(&r->overlap, pattern, sizeof(r->overlap));
	}
}

static int solve(const struct req *q, struct plan_res *res, uint8_t pattern,
		 struct plan_output *out)
{
	size_t bytes = plan_scratch_bytes(&q->in, q->n), mis = (q->ctl >> 5) & 7;
	uint8_t *buf = malloc(bytes + mis + 1);
	int rc;

	FUZZ_CHECK(buf, "out of memory for %zu bytes of scratch", bytes);
	/* Junk in the scratch too, other junk for the second solve: the plan must not depend on it. */
	memset(buf, pattern, bytes + mis + 1);
	memcpy(res, q->res, q->n * sizeof(*res));
	junk_outputs(res, q->n, pattern);
	memset(out, pattern, sizeof(*out));
	if (q->ctl & 8) {
		/* One byte short, ending at the end of the allocation: must be refused whole. */
		rc = plan_solve(&q->in, res, q->n, buf + mis + 2, bytes - 1, out);
		FUZZ_CHECK(rc < 0, "plan_solve took %zu bytes of scratch when it asks for %zu (rc %d)",
			   bytes - 1, bytes, rc);
	}
	/* Exactly what it asked for, ending at the end of the allocation. */
	rc = plan_solve(&q->in, res, q->n, buf + mis + 1, bytes, out);
	free(buf);
	return rc;
}

static void check_plan(const struct req *q, const struct plan_res *res, int rc,
		       const struct plan_output *out)
{
	struct plan_violation v;
	uint32_t placed = 0, refused = 0, pinned = 0;

	for (size_t i = 0; i < q->n; i++) {
		const struct plan_res *r = &res[i];

		FUZZ_CHECK(r->status == PLAN_ST_PLACED || r->status == PLAN_ST_REFUSED,
			   "res[%zu] (owner 0x%x) ends with status %u", i, r->owner, r->status);
		if (r->status == PLAN_ST_PLACED) {
			placed++;
			pinned += r->pinned;
		} else {
			refused++;
		}
	}
	FUZZ_CHECK(placed + refused == q->n, "placed %u + refused %u != %zu resources", placed,
		   refused, q->n);
	FUZZ_CHECK(out->placed == placed && out->refused == refused && out->pinned == pinned,
		   "plan_output says placed %u refused %u pinned %u, the resources say %u %u %u",
		   out->placed, out->refused, out->pinned, placed, refused, pinned);
	FUZZ_CHECK((uint32_t)rc == refused, "plan_solve returned %d with %u refused", rc, refused);

	if (plan_verify(&q->in, res, q->n, out, &v)) {
		const struct plan_res *a = v.a < q->n ? &res[v.a] : NULL;
		const struct plan_res *b = v.b < q->n ? &res[v.b] : NULL;

		fprintf(stderr, "plan_verify: violation %u, a=%zu b=%zu; hole 0x%llx+0x%llx, "
			"high 0x%llx-0x%llx\n", v.kind, v.a, v.b,
			(unsigned long long)out->hole_start, (unsigned long long)out->hole_size,
			(unsigned long long)out->high_base, (unsigned long long)out->high_end);
		if (a)
			fprintf(stderr, "  a: kind %u flags 0x%x parent %u size 0x%llx align 0x%llx "
				"pinned %d pin 0x%llx -> addr 0x%llx span 0x%llx status %u\n",
				a->kind, a->flags, a->parent, (unsigned long long)a->size,
				(unsigned long long)a->align, a->pinned,
				(unsigned long long)a->pin_addr, (unsigned long long)a->addr,
				(unsigned long long)a->span, a->status);
		if (b)
			fprintf(stderr, "  b: kind %u flags 0x%x parent %u size 0x%llx align 0x%llx "
				"pinned %d pin 0x%llx -> addr 0x%llx span 0x%llx status %u\n",
				b->kind, b->flags, b->parent, (unsigned long long)b->size,
				(unsigned long long)b->align, b->pinned,
				(unsigned long long)b->pin_addr, (unsigned long long)b->addr,
				(unsigned long long)b->span, b->status);
		FUZZ_CHECK(0, "plan_verify rejected a plan plan_solve returned (%d)", rc);
	}
}

/* Same request, other junk in the outputs: the same plan. */
static void check_repeat(const struct req *q, const struct plan_res *r1, int rc1,
			 const struct plan_output *o1)
{
	struct plan_res r2[FUZZ_PLAN_MAX];
	struct plan_output o2;
	int rc2 = solve(q, r2, 0x5A, &o2);

	FUZZ_CHECK(rc2 == rc1, "second plan_solve returned %d, first %d", rc2, rc1);
	for (size_t i = 0; i < q->n; i++) {
		const struct plan_res *a = &r1[i], *b = &r2[i];

		/* span is left out: the planner before tree planning never wrote it. */
		FUZZ_CHECK(a->status == b->status && a->addr == b->addr && a->reason == b->reason &&
			   a->conflict == b->conflict && a->conflict_index == b->conflict_index &&
			   a->conflict_base == b->conflict_base &&
			   a->conflict_size == b->conflict_size && a->overlap == b->overlap,
			   "res[%zu] differs between two solves of one request: status %u/%u "
			   "addr 0x%llx/0x%llx reason %u/%u", i, a->status, b->status,
			   (unsigned long long)a->addr, (unsigned long long)b->addr, a->reason,
			   b->reason);
	}
	FUZZ_CHECK(o1->hole_start == o2.hole_start && o1->hole_size == o2.hole_size &&
		   o1->high_base == o2.high_base && o1->high_end == o2.high_end &&
		   o1->io_lo == o2.io_lo && o1->io_hi == o2.io_hi &&
		   o1->ram_relocate == o2.ram_relocate && o1->need_hole_start == o2.need_hole_start &&
		   o1->mmio_hole_mib == o2.mmio_hole_mib && o1->need_more_hole == o2.need_more_hole,
		   "plan_output differs between two solves of one request");
}

/* The formatter stays within the buffer and within the length it reports. */
static void check_format(const struct req *q, const struct plan_res *res,
			 const struct plan_output *out)
{
	enum { BIG = 1 << 16 };
	static char *big;
	char *buf;
	size_t need, got, small;

	if (!big)
		big = malloc(BIG);
	FUZZ_CHECK(big, "out of memory");
	need = plan_format_all(big, BIG, &q->in, res, q->n, out);
	FUZZ_CHECK(need < BIG, "plan_format_all needs %zu bytes for %zu resources", need, q->n);
	FUZZ_CHECK(strlen(big) == need, "plan_format_all wrote %zu of the %zu bytes it reports",
		   strlen(big), need);
	/* Truncated, in a buffer of just that size: NUL-terminated inside, never past it. */
	small = need / 2 + 1;
	buf = malloc(small);
	FUZZ_CHECK(buf, "out of memory");
	got = plan_format_all(buf, small, &q->in, res, q->n, out);
	FUZZ_CHECK(got == need && memchr(buf, 0, small),
		   "truncated plan_format_all: %zu (want %zu), NUL inside: %d", got, need,
		   memchr(buf, 0, small) != NULL);
	free(buf);
}

static void dump(const struct req *q, const struct plan_res *res, int rc,
		 const struct plan_output *out)
{
	const struct plan_input *in = &q->in;
	char *buf, name[1];
	size_t need;

	printf("request: ctl 0x%x relocate %d m64 %u hole_min 0x%llx max_hole 0x%llx granule 0x%llx "
	       "min_align 0x%llx high_align 0x%llx high_max 0x%llx io 0x%x-0x%x phys %u\n", q->ctl,
	       in->may_relocate_ram, in->m64_policy, (unsigned long long)in->hole_min,
	       (unsigned long long)in->max_hole, (unsigned long long)in->hole_granule,
	       (unsigned long long)in->mem_min_align, (unsigned long long)in->high_align,
	       (unsigned long long)in->high_max, in->io_base, in->io_limit, in->phys_bits);
	for (size_t i = 0; i < in->nram; i++)
		printf("  ram[%zu] 0x%llx+0x%llx\n", i, (unsigned long long)in->ram[i].base,
		       (unsigned long long)in->ram[i].size);
	for (size_t i = 0; i < in->nmem_reserved; i++)
		printf("  mem_reserved[%zu] 0x%llx+0x%llx\n", i,
		       (unsigned long long)in->mem_reserved[i].base,
		       (unsigned long long)in->mem_reserved[i].size);
	for (size_t i = 0; i < in->nio_reserved; i++)
		printf("  io_reserved[%zu] 0x%llx+0x%llx\n", i,
		       (unsigned long long)in->io_reserved[i].base,
		       (unsigned long long)in->io_reserved[i].size);
	for (size_t i = 0; i < q->n; i++) {
		const struct plan_res *r = &res[i];

		printf("  res[%zu] owner 0x%x kind %u flags 0x%x parent %u size 0x%llx align 0x%llx%s",
		       i, r->owner, r->kind, r->flags, r->parent, (unsigned long long)r->size,
		       (unsigned long long)r->align, r->pinned ? " pinned at " : "");
		if (r->pinned)
			printf("0x%llx", (unsigned long long)r->pin_addr);
		if (rc >= 0)
			printf(" -> status %u addr 0x%llx span 0x%llx reason %u", r->status,
			       (unsigned long long)r->addr, (unsigned long long)r->span, r->reason);
		printf("\n");
	}
	printf("plan_solve: %d\n", rc);
	if (rc < 0)
		return;
	need = plan_format_all(name, 0, in, res, q->n, out);
	buf = malloc(need + 1);
	if (buf) {
		plan_format_all(buf, need + 1, in, res, q->n, out);
		fputs(buf, stdout);
		free(buf);
	}
	fflush(stdout);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct req q;
	static int dump_on = -1;
	struct fz f = { data, size, 0 };
	struct plan_res *res;
	struct plan_output out;
	int rc;

	decode(&f, &q);
	/* Exactly n entries on the heap: an access past the array is an ASan finding. */
	res = malloc(q.n ? q.n * sizeof(*res) : 1);
	FUZZ_CHECK(res, "out of memory");
	rc = solve(&q, res, 0xA5, &out);
	if (dump_on < 0)
		dump_on = getenv("FUZZ_DUMP") != NULL;
	if (dump_on)
		dump(&q, res, rc, &out);
	if (rc >= 0) {
		check_plan(&q, res, rc, &out);
		/* The repeat check on one input in four: it doubles a run's cost. */
		if ((fz_hash(data, size) & 3) == 0)
			check_repeat(&q, res, rc, &out);
		check_format(&q, res, &out);
	} else {
		FUZZ_CHECK(rc == PLAN_ERR_INVAL || rc == PLAN_ERR_SCRATCH,
			   "plan_solve returned %d", rc);
	}
	free(res);
	return 0;
}
