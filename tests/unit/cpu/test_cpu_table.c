/* SPDX-License-Identifier: MIT */
/* The processor list behind the MADT: possible CPUs, which run at boot, hot-plug map bits. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <hvmfw/cpu_table.h>

static void xen_online(struct cpu_platform *p, unsigned max, const unsigned *on, unsigned non)
{
	memset(p, 0, sizeof(*p));
	p->max = max;
	p->xen_ids = true;
	for (unsigned i = 0; i < non; i++)
		cpu_bit_set(p->online, on[i]);
}

/* vcpus=1, maxvcpus=2: both listed, only vCPU 0 enabled, nothing to wake. */
static void test_xen_one_of_two(void **state)
{
	struct cpu_platform p;
	struct cpu_table t;
	uint8_t seen[] = { 0 }, wake[8];
	unsigned on[] = { 0 };

	xen_online(&p, 2, on, 1);
	assert_int_equal(cpu_table_build(&p, seen, 1, &t), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.apic_id[0], 0);
	assert_int_equal(t.apic_id[1], 2);
	assert_int_equal(t.map_bit[1], 1);
	assert_true(cpu_bit(t.enabled, 0));
	assert_false(cpu_bit(t.enabled, 1));
	/* Not every vCPU is online: the wake is targeted, and lists nobody. */
	assert_int_equal(cpu_wake_list(&p, wake, 8), 0);
	/* Both online: a broadcast. */
	cpu_bit_set(p.online, 1);
	assert_int_equal(cpu_wake_list(&p, wake, 8), CPU_WAKE_ALL);
}

/* vCPUs 0, 2, 3 of 5 online: targeted wake of APIC IDs 4 and 6. */
static void test_xen_holes(void **state)
{
	struct cpu_platform p;
	struct cpu_table t;
	uint8_t seen[] = { 0, 4, 6 }, wake[8];
	unsigned on[] = { 0, 2, 3 };

	xen_online(&p, 5, on, 3);
	assert_int_equal(cpu_wake_list(&p, wake, 8), 2);
	assert_int_equal(wake[0], 4);
	assert_int_equal(wake[1], 6);
	assert_int_equal(cpu_table_build(&p, seen, 3, &t), 0);
	assert_int_equal(t.n, 5);
	for (unsigned i = 0; i < 5; i++) {
		assert_int_equal(t.apic_id[i], 2 * i);
		assert_int_equal(t.map_bit[i], i);
		assert_int_equal(cpu_bit(t.enabled, i), i == 0 || i == 2 || i == 3);
	}
}

/* All online: a broadcast; 128 vCPUs fit (APIC IDs up to 254). */
static void test_xen_all_online(void **state)
{
	struct cpu_platform p;
	struct cpu_table t;
	uint8_t seen[1] = { 0 }, wake[200];
	unsigned on[128];

	for (unsigned i = 0; i < 128; i++)
		on[i] = i;
	xen_online(&p, 128, on, 128);
	assert_int_equal(cpu_wake_list(&p, wake, 200), CPU_WAKE_ALL);
	assert_int_equal(cpu_table_build(&p, seen, 1, &t), 0);
	assert_int_equal(t.n, 128);
	assert_int_equal(t.apic_id[127], 254);
	assert_true(cpu_bit(t.enabled, 127));
}

/* QEMU -smp 2,maxcpus=4: the two that checked in first, then IDs 1.. not taken. */
static void test_qemu_possible(void **state)
{
	struct cpu_platform p = { .max = 4 };
	struct cpu_table t;
	uint8_t seen[] = { 0, 2 }, wake[4];

	assert_int_equal(cpu_wake_list(&p, wake, 4), CPU_WAKE_ALL);
	assert_int_equal(cpu_table_build(&p, seen, 2, &t), 0);
	assert_int_equal(t.n, 4);
	assert_int_equal(t.apic_id[0], 0);
	assert_int_equal(t.apic_id[1], 2);
	assert_int_equal(t.apic_id[2], 1);
	assert_int_equal(t.apic_id[3], 3);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(t.map_bit[i], t.apic_id[i]);
	assert_true(cpu_bit(t.enabled, 0) && cpu_bit(t.enabled, 1));
	assert_false(cpu_bit(t.enabled, 2) || cpu_bit(t.enabled, 3));
}

/* A CPU nobody announced still runs: listed enabled, never dropped; max 0 = what came. */
static void test_qemu_more_than_told(void **state)
{
	struct cpu_platform p = { .max = 1 };
	struct cpu_table t;
	uint8_t seen[] = { 1, 0, 0 };	/* BSP 1, AP 0, a duplicate report */

	assert_int_equal(cpu_table_build(&p, seen, 3, &t), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.apic_id[0], 1);
	assert_int_equal(t.apic_id[1], 0);
	assert_true(cpu_bit(t.enabled, 0) && cpu_bit(t.enabled, 1));
}

/* 255 entries fit; the broadcast ID is never listed. */
static void test_full(void **state)
{
	struct cpu_platform p = { .max = 255 };
	struct cpu_table t;
	uint8_t seen[255];

	for (unsigned i = 0; i < 255; i++)
		seen[i] = (uint8_t)i;
	assert_int_equal(cpu_table_build(&p, seen, 255, &t), 0);
	assert_int_equal(t.n, 255);
	p.max = 0;
	seen[0] = 0xFF;	/* the broadcast ID is not a CPU, but a liar may say so */
	assert_int_equal(cpu_table_build(&p, seen, 255, &t), 0);
	assert_int_equal(t.n, 254);
	for (unsigned i = 0; i < t.n; i++)
		assert_int_not_equal(t.apic_id[i], 0xFF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xen_one_of_two),
		cmocka_unit_test(test_xen_holes),
		cmocka_unit_test(test_xen_all_online),
		cmocka_unit_test(test_qemu_possible),
		cmocka_unit_test(test_qemu_more_than_told),
		cmocka_unit_test(test_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
