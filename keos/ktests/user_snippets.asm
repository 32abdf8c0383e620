; Small position-independent ring-3 programs for the kernel's user-mode tests. A test
; copies the bytes between SNIPPET_start and SNIPPET_end into a user code page and runs
; them. Conventions: the code page is at CODE (read + execute), a data page right after it
; (read + write), and the stack below. System calls of the test task: rax 0 = exit(rdi),
; rax 1 = "echo": returns rdi + rsi + rdx + r10 + r8 + r9.

%macro SNIPPET 1
global %1_start, %1_end
%endmacro

section .rodata

SNIPPET user_spin
user_spin_start:                        ; counts in the data page forever
    lea rbx, [rel user_spin_end]
    add rbx, 4095
    and rbx, -4096                      ; the data page
.loop:
    inc qword [rbx]
    jmp .loop
user_spin_end:

SNIPPET user_ud2
user_ud2_start:
    ud2
user_ud2_end:

SNIPPET user_int3
user_int3_start:
    int3
user_int3_end:

SNIPPET user_divide
user_divide_start:
    xor ecx, ecx
    xor edx, edx
    mov eax, 1
    div ecx
user_divide_end:

SNIPPET user_write_code
user_write_code_start:                  ; the code page is not writable
    lea rax, [rel user_write_code_start]
    mov qword [rax], 0
user_write_code_end:

SNIPPET user_read_unmapped
user_read_unmapped_start:
    mov rax, [abs 0x1000]
user_read_unmapped_end:

SNIPPET user_exec_stack
user_exec_stack_start:                  ; the stack is not executable
    mov rax, rsp
    sub rax, 64
    jmp rax
user_exec_stack_end:

SNIPPET user_privileged
user_privileged_start:
    hlt
user_privileged_end:

SNIPPET user_noncanonical
user_noncanonical_start:
    mov rax, 0x8000000000000000
    mov qword [rax], 1
user_noncanonical_end:

SNIPPET user_kernel_read
user_kernel_read_start:                 ; kernel memory is not user accessible
    mov rax, 0xffffff0000100000
    mov rax, [rax]
user_kernel_read_end:

SNIPPET user_exit
user_exit_start:                        ; exit(42)
    mov edi, 42
    xor eax, eax
    syscall
    ud2
user_exit_end:

; Calls echo with known arguments and checks the result and that every register the
; ABI preserves came back unchanged; exits 0 if all is well, else the number of the check
; that failed.
SNIPPET user_syscall_regs
user_syscall_regs_start:
    mov rbx, 0x1111111111111111
    mov rbp, 0x2222222222222222
    mov r12, 0x3333333333333333
    mov r13, 0x4444444444444444
    mov r14, 0x5555555555555555
    mov r15, 0x6666666666666666
    mov rdi, 1
    mov rsi, 2
    mov rdx, 3
    mov r10, 4
    mov r8, 5
    mov r9, 6
    mov eax, 1
    syscall
    mov edi, 1
    cmp rax, 21
    jne .fail
    inc edi
    mov rcx, 0x1111111111111111
    cmp rbx, rcx
    jne .fail
    inc edi
    mov rcx, 0x2222222222222222
    cmp rbp, rcx
    jne .fail
    inc edi
    mov rcx, 0x3333333333333333
    cmp r12, rcx
    jne .fail
    inc edi
    mov rcx, 0x4444444444444444
    cmp r13, rcx
    jne .fail
    inc edi
    mov rcx, 0x5555555555555555
    cmp r14, rcx
    jne .fail
    inc edi
    mov rcx, 0x6666666666666666
    cmp r15, rcx
    jne .fail
    inc edi
    cmp rsi, 2
    jne .fail
    inc edi
    cmp rdx, 3
    jne .fail
    inc edi
    cmp r10, 4
    jne .fail
    inc edi
    cmp r8, 5
    jne .fail
    inc edi
    cmp r9, 6
    jne .fail
    xor edi, edi
.fail:
    xor eax, eax
    syscall
    ud2
user_syscall_regs_end:
