# grader: the in-kernel tests (linked into the kernel; selected at boot).
KERNEL_SRCS += $(wildcard grader/tests/*.cpp grader/tests/support/*.cpp)
KERNEL_ASM += $(wildcard grader/tests/*.asm)
