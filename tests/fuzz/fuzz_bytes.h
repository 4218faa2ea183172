/* SPDX-License-Identifier: MIT */
/*
 * Reading structured values out of a fuzz input. Past the end every read
 * gives 0, so any input (the empty one too) decodes to something; the
 * decoders are written so that 0 means "the plain, common case".
 */
#ifndef FUZZ_BYTES_H
#define FUZZ_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fz {
	const uint8_t *p;
	size_t n, i;
};

static inline uint8_t fz_u8(struct fz *f)
{
	return f->i < f->n ? f->p[f->i++] : 0;
}

static inline uint16_t fz_u16(struct fz *f)
{
	uint16_t lo = fz_u8(f);

	return (uint16_t)(lo | (uint16_t)fz_u8(f) << 8);
}

static inline uint32_t fz_u32(struct fz *f)
{
	uint32_t lo = fz_u16(f);

	return lo | (uint32_t)fz_u16(f) << 16;
}

static inline uint64_t fz_u64(struct fz *f)
{
	uint64_t lo = fz_u32(f);

	return lo | (uint64_t)fz_u32(f) << 32;
}

/* FNV-1a of the whole input: a stable per-input choice independent of decoding. */
static inline uint32_t fz_hash(const uint8_t *data, size_t size)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	return h;
}

static inline size_t fz_left(const struct fz *f)
{
	return f->n - f->i;
}

/*
 * FUZZ_KNOWN in the environment: comma-separated names of known findings a
 * long run should look past while they wait for a fix. A target that has
 * such names lists them in its header comment and asks fuzz_known("name")
 * where it steers around the finding. Unset in the tests, so every finding
 * counts there.
 */
static inline bool fuzz_known(const char *name)
{
	static const char *env;
	static bool read;
	size_t n = strlen(name);

	if (!read) {
		env = getenv("FUZZ_KNOWN");
		read = true;
	}
	for (const char *p = env; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, name, n) && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* A failed invariant: one line on stderr, then abort() so libFuzzer keeps the input. */
#define FUZZ_CHECK(cond, ...)                                                   \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fflush(stdout);                                         \
			fprintf(stderr, "fuzz invariant broken (%s:%d): ", __FILE__, \
				__LINE__);                                      \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
			abort();                                                \
		}                                                               \
	} while (0)

#endif
