/* SPDX-License-Identifier: MIT */
/* AML writer core: output buffer, names, integers, PkgLength containers. */
#include <hvmfw/aml.h>
#include <hvmfw/string.h>

enum { K_PLAIN, K_BUFFER };

/* Largest header: 4-byte PkgLength plus, for buffers, a DWordConst size. */
#define PKGLEN_MAX 4
#define BUFSIZE_MAX 5

void aml_init(struct aml *a, uint8_t *buf, uint32_t cap)
{
	a->buf = buf;
	a->cap = cap;
	a->len = 0;
	a->error = false;
	a->depth = 0;
}

static bool room(struct aml *a, uint32_t n)
{
	if (a->error || n > a->cap - a->len) {
		a->error = true;
		return false;
	}
	return true;
}

void aml_byte(struct aml *a, uint8_t b)
{
	if (room(a, 1))
		a->buf[a->len++] = b;
}

void aml_bytes(struct aml *a, const void *p, uint32_t n)
{
	if (room(a, n)) {
		memcpy(a->buf + a->len, p, n);
		a->len += n;
	}
}

void aml_le(struct aml *a, uint64_t v, unsigned int nbytes)
{
	for (unsigned int i = 0; i < nbytes; i++)
		aml_byte(a, (uint8_t)(v >> (8 * i)));
}

static bool seg_char_ok(char c, bool first)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
}

/* Write one NameSeg of 1..4 chars from s (up to '.' or NUL); returns chars used. */
static unsigned int nameseg(struct aml *a, const char *s)
{
	unsigned int n = 0;
	uint8_t seg[4] = { '_', '_', '_', '_' };

	while (s[n] && s[n] != '.') {
		if (n == 4 || !seg_char_ok(s[n], n == 0)) {
			a->error = true;
			return n;
		}
		seg[n] = (uint8_t)s[n];
		n++;
	}
	if (n == 0)
		a->error = true;
	aml_bytes(a, seg, 4);
	return n;
}

void aml_namestring(struct aml *a, const char *path)
{
	const char *start = path;
	unsigned int nsegs = 1;

	if (*path == '\\')
		aml_byte(a, *path++);
	else
		while (*path == '^')
			aml_byte(a, *path++);
	if (*path == '\0') {
		if (path == start)
			a->error = true;        /* an empty name is never meant */
		aml_byte(a, 0x00);              /* NullName, e.g. the root "\" */
		return;
	}
	for (const char *p = path; *p; p++)
		nsegs += (*p == '.');
	if (nsegs == 2)
		aml_byte(a, 0x2E);              /* DualNamePrefix */
	else if (nsegs > 2) {
		aml_byte(a, 0x2F);              /* MultiNamePrefix */
		aml_byte(a, (uint8_t)nsegs);
	}
	while (!a->error) {
		path += nameseg(a, path);
		if (*path != '.')
			break;
		path++;
	}
}

void aml_int(struct aml *a, uint64_t v)
{
	if (v == 0)
		aml_byte(a, 0x00);
	else if (v == 1)
		aml_byte(a, 0x01);
	else if (v == UINT64_MAX)
		aml_byte(a, 0xFF);              /* Ones; tables are revision 2 (64-bit) */
	else if (v <= 0xFF) {
		aml_byte(a, 0x0A);
		aml_le(a, v, 1);
	} else if (v <= 0xFFFF) {
		aml_byte(a, 0x0B);
		aml_le(a, v, 2);
	} else if (v <= 0xFFFFFFFF) {
		aml_byte(a, 0x0C);
		aml_le(a, v, 4);
	} else {
		aml_byte(a, 0x0E);
		aml_le(a, v, 8);
	}
}

void aml_string(struct aml *a, const char *s)
{
	for (const char *p = s; *p; p++)
		if ((uint8_t)*p > 0x7F)
			a->error = true;
	aml_byte(a, 0x0D);
	aml_bytes(a, s, (uint32_t)strlen(s) + 1);
}

static void open_obj(struct aml *a, uint8_t kind)
{
	/*
	 * Reserve the smallest header; aml_close() moves the body if the final
	 * one is longer, so the buffer never needs more than the final size.
	 */
	uint8_t reserve = kind == K_BUFFER ? 2 : 1;

	if (a->depth == AML_MAX_DEPTH)
		a->error = true;
	if (!room(a, reserve))
		return;
	a->open[a->depth++] = (struct aml_open_obj){ a->len, kind, reserve };
	memset(a->buf + a->len, 0, reserve);
	a->len += reserve;
}

/* Encode the PkgLength for a body of 'body' bytes; returns its size or 0. */
static unsigned int pkglen(uint8_t out[4], uint32_t body)
{
	uint32_t v;

	if (body + 1 <= 0x3F) {
		out[0] = (uint8_t)(body + 1);
		return 1;
	}
	for (unsigned int n = 2; n <= 4; n++) {
		v = body + n;
		if (v < (1u << (4 + 8 * (n - 1)))) {
			out[0] = (uint8_t)(((n - 1) << 6) | (v & 0x0F));
			for (unsigned int i = 1; i < n; i++)
				out[i] = (uint8_t)(v >> (4 + 8 * (i - 1)));
			return n;
		}
	}
	return 0;
}

void aml_close(struct aml *a)
{
	struct aml_open_obj *o;
	struct aml sz;
	uint8_t hdr[PKGLEN_MAX + BUFSIZE_MAX], szbuf[BUFSIZE_MAX];
	unsigned int hlen, plen;
	uint32_t content, body;

	if (a->depth == 0) {
		a->error = true;
		return;
	}
	o = &a->open[--a->depth];
	if (a->error)
		return;
	content = a->len - o->start - o->reserved;
	/* The buffer size is a TermArg inside the PkgLength body: encode it first. */
	aml_init(&sz, szbuf, sizeof(szbuf));
	if (o->kind == K_BUFFER)
		aml_int(&sz, content);
	body = sz.len + content;
	plen = pkglen(hdr, body);
	if (plen == 0) {
		a->error = true;
		return;
	}
	memcpy(hdr + plen, szbuf, sz.len);
	hlen = plen + sz.len;
	if (hlen > o->reserved && !room(a, hlen - o->reserved))
		return;
	memmove(a->buf + o->start + hlen, a->buf + o->start + o->reserved, content);
	memcpy(a->buf + o->start, hdr, hlen);
	a->len = a->len - o->reserved + hlen;
}

void aml_pkg_open(struct aml *a, uint8_t opcode)
{
	aml_byte(a, opcode);
	open_obj(a, K_PLAIN);
}

void aml_scope_open(struct aml *a, const char *path)
{
	aml_byte(a, 0x10);
	open_obj(a, K_PLAIN);
	aml_namestring(a, path);
}

void aml_device_open(struct aml *a, const char *name)
{
	aml_byte(a, 0x5B);
	aml_byte(a, 0x82);
	open_obj(a, K_PLAIN);
	aml_namestring(a, name);
}

void aml_method_open(struct aml *a, const char *name, unsigned int nargs, bool serialized)
{
	if (nargs > 7)
		a->error = true;
	aml_byte(a, 0x14);
	open_obj(a, K_PLAIN);
	aml_namestring(a, name);
	aml_byte(a, (uint8_t)((nargs & 7) | (serialized ? 0x08 : 0)));
}

void aml_package_open(struct aml *a, uint8_t nelems)
{
	aml_byte(a, 0x12);
	open_obj(a, K_PLAIN);
	aml_byte(a, nelems);
}

void aml_buffer_open(struct aml *a)
{
	aml_byte(a, 0x11);
	open_obj(a, K_BUFFER);
}
