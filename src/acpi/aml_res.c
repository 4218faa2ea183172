/* SPDX-License-Identifier: MIT */
/* AML writer: resource template descriptors (ACPI 6.0 §6.4). */
#include <hvmfw/aml.h>

/* Large descriptor tags */
#define RES_MEM32_FIXED 0x86
#define RES_DWORD_ADDR  0x87
#define RES_WORD_ADDR   0x88
#define RES_EXT_IRQ     0x89
#define RES_QWORD_ADDR  0x8A

/* Address space resource types */
#define ADDR_MEM 0
#define ADDR_IO  1
#define ADDR_BUS 2

/* General flags: producer, positive decode, min and max fixed */
#define GFLAGS_WINDOW 0x0C
#define IO_ENTIRE_RANGE 0x03

void aml_restemplate_open(struct aml *a)
{
	aml_buffer_open(a);
}

void aml_restemplate_close(struct aml *a)
{
	aml_byte(a, 0x79);
	aml_byte(a, 0x00);      /* checksum 0: "treat as valid", as iasl emits */
	aml_close(a);
}

/*
 * Word/DWord/QWord address space descriptor with granularity 0 and
 * translation 0; fixed min and max imply length = max - min + 1.
 */
static void addr_desc(struct aml *a, unsigned int width, uint8_t type, uint8_t tflags,
		      uint64_t min, uint64_t max)
{
	static const uint8_t tag[9] = { [2] = RES_WORD_ADDR, [4] = RES_DWORD_ADDR,
					[8] = RES_QWORD_ADDR };

	if (max < min)
		a->error = true;
	aml_byte(a, tag[width]);
	aml_le(a, 3 + 5 * width, 2);    /* bytes after the 3-byte header */
	aml_byte(a, type);
	aml_byte(a, GFLAGS_WINDOW);
	aml_byte(a, tflags);
	aml_le(a, 0, width);            /* granularity */
	aml_le(a, min, width);
	aml_le(a, max, width);
	aml_le(a, 0, width);            /* translation offset */
	aml_le(a, max - min + 1, width);
}

static uint8_t mem_flags(enum aml_mem_cache c, bool rw)
{
	return (uint8_t)(((unsigned int)c << 1) | (rw ? 1 : 0));
}

void aml_res_word_bus(struct aml *a, uint16_t min, uint16_t max)
{
	addr_desc(a, 2, ADDR_BUS, 0, min, max);
}

void aml_res_word_io(struct aml *a, uint16_t min, uint16_t max)
{
	addr_desc(a, 2, ADDR_IO, IO_ENTIRE_RANGE, min, max);
}

void aml_res_dword_io(struct aml *a, uint32_t min, uint32_t max)
{
	addr_desc(a, 4, ADDR_IO, IO_ENTIRE_RANGE, min, max);
}

void aml_res_dword_mem(struct aml *a, enum aml_mem_cache c, bool rw, uint32_t min, uint32_t max)
{
	addr_desc(a, 4, ADDR_MEM, mem_flags(c, rw), min, max);
}

void aml_res_qword_mem(struct aml *a, enum aml_mem_cache c, bool rw, uint64_t min, uint64_t max)
{
	/* A 64-bit window covering everything would need a 2^64 length. */
	if (min == 0 && max == UINT64_MAX)
		a->error = true;
	addr_desc(a, 8, ADDR_MEM, mem_flags(c, rw), min, max);
}

void aml_res_io(struct aml *a, uint16_t min, uint16_t max, uint8_t align, uint8_t len)
{
	aml_byte(a, 0x47);      /* small item IO, 7 bytes */
	aml_byte(a, 0x01);      /* 16-bit decode */
	aml_le(a, min, 2);
	aml_le(a, max, 2);
	aml_byte(a, align);
	aml_byte(a, len);
}

void aml_res_mem32_fixed(struct aml *a, bool rw, uint32_t base, uint32_t len)
{
	aml_byte(a, RES_MEM32_FIXED);
	aml_le(a, 9, 2);
	aml_byte(a, rw ? 1 : 0);
	aml_le(a, base, 4);
	aml_le(a, len, 4);
}

void aml_res_interrupt(struct aml *a, unsigned int flags, const uint32_t *gsi, uint8_t n)
{
	if (n == 0)
		a->error = true;
	aml_byte(a, RES_EXT_IRQ);
	aml_le(a, 2 + 4u * n, 2);
	aml_byte(a, (uint8_t)(0x01 | flags));      /* bit 0: consumer */
	aml_byte(a, n);
	for (uint8_t i = 0; i < n; i++)
		aml_le(a, gsi[i], 4);
}
