# keos: the kernel abstractions.
KERNEL_INCLUDE_DIRS += keos/include
KERNEL_SRCS += $(wildcard keos/src/*.cpp keos/src/*/*.cpp)
KERNEL_ASM += $(wildcard keos/src/*/*.asm)

# In-kernel self-tests of this layer (frames, heap, page tables, TLB, threads, sync, files,
# pipes, user mode, system calls, processes), linked into every kernel and selected at
# boot. Their shared harness (running a user program, memory pressure, fault-injection
# sweeps) is keos/ktests/ktest/, included as <ktest/...> by every part's tests.
KERNEL_INCLUDE_DIRS += keos/ktests
KERNEL_SRCS += $(wildcard keos/ktests/*.cpp keos/ktests/ktest/*.cpp)
KERNEL_ASM += $(wildcard keos/ktests/*.asm)

# Sources that also build on the host (pure logic, or reaching the machine only through
# the seams in keos/tests/support), and their tests.
UNIT_KERNEL_SRCS += keos/src/mm/buddy.cpp keos/src/mm/frame_cache.cpp keos/src/glob.cpp keos/src/result.cpp \
  keos/src/mm/page.cpp keos/src/mm/page_table.cpp keos/src/mm/tlb.cpp \
  keos/src/process/elf.cpp keos/src/process/user_stack.cpp keos/src/process/vma.cpp \
  keos/src/process/lazy_pager_areas.cpp \
  $(wildcard keos/src/fs/archive.cpp)
UNIT_SRCS += $(wildcard keos/tests/*.cpp keos/tests/support/*.cpp)
