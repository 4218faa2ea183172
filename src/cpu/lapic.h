/* SPDX-License-Identifier: MIT */
/* xAPIC registers the SMP bring-up needs (private to src/cpu). */
#ifndef HVMFW_CPU_LAPIC_H
#define HVMFW_CPU_LAPIC_H

#include <hvmfw/io.h>

#define MSR_APIC_BASE 0x1B
#define APIC_BASE_ENABLE (1u << 11)
#define LAPIC_DEFAULT_BASE 0xFEE00000u

#define LAPIC_ID 0x020
#define LAPIC_SVR 0x0F0
#define LAPIC_ICR_LO 0x300
#define LAPIC_ICR_HI 0x310
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360

#define SVR_ENABLE (1u << 8)
#define LVT_MASKED (1u << 16)
#define LVT_EXTINT (7u << 8)
#define LVT_NMI (4u << 8)
#define ICR_BUSY (1u << 12)
/* Destination shorthand "all excluding self", assert, edge. */
#define ICR_INIT_ALL_BUT_SELF 0x000C4500u
#define ICR_SIPI_ALL_BUT_SELF 0x000C4600u
/* The same to the one CPU named in ICR_HI (physical destination). */
#define ICR_INIT_ONE 0x00004500u
#define ICR_SIPI_ONE 0x00004600u

#define CPUID1_EDX_APIC (1u << 9)

static inline uint32_t lapic_base(void)
{
	return (uint32_t)rdmsr(MSR_APIC_BASE) & 0xFFFFF000u;
}

static inline uint32_t lapic_read(uint32_t reg)
{
	return mmio_read32(lapic_base() + reg);
}

static inline void lapic_write(uint32_t reg, uint32_t v)
{
	mmio_write32(lapic_base() + reg, v);
}

/* The ID the MADT must list for the calling CPU. */
static inline uint8_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

#endif
