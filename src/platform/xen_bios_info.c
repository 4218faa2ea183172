/* SPDX-License-Identifier: MIT */
/* SeaBIOS/OVMF info tables and the CMOS memory bytes. Pure code. */
#include <hvmfw/xen/bios_info.h>
#include <hvmfw/string.h>

uint8_t xen_byte_sum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	while (n--)
		s += *b++;
	return s;
}

/* e820 entries right after 'used' bytes, 4-byte aligned; returns the new used count or 0. */
static size_t put_e820(uint8_t *buf, size_t used, size_t cap, const struct e820_map *m,
		       uint32_t *off)
{
	size_t len = (size_t)m->n * sizeof(struct e820_entry);

	used = ALIGN_UP(used, 4);
	if (used + len > cap)
		return 0;
	memcpy(buf + used, m->e, len);
	*off = (uint32_t)used;
	return used + len;
}

size_t xen_seabios_info_build(void *buf, uint32_t gpa, size_t cap, const uint32_t *tables,
			      unsigned ntables, const struct e820_map *m)
{
	struct xen_seabios_info *t = buf;
	uint8_t *b = buf;
	size_t used = sizeof(*t);
	uint32_t n = 0, e820_off;

	if (cap < used)
		return 0;
	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < ntables; i++) {
		if (!tables[i])
			continue;
		if (used + 4 > cap)
			return 0;
		memcpy(b + used, &tables[i], 4);
		used += 4;
		n++;
	}
	if (!(used = put_e820(b, used, cap, m, &e820_off)))
		return 0;
	memcpy(t->signature, XEN_SEABIOS_SIG, sizeof(XEN_SEABIOS_SIG));
	t->length = sizeof(*t);
	t->tables = n ? gpa + (uint32_t)sizeof(*t) : 0;
	t->tables_nr = n;
	t->e820 = gpa + e820_off;
	t->e820_nr = m->n;
	t->checksum = (uint8_t)-xen_byte_sum(t, sizeof(*t));
	return used;
}

size_t xen_ovmf_info_build(void *buf, uint32_t gpa, size_t cap, const struct e820_map *m)
{
	struct xen_ovmf_info *t = buf;
	size_t used;
	uint32_t e820_off;

	if (cap < sizeof(*t))
		return 0;
	memset(t, 0, sizeof(*t));
	if (!(used = put_e820(buf, sizeof(*t), cap, m, &e820_off)))
		return 0;
	memcpy(t->signature, XEN_OVMF_SIG, sizeof(XEN_OVMF_SIG));
	t->length = sizeof(*t);
	t->e820 = gpa + e820_off;
	t->e820_nr = m->n;
	t->checksum = (uint8_t)-xen_byte_sum(t, sizeof(*t));
	return used;
}

void xen_cmos_memory(uint32_t low_end, struct xen_cmos_byte out[XEN_CMOS_MEM_BYTES])
{
	/* KiB above 1 MiB (capped to 16 bits), and 64 KiB units above 16 MiB. */
	uint32_t ext_kib = low_end > MiB(1) ? (low_end - (uint32_t)MiB(1)) >> 10 : 0;
	uint32_t above16 = low_end > MiB(16) ? (low_end - (uint32_t)MiB(16)) >> 16 : 0;
	const uint16_t base_kib = 640;
	int i = 0;

	ext_kib = MIN(ext_kib, 0xFFFFu);
	above16 = MIN(above16, 0xFFFFu);
	out[i++] = (struct xen_cmos_byte){ 0x15, base_kib & 0xFF };
	out[i++] = (struct xen_cmos_byte){ 0x16, base_kib >> 8 };
	out[i++] = (struct xen_cmos_byte){ 0x17, ext_kib & 0xFF };
	out[i++] = (struct xen_cmos_byte){ 0x18, ext_kib >> 8 };
	out[i++] = (struct xen_cmos_byte){ 0x30, ext_kib & 0xFF };
	out[i++] = (struct xen_cmos_byte){ 0x31, ext_kib >> 8 };
	out[i++] = (struct xen_cmos_byte){ 0x34, above16 & 0xFF };
	out[i++] = (struct xen_cmos_byte){ 0x35, above16 >> 8 };
}
