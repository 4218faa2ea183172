/* SPDX-License-Identifier: MIT */
/*
 * The BIOS F segment, 0xF0000-0xFFFFF: where OSes scan for the RSDP, SMBIOS,
 * MP and $PIR anchors when no boot loader hands them over. Firmware only;
 * usable when that area is RAM (QEMU after the chipset's PAM setup).
 */
#ifndef HVMFW_FSEG_H
#define HVMFW_FSEG_H

#include <hvmfw/compiler.h>

#define FSEG_BASE 0xF0000u
#define FSEG_END 0x100000u

/*
 * Zeroed memory handed out upward from FSEG_BASE in call order (so earlier
 * anchors are found first). The first call clears the whole segment: stale
 * anchors from an earlier boot must not be found. Panics when it is full.
 */
void *fseg_alloc(uint32_t size, uint32_t align);
/* First address not yet handed out. */
uint32_t fseg_top(void);

#endif
