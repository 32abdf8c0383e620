# grader: the in-kernel tests (linked into the kernel; selected at boot).
KERNEL_SRCS += $(wildcard grader/tests/*.cpp)
KERNEL_ASM += $(wildcard grader/tests/*.asm)
