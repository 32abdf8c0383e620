; Entry stubs for all 256 interrupt vectors. Each pushes a zero error code when the CPU
; does not push one, then the vector number, and joins a common path that saves every
; general-purpose register (forming an abyss::TrapFrame), switches GS to the kernel's
; per-CPU record when the trap came from ring 3, and calls abyss_trap_dispatch.
;
; NMI, double fault and machine check can arrive at any instruction, including the few
; between an entry from ring 3 and its swapgs. Their path decides by reading the GS base
; MSR (a kernel per-CPU pointer is negative) instead of trusting the saved CS.

extern abyss_trap_dispatch
global abyss_trap_stubs


section .text

%macro PUSH_GPRS 0
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
%endmacro

%macro POP_GPRS 0
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
%endmacro

%macro STUB 1
align 16
trap_stub_%1:
  %assign has_error 0
  %assign paranoid 0
  %if %1 == 8 || %1 == 10 || %1 == 11 || %1 == 12 || %1 == 13 || %1 == 14 || %1 == 17 || %1 == 21 || %1 == 29 || %1 == 30
    %assign has_error 1
  %endif
  %if %1 == 2 || %1 == 8 || %1 == 18
    %assign paranoid 1
  %endif
  %if has_error == 0
    push 0
  %endif
    push %1
  %if paranoid
    jmp trap_paranoid
  %else
    jmp trap_common
  %endif
%endmacro

; Stack on arrival at either common path: vector, error code, RIP, CS, RFLAGS, RSP, SS.
trap_common:
    test qword [rsp + 24], 3
    jz .kernel_entry
    swapgs
.kernel_entry:
    PUSH_GPRS
    mov rdi, rsp
    cld
    call abyss_trap_dispatch
    cli                                 ; a handler may have enabled interrupts
    POP_GPRS
    add rsp, 16
    test qword [rsp + 8], 3
    jz .kernel_exit
    swapgs
.kernel_exit:
    iretq

trap_paranoid:
    PUSH_GPRS
    mov ecx, 0xc0000101                 ; GS base
    rdmsr
    xor ebx, ebx
    test edx, edx
    js .gs_is_kernel
    swapgs
    mov ebx, 1
.gs_is_kernel:
    mov rdi, rsp
    cld
    call abyss_trap_dispatch
    cli
    test ebx, ebx
    jz .no_swap
    swapgs
.no_swap:
    POP_GPRS
    add rsp, 16
    iretq

%assign v 0
%rep 256
    STUB v
%assign v v + 1
%endrep

section .rodata
align 8
abyss_trap_stubs:
%assign v 0
%rep 256
    dq trap_stub_ %+ v
%assign v v + 1
%endrep
