; SPDX-License-Identifier: MIT
; The last 4 KiB of hvmfw.rom. QEMU starts the CPU in real mode at
; 0xFFFFFFF0 with CS base 0xFFFF0000; we switch to flat protected mode,
; copy the payload (the hvmfw.elf image, at the start of the ROM) to its
; link address and enter it like Xen would. tools/mkrom.py fills in
; payload_src and payload_len.

%define BLOCK 0xFFFFF000		; physical address of this block
%define CSOFF 0xF000			; its offset from the reset CS base
%define HVMFW_ROM_MAGIC 0x4D4F5248
%define LOAD_ADDR 0x100000

bits 16
org 0

payload_src:	dd 0
payload_len:	dd 0

align 8
gdt:
	dq 0
	dq 0
	dq 0x00cf9b000000ffff		; 0x10 flat code
	dq 0x00cf93000000ffff		; 0x18 flat data
gdt_end:
gdt_desc:
	dw gdt_end - gdt - 1
	dd BLOCK + gdt

start16:
	cli
	cld
	o32 lgdt [cs:CSOFF + gdt_desc]	; o32: load all 32 bits of the base
	mov eax, cr0
	and eax, 0x9FFFFFFF		; reset leaves CD/NW set: turn caching on
	or al, 1
	mov cr0, eax
	jmp dword 0x10:(BLOCK + pm32)

bits 32
pm32:
	mov eax, 0x18
	mov ds, eax
	mov es, eax
	mov ss, eax
	mov esi, [BLOCK + payload_src]
	mov ecx, [BLOCK + payload_len]
	mov edi, LOAD_ADDR
	shr ecx, 2
	rep movsd
	mov eax, HVMFW_ROM_MAGIC
	xor ebx, ebx
	mov ecx, LOAD_ADDR
	jmp ecx

	times 4096 - 16 - ($ - $$) db 0xcc
bits 16
reset_vector:				; 0xFFFFFFF0
	jmp near start16
	times 4096 - ($ - $$) db 0xcc
