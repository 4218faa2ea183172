/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <hvmfw/linux.h>

/* A setup area shaped like Debian 6.1's: protocol 2.15, relocatable, 2 MiB alignment. */
static void fake_setup(uint8_t *s, size_t len)
{
	memset(s, 0, len);
	s[0x1EF] = 0xFF;                        /* the sentinel a bzImage carries */
	s[0x1F1] = 39;
	s[0x1FE] = 0x55; s[0x1FF] = 0xAA;
	s[0x201] = 0x6A;
	memcpy(s + 0x202, "HdrS", 4);
	s[0x206] = 0x0F; s[0x207] = 0x02;
	s[0x211] = 0x01;
	s[0x22C] = 0xFF; s[0x22D] = 0xFF; s[0x22E] = 0xFF; s[0x22F] = 0x7F;
	s[0x232] = 0x20;                        /* kernel_alignment 0x200000 */
	s[0x234] = 1;
	s[0x238] = 0xFF; s[0x239] = 0x07;
	s[0x25A] = 0x00; s[0x25B] = 0x01;       /* pref_address 0x1000000 */
	s[0x262] = 0xF9; s[0x263] = 0x03;       /* init_size 0x3F90000 */
}

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

static void test_zero_page(void **state)
{
	static uint8_t setup[0x5000], zp[4096];
	struct e820_map m = { 0 };
	struct linux_params p = { .kernel_addr = 0x1000000, .cmdline_addr = 0x20000,
				  .initrd_addr = 0x1F000000, .initrd_size = 0x1234, .rsdp_addr = 0x1FFE0000,
				  .e820 = &m };
	char why[96];

	fake_setup(setup, sizeof(setup));
	e820_add(&m, 0, 0x9FC00, E820_RAM);
	e820_add(&m, 0x100000, MiB(500), E820_RAM);
	assert_int_equal(linux_build_zero_page(zp, setup, sizeof(setup), &p, why, sizeof(why)), 0);
	assert_int_equal(zp[0x1EF], 0);         /* sentinel cleared: acpi_rsdp_addr survives */
	assert_int_equal(rd32(zp + 0x070), 0x1FFE0000);
	assert_int_equal(rd32(zp + 0x214), 0x1000000);
	assert_int_equal(rd32(zp + 0x218), 0x1F000000);
	assert_int_equal(rd32(zp + 0x21C), 0x1234);
	assert_int_equal(rd32(zp + 0x228), 0x20000);
	assert_int_equal(zp[0x210], 0xFF);
	assert_int_equal(zp[0x1E8], 2);
	assert_memory_equal(zp + 0x2D0, m.e, 2 * sizeof(struct e820_entry));
	assert_memory_equal(zp + 0x202, "HdrS", 4);
	assert_int_equal(zp[0x26C], 0);         /* nothing past the header end copied */
}

static void test_refuses_non_bzimage(void **state)
{
	static uint8_t setup[0x1000];
	struct linux_header h;
	char why[96];

	fake_setup(setup, sizeof(setup));
	setup[0x202] = 'X';
	assert_int_equal(linux_parse_header(setup, sizeof(setup), &h, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "HdrS"));
}

static void test_refuses_old_or_fixed_kernels(void **state)
{
	static uint8_t setup[0x1000];
	struct linux_header h;
	char why[96];

	fake_setup(setup, sizeof(setup));
	setup[0x206] = 0x08;                    /* protocol 2.08 */
	assert_int_equal(linux_parse_header(setup, sizeof(setup), &h, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "2.08"));
	fake_setup(setup, sizeof(setup));
	setup[0x234] = 0;
	assert_int_equal(linux_parse_header(setup, sizeof(setup), &h, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "relocatable"));
	fake_setup(setup, sizeof(setup));
	assert_int_equal(linux_parse_header(setup, sizeof(setup), &h, why, sizeof(why)), 0);
	assert_int_equal(h.kernel_alignment, 0x200000);
	assert_int_equal(h.init_size, 0x3F90000);
	assert_int_equal(h.pref_address, 0x1000000);
}

/* 512 MiB of RAM with the legacy hole; high allocations from 0x1fc00000. */
static struct e820_map place_ram;
static struct linux_place_in place_in(void)
{
	memset(&place_ram, 0, sizeof(place_ram));
	e820_add(&place_ram, 0, 0x9FC00, E820_RAM);
	e820_add(&place_ram, 0x100000, MiB(511), E820_RAM);
	return (struct linux_place_in){ .ram = &place_ram, .fw_end = MiB(2), .top = 0x1FC00000 };
}

static struct linux_header place_hdr(void)
{
	return (struct linux_header){ .version = 0x20F, .relocatable = 1,
				      .kernel_alignment = MiB(2), .initrd_addr_max = 0x7FFFFFFF,
				      .pref_address = MiB(16), .init_size = MiB(64) };
}

static void test_place_normal(void **state)
{
	struct linux_place_in in = place_in();
	struct linux_header h = place_hdr();
	struct linux_params p = { 0 };
	char why[160];

	assert_int_equal(linux_place(&h, MiB(8), MiB(4), &in, &p, why, sizeof(why)), 0);
	assert_int_equal(p.kernel_addr, MiB(16));
	assert_int_equal(p.initrd_size, MiB(4));
	assert_int_equal(p.initrd_addr, 0x1FC00000 - MiB(4));
}

/* Hostile header fields that used to put the kernel at 0, truncate or wrap its address. */
static void test_place_hostile_headers(void **state)
{
	struct linux_place_in in = place_in();
	struct linux_header h = place_hdr();
	struct linux_params p = { 0 };
	char why[160];

	h.kernel_alignment = 0;         /* ALIGN_UP(x, 0) was 0: the kernel over the IVT */
	assert_int_equal(linux_place(&h, MiB(8), 0, &in, &p, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "kernel_alignment is 0"));

	h = place_hdr();
	h.pref_address = GiB(4) + MiB(16);      /* was truncated to 16 MiB by luck, or worse */
	assert_int_equal(linux_place(&h, MiB(8), 0, &in, &p, why, sizeof(why)), 0);
	assert_int_equal(p.kernel_addr, MiB(16));
	h.pref_address = GiB(4) + 0x1000;       /* truncated to 0x1000: on the IVT/zero page */
	assert_int_equal(linux_place(&h, MiB(8), 0, &in, &p, why, sizeof(why)), 0);
	assert_int_equal(p.kernel_addr, MiB(16));

	h = place_hdr();
	h.init_size = 0xFFFFF000;       /* the end wrapped past 4 GiB and looked small */
	assert_int_equal(linux_place(&h, MiB(8), 0, &in, &p, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "the kernel needs 0xfffff000 bytes"));

	h = place_hdr();
	h.pref_address = 0x1FF00000;    /* above the high allocations: the lowest fit instead */
	assert_int_equal(linux_place(&h, MiB(8), 0, &in, &p, why, sizeof(why)), 0);
	assert_int_equal(p.kernel_addr, MiB(16));

	h = place_hdr();
	h.kernel_alignment = 0x80000000u;       /* aligned up to 2 GiB: no RAM there */
	assert_int_equal(linux_place(&h, MiB(8), 0, &in, &p, why, sizeof(why)), -1);
}

/* Never over the firmware, never over a hole in RAM, the initrd above the kernel. */
static void test_place_respects_ram_and_firmware(void **state)
{
	struct linux_place_in in = place_in();
	struct linux_header h = place_hdr();
	struct linux_params p = { 0 };
	char why[160];

	in.fw_end = MiB(20) + 1;        /* the firmware reaches past 16 MiB */
	assert_int_equal(linux_place(&h, MiB(8), 0, &in, &p, why, sizeof(why)), 0);
	assert_int_equal(p.kernel_addr, MiB(22));
	in = place_in();
	e820_add(&place_ram, MiB(40), MiB(1), E820_RESERVED);   /* a hole in low RAM */
	assert_int_equal(e820_normalize(&place_ram), -1);       /* overlaps RAM: cut it out */
	place_ram.n = 0;
	e820_add(&place_ram, 0, 0x9FC00, E820_RAM);
	e820_add(&place_ram, 0x100000, MiB(39), E820_RAM);
	e820_add(&place_ram, MiB(40), MiB(1), E820_RESERVED);
	e820_add(&place_ram, MiB(41), MiB(471), E820_RAM);
	/* 64 MiB do not fit below the hole: the first aligned block above it */
	assert_int_equal(linux_place(&h, MiB(8), 0, &in, &p, why, sizeof(why)), 0);
	assert_int_equal(p.kernel_addr, MiB(42));
	in.top = MiB(100);              /* and with the room above it cut short: refused */
	assert_int_equal(linux_place(&h, MiB(8), 0, &in, &p, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "no such block is RAM"));
	in = place_in();
	/* an initrd that does not fit above the kernel is refused, not overlapped */
	assert_int_equal(linux_place(&h, MiB(8), 0x1FC00000 - MiB(60), &in, &p, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "initrd"));
	h.initrd_addr_max = MiB(50);    /* initrd must end below 50 MiB: inside the kernel */
	assert_int_equal(linux_place(&h, MiB(8), MiB(4), &in, &p, why, sizeof(why)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zero_page),
		cmocka_unit_test(test_refuses_non_bzimage),
		cmocka_unit_test(test_refuses_old_or_fixed_kernels),
		cmocka_unit_test(test_place_normal),
		cmocka_unit_test(test_place_hostile_headers),
		cmocka_unit_test(test_place_respects_ram_and_firmware),
	};
	return cmocka_run_group_tests_name("bootparams", tests, NULL, NULL);
}
