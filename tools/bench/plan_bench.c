/* SPDX-License-Identifier: MIT */
/*
 * plan-bench: how plan_solve scales. For n = 16, 256, 4096, 65536 resources,
 * with 1% and with half of them pinned, in two shapes:
 *  - flat:    every resource at the root (the planner sees one flat list);
 *  - windows: a few hundred bridge windows (PLAN_F_WINDOW; up to 100 bridges,
 *             two levels deep, each with a memory and a 64-bit prefetchable
 *             window, a dozen with an I/O window too) holding the BARs
 *             through plan_res.parent; pins sit in the leaf bridges, each
 *             leaf's pins in a block of their own so the windows can hold
 *             them.
 * The mix is a guest's: mostly small 32-bit BARs (4-64 KiB), some 1 MiB
 * ones and ROMs, 64-bit prefetchable BARs of 2-64 MiB, 64-bit 16 KiB BARs
 * (NVMe-like), a little I/O. Pins are laid out from 1.125 GiB (32-bit) and
 * 64 GiB (64-bit) with gaps; RAM is 1 GiB low plus 4 GiB high.
 *
 * Each cell runs plan_solve several times on fresh copies (up to --reps,
 * while the cell has used less than --budget seconds) and prints the median
 * wall time (CLOCK_MONOTONIC), the scratch plan_scratch_bytes() asks for,
 * the growth of the process's peak RSS (getrusage) over the cell, placed and
 * refused counts (with the reasons), and the growth exponent log(t2/t1)/log(n2/n1) against the
 * previous n of the same row. A benchmark, not a test: nothing is asserted.
 *
 *   plan-bench [--json] [--verbose] [--reps N] [--budget SECONDS] [--max-n N] [--seed S]
 * (--verbose names, on stderr, what a cell refused other than by its parent.)
 */
#include <hvmfw/plan.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static uint64_t rng_state;
static bool verbose;	/* --verbose: name what was refused (not a parent's refusal) */

static uint64_t rng(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static unsigned pct(void)
{
	return (unsigned)(rng() % 100);
}

/* One BAR or ROM of the mix. */
static void pick_bar(struct plan_res *r, uint32_t owner)
{
	unsigned p = pct();

	memset(r, 0, sizeof(*r));
	r->owner = owner;
	if (p < 35) {
		r->kind = PLAN_MEM32;
		r->size = KiB(4);
	} else if (p < 39) {
		r->kind = PLAN_MEM32;
		r->size = KiB(8);
	} else if (p < 54) {
		r->kind = PLAN_MEM32;
		r->size = KiB(16);
	} else if (p < 59) {
		r->kind = PLAN_MEM32;
		r->size = KiB(64);
	} else if (p < 60) {
		r->kind = PLAN_MEM32;
		r->size = MiB(1);
	} else if (p < 64) {
		r->kind = PLAN_MEM32;
		r->flags = PLAN_F_ROM;
		r->size = KiB(64) << (rng() % 3);
	} else if (p < 89) {
		r->kind = PLAN_MEM64;
		r->flags = PLAN_F_PREF;
		r->size = MiB(2) << (rng() % 6);
	} else if (p < 99) {
		r->kind = PLAN_MEM64;
		r->size = KiB(16);
	} else {
		r->kind = PLAN_IO;
		r->size = 16u << (rng() % 3);
	}
	/* As the enumerator asks: memory at least page aligned. */
	r->align = r->kind == PLAN_IO ? r->size : (r->size < KiB(4) ? KiB(4) : r->size);
}

struct layout {
	uint64_t cur32, cur64;
	unsigned pinned, want_pct;
};

#define PIN32_START	0x48000000ull
#define PIN32_END	0xFEC00000ull
#define PIN64_START	GiB(64)

static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* Pin r at the next free address of its space, leaving a gap behind it. */
static void maybe_pin(struct layout *l, struct plan_res *r)
{
	uint64_t *cur, a, end;

	if (r->kind == PLAN_IO || (r->flags & PLAN_F_WINDOW) || pct() >= l->want_pct)
		return;
	cur = r->kind == PLAN_MEM32 ? &l->cur32 : &l->cur64;
	a = align_up(*cur, r->align);
	end = a + r->size;
	if (r->kind == PLAN_MEM32 && end > PIN32_END)
		return;		/* the hole is full of pins: this one stays movable */
	r->pinned = true;
	r->pin_addr = a;
	*cur = end + (rng() % 2 ? r->size : 0);
	l->pinned++;
}

struct cell_input {
	struct plan_input in;
	struct plan_res *res;
	size_t n;
	unsigned pinned, windows;
};

static const struct plan_range ram[] = {
	{ 0, GiB(1), "RAM" },
	{ GiB(4), GiB(4), "RAM" },
};
static const struct plan_range mem_rsv[] = {
	{ 0xFEC00000ull, GiB(4) - 0xFEC00000ull, "IOAPIC..4G" },
};
static const struct plan_range io_rsv[] = {
	{ 0xAE00, 0x300, "ACPI" },
	{ 0xCF8, 8, "PCI config" },
};

static void platform(struct plan_input *in)
{
	memset(in, 0, sizeof(*in));
	in->ram = ram;
	in->nram = 2;
	in->mem_reserved = mem_rsv;
	in->nmem_reserved = 1;
	in->io_reserved = io_rsv;
	in->nio_reserved = 2;
	in->io_base = 0x1000;
	in->io_limit = 0x10000;
	in->phys_bits = 46;
	in->m64_policy = PLAN_M64_FALLBACK_LOW;
}

static uint32_t owner_of(size_t i)
{
	/* bus/dev/fn/BAR from the index, as distinct as the enumerator's. */
	return PLAN_OWNER((i / 1536) & 0xFF, (i / 48) % 32, (i / 6) % 8, i % 6);
}

static void build_flat(struct cell_input *c, size_t n, unsigned want_pct)
{
	struct layout l = { PIN32_START, PIN64_START, 0, want_pct };

	platform(&c->in);
	c->n = n;
	c->windows = 0;
	for (size_t i = 0; i < n; i++) {
		pick_bar(&c->res[i], owner_of(i));
		maybe_pin(&l, &c->res[i]);
	}
	c->pinned = l.pinned;
}

/*
 * Windows first, then the BARs. Every bridge has a memory and a 64-bit
 * prefetchable window; the first IO_BRIDGES also an I/O window (I/O space
 * holds only some fifteen 4 KiB windows). Bridges 0..top-1 sit at the root,
 * the others below bridge b % top. 10% of BARs stay at the root; the rest go
 * to a random leaf bridge's window of their space (I/O BARs to a leaf with
 * an I/O window). Pins only in leaves, laid out leaf by leaf with room after
 * each block for what the window packs around them.
 */
#define IO_BRIDGES	12

static void build_windows(struct cell_input *c, size_t n, unsigned want_pct)
{
	size_t nb = n / 200, top, nw = 0, leaf0, nleaves, io_leaves;
	struct layout l = { PIN32_START, PIN64_START, 0, want_pct };
	unsigned *bridge_of;	/* per resource: bridge index, or ~0u at the root */
	int32_t (*win)[3];	/* bridge, window (I/O, memory, prefetchable) -> index; -1 */

	if (nb < 1)
		nb = 1;
	if (nb > 100)
		nb = 100;
	while (nb > 1 && 3 * nb + 1 > n)
		nb--;
	top = nb < 8 ? nb : 8;
	leaf0 = nb > top ? top : 0;	/* with only root bridges, they are the leaves */
	nleaves = nb - leaf0;
	platform(&c->in);
	c->n = n;
	bridge_of = calloc(n, sizeof(*bridge_of));
	win = calloc(nb, sizeof(*win));
	if (!bridge_of || !win)
		abort();
	/* Leaves with an I/O window: the first IO_BRIDGES bridges have one, parents first. */
	io_leaves = nb <= IO_BRIDGES ? nleaves : (IO_BRIDGES > leaf0 ? IO_BRIDGES - leaf0 : 1);
	for (size_t b = 0; b < nb; b++) {
		for (unsigned w = 0; w < 3; w++) {
			struct plan_res *r = &c->res[nw];
			size_t pb = b < top ? b : b % top;

			win[b][w] = -1;
			if (w == 0 && b >= IO_BRIDGES && !(b >= leaf0 && b < leaf0 + io_leaves))
				continue;
			if (w == 0 && b >= top && win[pb][0] < 0)
				continue;	/* its parent forwards no I/O */
			memset(r, 0, sizeof(*r));
			r->kind = w == 0 ? PLAN_IO : w == 1 ? PLAN_MEM32 : PLAN_MEM64;
			r->flags = PLAN_F_WINDOW | (w == 2 ? PLAN_F_PREF : 0);
			r->owner = PLAN_OWNER(0x80 + b / 32, b % 32, 0, PLAN_BAR_WIN_IO + w);
			/* Nested bridges sit in the same window of their parent. */
			r->parent = b < top ? 0 : (uint32_t)(win[pb][w] + 1);
			bridge_of[nw] = (unsigned)b;
			win[b][w] = (int32_t)nw++;
		}
	}
	c->windows = (unsigned)nw;
	for (size_t i = nw; i < n; i++) {
		struct plan_res *r = &c->res[i];
		unsigned w;
		size_t b;

		pick_bar(r, owner_of(i));
		bridge_of[i] = ~0u;
		if (pct() < 10)
			continue;
		w = r->kind == PLAN_IO ? 0 : (r->kind == PLAN_MEM64 && (r->flags & PLAN_F_PREF)) ?
		    2 : 1;
		/* A 64-bit non-prefetchable BAR behind a bridge must use the 32-bit window. */
		if (w == 1 && r->kind == PLAN_MEM64)
			r->kind = PLAN_MEM32;
		b = leaf0 + (w == 0 ? rng() % io_leaves : rng() % nleaves);
		if (win[b][w] < 0)
			continue;	/* no such window there: stays at the root */
		bridge_of[i] = (unsigned)b;
		r->parent = (uint32_t)(win[b][w] + 1);
	}
	/* Pins: leaf by leaf in the order of their root bridge, then the root's own. */
	for (size_t t = 0; t < top; t++) {
		for (size_t b = leaf0; b < nb; b++) {
			uint64_t room32 = 0, room64 = 0;

			if ((leaf0 ? b % top : b) != t)
				continue;	/* not below root bridge t */
			l.cur32 = align_up(l.cur32, MiB(1));
			l.cur64 = align_up(l.cur64, MiB(1));
			for (size_t i = nw; i < n; i++) {
				struct plan_res *r = &c->res[i];

				if (bridge_of[i] != b)
					continue;
				maybe_pin(&l, r);
				if (!r->pinned && r->kind == PLAN_MEM32)
					room32 += align_up(r->size, r->align);
				else if (!r->pinned && r->kind == PLAN_MEM64)
					room64 += align_up(r->size, r->align);
			}
			/* Room for the movable ones, plus slack, before the next leaf's pins. */
			l.cur32 = align_up(l.cur32 + room32 + room32 / 4, MiB(1)) + MiB(1);
			l.cur64 = align_up(l.cur64 + room64 + room64 / 2, MiB(1)) + MiB(1);
		}
	}
	for (size_t i = nw; i < n; i++)
		if (bridge_of[i] == ~0u)
			maybe_pin(&l, &c->res[i]);
	c->pinned = l.pinned;
	free(win);
	free(bridge_of);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long peak_rss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct result {
	const char *shape;
	size_t n;
	unsigned want_pct, pinned, windows, runs;
	double median_ms, min_ms;
	size_t scratch;
	long rss_growth_kib;
	int rc;
	uint32_t placed, refused;
	uint32_t by_reason[PLAN_R__COUNT];	/* refusals of the last run, by reason */
	double exponent;	/* NAN for the first n of a row */
};

static void run_cell(struct result *out, const char *shape, size_t n, unsigned want_pct,
		     unsigned reps, double budget)
{
	long rss0 = peak_rss_kib();
	struct cell_input c;
	struct plan_res *work;
	struct plan_output po;
	double times[64], spent = 0;
	void *scratch;
	unsigned runs = 0;

	c.res = calloc(n, sizeof(*c.res));
	work = calloc(n, sizeof(*work));
	if (!c.res || !work)
		abort();
	if (!strcmp(shape, "flat"))
		build_flat(&c, n, want_pct);
	else
		build_windows(&c, n, want_pct);
	out->scratch = plan_scratch_bytes(&c.in, n);
	scratch = malloc(out->scratch);
	if (!scratch)
		abort();
	if (reps > 64)
		reps = 64;
	memset(&po, 0, sizeof(po));
	while (runs < reps && (runs == 0 || spent < budget)) {
		double t0, t1;

		memcpy(work, c.res, n * sizeof(*work));
		t0 = now();
		out->rc = plan_solve(&c.in, work, n, scratch, out->scratch, &po);
		t1 = now();
		times[runs++] = (t1 - t0) * 1e3;
		spent += t1 - t0;
	}
	qsort(times, runs, sizeof(times[0]), cmp_double);
	out->shape = shape;
	out->n = n;
	out->want_pct = want_pct;
	out->pinned = c.pinned;
	out->windows = c.windows;
	out->runs = runs;
	out->median_ms = runs % 2 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
	out->min_ms = times[0];
	out->placed = po.placed;
	out->refused = po.refused;
	if (verbose)
		for (size_t i = 0, shown = 0; out->rc >= 0 && i < n && shown < 20; i++) {
			const struct plan_res *r = &work[i];

			if (r->status != PLAN_ST_REFUSED || r->reason == PLAN_R_PARENT)
				continue;
			fprintf(stderr, "  %s n=%zu pinned %u%%: refused res[%zu]: kind %u%s size 0x%llx "
				"align 0x%llx%s parent %u: %s (conflict %u: 0x%llx+0x%llx)\n", shape, n,
				want_pct, i, r->kind, (r->flags & PLAN_F_WINDOW) ? " window" : "",
				(unsigned long long)r->size, (unsigned long long)r->align,
				r->pinned ? " pinned" : "", r->parent, plan_reason_name(r->reason),
				r->conflict, (unsigned long long)r->conflict_base,
				(unsigned long long)r->conflict_size);
			shown++;
		}
	memset(out->by_reason, 0, sizeof(out->by_reason));
	for (size_t i = 0; out->rc >= 0 && i < n; i++)
		if (work[i].status == PLAN_ST_REFUSED && work[i].reason < PLAN_R__COUNT)
			out->by_reason[work[i].reason]++;
	out->rss_growth_kib = peak_rss_kib() - rss0;
	out->exponent = NAN;
	free(scratch);
	free(work);
	free(c.res);
}

static void print_table(const struct result *r, size_t nr)
{
	printf("%-8s %6s %6s %6s %7s %5s %11s %11s %7s %7s %10s %9s %8s\n", "shape", "n", "share",
	       "pinned", "windows", "runs", "median_ms", "min_ms", "placed", "refused",
	       "scratch_B", "rss_KiB+", "exponent");
	for (size_t i = 0; i < nr; i++) {
		char share[16], expo[16];

		snprintf(share, sizeof(share), "%u%%", r[i].want_pct);
		if (isnan(r[i].exponent))
			snprintf(expo, sizeof(expo), "-");
		else
			snprintf(expo, sizeof(expo), "%.2f", r[i].exponent);
		printf("%-8s %6zu %6s %6u %7u %5u %11.3f %11.3f %7u %7u %10zu %9ld %8s", r[i].shape,
		       r[i].n, share, r[i].pinned, r[i].windows, r[i].runs, r[i].median_ms,
		       r[i].min_ms, r[i].placed, r[i].refused, r[i].scratch, r[i].rss_growth_kib,
		       expo);
		if (r[i].rc < 0)
			printf("  plan_solve failed: %d", r[i].rc);
		for (unsigned k = 0; k < PLAN_R__COUNT; k++)
			if (r[i].by_reason[k])
				printf("  %s: %u", plan_reason_name(k), r[i].by_reason[k]);
		printf("\n");
	}
	printf("share: pins asked for (pinned: how many the layout could hold); exponent: "
	       "log(t/t_prev)/log(n/n_prev) of the medians; rss_KiB+: growth of the peak RSS "
	       "during the cell\n");
}

static void print_json(const struct result *r, size_t nr)
{
	printf("[\n");
	for (size_t i = 0; i < nr; i++) {
		printf("  {\"shape\": \"%s\", \"n\": %zu, \"pinned_share\": %.2f, \"pinned\": %u, "
		       "\"windows\": %u, \"runs\": %u, \"median_ms\": %.4f, \"min_ms\": %.4f, "
		       "\"rc\": %d, \"placed\": %u, \"refused\": %u, \"scratch_bytes\": %zu, "
		       "\"peak_rss_growth_kib\": %ld, \"exponent\": ", r[i].shape, r[i].n,
		       r[i].want_pct / 100.0, r[i].pinned, r[i].windows, r[i].runs, r[i].median_ms,
		       r[i].min_ms, r[i].rc, r[i].placed, r[i].refused, r[i].scratch,
		       r[i].rss_growth_kib);
		if (isnan(r[i].exponent))
			printf("null");
		else
			printf("%.3f", r[i].exponent);
		printf(", \"refused_by_reason\": {");
		for (unsigned k = 0, first = 1; k < PLAN_R__COUNT; k++)
			if (r[i].by_reason[k]) {
				printf("%s\"%s\": %u", first ? "" : ", ", plan_reason_name(k),
				       r[i].by_reason[k]);
				first = 0;
			}
		printf("}}%s\n", i + 1 < nr ? "," : "");
	}
	printf("]\n");
}

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [--json] [--verbose] [--reps N] [--budget SECONDS] [--max-n N] "
		"[--seed S]\n",
		argv0);
	exit(2);
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 16, 256, 4096, 65536 };
	static const char *const shapes[] = { "flat", "windows" };
	static const unsigned shares[] = { 1, 50 };
	struct result res[16];
	size_t nr = 0, max_n = 65536;
	unsigned reps = 7;
	double budget = 20;
	bool json = false;
	unsigned long seed = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			reps = (unsigned)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--budget") && i + 1 < argc)
			budget = strtod(argv[++i], NULL);
		else if (!strcmp(argv[i], "--max-n") && i + 1 < argc)
			max_n = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--verbose"))
			verbose = true;
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoul(argv[++i], NULL, 0);
		else
			usage(argv[0]);
	}
	if (!reps)
		reps = 1;
	for (size_t s = 0; s < 2; s++)
		for (size_t p = 0; p < 2; p++)
			for (size_t k = 0; k < 4 && sizes[k] <= max_n; k++) {
				struct result *r = &res[nr++];

				/* The same resources for a given (shape, n, share), whatever ran before. */
				rng_state = seed * 1000003u + s * 10007u + p * 101u + k;
				run_cell(r, shapes[s], sizes[k], shares[p], reps, budget);
				if (k > 0 && r[-1].median_ms > 0 && r->median_ms > 0)
					r->exponent = log(r->median_ms / r[-1].median_ms) /
						      log((double)sizes[k] / (double)sizes[k - 1]);
				if (!json) {
					fprintf(stderr, "  %s n=%zu pinned %u%%: %.3f ms\n", shapes[s],
						sizes[k], shares[p], r->median_ms);
				}
			}
	if (json)
		print_json(res, nr);
	else
		print_table(res, nr);
	return 0;
}
