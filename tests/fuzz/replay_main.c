/* SPDX-License-Identifier: MIT */
/*
 * Stand-alone driver for a fuzz target without libFuzzer: the normal
 * (gcc) build links each tests/fuzz/fuzz_<target>.c with this file, so
 * `meson test` runs the targets' oracles on every seed and on inputs made
 * from a fixed seed, and the corpus keeps decoding.
 *
 *   fuzz-replay-<target> [-n N] [-s SEED] [-m MAXLEN] PATH...
 *
 * Every PATH is a file or a directory (each regular file in it, in name
 * order). Then N more inputs (default 2000): half random bytes up to MAXLEN
 * (default 512), half corpus files with a few random edits. A target
 * finding aborts, after the input is written to ./fuzz-replay-crash.bin
 * and named on stderr (rerun it: fuzz-replay-<target> -n 0 FILE, or with
 * the libFuzzer binary); otherwise exit status 0 and one summary line.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct blob {
	uint8_t *p;
	size_t n;
	char *name;
};

static struct blob *corpus;
static size_t ncorpus, capcorpus;

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* xorshift64*: fixed sequence for a given seed. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}

static void die(const char *what, const char *name)
{
	perror(name);
	fprintf(stderr, "replay: cannot %s %s\n", what, name);
	exit(2);
}

static void add_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct blob b = { NULL, 0, strdup(path) };
	size_t cap = 0;
	int c;

	if (!f)
		die("open", path);
	while ((c = fgetc(f)) != EOF) {
		if (b.n == cap) {
			cap = cap ? 2 * cap : 256;
			b.p = realloc(b.p, cap);
			if (!b.p)
				die("allocate for", path);
		}
		b.p[b.n++] = (uint8_t)c;
	}
	fclose(f);
	if (ncorpus == capcorpus) {
		capcorpus = capcorpus ? 2 * capcorpus : 64;
		corpus = realloc(corpus, capcorpus * sizeof(*corpus));
		if (!corpus)
			die("allocate for", path);
	}
	corpus[ncorpus++] = b;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_path(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (stat(path, &st))
		die("stat", path);
	if (!S_ISDIR(st.st_mode)) {
		add_file(path);
		return;
	}
	d = opendir(path);
	if (!d)
		die("open directory", path);
	while ((e = readdir(d))) {
		size_t len = strlen(path) + strlen(e->d_name) + 2;
		char *full = malloc(len);

		if (!full)
			die("allocate for", path);
		snprintf(full, len, "%s/%s", path, e->d_name);
		if (stat(full, &st) || !S_ISREG(st.st_mode)) {
			free(full);
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				die("allocate for", path);
		}
		names[n++] = full;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		add_file(names[i]);
		free(names[i]);
	}
	free(names);
}

/* The input being run, for the abort handler. */
static const uint8_t *cur_p;
static size_t cur_n;
static const char *cur_name;
static unsigned long cur_index;

static void say(const char *s)
{
	ssize_t r = write(2, s, strlen(s));

	(void)r;
}

/* Async-signal-safe: keep the failing input, say which it was, die with the same signal. */
static void on_abort(int sig)
{
	int fd = open("fuzz-replay-crash.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	char num[24];
	int k = (int)sizeof(num) - 1;
	unsigned long v = cur_index;

	if (fd >= 0) {
		ssize_t r = write(fd, cur_p, cur_n);

		(void)r;
		close(fd);
	}
	num[k] = '\0';
	do {
		num[--k] = (char)('0' + v % 10);
		v /= 10;
	} while (v && k > 0);
	say("replay: finding on ");
	say(cur_name ? cur_name : "generated input #");
	if (!cur_name)
		say(num + k);
	say("; input written to ./fuzz-replay-crash.bin\n");
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Run one input from its own heap copy, so reads past its end are ASan findings. */
static void run(const uint8_t *p, size_t n, const char *name, unsigned long index)
{
	uint8_t *copy = malloc(n ? n : 1);

	if (!copy)
		die("allocate", "input");
	if (n)
		memcpy(copy, p, n);
	cur_p = copy;
	cur_n = n;
	cur_name = name;
	cur_index = index;
	LLVMFuzzerTestOneInput(copy, n);
	free(copy);
}

/* A corpus file with 1-8 edits: byte set, bit flip, insert, delete, cut short. */
static size_t mutate(uint8_t *buf, size_t cap, const struct blob *b)
{
	size_t n = b->n < cap ? b->n : cap;
	unsigned edits = 1 + (unsigned)(rng() % 8);

	if (n)
		memcpy(buf, b->p, n);	/* an empty file has no buffer at all */
	for (unsigned k = 0; k < edits; k++) {
		size_t at = n ? (size_t)(rng() % n) : 0;

		switch (rng() % 5) {
		case 0:
			if (n)
				buf[at] = (uint8_t)rng();
			break;
		case 1:
			if (n)
				buf[at] ^= (uint8_t)(1u << (rng() % 8));
			break;
		case 2:
			if (n < cap) {
				memmove(buf + at + 1, buf + at, n - at);
				buf[at] = (uint8_t)rng();
				n++;
			}
			break;
		case 3:
			if (n) {
				memmove(buf + at, buf + at + 1, n - at - 1);
				n--;
			}
			break;
		default:
			n = at;
			break;
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	unsigned long count = 2000, maxlen = 512, seed = 1;
	size_t nfiles;
	uint8_t *buf;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (i + 1 >= argc)
			break;
		if (!strcmp(argv[i], "-n"))
			count = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-s"))
			seed = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-m"))
			maxlen = strtoul(argv[++i], NULL, 0);
		else
			break;
	}
	for (; i < argc; i++)
		add_path(argv[i]);
	signal(SIGABRT, on_abort);
	nfiles = ncorpus;
	for (size_t k = 0; k < nfiles; k++)
		run(corpus[k].p, corpus[k].n, corpus[k].name, k);

	rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
	for (size_t k = 0; k < nfiles; k++)
		if (corpus[k].n + 64 > maxlen)
			maxlen = corpus[k].n + 64;
	buf = malloc(maxlen);
	if (!buf)
		die("allocate", "input buffer");
	for (unsigned long k = 0; k < count; k++) {
		size_t n;

		if (nfiles && (k & 1)) {
			n = mutate(buf, maxlen, &corpus[rng() % nfiles]);
		} else {
			n = (size_t)(rng() % (maxlen + 1));
			for (size_t j = 0; j < n; j++)
				buf[j] = (uint8_t)rng();
		}
		run(buf, n, NULL, k);
	}
	printf("replay: %zu corpus files and %lu generated inputs (seed %lu), no finding\n",
	       nfiles, count, seed);
	free(buf);
	for (size_t k = 0; k < ncorpus; k++) {
		free(corpus[k].p);
		free(corpus[k].name);
	}
	free(corpus);
	return 0;
}
