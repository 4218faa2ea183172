/* SPDX-License-Identifier: MIT */
/* pir_build(): size, checksum, router identity, link values and IRQ bitmaps. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <hvmfw/pir.h>

static uint8_t buf[4096], buf2[4096];

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static uint8_t sum(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* Link value of slot's pin in a table listing every slot. */
static uint8_t link_of(uint8_t slot, uint8_t pin)
{
	const uint8_t *e = buf + 32 + 16 * slot;

	assert_int_equal(e[1], slot << 3);
	return e[2 + 3 * pin];
}

static void check_common(uint32_t len, uint32_t nslots)
{
	assert_int_equal(len, 32 + 16 * nslots);
	assert_memory_equal(buf, "$PIR", 4);
	assert_int_equal(rd16(buf + 4), 0x0100);
	assert_int_equal(rd16(buf + 6), len);
	assert_int_equal(sum(buf, len), 0);
	assert_int_equal(buf[8], 0);
	assert_int_equal(rd16(buf + 10), 0);    /* no exclusive IRQs */
	for (uint32_t i = 0; i < nslots; i++) {
		const uint8_t *e = buf + 32 + 16 * i;

		assert_int_equal(e[0], 0);
		for (int pin = 0; pin < 4; pin++)
			assert_int_equal(rd16(e + 3 + 3 * pin), PIR_IRQ_MASK);
	}
}

static void test_piix3(void **state)
{
	uint32_t len = pir_build(PIR_PIIX3, PIR_ALL_SLOTS, PIR_IRQ_MASK, buf, sizeof(buf));

	check_common(len, 32);
	assert_int_equal(buf[9], 0x08);         /* 00:01.0 */
	assert_int_equal(rd16(buf + 12), 0x8086);
	assert_int_equal(rd16(buf + 14), 0x7000);
	assert_int_equal(PIR_IRQ_MASK, 0x0C20);
	/* Slot s pin p on PIRQ (s + p) mod 4, named by register 0x60 + n. */
	assert_int_equal(link_of(0, 0), 0x60);
	assert_int_equal(link_of(1, 0), 0x61);
	assert_int_equal(link_of(1, 3), 0x60);
	assert_int_equal(link_of(2, 1), 0x63);
	assert_int_equal(link_of(31, 1), 0x60);
	for (int s = 0; s < 32; s++)
		for (int p = 0; p < 4; p++)
			assert_true(link_of(s, p) >= 0x60 && link_of(s, p) <= 0x63);
}

static void test_ich9(void **state)
{
	uint32_t len = pir_build(PIR_ICH9, PIR_ALL_SLOTS, PIR_IRQ_MASK, buf, sizeof(buf));

	check_common(len, 32);
	assert_int_equal(buf[9], 0xF8);         /* 00:1f.0 */
	assert_int_equal(rd16(buf + 12), 0x8086);
	assert_int_equal(rd16(buf + 14), 0x2918);
	/* Slots 0-0x18 rotate over E-H (registers 0x68-0x6B). */
	assert_int_equal(link_of(0, 0), 0x68);
	assert_int_equal(link_of(2, 0), 0x6A);
	assert_int_equal(link_of(3, 1), 0x68);
	assert_int_equal(link_of(0x18, 3), 0x6B);
	/* 0x1E: E-H by pin; 0x19-0x1D and 0x1F: A-D by pin. */
	assert_int_equal(link_of(0x1E, 0), 0x68);
	assert_int_equal(link_of(0x1E, 3), 0x6B);
	assert_int_equal(link_of(0x1F, 0), 0x60);
	assert_int_equal(link_of(0x1D, 2), 0x62);
	assert_int_equal(link_of(0x19, 3), 0x63);
}

static void test_slot_subset(void **state)
{
	uint32_t slots = (1u << 1) | (1u << 5) | (1u << 31);
	uint32_t len = pir_build(PIR_PIIX3, slots, PIR_IRQ_MASK, buf, sizeof(buf));

	assert_int_equal(len, pir_size(slots));
	assert_int_equal(len, 32 + 3 * 16);
	assert_int_equal(sum(buf, len), 0);
	assert_int_equal(buf[32 + 1], 1 << 3);
	assert_int_equal(buf[48 + 1], 5 << 3);
	assert_int_equal(buf[64 + 1], 31 << 3);
	assert_int_equal(pir_build(PIR_PIIX3, slots, PIR_IRQ_MASK, buf, len - 1), 0);
}

static void test_deterministic(void **state)
{
	uint32_t a, b;

	memset(buf, 0x33, sizeof(buf));
	memset(buf2, 0xCC, sizeof(buf2));
	a = pir_build(PIR_ICH9, PIR_ALL_SLOTS, PIR_IRQ_MASK, buf, sizeof(buf));
	b = pir_build(PIR_ICH9, PIR_ALL_SLOTS, PIR_IRQ_MASK, buf2, sizeof(buf2));
	assert_int_equal(a, b);
	assert_memory_equal(buf, buf2, a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_piix3),
		cmocka_unit_test(test_ich9),
		cmocka_unit_test(test_slot_subset),
		cmocka_unit_test(test_deterministic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
