/* SPDX-License-Identifier: MIT */
/* Planner unit tests: pins, conflicts, ECAM, limits, 64-bit window, I/O. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "plan_fixture.h"

#define BAR(dev, b) PLAN_OWNER(0, dev, 0, b)

static void test_pins_only(void **state)
{
	struct fixture f;
	struct plan_output out;
	struct plan_res r[] = {
		mk_pin(PLAN_MEM32, BAR(3, 0), MiB(16), 0xF0000000),
		mk_pin(PLAN_MEM32, BAR(3, 1), MiB(1), 0xF1000000),
		mk_pin(PLAN_MEM64, BAR(4, 0), KiB(4), 0xF1100000),
	};

	fixture_init(&f, 0xE0000000, 0);
	assert_int_equal(solve(&f.in, r, 3, &out), 0);
	assert_plan_ok(&f.in, r, 3, &out);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(r[i].status, PLAN_ST_PLACED);
		assert_int_equal(r[i].addr, r[i].pin_addr);
	}
	assert_int_equal(out.hole_start, 0xF0000000);
	assert_int_equal(out.pinned, 3);
}

static void test_pins_and_movable(void **state)
{
	struct fixture f;
	struct plan_output out;
	struct plan_res r[] = {
		mk_pin(PLAN_MEM32, BAR(3, 0), MiB(16), 0xF4000000),
		mk_mov(PLAN_MEM32, BAR(5, 0), MiB(64)),
		mk_mov(PLAN_MEM32, BAR(5, 1), MiB(8)),
		mk_mov(PLAN_MEM32, BAR(6, 0), MiB(1)),
		mk_mov(PLAN_MEM32, BAR(6, 1), KiB(4)),
		mk_mov(PLAN_MEM32, BAR(7, 0), 16),	/* tiny BAR: page aligned */
	};

	fixture_init(&f, 0xC0000000, 0);
	assert_int_equal(solve(&f.in, r, 6, &out), 0);
	assert_plan_ok(&f.in, r, 6, &out);
	assert_int_equal(plan_verify(&f.in, r, 6, &out, NULL), 0);
	assert_int_equal(r[0].addr, 0xF4000000);
	/* 64 MiB must go to 0xF8000000 (only aligned slot above the pin below
	 * 0xFC000000) or below it; the smallest hole keeps it at 0xF8000000
	 * and the rest fits around the pin: hole starts at the pin. Packed
	 * downwards, the small ones fill the top of the gap above the pin. */
	assert_int_equal(r[1].addr, 0xF8000000);
	assert_int_equal(out.hole_start, 0xF4000000);
	assert_int_equal(r[2].addr, 0xF7800000);
	/* The 1 MiB, 4 KiB and tiny ones take the highest free places (between
	 * the fixture's reservations near 4 GiB). */
	for (int i = 3; i < 6; i++)
		assert_true(r[i].addr > 0xF8000000);
}

static void test_conflict_pin_pin(void **state)
{
	struct fixture f;
	struct plan_output out;
	struct plan_res r[] = {
		mk_pin(PLAN_MEM32, BAR(9, 0), MiB(16), 0xF1000000),	/* loses: higher owner */
		mk_mov(PLAN_MEM32, BAR(10, 0), MiB(2)),
		mk_pin(PLAN_MEM32, BAR(3, 0), MiB(32), 0xF0000000),
	};

	fixture_init(&f, 0xE0000000, 0);
	assert_int_equal(solve(&f.in, r, 3, &out), 1);
	assert_plan_ok(&f.in, r, 3, &out);
	assert_int_equal(r[2].status, PLAN_ST_PLACED);
	assert_int_equal(r[0].status, PLAN_ST_REFUSED);
	assert_int_equal(r[0].reason, PLAN_R_PIN_PIN);
	assert_int_equal(r[0].conflict, PLAN_C_RES);
	assert_int_equal(r[0].conflict_index, 2);
	assert_int_equal(r[0].conflict_base, 0xF0000000);
	assert_int_equal(r[0].conflict_size, MiB(32));
	assert_int_equal(r[0].overlap, MiB(16));
	assert_int_equal(r[1].status, PLAN_ST_PLACED);	/* the rest still placed */
}

static void test_conflict_pin_ram(void **state)
{
	struct fixture f;
	struct plan_output out;
	struct plan_res r[] = {
		mk_pin(PLAN_MEM32, BAR(3, 0), MiB(2), 0xDFE00000),	/* 1 MiB... */
		mk_mov(PLAN_MEM32, BAR(4, 0), MiB(16)),
	};

	r[0].align = MiB(1);
	r[0].pin_addr = 0xDFF00000;	/* [0xDFF00000, 0xE0100000): 1 MiB over RAM */
	fixture_init(&f, 0xE0000000, 0);
	assert_int_equal(solve(&f.in, r, 2, &out), 1);
	assert_plan_ok(&f.in, r, 2, &out);
	assert_int_equal(r[0].reason, PLAN_R_PIN_RAM);
	assert_int_equal(r[0].conflict, PLAN_C_RAM);
	assert_int_equal(r[0].conflict_index, 1);
	assert_int_equal(r[0].conflict_base, 0x100000);
	assert_int_equal(r[0].overlap, MiB(1));
	assert_int_equal(r[1].status, PLAN_ST_PLACED);
	/* An mmio_hole of 4G - 0xDFF00000 = 513 MiB would hold the pin. */
	assert_int_equal(out.need_hole_start, 0xDFF00000);
	assert_int_equal(out.mmio_hole_mib, 513);
}

static void test_conflict_pin_platform(void **state)
{
	struct fixture f;
	struct plan_output out;
	struct plan_res r[] = {
		mk_pin(PLAN_MEM32, BAR(3, 0), MiB(2), 0xFEE00000),
		mk_pin(PLAN_MEM32, BAR(4, 0), KiB(4), 0xFED00000),
		mk_pin(PLAN_MEM32, BAR(5, 0), KiB(4), 0xFED01000),	/* just past HPET: ok */
	};

	r[0].align = MiB(1);
	fixture_init(&f, 0xE0000000, 0);
	assert_int_equal(solve(&f.in, r, 3, &out), 2);
	assert_plan_ok(&f.in, r, 3, &out);
	assert_int_equal(r[0].reason, PLAN_R_PIN_RESERVED);
	assert_int_equal(r[0].conflict_index, RSV_LAPIC);
	assert_int_equal(r[0].overlap, MiB(1));
	assert_int_equal(r[1].reason, PLAN_R_PIN_RESERVED);
	assert_int_equal(r[1].conflict_index, RSV_HPET);
	assert_int_equal(r[1].overlap, 1024);
	assert_int_equal(r[2].status, PLAN_ST_PLACED);
}

static void test_pin_limits(void **state)
{
	struct fixture f;
	struct plan_output out;
	struct plan_res r[] = {
		mk_pin(PLAN_MEM32, BAR(3, 0), MiB(1), 0x100000000ull),	/* mem32 above 4G */
		mk_pin(PLAN_MEM32, BAR(3, 1), MiB(1), 0xF0080000),	/* misaligned */
		mk_pin(PLAN_MEM64, BAR(3, 2), MiB(2), 0xFFFFF000ull),	/* straddles 4G */
		mk_pin(PLAN_MEM64, BAR(3, 4), GiB(1), GiB(64)),	/* beyond 36 bits */
		mk_pin(PLAN_MEM64, BAR(4, 0), GiB(1), GiB(5)),	/* over high RAM */
		mk_pin(PLAN_MEM64, BAR(4, 2), GiB(1), GiB(9)),	/* fine */
	};

	r[2].align = KiB(4);
	fixture_init(&f, 0xE0000000, GiB(2));
	assert_int_equal(solve(&f.in, r, 6, &out), 5);
	assert_plan_ok(&f.in, r, 6, &out);
	assert_int_equal(r[0].reason, PLAN_R_PIN_OUT_OF_SPACE);
	assert_int_equal(r[1].reason, PLAN_R_PIN_MISALIGNED);
	assert_int_equal(r[1].overlap, 0x80000);
	assert_int_equal(r[2].reason, PLAN_R_PIN_OUT_OF_SPACE);
	assert_int_equal(r[3].reason, PLAN_R_PIN_OUT_OF_SPACE);
	assert_int_equal(r[3].overlap, GiB(1));
	assert_int_equal(r[4].reason, PLAN_R_PIN_RAM);
	assert_int_equal(r[4].conflict_index, 2);
	assert_int_equal(r[4].overlap, GiB(1));
	assert_int_equal(r[5].status, PLAN_ST_PLACED);
	assert_true(out.high_base <= GiB(9) && out.high_end >= GiB(10));
}

static void test_ecam_movable(void **state)
{
	struct fixture f;
	struct plan_output out;
	struct plan_res r[] = {
		mk_mov(PLAN_MEM32, PLAN_OWNER_ECAM, MiB(256)),
		mk_mov(PLAN_MEM32, BAR(2, 0), MiB(16)),
		mk_mov(PLAN_MEM32, BAR(2, 1), KiB(4)),
		mk_mov(PLAN_MEM32, BAR(3, 0), MiB(32)),
	};

	r[0].flags = PLAN_F_ECAM;
	fixture_init(&f, 0x80000000, 0);
	assert_int_equal(solve(&f.in, r, 4, &out), 0);
	assert_plan_ok(&f.in, r, 4, &out);
	/* The only 256 MiB-aligned slot under the 0xFC000000 reservations. */
	assert_int_equal(r[0].addr, 0xE0000000);
	assert_int_equal(out.hole_start, 0xE0000000);
	assert_true(r[3].addr >= 0xF0000000 && r[1].addr >= 0xF0000000);
}

static void test_ecam_pinned(void **state)
{
	struct fixture f;
	struct plan_output out;
	struct plan_res r[] = {
		mk_pin(PLAN_MEM32, PLAN_OWNER_ECAM, MiB(256), 0xB0000000),
		mk_mov(PLAN_MEM32, BAR(2, 0), MiB(256)),
		mk_mov(PLAN_MEM32, BAR(2, 1), MiB(16)),
	};

	fixture_init(&f, 0x80000000, 0);
	assert_int_equal(solve(&f.in, r, 3, &out), 0);
	assert_plan_ok(&f.in, r, 3, &out);
	assert_int_equal(r[0].addr, 0xB0000000);
	assert_int_equal(out.hole_start, 0xB0000000);
	/* Packed down from the reservations: the 16 MiB one on top, then 256 MiB. */
	assert_int_equal(r[2].addr, 0xFB000000);
	assert_int_equal(r[1].addr, 0xE0000000);
}

static void test_more_demand_than_space(void **state)
{
	struct fixture f;
	struct plan_output out;
	struct plan_res r[] = {
		mk_mov(PLAN_MEM32, BAR(3, 0), MiB(128)),
		mk_mov(PLAN_MEM32, BAR(4, 0), MiB(128)),	/* loses the tie: higher owner */
		mk_mov(PLAN_MEM32, BAR(5, 0), MiB(32)),
		mk_mov(PLAN_MEM32, BAR(8, 0), MiB(1)),
	};

	/* RAM up to 0xF0000000: 192 MiB below the 0xFC000000 reservations. */
	fixture_init(&f, 0xF0000000, 0);
	assert_int_equal(solve(&f.in, r, 4, &out), 1);
	assert_plan_ok(&f.in, r, 4, &out);
	assert_int_equal(r[1].status, PLAN_ST_REFUSED);
	assert_int_equal(r[1].reason, PLAN_R_NO_SPACE);
	assert_int_equal(r[1].overlap, MiB(128));
	assert_int_equal(r[1].conflict_base, 0xF0000000);
	assert_int_equal(r[0].addr, 0xF0000000);
	assert_int_equal(r[2].addr, 0xFA000000);
	assert_int_equal(r[3].status, PLAN_ST_PLACED);	/* the small ones still fit */
	assert_int_equal(out.hole_start, 0xF0000000);
	assert_true(out.need_more_hole);
	/* Both 128 MiB need 0xE8000000: a 384 MiB hole. */
	assert_int_equal(out.need_hole_start, 0xE8000000);
	assert_int_equal(out.mmio_hole_mib, 384);
}

static void test_relocation(void **state)
{
	struct fixture f;
	struct plan_output out;
	struct plan_res r[] = {
		mk_mov(PLAN_MEM32, BAR(3, 0), MiB(512)),
		mk_mov(PLAN_MEM64, BAR(4, 0), GiB(1)),
	};

	fixture_init(&f, 0xF0000000, GiB(1));
	f.in.may_relocate_ram = true;
	f.in.max_hole = GiB(2);
	assert_int_equal(solve(&f.in, r, 2, &out), 0);
	assert_plan_ok(&f.in, r, 2, &out);
	assert_int_equal(r[0].addr, 0xC0000000);
	assert_int_equal(out.hole_start, 0xC0000000);
	assert_int_equal(out.ram_relocate, 0xF0000000 - 0xC0000000);
	/* The 64-bit window sits above high RAM plus what may move there. */
	assert_int_equal(r[1].addr, GiB(7));
}

static void test_m64_high_window(void **state)
{
	struct fixture f;
	struct plan_output out;
	struct plan_res r[] = {
		mk_mov(PLAN_MEM64, BAR(3, 0), GiB(2)),
		mk_mov(PLAN_MEM64, BAR(4, 0), GiB(64)),
		mk_mov(PLAN_MEM64, BAR(5, 0), MiB(1)),
		mk_mov(PLAN_MEM32, BAR(6, 0), MiB(1)),
	};

	r[1].flags = PLAN_F_PREF;
	fixture_init(&f, 0xE0000000, GiB(3));	/* high RAM ends at 7 GiB */
	f.in.phys_bits = 40;
	assert_int_equal(solve(&f.in, r, 4, &out), 0);
	assert_plan_ok(&f.in, r, 4, &out);
	assert_int_equal(r[1].addr, GiB(64));
	assert_int_equal(r[0].addr, GiB(8));
	assert_int_equal(r[2].addr, GiB(7));	/* fills the slot under the 2 GiB one */
	assert_int_equal(out.high_base, GiB(7));
	assert_int_equal(out.high_end, GiB(128));
	assert_true(r[3].addr < T4G);
}

static void test_phys_bits_limit(void **state)
{
	struct fixture f;
	struct plan_output out;
	struct plan_res r[] = {
		mk_mov(PLAN_MEM64, BAR(3, 0), GiB(2)),
		mk_mov(PLAN_MEM64, BAR(4, 0), GiB(64)),
	};

	fixture_init(&f, 0xE0000000, GiB(3));
	f.in.phys_bits = 36;	/* 64 GiB: the 64 GiB BAR cannot fit */
	assert_int_equal(solve(&f.in, r, 2, &out), 1);
	assert_plan_ok(&f.in, r, 2, &out);
	assert_int_equal(r[0].addr, GiB(8));
	assert_int_equal(r[1].reason, PLAN_R_NO_SPACE);
	assert_int_equal(r[1].conflict_base, GiB(7));
	assert_int_equal(r[1].conflict_base + r[1].conflict_size, GiB(64));
	assert_true(out.high_end <= GiB(64));
}

static void test_m64_fallback_low(void **state)
{
	struct fixture f;
	struct plan_output out;
	struct plan_res r[] = {
		mk_mov(PLAN_MEM64, BAR(3, 0), MiB(64)),
		mk_mov(PLAN_MEM64, BAR(4, 0), GiB(64)),
	};

	fixture_init(&f, 0xE0000000, 0);
	f.in.phys_bits = 32;	/* no room above 4 GiB at all */
	assert_int_equal(solve(&f.in, r, 2, &out), 2);
	assert_int_equal(r[0].reason, PLAN_R_NO_SPACE);
	f.in.m64_policy = PLAN_M64_FALLBACK_LOW;
	assert_int_equal(solve(&f.in, r, 2, &out), 1);
	assert_plan_ok(&f.in, r, 2, &out);
	assert_int_equal(r[0].addr, 0xF8000000);
	assert_int_equal(r[1].reason, PLAN_R_NO_SPACE);
}

static void test_io(void **state)
{
	struct fixture f;
	struct plan_output out;
	struct plan_res r[] = {
		mk_mov(PLAN_IO, BAR(3, 0), 0x100),
		mk_mov(PLAN_IO, BAR(4, 0), 0x40),
		mk_pin(PLAN_IO, BAR(5, 0), 0x20, 0x1000),
		mk_mov(PLAN_IO, BAR(6, 0), 0x20),
		mk_mov(PLAN_IO, PLAN_OWNER(0, 7, 0, PLAN_BAR_WIN_IO), 0x1000),
		mk_pin(PLAN_IO, BAR(8, 0), 0x10, 0xB040),	/* hits the PM block */
		mk_mov(PLAN_IO, BAR(9, 0), 0x20000),		/* bigger than the space */
	};

	fixture_init(&f, 0xE0000000, 0);
	assert_int_equal(solve(&f.in, r, 7, &out), 2);
	assert_plan_ok(&f.in, r, 7, &out);
	assert_int_equal(r[4].addr, 0x2000);
	assert_int_equal(r[0].addr, 0x1100);
	assert_int_equal(r[1].addr, 0x1040);
	assert_int_equal(r[3].addr, 0x1020);
	assert_int_equal(r[5].reason, PLAN_R_PIN_RESERVED);
	assert_int_equal(r[5].overlap, 0x10);
	assert_int_equal(r[6].reason, PLAN_R_NO_SPACE);
	assert_int_equal(out.io_lo, 0x1000);
	assert_int_equal(out.io_hi, 0x3000);
}

static void test_bad_input(void **state)
{
	struct fixture f;
	struct plan_output out;
	struct plan_res r[] = {
		mk_mov(PLAN_MEM32, BAR(3, 0), 0),
		mk_mov(PLAN_MEM32, BAR(3, 1), 0x3000),	/* no align, not a power of two */
		mk_mov(7, BAR(3, 2), 0x1000),
	};
	char buf[64];

	fixture_init(&f, 0xE0000000, 0);
	assert_int_equal(solve(&f.in, r, 3, &out), 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(r[i].reason, PLAN_R_BAD_REQUEST);
	assert_int_equal(plan_solve(&f.in, r, 3, buf, 8, &out), PLAN_ERR_SCRATCH);
	f.in.phys_bits = 60;
	assert_int_equal(solve(&f.in, r, 3, &out), PLAN_ERR_INVAL);
}

/* The checkers must be able to fail: break a good plan in several ways. */
static void test_checkers_catch_errors(void **state)
{
	struct fixture f;
	struct plan_output out;
	struct plan_violation v;
	struct plan_res r[] = {
		mk_mov(PLAN_MEM32, BAR(3, 0), MiB(16)),
		mk_mov(PLAN_MEM32, BAR(4, 0), MiB(16)),
		mk_pin(PLAN_MEM32, BAR(5, 0), MiB(1), 0xF0000000),
	}, b[3];

	fixture_init(&f, 0xE0000000, 0);
	assert_int_equal(solve(&f.in, r, 3, &out), 0);
	assert_null(check_plan(&f.in, r, 3, &out));

	memcpy(b, r, sizeof(b));
	b[1].addr = b[0].addr;					/* overlap */
	assert_non_null(check_plan(&f.in, b, 3, &out));
	assert_int_equal(plan_verify(&f.in, b, 3, &out, &v), -1);
	assert_int_equal(v.kind, PLAN_V_OVERLAP);

	memcpy(b, r, sizeof(b));
	b[0].addr += MiB(1);					/* misaligned */
	assert_non_null(check_plan(&f.in, b, 3, &out));
	assert_int_equal(plan_verify(&f.in, b, 3, &out, &v), -1);
	assert_int_equal(v.kind, PLAN_V_ALIGN);

	memcpy(b, r, sizeof(b));
	b[2].addr = 0xF0100000;					/* pin moved */
	assert_non_null(check_plan(&f.in, b, 3, &out));
	assert_int_equal(plan_verify(&f.in, b, 3, &out, &v), -1);
	assert_int_equal(v.kind, PLAN_V_PIN);

	memcpy(b, r, sizeof(b));
	b[0].addr = 0xD0000000;					/* over RAM */
	struct plan_output o2 = out;
	o2.hole_start = 0xC0000000;
	o2.hole_size = T4G - o2.hole_start;
	assert_non_null(check_plan(&f.in, b, 3, &o2));
	assert_int_equal(plan_verify(&f.in, b, 3, &o2, &v), -1);
	assert_int_equal(v.kind, PLAN_V_RAM);

	memcpy(b, r, sizeof(b));
	b[0].addr = 0xFEC00000 & ~(MiB(16) - 1);		/* over the reservations */
	assert_non_null(check_plan(&f.in, b, 3, &out));
	assert_int_equal(plan_verify(&f.in, b, 3, &out, &v), -1);
	assert_int_equal(v.kind, PLAN_V_RESERVED);
}

static void test_format(void **state)
{
	struct fixture f;
	struct plan_output out;
	struct plan_res r[] = {
		mk_pin(PLAN_MEM32, PLAN_OWNER(0, 3, 0, 0), MiB(2), 0xDFF00000),
		mk_mov(PLAN_MEM64, PLAN_OWNER(1, 0, 1, 2), MiB(16)),
		mk_pin(PLAN_MEM32, PLAN_OWNER(0, 4, 0, 1), KiB(4), 0xFED00000),
	};
	char buf[4096], small[40];
	size_t need;

	r[0].align = MiB(1);
	r[1].flags = PLAN_F_PREF;
	fixture_init(&f, 0xE0000000, GiB(1));
	assert_int_equal(solve(&f.in, r, 3, &out), 2);
	need = plan_format_all(buf, sizeof(buf), &f.in, r, 3, &out);
	assert_true(need < sizeof(buf));
	assert_int_equal(strlen(buf), need);
	print_message("%s", buf);
	assert_non_null(strstr(buf, "01:00.1 BAR2   mem64p  0x1000000     0x140000000         moved  placed"));
	assert_non_null(strstr(buf, "refused 00:03.0 BAR0 mem32 size 0x200000 pinned at 0xdff00000: "
				    "pin overlaps RAM low [0x100000-0xe0000000), overlap 1048576 bytes"));
	assert_non_null(strstr(buf, "refused 00:04.0 BAR1 mem32 size 0x1000 pinned at 0xfed00000: "
				    "pin overlaps platform range hpet [0xfed00000-0xfed00400), overlap 1024 bytes"));
	assert_non_null(strstr(buf, "need mmio_hole=513 (MiB)"));
	/* Truncation: still NUL-terminated, same length reported. */
	assert_int_equal(plan_format_all(small, sizeof(small), &f.in, r, 3, &out), need);
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pins_only),
		cmocka_unit_test(test_pins_and_movable),
		cmocka_unit_test(test_conflict_pin_pin),
		cmocka_unit_test(test_conflict_pin_ram),
		cmocka_unit_test(test_conflict_pin_platform),
		cmocka_unit_test(test_pin_limits),
		cmocka_unit_test(test_ecam_movable),
		cmocka_unit_test(test_ecam_pinned),
		cmocka_unit_test(test_more_demand_than_space),
		cmocka_unit_test(test_relocation),
		cmocka_unit_test(test_m64_high_window),
		cmocka_unit_test(test_phys_bits_limit),
		cmocka_unit_test(test_m64_fallback_low),
		cmocka_unit_test(test_io),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_checkers_catch_errors),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
