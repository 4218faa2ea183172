/* SPDX-License-Identifier: MIT */
/* The SMBIOS writer's handles at the end of their range. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "smbios_priv.h"

/* Past 0xFFFF the counter used to wrap to 0 and hand out "free" handles again. */
static void test_handles_never_wrap(void **state)
{
	static uint8_t buf[64];
	struct smb_writer w;

	smb_init(&w, buf, sizeof(buf));
	w.next_handle = 0xFFFD;
	assert_int_equal(smb_handle(&w), 0xFFFD);
	assert_int_equal(smb_handle(&w), 0xFFFE);
	assert_int_equal(smb_handle(&w), 0xFFFF);
	for (int i = 0; i < 4; i++)
		assert_int_equal(smb_handle(&w), 0xFFFF);
	assert_true(w.next_handle > 0xFFFF);    /* the builder's limit check sees it */
}

/* Handles taken by pass-through structures are skipped, up to the end of the range. */
static void test_taken_handles_skipped(void **state)
{
	static uint8_t buf[64];
	static const uint16_t taken[] = { 0x10, 0x11, 0xFFFF };
	struct smb_writer w;

	smb_init(&w, buf, sizeof(buf));
	w.taken = taken;
	w.ntaken = 3;
	w.next_handle = 0x10;
	assert_int_equal(smb_handle(&w), 0x12);
	w.next_handle = 0xFFFE;
	assert_int_equal(smb_handle(&w), 0xFFFE);
	assert_int_equal(smb_handle(&w), 0xFFFF);       /* range exhausted, not reused */
	assert_true(w.next_handle > 0xFFFF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handles_never_wrap),
		cmocka_unit_test(test_taken_handles_skipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
