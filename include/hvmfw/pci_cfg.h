/* SPDX-License-Identifier: MIT */
/*
 * PCI configuration space access: port 0xCF8/0xCFC (offsets < 0x100) or
 * ECAM (memory-mapped, all 4 KiB of a function) once a window is set.
 * Every access is counted: under Xen each one is a trap.
 */
#ifndef HVMFW_PCI_CFG_H
#define HVMFW_PCI_CFG_H

#include <hvmfw/compiler.h>

#define PCI_BDF(b, d, f) ((uint16_t)(((b) << 8) | ((d) << 3) | (f)))
#define PCI_BUS(bdf) ((bdf) >> 8)
#define PCI_DEV(bdf) (((bdf) >> 3) & 0x1f)
#define PCI_FN(bdf) ((bdf) & 7)

uint8_t pci_read8(uint16_t bdf, uint16_t off);
uint16_t pci_read16(uint16_t bdf, uint16_t off);
uint32_t pci_read32(uint16_t bdf, uint16_t off);
void pci_write8(uint16_t bdf, uint16_t off, uint8_t v);
void pci_write16(uint16_t bdf, uint16_t off, uint16_t v);
void pci_write32(uint16_t bdf, uint16_t off, uint32_t v);

/* Route accesses through ECAM at base for buses [0, last_bus]; 0 switches back to ports. */
void pci_cfg_set_ecam(uint32_t base, uint8_t last_bus);
bool pci_cfg_has_ecam(void);
uint32_t pci_cfg_access_count(void);

#endif
