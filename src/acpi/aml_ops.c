/* SPDX-License-Identifier: MIT */
/* AML writer: If/Else, operation regions and their fields. */
#include <hvmfw/aml.h>
#include <hvmfw/string.h>

void aml_if_open(struct aml *a)
{
	aml_pkg_open(a, 0xA0);
}

void aml_else_open(struct aml *a)
{
	aml_pkg_open(a, 0xA1);
}

void aml_region(struct aml *a, const char *name, enum aml_region_space space, uint64_t base,
		uint64_t len)
{
	aml_byte(a, 0x5B);
	aml_byte(a, 0x80);
	aml_namestring(a, name);
	aml_byte(a, (uint8_t)space);
	aml_int(a, base);
	aml_int(a, len);
}

void aml_field_open(struct aml *a, const char *region, enum aml_field_access acc)
{
	aml_byte(a, 0x5B);
	aml_pkg_open(a, 0x81);
	aml_namestring(a, region);
	aml_byte(a, (uint8_t)acc);      /* NoLock, Preserve: the high bits stay 0 */
}

/*
 * A field element's length is a PkgLength that counts bits, not itself:
 * up to 63 in one byte, else the low nibble in the lead byte and the rest
 * in up to three more bytes.
 */
static void bit_length(struct aml *a, uint32_t bits)
{
	unsigned int extra;

	if (bits >= (1u << 28)) {
		a->error = true;
		return;
	}
	if (bits < 0x40) {
		aml_byte(a, (uint8_t)bits);
		return;
	}
	extra = bits < (1u << 12) ? 1 : bits < (1u << 20) ? 2 : 3;
	aml_byte(a, (uint8_t)((extra << 6) | (bits & 0x0F)));
	for (unsigned int i = 0; i < extra; i++)
		aml_byte(a, (uint8_t)(bits >> (4 + 8 * i)));
}

void aml_field_unit(struct aml *a, const char *name, uint32_t bits)
{
	if (strlen(name) != 4 || bits == 0)
		a->error = true;
	aml_bytes(a, name, 4);
	bit_length(a, bits);
}

void aml_field_skip(struct aml *a, uint32_t bits)
{
	if (bits == 0)
		return;
	aml_byte(a, 0x00);      /* ReservedField */
	bit_length(a, bits);
}
