/* SPDX-License-Identifier: MIT */
/* The $PIR table: a 32-byte header, then one 16-byte entry per bus-0 slot. */
#include <hvmfw/pir.h>
#include <hvmfw/string.h>

struct router_id {
	uint8_t devfn;
	uint16_t vendor, device;
};

static const struct router_id routers[] = {
	[PIR_PIIX3] = { 0x01 << 3, 0x8086, 0x7000 },
	[PIR_ICH9] = { 0x1F << 3, 0x8086, 0x2918 },
};

static uint32_t popcount32(uint32_t v)
{
	uint32_t n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

uint32_t pir_size(uint32_t slots)
{
	return PIR_HEADER_LEN + PIR_SLOT_LEN * popcount32(slots);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

uint32_t pir_build(enum pir_router r, uint32_t slots, uint16_t irq_mask, uint8_t *buf, uint32_t cap)
{
	const struct router_id *id = &routers[r];
	uint32_t len = pir_size(slots);
	uint8_t *e = buf + PIR_HEADER_LEN;
	uint8_t sum = 0;

	if (cap < len || len > 0xFFFF)
		return 0;
	memset(buf, 0, len);
	memcpy(buf, "$PIR", 4);
	put16(buf + 4, 0x0100);                 /* version 1.0 */
	put16(buf + 6, (uint16_t)len);
	buf[8] = 0;                             /* router bus */
	buf[9] = id->devfn;
	put16(buf + 10, 0);                     /* no IRQ is reserved for PCI alone */
	put16(buf + 12, id->vendor);            /* compatible router */
	put16(buf + 14, id->device);
	/* miniport data 0, reserved 0 */
	for (uint32_t slot = 0; slot < 32; slot++) {
		if (!(slots & (1u << slot)))
			continue;
		e[0] = 0;                       /* bus */
		e[1] = (uint8_t)(slot << 3);
		for (uint8_t pin = 0; pin < 4; pin++) {
			e[2 + 3 * pin] = pir_link(r, pir_pirq(r, (uint8_t)slot, pin));
			put16(e + 3 + 3 * pin, irq_mask);
		}
		/* Slot numbers only name a physical slot; ours are all built in. */
		e[14] = 0;
		e += PIR_SLOT_LEN;
	}
	for (uint32_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + buf[i]);
	buf[31] = (uint8_t)-sum;
	return len;
}
