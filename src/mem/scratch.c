/* SPDX-License-Identifier: MIT */
/*
 * One large buffer for work that ends before the next begins: the PCI
 * plan's scratch, then reading the device model's ACPI tables. Taking it
 * twice is a bug in hvmfw, and stops the guest saying so.
 */
#include <hvmfw/scratch.h>
#include <hvmfw/console.h>

/* plan_scratch_bytes() for PCI_MAX_ENTRIES + ECAM, with room. */
static uint8_t buf[SCRATCH_BYTES] __attribute__((aligned(16)));
static const char *holder;

void *scratch_take(const char *who)
{
	if (holder)
		panic("scratch buffer wanted by %s while %s has it", who, holder);
	holder = who;
	return buf;
}

void scratch_give(void)
{
	holder = NULL;
}
