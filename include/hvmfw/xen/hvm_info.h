/* SPDX-License-Identifier: MIT */
/* hvm_info_table: vCPU count and RAM bounds the toolstack leaves at 0x9F800. */
#ifndef HVMFW_XEN_HVM_INFO_H
#define HVMFW_XEN_HVM_INFO_H

#include <hvmfw/compiler.h>

#define HVM_INFO_GPA 0x9F800
#define HVM_INFO_MAX_VCPUS 128

struct hvm_info_table {
	char signature[8];      /* "HVM INFO", no NUL */
	uint32_t length;
	uint8_t checksum;
	uint8_t apic_mode;
	uint8_t pad[2];
	uint32_t nr_vcpus;
	uint32_t low_mem_pgend;
	uint32_t reserved_mem_pgstart;
	uint32_t high_mem_pgend;
	uint8_t vcpu_online[HVM_INFO_MAX_VCPUS / 8];
};
STATIC_ASSERT(sizeof(struct hvm_info_table) == 48, "hvm_info_table is 48 bytes");

/* 0 if t (avail readable bytes) is a valid table; else -1 with *why set. */
int xen_hvm_info_check(const struct hvm_info_table *t, size_t avail, const char **why);
/* Recompute the checksum after editing the table in place. */
void xen_hvm_info_fix_checksum(struct hvm_info_table *t);

#endif
