/* SPDX-License-Identifier: MIT */
/* Contract between the entry stubs and C. */
#ifndef HVMFW_ENTRY_H
#define HVMFW_ENTRY_H

/* EAX from the QEMU reset stub; Xen passes EBX = hvm_start_info instead. */
#define HVMFW_ROM_MAGIC 0x4D4F5248 /* "HROM" */

/* Segment selectors of the firmware GDT (the Linux 32-bit boot protocol wants 0x10/0x18). */
#define SEL_CODE32 0x10
#define SEL_DATA32 0x18
#define SEL_CODE16 0x20
#define SEL_DATA16 0x28

#ifndef __ASSEMBLER__
#include <hvmfw/compiler.h>
/* _image_load_end: end of the bytes the ROM carries (bss follows). */
extern char _image_start[], _image_load_end[], _image_end[];
void hvmfw_main(uint32_t magic, uint32_t start_info);
/* Enter a Linux kernel by the 32-bit boot protocol. */
__noreturn void linux_enter(uint32_t entry, uint32_t zero_page);
#endif

#endif
