/* SPDX-License-Identifier: MIT */
/* Configuration-space register offsets and bits used by the enumerator. */
#ifndef HVMFW_PCI_REGS_H
#define HVMFW_PCI_REGS_H

#define PCI_ID			0x00	/* vendor (low), device (high) */
#define PCI_COMMAND		0x04	/* status in the upper half */
#define  PCI_CMD_IO		0x0001
#define  PCI_CMD_MEM		0x0002
#define  PCI_CMD_MASTER		0x0004
#define  PCI_STATUS_CAPS	(0x0010u << 16)
#define PCI_CLASS_REV		0x08
#define PCI_HEADER_TYPE		0x0E
#define  PCI_HDR_MULTIFN	0x80
#define PCI_BAR0		0x10
#define PCI_ROM0		0x30	/* type 0 */
#define PCI_CAP_PTR		0x34
#define PCI_INT_LINE		0x3C
#define PCI_INT_PIN		0x3D

#define PCI_BAR_IO		0x1
#define PCI_BAR_MEM_64		0x4
#define PCI_BAR_PREF		0x8
#define PCI_ROM_ADDR_MASK	0xFFFFF800u

/* Type 1 (bridge) header */
#define PCI_BUS_NUMBERS		0x18	/* primary, secondary, subordinate, latency */
#define PCI_SUBORDINATE		0x1A
#define PCI_IO_BASE		0x1C	/* base, limit (bits 15:12 in 7:4) */
#define PCI_MEM_BASE		0x20	/* base (low), limit (high); bits 31:20 in 15:4 */
#define PCI_PREF_BASE		0x24
#define  PCI_PREF_64		0x1
#define PCI_PREF_BASE_UPPER	0x28
#define PCI_PREF_LIMIT_UPPER	0x2C
#define PCI_ROM1		0x38	/* type 1 */

/* Capabilities */
#define PCI_CAP_VENDOR		0x09
#define PCI_CAP_SHPC		0x0C
#define PCI_CAP_EXP		0x10
#define  PCIE_CAP_FLAGS		0x02	/* bits 7:4 port type, bit 8 slot implemented */
#define  PCIE_SLOT_CAP		0x14	/* bit 6 hot-plug capable */

/* QEMU resource-reserve capability (vendor cap on Red Hat 1b36:* bridges) */
#define PCI_VENDOR_REDHAT	0x1b36
#define RSV_TYPE		0x03	/* 1 = resource reserve */
#define RSV_BUS			0x04	/* u32 */
#define RSV_IO			0x08	/* u64 */
#define RSV_MEM			0x10	/* u32 */
#define RSV_PREF32		0x14	/* u32 */
#define RSV_PREF64		0x18	/* u64 */
#define RSV_MIN_LEN		0x20

/* Class codes (class_rev >> 8) */
#define PCI_CLASS_HOST		0x060000u
#define PCI_CLASS_OF(cr)	((cr) >> 8)
#define PCI_BASECLASS(cr)	((cr) >> 24)
#define PCI_SUBCLASS16(cr)	((cr) >> 16)	/* base class and subclass */

#endif
