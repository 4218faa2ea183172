/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <hvmfw/config.h>

static int refusals;
static char last_key[32], last_value[80], last_why[96];

static void record(const char *key, const char *value, const char *why)
{
	refusals++;
	snprintf(last_key, sizeof(last_key), "%s", key);
	snprintf(last_value, sizeof(last_value), "%s", value);
	snprintf(last_why, sizeof(last_why), "%s", why);
}

static int setup(void **state)
{
	refusals = 0;
	last_key[0] = last_value[0] = last_why[0] = 0;
	return 0;
}

static void test_numbers(void **state)
{
	uint64_t v;

	assert_int_equal(config_parse_u64("0x1000", 6, &v), 0);
	assert_int_equal(v, 0x1000);
	assert_int_equal(config_parse_u64("256M", 4, &v), 0);
	assert_int_equal(v, MiB(256));
	assert_int_equal(config_parse_u64("3g", 2, &v), 0);
	assert_int_equal(v, GiB(3));
	assert_int_equal(config_parse_u64("12", 2, &v), 0);
	assert_int_equal(v, 12);
	assert_int_equal(config_parse_u64("0x", 2, &v), -1);
	assert_int_equal(config_parse_u64("12z", 3, &v), -1);
	assert_int_equal(config_parse_u64("0x1ffffffffffffffff", 19, &v), -1);
	assert_int_equal(config_parse_u64("", 0, &v), -1);
	/* A NUL inside the span is not a size suffix (it used to read as "5G"). */
	assert_int_equal(config_parse_u64("5\0", 2, &v), -1);
	assert_int_equal(config_parse_u64("0x5\0", 4, &v), -1);
	/* Nor are suffixes without a number, or two of them. */
	assert_int_equal(config_parse_u64("M", 1, &v), -1);
	assert_int_equal(config_parse_u64("1MK", 3, &v), -1);
}

static void test_pins_good_and_bad(void **state)
{
	struct config c;

	config_defaults(&c);
	int bad = config_apply(&c, "pins",
			       "00:03.0/bar0=0xfe000000, 01:00.0/rom=0xfd000000;"
			       "00:04.0/bar7=0x1000 00:20.0/bar0=0x1000 00:05.0/bar2=0x8000000000",
			       record);
	assert_int_equal(bad, 2);
	assert_int_equal(refusals, 2);
	assert_int_equal(c.npins, 3);
	assert_int_equal(c.pins[0].dev, 3);
	assert_int_equal(c.pins[0].bar, 0);
	assert_int_equal(c.pins[0].addr, 0xfe000000);
	assert_int_equal(c.pins[1].bus, 1);
	assert_int_equal(c.pins[1].bar, CONFIG_BAR_ROM);
	assert_int_equal(c.pins[2].addr, 0x8000000000ull);
	assert_string_equal(last_key, "pins");
	assert_string_equal(last_value, "00:20.0/bar0=0x1000");
	assert_non_null(strstr(last_why, "out of range"));
}

static void test_pin_duplicates_and_alignment(void **state)
{
	struct config c;

	config_defaults(&c);
	assert_int_equal(config_apply(&c, "pins", "00:03.0/bar0=0xfe000000 00:03.0/bar0=0xfd000000", record), 1);
	assert_non_null(strstr(last_why, "already pinned"));
	assert_int_equal(config_apply(&c, "pins", "00:03.0/bar1=0xfe000008", record), 1);
	assert_non_null(strstr(last_why, "aligned"));
	assert_int_equal(c.npins, 1);
}

static void test_too_many_pins(void **state)
{
	struct config c;
	char buf[2048] = "";

	config_defaults(&c);
	for (int i = 0; i < CONFIG_MAX_PINS + 2; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "00:%02x.0/bar0=0x%x ",
			 i % 32, 0x10000000 + i * 0x100000);
	/* 34 entries: dev wraps at 32, so entries 32 and 33 duplicate 0 and 1. */
	assert_int_equal(config_apply(&c, "pins", buf, record), 2);
	assert_int_equal(c.npins, CONFIG_MAX_PINS);
}

static void test_other_keys(void **state)
{
	struct config c;

	config_defaults(&c);
	assert_int_equal(config_apply(&c, "log-level", "debug", record), 0);
	assert_int_equal(c.log_level, 3);
	assert_int_equal(config_apply(&c, "log-level", "loud", record), 1);
	assert_int_equal(c.log_level, 3);
	assert_int_equal(config_apply(&c, "hole-min", "0xc0000000", record), 0);
	assert_int_equal(c.hole_min, 0xc0000000);
	assert_int_equal(config_apply(&c, "hole-min", "0xc0000800", record), 1);
	assert_int_equal(config_apply(&c, "hole-min", "5G", record), 1);
	assert_int_equal(config_apply(&c, "colour", "blue", record), 1);
	assert_string_equal(last_why, "unknown key");
	assert_int_equal(refusals, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_numbers, setup),
		cmocka_unit_test_setup(test_pins_good_and_bad, setup),
		cmocka_unit_test_setup(test_pin_duplicates_and_alignment, setup),
		cmocka_unit_test_setup(test_too_many_pins, setup),
		cmocka_unit_test_setup(test_other_keys, setup),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
