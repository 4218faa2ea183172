/* SPDX-License-Identifier: MIT */
/* HVM parameters (HVMOP_get/set_param) and the other hvm_op sub-ops hvmfw issues. */
#ifndef HVMFW_XEN_PARAMS_H
#define HVMFW_XEN_PARAMS_H

#include <hvmfw/compiler.h>

#define HVMOP_SET_PARAM 0
#define HVMOP_GET_PARAM 1
#define HVMOP_GET_TIME 10
/* Posted in the 2026 Q35 series (v1, not merged); 16 meant inject_msi up to Xen 4.8. */
#define HVMOP_SET_ECAM_SPACE 16

#define HVM_PARAM_STORE_PFN 1
#define HVM_PARAM_STORE_EVTCHN 2
#define HVM_PARAM_CONSOLE_PFN 17
#define HVM_PARAM_CONSOLE_EVTCHN 18
#define HVM_PARAM_ACPI_IOPORTS_LOCATION 19
#define HVM_PARAM_VM_GENERATION_ID_ADDR 34
#define HVM_PARAM_VM86_TSS_SIZED 37

struct xen_hvm_param {
	uint16_t domid;
	uint16_t pad;
	uint32_t index;
	uint64_t value;
};
STATIC_ASSERT(sizeof(struct xen_hvm_param) == 16, "xen_hvm_param is 16 bytes");

struct xen_hvm_get_time {
	uint64_t now;           /* ns since Xen booted */
};

/*
 * HVMOP_set_ecam_space argument, v1 as posted. Xen (64-bit) copies 24 bytes:
 * the tail pad is part of the buffer even though a 32-bit compiler stops at 20.
 */
struct xen_hvm_ecam_space {
	uint16_t domid;
	uint16_t pad[3];
	uint64_t addr;
	uint32_t size;
	uint32_t tail_pad;
} __packed;
STATIC_ASSERT(sizeof(struct xen_hvm_ecam_space) == 24, "ecam_space v1 is 24 bytes on Xen's side");

#ifdef HVMFW_FIRMWARE
int xen_param_get(uint32_t index, uint64_t *value);
int xen_param_set(uint32_t index, uint64_t value);
/* Xen system time in ns, or 0 if Xen would not tell. */
uint64_t xen_time_ns(void);
#endif

#endif
