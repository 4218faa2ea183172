/* SPDX-License-Identifier: MIT */
/* Waking the application processors once and parking them for the OS. */
#ifndef HVMFW_SMP_H
#define HVMFW_SMP_H

#include <hvmfw/mtrr.h>

/* Page the APs start in (SIPI vector 0x08) and stay halted in. Below 1 MiB, clear of
 * Linux's zero page (0x7000) and command line (0x20000). */
#define SMP_TRAMPOLINE_BASE 0x8000
#define SMP_TRAMPOLINE_SIZE 0x1000
#define SMP_MAX_CPUS 256                /* xAPIC: 8-bit IDs, 0xFF is broadcast */

/*
 * Apply m on the BSP, wake the APs once (INIT-SIPI-SIPI: a broadcast when nwake < 0,
 * else to the nwake APIC IDs in wake), let each apply m and record its APIC ID, then
 * park it (cli; hlt in the trampoline page). Waits, with a bounded timeout, until
 * 'expected' CPUs (BSP included; 0 = unknown) checked in and logs each missing one.
 * Fills apic_ids with the BSP first, then the APs in ascending APIC ID order; returns
 * how many it stored (at most max).
 */
unsigned smp_init(const struct mtrr_set *m, unsigned expected, const uint8_t *wake, int nwake,
		  uint8_t *apic_ids, unsigned max);

/* The range the parked APs execute from: reserve it in the e820. */
void smp_parking_area(uint32_t *base, uint32_t *size);

#endif
