# grader: the in-kernel tests (linked into the kernel; selected at boot).
# grader/bench: the benchmarks of `make bench` (run only when the command line asks).
KERNEL_SRCS += $(wildcard grader/tests/*.cpp grader/tests/support/*.cpp grader/bench/*.cpp)
KERNEL_ASM += $(wildcard grader/tests/*.asm)
