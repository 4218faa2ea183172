/* SPDX-License-Identifier: MIT */
/* AML writer misuse and overflow handling (byte encodings are checked against iasl elsewhere). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <hvmfw/aml.h>

#define CANARY 0xA5

/* A small device with a resource template: about 60 bytes of AML. */
static void emit_sample(struct aml *a)
{
	aml_scope_open(a, "\\_SB");
	aml_device_open(a, "DEV0");
	aml_name_eisaid(a, "_HID", "PNP0C02");
	aml_name(a, "_CRS");
	aml_restemplate_open(a);
	aml_res_word_io(a, 0x1000, 0x1FFF);
	aml_res_mem32_fixed(a, true, 0xFED00000, 0x400);
	aml_restemplate_close(a);
	aml_close(a);
	aml_close(a);
}

static void overflow_never_writes_past_cap(void **state)
{
	uint8_t full[256], buf[256];
	struct aml a;
	uint32_t need;

	(void)state;
	aml_init(&a, full, sizeof(full));
	emit_sample(&a);
	assert_true(aml_ok(&a));
	need = a.len;
	for (uint32_t cap = 0; cap < need; cap++) {
		memset(buf, CANARY, sizeof(buf));
		aml_init(&a, buf, cap);
		emit_sample(&a);
		assert_true(a.error);
		assert_false(aml_ok(&a));
		assert_true(a.len <= cap);
		for (uint32_t i = cap; i < sizeof(buf); i++)
			assert_int_equal(buf[i], CANARY);
	}
	/* Exactly enough room works and gives the same bytes. */
	aml_init(&a, buf, need);
	emit_sample(&a);
	assert_true(aml_ok(&a));
	assert_memory_equal(buf, full, need);
}

static void error_is_sticky(void **state)
{
	uint8_t buf[4];
	struct aml a;
	uint32_t len;

	(void)state;
	aml_init(&a, buf, sizeof(buf));
	aml_string(&a, "TOO LONG");
	assert_true(a.error);
	len = a.len;
	aml_byte(&a, 1);
	aml_int(&a, 0);
	assert_true(a.error);
	assert_int_equal(a.len, len);
}

static void unbalanced_close_and_open(void **state)
{
	uint8_t buf[64];
	struct aml a;

	(void)state;
	aml_init(&a, buf, sizeof(buf));
	aml_close(&a);
	assert_true(a.error);

	aml_init(&a, buf, sizeof(buf));
	aml_scope_open(&a, "\\_SB");
	assert_false(aml_ok(&a));               /* still open */
	aml_close(&a);
	assert_true(aml_ok(&a));
}

static void depth_limit(void **state)
{
	uint8_t buf[512];
	struct aml a;

	(void)state;
	aml_init(&a, buf, sizeof(buf));
	for (int i = 0; i < AML_MAX_DEPTH; i++)
		aml_package_open(&a, 1);
	assert_false(a.error);
	aml_package_open(&a, 1);
	assert_true(a.error);
}

static void bad_names_rejected(void **state)
{
	static const char *const bad[] = { "abcd", "ABCDE", "1ABC", "", "\\_SB..X", "A-B" };
	uint8_t buf[64];
	struct aml a;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		aml_init(&a, buf, sizeof(buf));
		aml_name_int(&a, bad[i], 1);
		assert_true(a.error);
	}
	aml_init(&a, buf, sizeof(buf));
	aml_name_int(&a, "^^_AB1", 1);
	assert_true(aml_ok(&a));
}

static void bad_values_rejected(void **state)
{
	uint8_t buf[64];
	struct aml a;

	(void)state;
	assert_int_equal(aml_eisaid_value("pnp0A03"), 0);
	assert_int_equal(aml_eisaid_value("PNP0A0G"), 0);
	aml_init(&a, buf, sizeof(buf));
	aml_eisaid(&a, "PNP0A3");
	assert_true(a.error);
	aml_init(&a, buf, sizeof(buf));
	aml_res_word_io(&a, 0x2000, 0x1000);
	assert_true(a.error);
	aml_init(&a, buf, sizeof(buf));
	aml_method_open(&a, "M", 8, false);
	assert_true(a.error);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(overflow_never_writes_past_cap),
		cmocka_unit_test(error_is_sticky),
		cmocka_unit_test(unbalanced_close_and_open),
		cmocka_unit_test(depth_limit),
		cmocka_unit_test(bad_names_rejected),
		cmocka_unit_test(bad_values_rejected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
