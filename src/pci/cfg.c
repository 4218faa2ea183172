/* SPDX-License-Identifier: MIT */
/* Configuration space back ends: legacy ports and ECAM. */
#include <hvmfw/pci_cfg.h>
#include <hvmfw/io.h>

static uint32_t ecam_base;
static uint8_t ecam_last_bus;
static uint32_t accesses;

void pci_cfg_set_ecam(uint32_t base, uint8_t last_bus)
{
	ecam_base = base;
	ecam_last_bus = last_bus;
}

bool pci_cfg_has_ecam(void)
{
	return ecam_base != 0;
}

uint32_t pci_cfg_access_count(void)
{
	return accesses;
}

/* ECAM address of (bdf, off), or 0 when the legacy ports must be used. */
static uint32_t ecam_addr(uint16_t bdf, uint16_t off)
{
	if (!ecam_base || PCI_BUS(bdf) > ecam_last_bus)
		return 0;
	return ecam_base + ((uint32_t)bdf << 12) + off;
}

static uint16_t port_select(uint16_t bdf, uint16_t off)
{
	outl(0xCF8, 0x80000000u | ((uint32_t)bdf << 8) | (off & 0xFC));
	return 0xCFC + (off & 3);
}

/* One access of 1, 2 or 4 bytes; offsets past 0xFF need ECAM and read as all ones without it. */
static uint32_t cfg_read(uint16_t bdf, uint16_t off, unsigned width)
{
	uint32_t a = ecam_addr(bdf, off);

	accesses++;
	if (a)
		return width == 1 ? mmio_read8(a) : width == 2 ? mmio_read16(a) : mmio_read32(a);
	if (off >= 0x100)
		return 0xFFFFFFFFu >> (32 - 8 * width);
	uint16_t port = port_select(bdf, off);
	return width == 1 ? inb(port) : width == 2 ? inw(port) : inl(port);
}

static void cfg_write(uint16_t bdf, uint16_t off, unsigned width, uint32_t v)
{
	uint32_t a = ecam_addr(bdf, off);

	accesses++;
	if (a) {
		if (width == 1)
			mmio_write8(a, (uint8_t)v);
		else if (width == 2)
			mmio_write16(a, (uint16_t)v);
		else
			mmio_write32(a, v);
	} else if (off < 0x100) {
		uint16_t port = port_select(bdf, off);
		if (width == 1)
			outb(port, (uint8_t)v);
		else if (width == 2)
			outw(port, (uint16_t)v);
		else
			outl(port, v);
	}
}

uint8_t pci_read8(uint16_t bdf, uint16_t off) { return (uint8_t)cfg_read(bdf, off, 1); }
uint16_t pci_read16(uint16_t bdf, uint16_t off) { return (uint16_t)cfg_read(bdf, off, 2); }
uint32_t pci_read32(uint16_t bdf, uint16_t off) { return cfg_read(bdf, off, 4); }
void pci_write8(uint16_t bdf, uint16_t off, uint8_t v) { cfg_write(bdf, off, 1, v); }
void pci_write16(uint16_t bdf, uint16_t off, uint16_t v) { cfg_write(bdf, off, 2, v); }
void pci_write32(uint16_t bdf, uint16_t off, uint32_t v) { cfg_write(bdf, off, 4, v); }
