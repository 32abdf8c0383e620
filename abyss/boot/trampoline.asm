; Application-processor start-up code. The bootstrap processor copies the bytes between
; abyss_trampoline_start and abyss_trampoline_end to physical address TRAMPOLINE_PA (below
; 1 MiB, page aligned), fills in the parameter block at its end and sends INIT-SIPI-SIPI.
; The AP starts here in 16-bit real mode with CS:IP = (TRAMPOLINE_PA >> 4):0, climbs to long
; mode on the boot page table (identity map still present) and jumps to the 64-bit entry
; with its stack and per-CPU pointer.
;
; Everything is addressed as TRAMPOLINE_PA + (label - start): the code does not run where
; it is linked.

%define TRAMPOLINE_PA 0x8000
%define T(label) (TRAMPOLINE_PA + (label - abyss_trampoline_start))

global abyss_trampoline_start, abyss_trampoline_end, abyss_trampoline_params

section .rodata
align 16
bits 16
abyss_trampoline_start:
    cli
    cld
    xor ax, ax
    mov ds, ax
    lgdt [T(tr_gdtr)]
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    jmp dword 0x08:T(tr_protected)

bits 32
tr_protected:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, cr4
    or eax, (1 << 5)                    ; PAE
    mov cr4, eax
    mov eax, [T(tr_cr3)]
    mov cr3, eax
    mov ecx, 0xc0000080                 ; EFER: SCE | LME | NXE
    rdmsr
    or eax, (1 << 0) | (1 << 8) | (1 << 11)
    wrmsr
    mov eax, cr0
    or eax, (1 << 31) | (1 << 16)       ; PG | WP
    mov cr0, eax
    jmp 0x18:T(tr_long)

bits 64
tr_long:
    xor eax, eax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov rsp, [T(tr_stack)]
    mov rdi, [T(tr_arg)]
    mov rax, [T(tr_entry)]
    xor ebp, ebp
    call rax                            ; never returns
.hang:
    cli
    hlt
    jmp .hang

align 8
tr_gdt:
    dq 0
    dq 0x00cf9a000000ffff               ; 0x08: 32-bit code
    dq 0x00cf92000000ffff               ; 0x10: data
    dq 0x00af9a000000ffff               ; 0x18: 64-bit code
tr_gdtr:
    dw tr_gdtr - tr_gdt - 1
    dd T(tr_gdt)

; Parameter block, filled in by the BSP before each start (layout: TrampolineParams).
align 8
abyss_trampoline_params:
tr_cr3:   dq 0
tr_stack: dq 0
tr_entry: dq 0
tr_arg:   dq 0
abyss_trampoline_end:
