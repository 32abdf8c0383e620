; Ring 3 <-> ring 0: the `syscall` entry and the first entry into user mode.
;
; GS discipline: in ring 3 the GS base is the user's and the kernel's per-CPU pointer
; waits in KERNEL_GS_BASE; `swapgs` exchanges them on the way in and out. SFMASK clears IF
; on `syscall`, so nothing can interrupt the few instructions that run on the user stack
; before the switch to this thread's kernel stack (gs:16).

%define USER_CS 0x23
%define USER_DS 0x1b
%define SYSCALL_VECTOR 0x100            ; TrapFrame.vector of a system call

extern keos_syscall_dispatch
global keos_syscall_entry, keos_enter_user

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

%macro POP_GPRS_AND_IRET 0
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
    add rsp, 16                         ; vector, error code
    swapgs
    iretq
%endmacro

keos_syscall_entry:
    swapgs
    mov [gs:8], rsp                     ; park the user stack pointer
    mov rsp, [gs:16]                    ; this thread's kernel stack
    push USER_DS                        ; build a TrapFrame: ss, rsp, rflags, cs, rip
    push qword [gs:8]
    push r11
    push USER_CS
    push rcx
    push 0                              ; error code
    push SYSCALL_VECTOR
    PUSH_GPRS
    xor ebp, ebp                        ; backtraces end here
    mov rdi, rsp
    cld
    call keos_syscall_dispatch
    cli
    POP_GPRS_AND_IRET                   ; iretq restores everything, RIP included

; void keos_enter_user(const TrapFrame* frame): load `frame` and return to ring 3.
keos_enter_user:
    cli
    mov rsp, rdi
    POP_GPRS_AND_IRET
