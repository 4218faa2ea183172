/* SPDX-License-Identifier: MIT */
/* Guest memory owned by the firmware: the e820 being built and runtime allocations. */
#ifndef HVMFW_LAYOUT_H
#define HVMFW_LAYOUT_H

#include <hvmfw/e820.h>

/* The platform's RAM map, kept to check the final map against. */
extern struct e820_map layout_orig;
/* The map handed to the payload, edited as the firmware reserves things. */
extern struct e820_map layout_map;

void layout_init(const struct e820_map *platform_map);
/* Mark a range with an e820 type; panics if the map overflows. */
void layout_reserve(uint64_t addr, uint64_t size, uint32_t type);
/*
 * RAM the platform no longer has there (Xen: pages moved elsewhere): reserved
 * in the platform map and in the payload's, so later re-layouts keep it out.
 */
void layout_ram_gone(uint64_t addr, uint64_t size);
/* Memory that survives the hand-off, taken from the top of low RAM downward. */
void *layout_alloc_high(uint32_t size, uint32_t align, uint32_t type);
/*
 * Put runtime data in [base, base + size) instead of the top of low RAM, for
 * platforms whose loaders use the top of RAM themselves (Xen: qemu-xen's
 * direct kernel boot puts the initrd there). back() makes the pages exist.
 */
void layout_set_runtime_area(uint32_t base, uint32_t size, int (*back)(uint32_t pfn, uint32_t n));
/* Lowest address taken from the top of low RAM so far (the top of free low RAM). */
uint32_t layout_high_floor(void);
/* Print the map and check it against the platform's; panics if RAM was lost. */
void layout_finish(void);

#endif
