/* SPDX-License-Identifier: MIT */
/* hvm_info_table validation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <hvmfw/xen/hvm_info.h>

static struct hvm_info_table good(void)
{
	struct hvm_info_table t;

	memset(&t, 0, sizeof(t));
	memcpy(t.signature, "HVM INFO", 8);
	t.length = sizeof(t);
	t.apic_mode = 1;
	t.nr_vcpus = 4;
	t.low_mem_pgend = 0x20000;
	t.reserved_mem_pgstart = 0xFEFF0;
	t.vcpu_online[0] = 0x0F;
	xen_hvm_info_fix_checksum(&t);
	return t;
}

static void test_valid_table(void **state)
{
	struct hvm_info_table t = good();
	const char *why = NULL;
	uint8_t sum = 0;

	for (size_t i = 0; i < sizeof(t); i++)
		sum += ((uint8_t *)&t)[i];
	assert_int_equal(sum, 0);
	assert_int_equal(xen_hvm_info_check(&t, sizeof(t), &why), 0);
}

static void test_rejects(void **state)
{
	struct hvm_info_table t;
	const char *why = NULL;

	t = good();
	t.checksum++;
	assert_int_equal(xen_hvm_info_check(&t, sizeof(t), &why), -1);
	assert_non_null(strstr(why, "checksum"));

	t = good();
	t.signature[0] = 'X';
	xen_hvm_info_fix_checksum(&t);
	assert_int_equal(xen_hvm_info_check(&t, sizeof(t), &why), -1);
	assert_non_null(strstr(why, "signature"));

	t = good();
	t.length = 40;
	xen_hvm_info_fix_checksum(&t);
	assert_int_equal(xen_hvm_info_check(&t, sizeof(t), &why), -1);

	t = good();
	t.nr_vcpus = 0;
	xen_hvm_info_fix_checksum(&t);
	assert_int_equal(xen_hvm_info_check(&t, sizeof(t), &why), -1);

	t = good();
	assert_int_equal(xen_hvm_info_check(&t, 47, &why), -1);
}

static void test_edit_then_fix(void **state)
{
	struct hvm_info_table t = good();
	const char *why = NULL;

	t.low_mem_pgend -= 0x100;
	t.high_mem_pgend = 0x100100;
	assert_int_equal(xen_hvm_info_check(&t, sizeof(t), &why), -1);
	xen_hvm_info_fix_checksum(&t);
	assert_int_equal(xen_hvm_info_check(&t, sizeof(t), &why), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_table),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_edit_then_fix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
