/* SPDX-License-Identifier: MIT */
/*
 * fw_cfg client. Bulk data goes through the DMA interface: one port write
 * per transfer instead of one trap per byte.
 */
#include <hvmfw/fw_cfg.h>
#include <hvmfw/io.h>
#include <hvmfw/string.h>

#define PORT_SEL 0x510
#define PORT_DATA 0x511
#define PORT_DMA_LO 0x518

#define DMA_ERROR 0x01
#define DMA_READ 0x02
#define DMA_SELECT 0x08

struct fw_cfg_dma {
	uint32_t control;
	uint32_t length;
	uint64_t address;
} __packed;

static bool has_dma;

static uint32_t be32(uint32_t v) { return __builtin_bswap32(v); }

bool fw_cfg_probe(void)
{
	char sig[4];

	outw(PORT_SEL, FW_CFG_SIGNATURE);
	for (int i = 0; i < 4; i++)
		sig[i] = (char)inb(PORT_DATA);
	if (memcmp(sig, "QEMU", 4))
		return false;
	has_dma = fw_cfg_read32(FW_CFG_ID) & 2;
	return true;
}

static void dma(uint32_t control, void *buf, uint32_t len)
{
	static struct fw_cfg_dma d __attribute__((aligned(16)));

	d.control = be32(control);
	d.length = be32(len);
	d.address = (uint64_t)be32((uint32_t)(uintptr_t)buf) << 32;
	barrier();
	outl(PORT_DMA_LO, be32((uint32_t)(uintptr_t)&d));
	/* QEMU finishes inside the OUT; the loop covers device models that do not. */
	while (be32(*(volatile uint32_t *)&d.control) & ~DMA_ERROR)
		cpu_relax();
}

void fw_cfg_read_more(void *buf, uint32_t len)
{
	if (has_dma) {
		dma(DMA_READ, buf, len);
		return;
	}
	uint8_t *p = buf;
	while (len--)
		*p++ = inb(PORT_DATA);
}

void fw_cfg_read(uint16_t key, void *buf, uint32_t len)
{
	if (has_dma) {
		dma(DMA_SELECT | DMA_READ | ((uint32_t)key << 16), buf, len);
		return;
	}
	outw(PORT_SEL, key);
	fw_cfg_read_more(buf, len);
}

uint32_t fw_cfg_read32(uint16_t key)
{
	uint32_t v = 0;

	outw(PORT_SEL, key);
	for (int i = 0; i < 4; i++)
		v |= (uint32_t)inb(PORT_DATA) << (8 * i);
	return v;
}

int fw_cfg_find(const char *name, uint16_t *key, uint32_t *size)
{
	struct {
		uint32_t size;
		uint16_t select;
		uint16_t reserved;
		char name[56];
	} __packed f;
	uint32_t count;

	fw_cfg_read(FW_CFG_FILE_DIR, &count, 4);
	count = be32(count);
	for (uint32_t i = 0; i < count; i++) {
		fw_cfg_read_more(&f, sizeof(f));
		if (!strncmp(f.name, name, sizeof(f.name))) {
			*key = __builtin_bswap16(f.select);
			*size = be32(f.size);
			return 0;
		}
	}
	return -1;
}

int fw_cfg_read_file(const char *name, void *buf, uint32_t len)
{
	uint16_t key;
	uint32_t size;

	if (fw_cfg_find(name, &key, &size))
		return -1;
	fw_cfg_read(key, buf, MIN(size, len));
	return (int)size;
}
