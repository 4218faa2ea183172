/* SPDX-License-Identifier: MIT */
/* Bounded waits on the ACPI PM timer (private to src/cpu). */
#ifndef HVMFW_CPU_PMTIMER_H
#define HVMFW_CPU_PMTIMER_H

#include <hvmfw/compiler.h>

struct pmt_wait {
	uint32_t last;          /* last 24-bit reading */
	uint64_t ticks, limit;  /* elapsed and wanted, in 3.579545 MHz ticks */
	uint64_t polls, max_polls;
};

/* Start a wait of 'us' microseconds. */
void pmt_wait_start(struct pmt_wait *w, uint32_t us);
/* True once the time is up, or once the poll budget is spent (a timer that does not
 * run must not hang the boot). */
bool pmt_wait_done(struct pmt_wait *w);
void pmt_delay_us(uint32_t us);

#endif
