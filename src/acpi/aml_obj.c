/* SPDX-License-Identifier: MIT */
/* AML writer: named objects, EISA IDs, raw buffers, Return. */
#include <hvmfw/aml.h>
#include <hvmfw/string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Compressed EISA ID: three letters of 5 bits each (big-endian 16 bits),
 * then four hex digits; stored as a little-endian DWORD. Returns 0 when
 * the string is not of the form "AAA####".
 */
uint32_t aml_eisaid_value(const char *id)
{
	uint32_t v = 0;

	if (strlen(id) != 7)
		return 0;
	for (int i = 0; i < 3; i++) {
		if (id[i] < 'A' || id[i] > 'Z')
			return 0;
		v = (v << 5) | (uint32_t)(id[i] - 0x40);
	}
	for (int i = 3; i < 7; i++) {
		int h = hexval(id[i]);
		if (h < 0)
			return 0;
		v = (v << 4) | (uint32_t)h;
	}
	/* v holds the big-endian form; the integer is its byte-swap */
	return (v >> 24) | ((v >> 8) & 0xFF00) | ((v << 8) & 0xFF0000) | (v << 24);
}

void aml_eisaid(struct aml *a, const char *id)
{
	uint32_t v = aml_eisaid_value(id);

	if (v == 0)
		a->error = true;
	aml_int(a, v);
}

void aml_buffer(struct aml *a, const void *data, uint32_t n)
{
	aml_buffer_open(a);
	aml_bytes(a, data, n);
	aml_close(a);
}

void aml_name(struct aml *a, const char *name)
{
	aml_byte(a, 0x08);
	aml_namestring(a, name);
}

void aml_name_int(struct aml *a, const char *name, uint64_t v)
{
	aml_name(a, name);
	aml_int(a, v);
}

void aml_name_string(struct aml *a, const char *name, const char *s)
{
	aml_name(a, name);
	aml_string(a, s);
}

void aml_name_eisaid(struct aml *a, const char *name, const char *id)
{
	aml_name(a, name);
	aml_eisaid(a, id);
}

void aml_return(struct aml *a)
{
	aml_byte(a, 0xA4);
}
