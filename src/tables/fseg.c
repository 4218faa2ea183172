/* SPDX-License-Identifier: MIT */
/* Bump allocator for the anchors that live in the F segment. */
#include <hvmfw/fseg.h>
#include <hvmfw/console.h>
#include <hvmfw/string.h>

static uint32_t next = FSEG_BASE;
static bool cleared;

void *fseg_alloc(uint32_t size, uint32_t align)
{
	uint32_t base = ALIGN_UP(next, align);

	if (!cleared) {
		memset((void *)FSEG_BASE, 0, FSEG_END - FSEG_BASE);
		cleared = true;
	}
	if (base < next || base > FSEG_END || size > FSEG_END - base)
		panic("F segment full: %u bytes (align %u) wanted at 0x%x", size, align, next);
	next = base + size;
	return (void *)(uintptr_t)base;
}

uint32_t fseg_top(void)
{
	return next;
}
