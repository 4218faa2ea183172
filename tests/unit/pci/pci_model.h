/* SPDX-License-Identifier: MIT */
/*
 * A simulated PCI configuration space for the enumerator tests: functions
 * with BAR size masks, bridges that route config cycles by their
 * secondary/subordinate registers, capabilities, and a write journal that
 * catches address writes made while a function decodes.
 */
#ifndef TEST_PCI_MODEL_H
#define TEST_PCI_MODEL_H

#include <hvmfw/pci_topo.h>

#define M_MAX_FN	320

/* BAR types for m_bar */
enum { M_IO, M_MEM32, M_MEM64 };
#define M_PREF		0x10

/* Bridge features for m_bridge */
#define M_BR_IO		(1u << 0)
#define M_BR_PREF	(1u << 1)
#define M_BR_PREF64	(1u << 2)
#define M_BR_ALL	(M_BR_IO | M_BR_PREF | M_BR_PREF64)

struct mfn {
	int seg;		/* segment it sits on; 0 is the root bus */
	uint8_t dev, fn;
	uint8_t cfg[256], wmask[256];
	int sec_seg;		/* bridges: the segment behind it, else -1 */
	uint8_t next_cap;
	uint64_t bar_size[7];	/* 6 = ROM; for checks */
};

struct model {
	struct mfn f[M_MAX_FN];
	int nf, nseg;
	unsigned reads, writes;
	unsigned addr_writes_while_decoding;	/* must stay 0 */
	unsigned seq, last_addr_write, first_decode_on;
	char log[1 << 17];	/* every log line, '\n'-separated */
	size_t loglen;
};

extern struct model M;
extern const struct pci_access model_access;

void m_reset(void);
/* A type-0 function on a segment. class24 = base/sub/prog-if. Returns its index. */
int m_dev(int seg, int dev, int fn, uint16_t vendor, uint16_t device, uint32_t class24,
	  uint8_t pin);
void m_bar(int f, int i, uint64_t size, unsigned type);
void m_rom(int f, uint32_t size);
/* A bridge; pcie_type PCIE_TYPE_* or PCIE_TYPE_NONE; returns its index, m_sec_seg() its bus. */
int m_bridge(int seg, int dev, int fn, uint16_t vendor, uint16_t device, unsigned feat,
	     uint8_t pcie_type, bool hotplug);
int m_sec_seg(int f);
void m_reserve_cap(int f, uint32_t bus, uint64_t io, uint32_t mem, uint32_t pref32,
		   uint64_t pref64);

/* State as the guest OS would read it. */
uint64_t m_bar_addr(int f, int i);
uint16_t m_cmd(int f);
uint8_t m_reg8(int f, uint8_t off);
/* Decoded window of a bridge (enum pci_win); false when closed. */
bool m_window(int f, int w, uint64_t *base, uint64_t *limit);
/* Any log line containing s? */
bool m_logged(const char *s);

#endif
