/* SPDX-License-Identifier: MIT */
/* SMBIOS entry points: 3.0 (64-bit) and 2.x (32-bit with the legacy DMI part). */
#include <hvmfw/smbios.h>
#include <hvmfw/string.h>

/* Structures follow the 3.0 layouts; the 2.x anchor names the newest 2.x, 2.8. */
#define SMBIOS2_MINOR 8

static uint8_t sum(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

static void le(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void smbios_entry3(uint8_t ep[SMBIOS_EP3_LEN], uint64_t table_addr, const struct smbios_table *t)
{
	memset(ep, 0, SMBIOS_EP3_LEN);
	memcpy(ep, "_SM3_", 5);
	ep[0x06] = SMBIOS_EP3_LEN;
	ep[0x07] = 3;
	ep[0x08] = 0;
	ep[0x09] = 0;                           /* docrev */
	ep[0x0A] = 1;                           /* entry point revision: 3.0 */
	le(ep + 0x0C, t->len, 4);               /* a bound: the end marker ends the walk */
	le(ep + 0x10, table_addr, 8);
	ep[0x05] = (uint8_t)-sum(ep, SMBIOS_EP3_LEN);
}

bool smbios_entry2(uint8_t ep[SMBIOS_EP2_LEN], uint64_t table_addr, const struct smbios_table *t)
{
	if (t->len > 0xFFFF || table_addr + t->len > GiB(4))
		return false;
	memset(ep, 0, SMBIOS_EP2_LEN);
	memcpy(ep, "_SM_", 4);
	ep[0x05] = SMBIOS_EP2_LEN;
	ep[0x06] = 2;
	ep[0x07] = SMBIOS2_MINOR;
	le(ep + 0x08, t->max_struct, 2);
	ep[0x0A] = 0;                           /* entry point revision 0: no formatted area */
	memcpy(ep + 0x10, "_DMI_", 5);
	le(ep + 0x16, t->len, 2);
	le(ep + 0x18, table_addr, 4);
	le(ep + 0x1C, t->count, 2);
	ep[0x1E] = 0x20 | SMBIOS2_MINOR;        /* BCD revision */
	/* The DMI part checks alone (old readers), then the whole. */
	ep[0x15] = (uint8_t)-sum(ep + 0x10, SMBIOS_EP2_LEN - 0x10);
	ep[0x04] = (uint8_t)-sum(ep, SMBIOS_EP2_LEN);
	return true;
}
