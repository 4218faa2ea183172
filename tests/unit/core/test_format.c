/* SPDX-License-Identifier: MIT */
/* The firmware's vsnprintf (src/lib/format.c, built here as fmt_snprintf) against libc's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...);

#define SAME(...) do { \
	char a[128], b[128]; \
	int na = fmt_snprintf(a, sizeof(a), __VA_ARGS__); \
	int nb = snprintf(b, sizeof(b), __VA_ARGS__); \
	assert_string_equal(a, b); \
	assert_int_equal(na, nb); \
} while (0)

static void test_matches_libc(void **state)
{
	SAME("plain");
	SAME("%d %i %u", -42, 7, 4000000000u);
	SAME("%x %X %08x %-6x|", 0xbeefu, 0xbeefu, 0x12u, 0xabu);
	SAME("%llx %016llx", 0xfd00000000ull, 0x9fc00ull);
	SAME("%lld %llu", -5000000000ll, 18446744073709551615ull);
	SAME("%5d|%-5d|%05d", -3, -3, -3);
	SAME("%s|%8s|%-8s|%.3s|%.*s", "abc", "abc", "abc", "abcdef", 2, "xyz");
	SAME("%c%c %%", 'o', 'k');
	SAME("%zu %zx", (size_t)12345, (size_t)0xfff);
	SAME("%02x:%02x.%x", 0u, 0x1fu, 3u);
	SAME("%*d|", 6, 42);
}

static void test_truncation(void **state)
{
	char buf[8];
	int n = fmt_snprintf(buf, sizeof(buf), "%s", "0123456789");

	assert_int_equal(n, 10);
	assert_string_equal(buf, "0123456");
	assert_int_equal(fmt_snprintf(NULL, 0, "%d", 12345), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_libc),
		cmocka_unit_test(test_truncation),
	};
	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
