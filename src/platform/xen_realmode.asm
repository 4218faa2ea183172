; SPDX-License-Identifier: MIT
; Last step on Xen: leave protected mode and enter the BIOS at F000:FFF0 the
; way a reset does, with interrupts off and an empty real-mode IVT pointer.
; The 16-bit part must run below 64 KiB (the 16-bit code segment has base 0
; and a 64 KiB limit), so it is copied to RM_BASE first.

%define RM_BASE 0x2000			; XEN_REALMODE_GPA in include/hvmfw/xen/state.h
%define SEL_CODE16 0x20
%define SEL_DATA16 0x28
%define RM(label) (RM_BASE + (label) - rm_start)

bits 32
section .text

global xen_realmode_reset
xen_realmode_reset:
	cli
	cld
	mov esi, rm_start
	mov edi, RM_BASE
	mov ecx, rm_end - rm_start
	rep movsb
	mov eax, SEL_DATA16
	mov ds, eax
	mov es, eax
	mov fs, eax
	mov gs, eax
	mov ss, eax
	jmp SEL_CODE16:RM(rm_start)

; Copied to RM_BASE; entered through the 16-bit code descriptor.
bits 16
rm_start:
	mov eax, cr0
	and eax, 0x7FFFFFFE		; PE and PG off
	mov cr0, eax
	jmp 0:RM(.real)
.real:
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov ss, ax
	lidt [RM(rm_idt)]
	xor eax, eax
	xor ebx, ebx
	xor ecx, ecx
	xor edx, edx
	xor esi, esi
	xor edi, edi
	xor ebp, ebp
	xor esp, esp
	jmp 0xF000:0xFFF0
rm_idt:
	dw 0x3FF			; the real-mode IVT: 256 vectors at 0
	dd 0
rm_end:
