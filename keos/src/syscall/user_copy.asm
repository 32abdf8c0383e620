; Copies between kernel and user memory with fault recovery. Every instruction that
; touches user memory is listed in the exception table (section .keos_extable: pairs of
; {faulting instruction, where to resume}); a fault there that the task cannot resolve
; resumes at the fixup, which returns the number of bytes not copied.

global keos_user_copy
section .text

; size_t keos_user_copy(void* dst, const void* src, size_t n)  -> bytes left (0: success)
keos_user_copy:
    mov rcx, rdx
    cmp rcx, 8
    jb .bytes
.words:                                 ; 8 bytes at a time while at least 8 remain
.load8:
    mov rax, [rsi]
.store8:
    mov [rdi], rax
    add rsi, 8
    add rdi, 8
    sub rcx, 8
    cmp rcx, 8
    jae .words
.bytes:
    test rcx, rcx
    jz .done
.load1:
    mov al, [rsi]
.store1:
    mov [rdi], al
    inc rsi
    inc rdi
    dec rcx
    jnz .bytes
.done:
    xor eax, eax
    ret
.fault:
    mov rax, rcx
    ret

section .keos_extable
    dq .load8, .fault
    dq .store8, .fault
    dq .load1, .fault
    dq .store1, .fault
