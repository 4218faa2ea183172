/* SPDX-License-Identifier: MIT */
/* A Xen-like platform for the planner tests. */
#ifndef TEST_PLAN_FIXTURE_H
#define TEST_PLAN_FIXTURE_H

#include "plan_check.h"

enum { RSV_XEN, RSV_GUEST, RSV_IOAPIC, RSV_HPET, RSV_LAPIC, RSV_SPECIAL, RSV_FLASH, RSV_N };

struct fixture {
	struct plan_range ram[3];
	struct plan_range rsv[RSV_N];
	struct plan_range io_rsv[2];
	struct plan_input in;
};

/* Low RAM [1 MiB, low_end), high RAM [4 GiB, 4 GiB + high). */
static inline void fixture_init(struct fixture *f, uint64_t low_end, uint64_t high)
{
	*f = (struct fixture){
		.ram = {
			{ 0, 0xA0000, "conventional" },
			{ 0x100000, low_end - 0x100000, "low" },
			{ T4G, high, "high" },
		},
		.rsv = {
			[RSV_XEN] = { 0xFC000000, 0x2000000, "hvm-reserved" },
			[RSV_GUEST] = { 0xFE700000, 0x100000, "guest-reserved" },
			[RSV_IOAPIC] = { 0xFEC00000, 0x1000, "ioapic" },
			[RSV_HPET] = { 0xFED00000, 0x400, "hpet" },
			[RSV_LAPIC] = { 0xFEE00000, 0x100000, "lapic" },
			[RSV_SPECIAL] = { 0xFEFF0000, 0x10000, "xen-special" },
			[RSV_FLASH] = { 0xFF000000, 0x1000000, "flash" },
		},
		.io_rsv = {
			{ 0xB000, 0x80, "pm" },
			{ 0xC000, 0x20, "xen-platform-io" },
		},
	};
	f->in.ram = f->ram;
	f->in.nram = high ? 3 : 2;
	f->in.mem_reserved = f->rsv;
	f->in.nmem_reserved = RSV_N;
	f->in.io_reserved = f->io_rsv;
	f->in.nio_reserved = 2;
}

#endif
