; The bootstrap processor's path from the boot loader (GRUB, or QEMU's -kernel; 32-bit
; protected mode, paging off) to C++ in long mode at the higher-half link address.
;
; The boot page table maps the first 4 GiB twice with 2 MiB pages: at 0 (identity, needed
; while the instruction pointer is still low, and by the AP trampoline) and at the direct
; map base 0xffffff0000000000 (PML4 slot 510), where the kernel is linked. The identity
; half is removed once every CPU runs in the higher half.

%define KVA_BASE    0xffffff0000000000
%define PHYS(x)     ((x) - KVA_BASE)
%define MB2_BOOTLOADER_MAGIC 0x36d76289
%define MB1_BOOTLOADER_MAGIC 0x2badb002
%define COM1        0x3f8

extern __bss_start, __bss_end
extern abyss_boot_main

global abyss_entry32
global abyss_boot_pml4
global abyss_boot_stack_top
global abyss_boot_pdpt

section .boot.text progbits alloc exec nowrite align=16
bits 32
abyss_entry32:
    cli
    cld
    mov edi, eax                        ; bootloader magic
    mov esi, ebx                        ; physical address of the boot information

    ; Zero .bss (page tables and the boot stack live there).
    mov ebx, edi
    mov edx, esi
    mov edi, PHYS(__bss_start)
    mov ecx, PHYS(__bss_end)
    sub ecx, edi
    shr ecx, 2
    xor eax, eax
    rep stosd
    mov edi, ebx
    mov esi, edx

    mov esp, PHYS(abyss_boot_stack_top)

    cmp edi, MB2_BOOTLOADER_MAGIC       ; GRUB (the ISO)
    je .multiboot
    cmp edi, MB1_BOOTLOADER_MAGIC       ; QEMU's -kernel
    jne .not_multiboot
.multiboot:

    ; Long mode (bit 29) and NX (bit 20) in CPUID 0x80000001:EDX.
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .no_long_mode
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29
    jz .no_long_mode
    test edx, 1 << 20
    jz .no_nx

    ; PML4[0] and PML4[510] -> the same PDPT; PDPT[0..3] -> four PDs of 2 MiB pages.
    mov eax, PHYS(abyss_boot_pdpt) + 0x3
    mov [PHYS(abyss_boot_pml4)], eax
    mov [PHYS(abyss_boot_pml4) + 510 * 8], eax
    mov ebx, PHYS(abyss_boot_pdpt)
    mov ecx, 0
.fill_pdpt:
    mov eax, ecx
    shl eax, 12
    add eax, PHYS(boot_pd) + 0x3
    mov [ebx + ecx * 8], eax
    inc ecx
    cmp ecx, 4
    jb .fill_pdpt
    mov ebx, PHYS(boot_pd)
    mov ecx, 0
.fill_pd:                               ; entry i maps i * 2 MiB: P | RW | PS
    mov eax, ecx
    shl eax, 21
    or eax, 0x83
    mov edx, ecx
    shr edx, 11                         ; high dword: (i * 2 MiB) >> 32
    mov [ebx + ecx * 8], eax
    mov [ebx + ecx * 8 + 4], edx
    inc ecx
    cmp ecx, 4 * 512
    jb .fill_pd

    mov eax, cr4
    or eax, (1 << 5)                    ; PAE
    mov cr4, eax
    mov eax, PHYS(abyss_boot_pml4)
    mov cr3, eax
    mov ecx, 0xc0000080                 ; EFER: SCE | LME | NXE
    rdmsr
    or eax, (1 << 0) | (1 << 8) | (1 << 11)
    wrmsr
    mov eax, cr0
    or eax, (1 << 31) | (1 << 16) | 1   ; PG | WP | PE
    mov cr0, eax

    mov eax, PHYS(boot_gdtr)
    lgdt [eax]
    jmp 0x08:PHYS(.long_mode)

.not_multiboot:
    mov esi, PHYS(msg_not_multiboot)
    jmp early_fail
.no_long_mode:
    mov esi, PHYS(msg_no_long_mode)
    jmp early_fail
.no_nx:
    mov esi, PHYS(msg_no_nx)
    jmp early_fail

bits 64
.long_mode:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    mov rax, .higher_half
    jmp rax
.higher_half:
    mov rsp, abyss_boot_stack_top
    xor ebp, ebp
    mov eax, edi
    mov edi, esi                        ; first argument: the boot information (physical)
    mov esi, eax                        ; second: the loader's magic (which Multiboot)
    mov rax, abyss_boot_main
    call rax
.hang:
    cli
    hlt
    jmp .hang

; Prints the NUL-terminated message at ESI on COM1 and halts. Used before anything else
; works, so it talks to the UART directly.
bits 32
early_fail:
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    lodsb
    test al, al
    jz .halt
    mov dx, COM1
    out dx, al
    jmp early_fail
.halt:
    cli
    hlt
    jmp .halt

section .boot.data progbits alloc noexec write align=16
msg_not_multiboot:  db "abyss: not loaded by a Multiboot (1 or 2) boot loader", 13, 10, 0
msg_no_long_mode:   db "abyss: this CPU has no long mode (x86-64)", 13, 10, 0
msg_no_nx:          db "abyss: this CPU has no NX bit", 13, 10, 0

align 16
boot_gdt:
    dq 0
    dq 0x00af9a000000ffff               ; 0x08: 64-bit kernel code
    dq 0x00cf92000000ffff               ; 0x10: kernel data
boot_gdtr:
    dw boot_gdtr - boot_gdt - 1
    dd PHYS(boot_gdt)

section .bss nobits alloc noexec write align=4096
abyss_boot_pml4: resb 4096
abyss_boot_pdpt:       resb 4096
boot_pd:         resb 4 * 4096
boot_stack:      resb 64 * 1024
abyss_boot_stack_top:
