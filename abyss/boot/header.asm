; The boot loaders' headers, at the very start of the kernel image.
;
; Multiboot2, for GRUB (the ISO): GRUB finds it in the first 32 KiB of the kernel file,
; loads the ELF segments at their physical addresses and jumps to the entry address below
; in 32-bit protected mode (the ELF entry point is a higher-half address GRUB cannot jump to).
;
; Multiboot 1, for QEMU's own loader (`-kernel kernel.elf -initrd "rootfs.tar rootfs"`),
; which skips the firmware's disk boot and GRUB and so boots several times faster under
; emulation. QEMU loads no 64-bit ELF file, so the header gives the addresses itself (the
; "a.out kludge", flag bit 16): the bytes of the file from the header's page on are copied
; to LOAD_PA up to the end of .ksyms, and .bss is zeroed. That holds because the linker
; places every loaded section at the file offset matching its physical address
; (scripts/mksyms.py --same checks it after each link).

%define KVA_BASE         0xffffff0000000000
%define LOAD_PA          0x100000
%define MB2_MAGIC        0xe85250d6
%define MB2_ARCH_I386    0
%define MB1_MAGIC        0x1badb002
%define MB1_FLAGS        0x00010003   ; addresses in the header, memory map, page-aligned modules

extern abyss_entry32
extern __load_end, __bss_end

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
    dd abyss_entry32 - KVA_BASE

    ; end tag
    align 8
    dw 0, 0
    dd 8
header_end:

    align 4
mb1_header:
    dd MB1_MAGIC
    dd MB1_FLAGS
    dd -(MB1_MAGIC + MB1_FLAGS)
    dd mb1_header - KVA_BASE            ; header_addr: where this header is loaded
    dd LOAD_PA                          ; load_addr: where the file's bytes start to go
    dd __load_end - KVA_BASE            ; load_end_addr: the end of what the file holds
    dd __bss_end - KVA_BASE             ; bss_end_addr: zeroed up to here
    dd abyss_entry32 - KVA_BASE         ; entry_addr
