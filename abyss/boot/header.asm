; Multiboot2 header. GRUB finds it in the first 32 KiB of the kernel file, loads the ELF
; segments at their physical addresses and jumps to the entry address below in 32-bit
; protected mode (the ELF entry point is a higher-half address GRUB cannot jump to).

%define MB2_MAGIC        0xe85250d6
%define MB2_ARCH_I386    0

extern abyss_entry32

section .multiboot2 align=8
header_start:
    dd MB2_MAGIC
    dd MB2_ARCH_I386
    dd header_end - header_start
    dd -(MB2_MAGIC + MB2_ARCH_I386 + (header_end - header_start))

    ; entry address tag (type 3): where to jump, as a physical address
    align 8
    dw 3, 0
    dd 12
    dd abyss_entry32 - 0xffffff0000000000

    ; end tag
    align 8
    dw 0, 0
    dd 8
header_end:
