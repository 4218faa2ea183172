; SPDX-License-Identifier: MIT
; AP start-up code. smp.c copies smp_tramp_start..smp_tramp_end to a 4 KiB
; page below 1 MiB and fills in the parameter block; a SIPI with that page's
; number as vector starts each AP here in real mode with CS = page >> 4, IP 0.
; Everything is addressed relative to the page, so the code does not care
; where the page is. After the C entry returns the AP halts here for good,
; touching nothing outside the page (the OS will INIT it).

%define SEL_CODE32 0x10
%define SEL_DATA32 0x18
%define OFF(x) ((x) - smp_tramp_start)

section .rodata progbits alloc noexec nowrite align=16

global smp_tramp_start, smp_tramp_end, smp_tramp_gdt, smp_tramp_gdt_end
global smp_tramp_pm32, smp_tramp_params, smp_tramp_params_end

bits 16
smp_tramp_start:
	cli
	cld
	mov ax, cs
	mov ds, ax
	movzx ebx, ax
	shl ebx, 4				; EBX = page base, kept for 32-bit code
	o32 lgdt [OFF(p_gdt_limit)]
	mov eax, cr0
	or al, 1				; PE
	mov cr0, eax
	jmp dword far [OFF(p_pm32_off)]

bits 32
smp_tramp_pm32:
	mov eax, SEL_DATA32
	mov ds, eax
	mov es, eax
	mov ss, eax
	mov fs, eax
	mov gs, eax
	; Claim a stack slot; more APs than slots just park without one.
	mov eax, 1
	lock xadd [ebx + OFF(p_next_stack)], eax
	cmp eax, [ebx + OFF(p_nstacks)]
	jae .park
	inc eax
	imul eax, [ebx + OFF(p_stack_size)]
	add eax, [ebx + OFF(p_stack_base)]
	mov esp, eax
	call [ebx + OFF(p_entry)]
	; Checked in only now: from here on the AP touches nothing outside the page.
	lock inc dword [ebx + OFF(p_done)]
.park:
	cli
	hlt
	jmp .park

align 8
smp_tramp_gdt:
	dq 0
	dq 0
	dq 0x00cf9b000000ffff			; 0x10 flat 32-bit code
	dq 0x00cf93000000ffff			; 0x18 flat 32-bit data
smp_tramp_gdt_end:

; Parameter block, written by smp.c (struct tramp_params there).
align 4
smp_tramp_params:
	dw 0					; pad: keeps the GDT base 4-aligned
p_gdt_limit:	dw 0
p_gdt_base:	dd 0
p_pm32_off:	dd 0
p_pm32_sel:	dw 0
		dw 0
p_entry:	dd 0
p_stack_base:	dd 0
p_stack_size:	dd 0
p_nstacks:	dd 0
p_next_stack:	dd 0
p_done:		dd 0
smp_tramp_params_end:
smp_tramp_end:
