/* SPDX-License-Identifier: MIT */
/* An independent reader for SMBIOS structure tables, for the tests. */
#ifndef SMBIOS_WALK_H
#define SMBIOS_WALK_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

struct smb_struct {
	const uint8_t *p;       /* type byte */
	uint32_t len;           /* formatted area */
	uint32_t size;          /* with the string set */
	uint32_t nstr;
};

/* Split the table into structures; returns how many, -1 if it is malformed. */
int smb_walk(const uint8_t *t, uint32_t len, struct smb_struct *out, int max);
/* String n (1-based) of s, NULL if it has no such string. */
const char *smb_string(const struct smb_struct *s, uint8_t n);
uint16_t smb_rd16(const uint8_t *p);
uint32_t smb_rd32(const uint8_t *p);
uint64_t smb_rd64(const uint8_t *p);
uint8_t smb_sum(const uint8_t *p, uint32_t n);

#endif
