; SPDX-License-Identifier: MIT
; 32-bit entry of hvmfw. Xen starts us here (flat protected mode, paging
; off, EBX = hvm_start_info, no stack, no GDT); the QEMU reset stub jumps
; here the same way with EAX = HVMFW_ROM_MAGIC and EBX = 0.

%define HVMFW_ROM_MAGIC 0x4D4F5248
%define SEL_CODE32 0x10
%define SEL_DATA32 0x18

bits 32
section .text.entry progbits alloc exec nowrite align=16

global _start
extern hvmfw_main
extern __bss_start
extern __bss_end

_start:
	cli
	cld
	lgdt [gdt_desc]
	jmp SEL_CODE32:.flat
.flat:
	mov ecx, SEL_DATA32
	mov ds, ecx
	mov es, ecx
	mov ss, ecx
	mov fs, ecx
	mov gs, ecx
	mov ebp, eax			; keep the magic and start_info across the bss wipe
	mov esi, ebx
	mov edi, __bss_start
	mov ecx, __bss_end
	sub ecx, edi
	xor eax, eax
	rep stosb
	mov esp, boot_stack_top
	push esi
	push ebp
	call hvmfw_main
.dead:
	cli
	hlt
	jmp .dead

; linux_enter(entry, zero_page): the 32-bit boot protocol wants CS 0x10,
; data 0x18, ESI = zero page, EBX = EBP = EDI = 0, interrupts off.
global linux_enter
linux_enter:
	mov eax, [esp + 4]
	mov esi, [esp + 8]
	xor ebx, ebx
	xor ebp, ebp
	xor edi, edi
	cli
	jmp eax

section .data
align 16
global gdt
gdt:
	dq 0
	dq 0
	dq 0x00cf9b000000ffff		; 0x10 flat 32-bit code
	dq 0x00cf93000000ffff		; 0x18 flat 32-bit data
	dq 0x00009b000000ffff		; 0x20 16-bit code, base 0
	dq 0x000093000000ffff		; 0x28 16-bit data, base 0
gdt_end:
gdt_desc:
	dw gdt_end - gdt - 1
	dd gdt

section .bss
align 16
boot_stack:
	resb 32768
boot_stack_top:
