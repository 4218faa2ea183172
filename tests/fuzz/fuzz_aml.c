/* SPDX-License-Identifier: MIT */
/*
 * fuzz-aml: the AML writer (src/acpi/aml*.c) driven by a program the input
 * spells: names and paths of any bytes, integers, strings, buffers, nested
 * scopes/devices/methods/packages/If/Else, fields and resource templates,
 * closes in any order, into a buffer of a size the input picks.
 *
 * Checked, each by a decoder written here from the ACPI specification:
 *  - the buffer is exactly its size (ASan) and len never passes cap; an
 *    error is sticky; depth stays within AML_MAX_DEPTH;
 *  - a NameString written without error decodes (root/parent prefixes,
 *    NullName, DualName, MultiName, 4-character segments of A-Z, 0-9 and
 *    '_', not starting with a digit) to the path asked for, each segment
 *    padded with '_';
 *  - an integer decodes (Zero, One, Ones, Byte/Word/DWord/QWordPrefix) to
 *    the value asked for;
 *  - every object closed without error has a PkgLength that decodes to the
 *    bytes from the PkgLength to the object's end.
 *
 * Byte layout: cap u16 (0: 4 KiB), then operations: op u8 (% 20) with
 * operands (strings: a length u8 and that many bytes).
 */
#include "fuzz_bytes.h"
#include <hvmfw/aml.h>

struct open_rec {
	uint32_t start;         /* offset of the opcode */
	uint8_t oplen;          /* opcode bytes before the PkgLength */
};

static struct open_rec stack[64];
static unsigned depth;

static size_t take_str(struct fz *f, char *s, size_t cap)
{
	size_t n = fz_u8(f);

	n = MIN(n, MIN(fz_left(f), cap - 1));   /* MIN() evaluates twice: read first */

	memcpy(s, f->p + f->i, n);
	f->i += n;
	s[n] = '\0';
	return n;
}

static bool lead(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || c == '_';
}

static bool seg_ok(const uint8_t *p)
{
	for (int i = 0; i < 4; i++)
		if (!lead(p[i]) && !(i && p[i] >= '0' && p[i] <= '9'))
			return false;
	return true;
}

/* Decode the NameString at b[0..n) and compare it with path. */
static void check_name(const uint8_t *b, uint32_t n, const char *path)
{
	uint32_t i = 0, segs;
	const char *p = path;

	while (i < n && (b[i] == '\\' || b[i] == '^')) {
		FUZZ_CHECK(*p == (char)b[i], "prefix '%c' for path \"%s\"", b[i], path);
		i++, p++;
	}
	FUZZ_CHECK(i < n, "name \"%s\": nothing after the prefixes", path);
	if (b[i] == 0x00)
		segs = 0, i++;
	else if (b[i] == 0x2E)
		segs = 2, i++;
	else if (b[i] == 0x2F)
		segs = b[i + 1], i += 2;
	else
		segs = 1;
	FUZZ_CHECK(i + 4 * segs == n, "name \"%s\": %u segments in %u bytes", path, segs, n - i);
	for (uint32_t s = 0; s < segs; s++, i += 4) {
		char want[4];
		size_t l = strcspn(p, ".");

		FUZZ_CHECK(seg_ok(b + i), "name \"%s\": bad segment", path);
		FUZZ_CHECK(l >= 1 && l <= 4, "name \"%s\": segment %u from %zu characters", path, s, l);
		memset(want, '_', 4);
		memcpy(want, p, l);
		FUZZ_CHECK(!memcmp(want, b + i, 4), "name \"%s\": segment %u is %.4s", path, s, b + i);
		p += l;
		if (*p == '.')
			p++;
	}
	FUZZ_CHECK(!*p, "name \"%s\": \"%s\" left over", path, p);
}

static void check_int(const uint8_t *b, uint32_t n, uint64_t v)
{
	uint64_t got = 0;
	uint32_t w = 0;

	switch (b[0]) {
	case 0x00: got = 0; break;
	case 0x01: got = 1; break;
	case 0xFF: got = UINT64_MAX; break;
	case 0x0A: w = 1; break;
	case 0x0B: w = 2; break;
	case 0x0C: w = 4; break;
	case 0x0E: w = 8; break;
	default: FUZZ_CHECK(0, "integer 0x%llx written with opcode 0x%02x", (unsigned long long)v, b[0]);
	}
	FUZZ_CHECK(n == 1 + w, "integer 0x%llx in %u bytes", (unsigned long long)v, n);
	for (uint32_t i = 0; i < w; i++)
		got |= (uint64_t)b[1 + i] << (8 * i);
	FUZZ_CHECK(got == v, "integer 0x%llx reads back as 0x%llx", (unsigned long long)v,
		   (unsigned long long)got);
}

static void check_pkglen(const uint8_t *b, uint32_t end, const struct open_rec *o)
{
	const uint8_t *p = b + o->start + o->oplen;
	uint32_t follow = p[0] >> 6, len;

	if (!follow) {
		len = p[0] & 0x3F;
	} else {
		FUZZ_CHECK(!(p[0] & 0x30), "PkgLength lead byte 0x%02x uses bits 4-5", p[0]);
		len = p[0] & 0x0F;
		for (uint32_t i = 0; i < follow; i++)
			len |= (uint32_t)p[1 + i] << (4 + 8 * i);
	}
	FUZZ_CHECK(len == end - (o->start + o->oplen), "PkgLength %u, object has %u bytes", len,
		   end - (o->start + o->oplen));
}

static void push(struct aml *a, uint32_t start, uint8_t oplen, bool was_err)
{
	if (!was_err && !a->error && depth < ARRAY_SIZE(stack))
		stack[depth++] = (struct open_rec){ start, oplen };
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size, 0 };
	uint32_t cap = fz_u16(&f);
	struct aml a;
	uint8_t *buf;
	char s[300], s2[8];
	uint64_t v;

	if (!cap)
		cap = 4096;
	buf = malloc(cap);
	aml_init(&a, buf, cap);
	depth = 0;
	for (unsigned k = 0; fz_left(&f) && k < 400; k++) {
		bool err = a.error;
		uint32_t l0 = a.len;
		uint8_t op = fz_u8(&f) % 20;

		switch (op) {
		case 0: aml_byte(&a, fz_u8(&f)); break;
		case 1:
			take_str(&f, s, sizeof(s));
			aml_namestring(&a, s);
			if (!err && !a.error)
				check_name(buf + l0, a.len - l0, s);
			break;
		case 2:
			v = fz_u8(&f) & 1 ? fz_u64(&f) : fz_u8(&f);
			aml_int(&a, v);
			if (!err && !a.error)
				check_int(buf + l0, a.len - l0, v);
			break;
		case 3: take_str(&f, s, sizeof(s)); aml_string(&a, s); break;
		case 4: take_str(&f, s, 9); aml_eisaid(&a, s); break;
		case 5: {
			size_t n = take_str(&f, s, sizeof(s));
			aml_buffer(&a, s, (uint32_t)n);
			break;
		}
		case 6: take_str(&f, s2, 6); aml_name_int(&a, s2, fz_u32(&f)); break;
		case 7: take_str(&f, s, 40); aml_scope_open(&a, s); push(&a, l0, 1, err); break;
		case 8: take_str(&f, s2, 6); aml_device_open(&a, s2); push(&a, l0, 2, err); break;
		case 9:
			take_str(&f, s2, 6);
			aml_method_open(&a, s2, fz_u8(&f) % 9, fz_u8(&f) & 1);
			push(&a, l0, 1, err);
			break;
		case 10: aml_package_open(&a, fz_u8(&f)); push(&a, l0, 1, err); break;
		case 11: aml_buffer_open(&a); push(&a, l0, 1, err); break;
		case 12:
		case 13:
			aml_close(&a);
			if (!err && !a.error) {
				FUZZ_CHECK(depth, "a close with nothing open was taken");
				check_pkglen(buf, a.len, &stack[--depth]);
			}
			break;
		case 14: aml_if_open(&a); push(&a, l0, 1, err); break;
		case 15: aml_else_open(&a); push(&a, l0, 1, err); break;
		case 16: aml_return(&a); break;
		case 17:
			take_str(&f, s2, 6);
			aml_region(&a, s2, fz_u8(&f) & 1, fz_u32(&f), fz_u32(&f));
			break;
		case 18:
			take_str(&f, s2, 6);
			aml_field_open(&a, s2, fz_u8(&f) & 1 ? AML_DWORD_ACC : AML_BYTE_ACC);
			push(&a, l0, 2, err);
			for (unsigned u = fz_u8(&f) % 4; u; u--) {
				take_str(&f, s2, 6);
				aml_field_unit(&a, s2, fz_u16(&f));
			}
			break;
		default: {
			uint32_t g[3] = { fz_u8(&f), fz_u8(&f), fz_u8(&f) };
			aml_restemplate_open(&a);
			push(&a, l0, 1, err);
			switch (fz_u8(&f) % 6) {
			case 0: aml_res_word_bus(&a, fz_u16(&f), fz_u16(&f)); break;
			case 1: aml_res_dword_mem(&a, fz_u8(&f) & 3, true, fz_u32(&f), fz_u32(&f)); break;
			case 2: aml_res_qword_mem(&a, fz_u8(&f) & 3, true, fz_u64(&f), fz_u64(&f)); break;
			case 3: aml_res_io(&a, fz_u16(&f), fz_u16(&f), fz_u8(&f), fz_u8(&f)); break;
			case 4: aml_res_interrupt(&a, fz_u8(&f) & 0xE, g, fz_u8(&f) % 4); break;
			default: aml_res_mem32_fixed(&a, true, fz_u32(&f), fz_u32(&f)); break;
			}
			aml_restemplate_close(&a);
			if (!err && !a.error) {
				FUZZ_CHECK(depth, "restemplate close without an open");
				check_pkglen(buf, a.len, &stack[--depth]);
			}
			break;
		}
		}
		FUZZ_CHECK(a.len <= cap, "len %u past cap %u", a.len, cap);
		FUZZ_CHECK(!err || a.error, "an error was forgotten");
		FUZZ_CHECK(a.depth <= AML_MAX_DEPTH, "depth %u", a.depth);
		if (a.error)
			break;  /* nothing more to check once the writer gave up */
		FUZZ_CHECK(a.depth == depth, "writer depth %u, expected %u", a.depth, depth);
	}
	free(buf);
	return 0;
}
