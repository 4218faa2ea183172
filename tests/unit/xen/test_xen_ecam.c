/* SPDX-License-Identifier: MIT */
/* When hvmfw registers the Q35 ECAM window with Xen, and how it reads the answer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <hvmfw/xen/ecam.h>
#include <hvmfw/xen/hypercall.h>

static void test_old_xen_never_gets_op_16(void **state)
{
	/* 4.8 and older: HVMOP 16 was inject_msi */
	assert_int_equal(xen_ecam_decide(4, 8, 0xB0000000, MiB(64), 0, 63), XEN_ECAM_OLD_XEN);
	assert_int_equal(xen_ecam_decide(3, 4, 0xB0000000, MiB(64), 0, 63), XEN_ECAM_OLD_XEN);
	assert_int_equal(xen_ecam_decide(4, 9, 0xB0000000, MiB(64), 0, 63), XEN_ECAM_CALL);
	assert_int_equal(xen_ecam_decide(4, 17, 0xE0000000, MiB(256), 0, 255), XEN_ECAM_CALL);
	assert_int_equal(xen_ecam_decide(5, 0, 0xB0000000, MiB(128), 0, 127), XEN_ECAM_CALL);
}

static void test_window_must_match_bus_range(void **state)
{
	assert_int_equal(xen_ecam_decide(4, 17, 0xB0000000, MiB(64), 1, 64), XEN_ECAM_BAD_WINDOW);
	assert_int_equal(xen_ecam_decide(4, 17, 0xB0000000, MiB(64), 0, 127), XEN_ECAM_BAD_WINDOW);
	assert_int_equal(xen_ecam_decide(4, 17, 0xB4000000, MiB(128), 0, 127), XEN_ECAM_BAD_WINDOW);
	assert_int_equal(xen_ecam_decide(4, 17, 0, MiB(64), 0, 63), XEN_ECAM_BAD_WINDOW);
}

static void test_outcomes(void **state)
{
	assert_int_equal(xen_ecam_outcome(0), XEN_ECAM_REGISTERED);
	assert_int_equal(xen_ecam_outcome(-XEN_ENOSYS), XEN_ECAM_FROM_CHIPSET);
	assert_int_equal(xen_ecam_outcome(-XEN_EINVAL), XEN_ECAM_REFUSED);
	assert_int_equal(xen_ecam_outcome(-XEN_EPERM), XEN_ECAM_REFUSED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_old_xen_never_gets_op_16),
		cmocka_unit_test(test_window_must_match_bus_range),
		cmocka_unit_test(test_outcomes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
