/* SPDX-License-Identifier: MIT */
/*
 * Tables a platform hands over whole (Xen's ACPI pass-through): walk the
 * blob, say which tables can be added to ours and why the others cannot.
 * Nothing is trusted: every length is checked against the blob before use.
 */
#include <hvmfw/acpi_tables.h>
#include <hvmfw/string.h>

/* Tables acpi_build() writes itself: a second copy would contradict ours. */
static const char builtin[][4] = {
	{ 'F', 'A', 'C', 'P' }, { 'F', 'A', 'C', 'S' }, { 'D', 'S', 'D', 'T' },
	{ 'A', 'P', 'I', 'C' }, { 'H', 'P', 'E', 'T' }, { 'W', 'A', 'E', 'T' },
	{ 'M', 'C', 'F', 'G' }, { 'R', 'S', 'D', 'T' }, { 'X', 'S', 'D', 'T' },
};

bool acpi_builtin_sig(const uint8_t sig[4])
{
	for (unsigned i = 0; i < ARRAY_SIZE(builtin); i++)
		if (!memcmp(sig, builtin[i], 4))
			return true;
	return false;
}

static bool all_zero(const uint8_t *p, uint32_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static void printable_sig(char out[5], const uint8_t *p, uint32_t avail)
{
	for (uint32_t i = 0; i < 4; i++)
		out[i] = (i < avail && p[i] >= 0x20 && p[i] < 0x7F) ? (char)p[i] : '?';
	out[4] = '\0';
}

bool acpi_extra_next(const uint8_t *blob, uint32_t blob_len, uint32_t *off,
		     struct acpi_extra_table *t)
{
	uint32_t left;
	const uint8_t *p;

	if (!blob || *off >= blob_len)
		return false;
	p = blob + *off;
	left = blob_len - *off;
	if (all_zero(p, left)) {
		*off = blob_len;
		return false;
	}
	memset(t, 0, sizeof(*t));
	t->data = p;
	t->off = *off;
	printable_sig(t->sig, p, left);
	if (left >= 8)
		t->len = acpi_get32(p, 4);

	if (left < ACPI_HDR_LEN)
		t->refused = "the blob ends inside its header";
	else if (t->len < ACPI_HDR_LEN)
		t->refused = "its length is shorter than a table header";
	else if (t->len > left)
		t->refused = "its length runs past the end of the blob";
	if (t->refused) {
		/* Where the next table would start is unknown: stop here. */
		*off = blob_len;
		return true;
	}
	*off += t->len;
	if (acpi_checksum(p, t->len) != 0)
		t->refused = "bad checksum";
	else if (acpi_builtin_sig(p))
		t->refused = "hvmfw builds this table itself";
	return true;
}
