/* SPDX-License-Identifier: MIT */
/* Shared by the SMBIOS structure builders only. */
#ifndef HVMFW_SMBIOS_PRIV_H
#define HVMFW_SMBIOS_PRIV_H

#include <hvmfw/smbios.h>

/* Handles for "no such structure" and "not provided" (DSP0134). */
#define SMB_NO_HANDLE 0xFFFF
#define SMB_NOT_PROVIDED 0xFFFE
/* Types from here up are vendor (OEM) defined. */
#define SMB_PT_VENDOR 128

/*
 * Appends structures to a buffer. Writes past cap are dropped and remembered,
 * so a builder can run to the end and the caller checks once.
 */
struct smb_writer {
	uint8_t *buf;
	uint32_t cap;
	uint32_t off;           /* next free byte */
	uint32_t start;         /* current structure */
	uint16_t handle;        /* its handle */
	uint8_t nstr;           /* strings in the current structure */
	bool overflow;
	uint32_t next_handle;   /* 32 bits: past 0xFFFF it must not wrap back to free-looking handles */
	uint16_t count;
	uint16_t max_struct;
	/* Handles taken by passed-through vendor structures: never handed out. */
	const uint16_t *taken;
	uint32_t ntaken;
};

void smb_init(struct smb_writer *w, uint8_t *buf, uint32_t cap);
/* Open a structure with a zeroed formatted area of len bytes; returns its handle. */
uint16_t smb_begin(struct smb_writer *w, uint8_t type, uint8_t len);
/* Add a string to the open structure: its number, 0 for NULL or "". */
uint8_t smb_str(struct smb_writer *w, const char *s);
/* Close the structure: its string set ends with a double NUL. */
void smb_end(struct smb_writer *w);
/* The next free handle (smb_begin takes one the same way). */
uint16_t smb_handle(struct smb_writer *w);
/* Append a whole structure (with its string set) as is, under 'handle'. */
void smb_copy(struct smb_writer *w, const struct smbios_pt *s, uint16_t handle);
/* Overwrite a 16-bit field anywhere in what was written, by offset from the table start. */
void smb_patch16(struct smb_writer *w, uint32_t off, uint16_t v);
/* Fields of the open structure, by offset from its type byte. */
void smb_put8(struct smb_writer *w, uint32_t off, uint8_t v);
void smb_put16(struct smb_writer *w, uint32_t off, uint16_t v);
void smb_put32(struct smb_writer *w, uint32_t off, uint32_t v);
void smb_put64(struct smb_writer *w, uint32_t off, uint64_t v);

void smb_bios(struct smb_writer *w, const struct smbios_config *c);
void smb_system(struct smb_writer *w, const struct smbios_config *c);
void smb_chassis(struct smb_writer *w, const struct smbios_config *c);
void smb_processors(struct smb_writer *w, const struct smbios_config *c);
/* Types 16, 17 and 19; false if the RAM ranges cannot be described. */
bool smb_memory(struct smb_writer *w, const struct smbios_config *c);
void smb_battery(struct smb_writer *w, const struct smbios_config *c);

#endif
