/* SPDX-License-Identifier: MIT */
/* Bounded waits on the ACPI PM timer: it needs no setup beyond the PM block the
 * chipset code enabled, and on Xen it is at the same port. */
#include <hvmfw/chipset.h>
#include <hvmfw/io.h>
#include "pmtimer.h"

#define PM_TMR (PM_BASE + 8)
#define PM_TMR_HZ 3579545ull
#define PM_TMR_MASK 0xFFFFFFu   /* 24-bit counter on PIIX4, ICH9 and Xen */
/* A port read exits to the hypervisor or emulator (~0.7 us measured under TCG, more
 * under KVM and Xen), so with a dead timer this budget lasts a few times the wanted
 * time, and with a live one it is not reached first. */
#define POLLS_PER_US 4

static uint32_t pmt_read(void)
{
	return inl(PM_TMR) & PM_TMR_MASK;
}

void pmt_wait_start(struct pmt_wait *w, uint32_t us)
{
	w->last = pmt_read();
	w->ticks = 0;
	w->limit = (uint64_t)us * PM_TMR_HZ / 1000000;
	w->polls = 0;
	w->max_polls = (uint64_t)us * POLLS_PER_US + 1000;
}

bool pmt_wait_done(struct pmt_wait *w)
{
	uint32_t now = pmt_read();

	w->ticks += (now - w->last) & PM_TMR_MASK;
	w->last = now;
	return w->ticks >= w->limit || ++w->polls >= w->max_polls;
}

void pmt_delay_us(uint32_t us)
{
	struct pmt_wait w;

	pmt_wait_start(&w, us);
	while (!pmt_wait_done(&w))
		cpu_relax();
}
