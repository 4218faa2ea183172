/* SPDX-License-Identifier: MIT */
/* Reads a table only by DSP0134's framing rules, not by the builder's code. */
#include "smbios_walk.h"
#include <string.h>

uint16_t smb_rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
uint32_t smb_rd32(const uint8_t *p) { return smb_rd16(p) | (uint32_t)smb_rd16(p + 2) << 16; }
uint64_t smb_rd64(const uint8_t *p) { return smb_rd32(p) | (uint64_t)smb_rd32(p + 4) << 32; }

uint8_t smb_sum(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

int smb_walk(const uint8_t *t, uint32_t len, struct smb_struct *out, int max)
{
	uint32_t off = 0;
	int n = 0;

	while (off < len) {
		struct smb_struct s = { .p = t + off };
		uint32_t q;

		if (n == max || len - off < 4 || t[off + 1] < 4 || t[off + 1] > len - off)
			return -1;
		s.len = t[off + 1];
		q = off + s.len;
		/* Strings until an empty one; an empty set is just two NULs. */
		if (q + 1 < len && t[q] == 0 && t[q + 1] == 0) {
			q += 2;
		} else {
			for (;;) {
				const uint8_t *z = memchr(t + q, 0, len - q);

				if (!z)
					return -1;
				s.nstr++;
				q = (uint32_t)(z - t) + 1;
				if (q >= len)
					return -1;
				if (t[q] == 0) {
					q++;
					break;
				}
			}
		}
		s.size = q - off;
		out[n++] = s;
		off = q;
		if (s.p[0] == 127)
			break;
	}
	return off == len ? n : -1;
}

const char *smb_string(const struct smb_struct *s, uint8_t n)
{
	const char *p = (const char *)s->p + s->len;

	if (n == 0 || n > s->nstr)
		return NULL;
	while (--n)
		p += strlen(p) + 1;
	return p;
}
