; Thread context switch and the first instructions of a new thread.

extern keos_thread_entry
global keos_context_switch, keos_thread_start

section .text

; void keos_context_switch(uint64_t* save_rsp, uint64_t next_rsp)
; Saves the callee-saved registers on the current stack, parks the stack pointer in
; *save_rsp, and resumes the thread whose stack pointer is next_rsp.
keos_context_switch:
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    mov [rdi], rsp
    mov rsp, rsi
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret

; A new thread's stack is prepared so that keos_context_switch "returns" here with the
; Thread* in rbx and rbp = 0 (the end of every backtrace).
keos_thread_start:
    mov rdi, rbx
    call keos_thread_entry
    ud2
