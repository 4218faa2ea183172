/* SPDX-License-Identifier: MIT */
/*
 * Waking the APs once: each programs the same MTRRs as the BSP (Xen starts vCPUs
 * with MTRRs off and SeaBIOS-style payloads rely on the firmware for them), records
 * its APIC ID for the MADT, and halts in the trampoline page until the OS sends its
 * own INIT-SIPI-SIPI.
 */
#include <hvmfw/console.h>
#include <hvmfw/entry.h>
#include <hvmfw/io.h>
#include <hvmfw/smp.h>
#include <hvmfw/string.h>
#include "lapic.h"
#include "pmtimer.h"

/* A few CPUs may need far longer than the rest when the host is busy (TCG runs each
 * vCPU as a thread); the wait ends early once every expected CPU is in. */
#define WAIT_ALL_US 2000000
#define WAIT_UNKNOWN_US 200000
#define AP_STACK_SIZE 1024

/* Layout of the block at smp_tramp_params in trampoline.asm. */
struct tramp_params {
	uint16_t pad;
	uint16_t gdt_limit;
	uint32_t gdt_base;
	uint32_t pm32_off;
	uint16_t pm32_sel, pad2;
	uint32_t entry;
	uint32_t stack_base, stack_size, nstacks;
	uint32_t next_stack;
	uint32_t done;                  /* APs back from ap_main */
} __packed;

extern const uint8_t smp_tramp_start[], smp_tramp_end[], smp_tramp_gdt[], smp_tramp_gdt_end[];
extern const uint8_t smp_tramp_pm32[], smp_tramp_params[], smp_tramp_params_end[];

static uint8_t ap_stacks[SMP_MAX_CPUS - 1][AP_STACK_SIZE] __attribute__((aligned(16)));
/* A copy: a late AP may read it after the caller's struct is gone. */
static struct mtrr_set ap_mtrr;
/* Check-in state, written by the APs with locked instructions. */
static uint32_t ap_seen[SMP_MAX_CPUS / 32];     /* bitmap by APIC ID */
static uint32_t ap_dups;
static struct tramp_params *params;             /* in the page */

static uint32_t tramp_off(const uint8_t *sym)
{
	return (uint32_t)(sym - smp_tramp_start);
}

/* Runs on each AP, on its own stack, interrupts off, flat 32-bit segments. */
static void ap_main(void)
{
	mtrr_apply(&ap_mtrr);
	uint8_t id = lapic_id();
	uint32_t bit = 1u << (id % 32);

	if (__atomic_fetch_or(&ap_seen[id / 32], bit, __ATOMIC_SEQ_CST) & bit)
		__atomic_fetch_add(&ap_dups, 1, __ATOMIC_SEQ_CST);
}

static void install_trampoline(void)
{
	uint8_t *page = (uint8_t *)SMP_TRAMPOLINE_BASE;
	uint32_t len = tramp_off(smp_tramp_end);

	if (len > SMP_TRAMPOLINE_SIZE ||
	    smp_tramp_params_end - smp_tramp_params != sizeof(struct tramp_params))
		panic("smp: trampoline.asm and smp.c disagree (len %u, params %u)", len,
		      (unsigned)(smp_tramp_params_end - smp_tramp_params));
	memcpy(page, smp_tramp_start, len);

	struct tramp_params *p = (void *)(page + tramp_off(smp_tramp_params));
	params = p;
	p->gdt_limit = (uint16_t)(smp_tramp_gdt_end - smp_tramp_gdt - 1);
	p->gdt_base = SMP_TRAMPOLINE_BASE + tramp_off(smp_tramp_gdt);
	p->pm32_off = SMP_TRAMPOLINE_BASE + tramp_off(smp_tramp_pm32);
	p->pm32_sel = SEL_CODE32;
	p->entry = (uint32_t)(uintptr_t)ap_main;
	p->stack_base = (uint32_t)(uintptr_t)ap_stacks;
	p->stack_size = AP_STACK_SIZE;
	p->nstacks = ARRAY_SIZE(ap_stacks);
	p->next_stack = 0;
	p->done = 0;
}

/* The MP-spec "virtual wire" state PC firmware leaves: APIC on, 8259 through LINT0,
 * NMI on LINT1. It also makes sure the BSP's APIC may send IPIs. */
static void bsp_lapic_setup(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic_write(LAPIC_SVR, (lapic_read(LAPIC_SVR) & ~0x3FFu) | SVR_ENABLE | 0xFF);
	lapic_write(LAPIC_LVT_LINT0, LVT_EXTINT);
	lapic_write(LAPIC_LVT_LINT1, LVT_NMI);
}

static void send_ipi(uint8_t dest, uint32_t icr)
{
	struct pmt_wait w;

	lapic_write(LAPIC_ICR_HI, (uint32_t)dest << 24);
	lapic_write(LAPIC_ICR_LO, icr);
	pmt_wait_start(&w, 1000);
	while ((lapic_read(LAPIC_ICR_LO) & ICR_BUSY) && !pmt_wait_done(&w))
		cpu_relax();
}

/* Every other CPU (nwake < 0), or just the APIC IDs listed. */
static void send_to(const uint8_t *wake, int nwake, uint32_t all_icr, uint32_t one_icr)
{
	if (nwake < 0)
		send_ipi(0, all_icr);
	for (int i = 0; i < nwake; i++)
		send_ipi(wake[i], one_icr);
}

static void wake_aps(const uint8_t *wake, int nwake)
{
	uint32_t vector = SMP_TRAMPOLINE_BASE >> 12;

	/* Real hardware wants ~10 ms after INIT and ~200 us between the SIPIs; a CPU
	 * that already started ignores the second SIPI. */
	send_to(wake, nwake, ICR_INIT_ALL_BUT_SELF, ICR_INIT_ONE);
	pmt_delay_us(10000);
	send_to(wake, nwake, ICR_SIPI_ALL_BUT_SELF | vector, ICR_SIPI_ONE | vector);
	pmt_delay_us(200);
	send_to(wake, nwake, ICR_SIPI_ALL_BUT_SELF | vector, ICR_SIPI_ONE | vector);
}

/* Returns how long it was willing to wait, in ms, for the log. */
static uint32_t wait_for_aps(unsigned expected)
{
	struct pmt_wait w;
	uint32_t want = expected ? expected - 1 : 0;
	uint32_t us = expected ? WAIT_ALL_US : WAIT_UNKNOWN_US;

	pmt_wait_start(&w, us);
	while (!pmt_wait_done(&w)) {
		if (want && __atomic_load_n(&params->done, __ATOMIC_SEQ_CST) >= want)
			break;
		cpu_relax();
	}
	return us / 1000;
}

static void log_ids(const uint8_t *ids, unsigned n)
{
	char line[160];

	for (unsigned i = 0; i < n;) {
		size_t len = 0;

		for (unsigned k = 0; k < 32 && i < n; k++, i++)
			len += snprintf(line + len, sizeof(line) - len, " %u", ids[i]);
		log_info("smp: APIC IDs%s", line);
	}
}

unsigned smp_init(const struct mtrr_set *m, unsigned expected, const uint8_t *wake, int nwake,
		  uint8_t *apic_ids, unsigned max)
{
	uint32_t r[4];
	unsigned n = 0;

	ap_mtrr = *m;
	mtrr_apply(&ap_mtrr);
	cpuid(1, 0, r);
	if (!(r[3] & CPUID1_EDX_APIC)) {
		log_warn("smp: no local APIC, running on the BSP only");
		if (max)
			apic_ids[n++] = 0;
		return n;
	}
	uint8_t bsp = lapic_id();
	if (max)
		apic_ids[n++] = bsp;
	if (expected == 1 || nwake == 0) {
		log_info("smp: 1 CPU running (APIC ID %u), no APs to wake", bsp);
		return n;
	}

	bsp_lapic_setup();
	install_trampoline();
	wake_aps(wake, nwake);
	uint32_t ms = wait_for_aps(expected);

	/* The bitmap yields the APs sorted by APIC ID, whatever order they came in. */
	unsigned found = 1;
	for (unsigned id = 0; id < SMP_MAX_CPUS; id++) {
		if (id == bsp || !(__atomic_load_n(&ap_seen[id / 32], __ATOMIC_SEQ_CST) &
				   (1u << (id % 32))))
			continue;
		found++;
		if (n < max)
			apic_ids[n++] = (uint8_t)id;
		else
			log_warn("smp: no room for CPU with APIC ID %u (max %u)", id, max);
	}
	if (__atomic_load_n(&ap_dups, __ATOMIC_SEQ_CST) ||
	    (ap_seen[bsp / 32] & (1u << (bsp % 32))))
		log_warn("smp: APs reported a duplicate APIC ID; the MADT lists each ID once");
	for (unsigned i = found; i < expected; i++)
		log_warn("smp: CPU %u of %u did not check in within %u ms", i + 1, expected, ms);
	if (expected && found > expected)
		log_warn("smp: %u CPUs checked in, %u expected", found, expected);

	log_info("smp: %u CPUs up (BSP APIC ID %u), MTRRs set on each, APs parked at 0x%x",
		 found, bsp, SMP_TRAMPOLINE_BASE);
	log_ids(apic_ids, n);
	return n;
}

void smp_parking_area(uint32_t *base, uint32_t *size)
{
	*base = SMP_TRAMPOLINE_BASE;
	*size = SMP_TRAMPOLINE_SIZE;
}
