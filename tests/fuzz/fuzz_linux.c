/* SPDX-License-Identifier: MIT */
/*
 * fuzz-linux: the Linux image QEMU hands over by fw_cfg (-kernel): its
 * setup header (linux_parse_header), where the kernel and the initrd go
 * (linux_place) and the zero page (linux_build_zero_page), as
 * src/platform/qemu_linux.c runs them, on a memory map with holes.
 *
 * Checked:
 *  - the setup area and the zero page are buffers of exactly their size
 *    (ASan): nothing is read or written outside them;
 *  - a header taken is protocol 2.10 or later, relocatable, with a
 *    power-of-two alignment;
 *  - a kernel placed lies in RAM (an independent walk of the map), at or
 *    above 16 MiB and the firmware's end, aligned, below top, below 4 GiB,
 *    for max(its size, init_size) bytes; an initrd placed lies in RAM above
 *    the kernel, below top and below initrd_addr_max; every refusal has a
 *    reason;
 *  - the zero page keeps the sentinel 0 and carries the addresses placed.
 *
 * Byte layout: ctl u8 (bit0: put the HdrS signature and boot flag in,
 * bit1: protocol 2.15 and relocatable, bit2 a hole in low RAM follows
 * (u16 MiB base, u8 MiB size), bit3 RAM above 4 GiB), low RAM u16 (MiB),
 * fw_end u32, top u32, kernel size u32, initrd size u32, setup length u16,
 * then the setup area's bytes (header fields at their boot-protocol
 * offsets; the rest of the input, zero-padded to the length).
 */
#include "fuzz_bytes.h"
#include <hvmfw/linux.h>

static bool all_ram(const struct e820_map *m, uint64_t a, uint64_t e)
{
	/* Independent of placement.c: every page-sized step must sit in one RAM entry. */
	while (a < e) {
		uint32_t i;
		for (i = 0; i < m->n; i++)
			if (m->e[i].type == E820_RAM && a >= m->e[i].addr &&
			    a - m->e[i].addr < m->e[i].size)
				break;
		if (i == m->n)
			return false;
		a = m->e[i].addr + m->e[i].size;
	}
	return true;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size, 0 };
	uint8_t ctl = fz_u8(&f);
	uint64_t low = ((uint64_t)fz_u16(&f) + 1) << 20;
	struct e820_map map = { 0 };
	struct linux_place_in in;
	struct linux_params p = { 0 };
	struct linux_header h;
	char why[160] = "";
	uint8_t *setup, *zp;
	uint32_t ksize, isize, slen;

	low = MIN(low, 0xFC000000ull);
	e820_add(&map, 0, 0x9FC00, E820_RAM);
	e820_add(&map, 0x100000, low > 0x100000 ? low - 0x100000 : 0x1000, E820_RAM);
	if (ctl & 4) {
		uint64_t hb = (uint64_t)fz_u16(&f) << 20, hs = ((uint64_t)fz_u8(&f) + 1) << 20;
		e820_set(&map, hb, hs, E820_RESERVED);
	}
	e820_add(&map, 0xFC000000, 0x4000000, E820_RESERVED);
	if (ctl & 8)
		e820_add(&map, 1ull << 32, 1ull << 30, E820_RAM);
	if (e820_normalize(&map))
		return 0;
	in.ram = &map;
	in.fw_end = fz_u32(&f);
	in.top = fz_u32(&f);
	ksize = fz_u32(&f);
	isize = fz_u32(&f);
	slen = fz_u16(&f);

	setup = malloc(slen ? slen : 1);
	memset(setup, 0, slen);
	memcpy(setup, f.p + f.i, MIN((size_t)slen, fz_left(&f)));
	if ((ctl & 1) && slen >= 0x270) {
		put32(setup + 0x202, 0x53726448);
		setup[0x1FE] = 0x55;
		setup[0x1FF] = 0xAA;
	}
	if ((ctl & 2) && slen >= 0x270) {
		setup[0x206] = 0x0F;
		setup[0x207] = 0x02;
		setup[0x211] |= 1;
		setup[0x234] = 1;
	}

	if (linux_parse_header(setup, slen, &h, why, sizeof(why))) {
		FUZZ_CHECK(*why, "header refused without a reason");
		free(setup);
		return 0;
	}
	FUZZ_CHECK(h.version >= 0x20A && h.relocatable &&
		   !(h.kernel_alignment & (h.kernel_alignment - 1)), "a bad header was taken");

	why[0] = '\0';
	if (linux_place(&h, ksize, isize, &in, &p, why, sizeof(why))) {
		FUZZ_CHECK(*why, "placement refused without a reason");
	} else {
		uint64_t k = p.kernel_addr, kend = k + MAX((uint64_t)ksize, (uint64_t)h.init_size);

		FUZZ_CHECK(k >= (16u << 20) && k >= in.fw_end && h.kernel_alignment &&
			   !(k & (h.kernel_alignment - 1)) && kend <= in.top && kend <= (1ull << 32),
			   "kernel at 0x%llx-0x%llx (fw_end 0x%llx, top 0x%llx, align 0x%x)",
			   (unsigned long long)k, (unsigned long long)kend,
			   (unsigned long long)in.fw_end, (unsigned long long)in.top,
			   h.kernel_alignment);
		FUZZ_CHECK(all_ram(&map, k, kend), "kernel 0x%llx-0x%llx not all RAM",
			   (unsigned long long)k, (unsigned long long)kend);
		FUZZ_CHECK(p.initrd_size == isize, "initrd size changed");
		if (isize) {
			uint64_t a = p.initrd_addr, e = a + isize;
			FUZZ_CHECK(a >= kend && e <= in.top && e <= (uint64_t)h.initrd_addr_max + 1 &&
				   all_ram(&map, a, e), "initrd at 0x%llx-0x%llx (kernel ends 0x%llx, "
				   "max 0x%x)", (unsigned long long)a, (unsigned long long)e,
				   (unsigned long long)kend, h.initrd_addr_max);
		}
		p.e820 = &map;
		zp = malloc(LINUX_ZERO_PAGE_SIZE);
		if (!linux_build_zero_page(zp, setup, slen, &p, why, sizeof(why))) {
			uint32_t v;
			FUZZ_CHECK(zp[0x1EF] == 0 && zp[0x1E8] == map.n, "zero page sentinel/e820 count");
			memcpy(&v, zp + 0x214, 4);
			FUZZ_CHECK(v == p.kernel_addr, "code32_start is not the kernel's address");
			memcpy(&v, zp + 0x218, 4);
			FUZZ_CHECK(v == p.initrd_addr, "ramdisk_image is not the initrd's address");
		}
		free(zp);
	}
	free(setup);
	return 0;
}
