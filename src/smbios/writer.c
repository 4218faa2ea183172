/* SPDX-License-Identifier: MIT */
/* SMBIOS structure writer: formatted area, string set, handles. */
#include "smbios_priv.h"
#include <hvmfw/string.h>

void smb_init(struct smb_writer *w, uint8_t *buf, uint32_t cap)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->cap = cap;
}

static bool fits(struct smb_writer *w, uint32_t off, uint32_t n)
{
	if (w->overflow || off > w->cap || n > w->cap - off) {
		w->overflow = true;
		return false;
	}
	return true;
}

static bool taken(const struct smb_writer *w, uint16_t h)
{
	for (uint32_t i = 0; i < w->ntaken; i++)
		if (w->taken[i] == h)
			return true;
	return false;
}

/* The next free handle; once past 0xFFFF every call gives 0xFFFF and the builder refuses. */
uint16_t smb_handle(struct smb_writer *w)
{
	while (w->next_handle <= 0xFFFF && taken(w, (uint16_t)w->next_handle))
		w->next_handle++;
	if (w->next_handle > 0xFFFF)
		return 0xFFFF;
	return (uint16_t)w->next_handle++;
}

uint16_t smb_begin(struct smb_writer *w, uint8_t type, uint8_t len)
{
	uint16_t handle = smb_handle(w);

	w->start = w->off;
	w->handle = handle;
	w->nstr = 0;
	if (fits(w, w->off, len)) {
		memset(w->buf + w->off, 0, len);
		w->buf[w->off] = type;
		w->buf[w->off + 1] = len;
		w->buf[w->off + 2] = (uint8_t)handle;
		w->buf[w->off + 3] = (uint8_t)(handle >> 8);
	}
	w->off += len;
	return handle;
}

uint8_t smb_str(struct smb_writer *w, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	/* A string set holds at most 255 strings; the string number is a byte. */
	if (!n || w->nstr == 255)
		return 0;
	if (fits(w, w->off, (uint32_t)n + 1))
		memcpy(w->buf + w->off, s, n + 1);
	w->off += (uint32_t)n + 1;
	return ++w->nstr;
}

void smb_end(struct smb_writer *w)
{
	/* Each string carries its own NUL; one more ends the set, two if it is empty. */
	uint32_t tail = w->nstr ? 1 : 2;
	uint32_t size;

	if (fits(w, w->off, tail))
		memset(w->buf + w->off, 0, tail);
	w->off += tail;
	size = w->off - w->start;
	if (size > w->max_struct)
		w->max_struct = (uint16_t)MIN(size, 0xFFFFu);
	w->count++;
}

void smb_copy(struct smb_writer *w, const struct smbios_pt *s, uint16_t handle)
{
	w->start = w->off;
	w->handle = handle;
	w->nstr = 0;
	if (fits(w, w->off, s->size)) {
		memcpy(w->buf + w->off, s->p, s->size);
		w->buf[w->off + 2] = (uint8_t)handle;
		w->buf[w->off + 3] = (uint8_t)(handle >> 8);
	}
	w->off += s->size;
	if (s->size > w->max_struct)
		w->max_struct = (uint16_t)MIN(s->size, 0xFFFFu);
	w->count++;
}

void smb_patch16(struct smb_writer *w, uint32_t off, uint16_t v)
{
	if (fits(w, off, 2)) {
		w->buf[off] = (uint8_t)v;
		w->buf[off + 1] = (uint8_t)(v >> 8);
	}
}

void smb_put8(struct smb_writer *w, uint32_t off, uint8_t v)
{
	if (fits(w, w->start + off, 1))
		w->buf[w->start + off] = v;
}

void smb_put16(struct smb_writer *w, uint32_t off, uint16_t v)
{
	smb_put8(w, off, (uint8_t)v);
	smb_put8(w, off + 1, (uint8_t)(v >> 8));
}

void smb_put32(struct smb_writer *w, uint32_t off, uint32_t v)
{
	smb_put16(w, off, (uint16_t)v);
	smb_put16(w, off + 2, (uint16_t)(v >> 16));
}

void smb_put64(struct smb_writer *w, uint32_t off, uint64_t v)
{
	smb_put32(w, off, (uint32_t)v);
	smb_put32(w, off + 4, (uint32_t)(v >> 32));
}
