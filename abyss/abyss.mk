# abyss: the x86-64 layer.
KERNEL_INCLUDE_DIRS += abyss/include
KERNEL_ASM += abyss/boot/header.asm abyss/boot/entry.asm abyss/boot/trampoline.asm \
  abyss/src/trap_stubs.asm
KERNEL_SRCS += $(wildcard abyss/src/*.cpp)

# In-kernel self-tests of this layer (CPUs, timer, IPIs, the panic report), linked into
# every kernel and selected at boot.
KERNEL_SRCS += $(wildcard abyss/ktests/*.cpp)

# Sources that also build on the host, and their tests.
UNIT_KERNEL_SRCS += abyss/src/format.cpp abyss/src/multiboot1.cpp abyss/src/multiboot2.cpp \
  abyss/src/acpi.cpp \
  abyss/src/symbols.cpp abyss/src/cmdline.cpp
UNIT_SRCS += $(wildcard abyss/tests/*.cpp) $(wildcard abyss/tests/support/*.cpp)

# The UBSan runtime must not check itself (it would recurse).
$(BUILD)/kernel/abyss/src/ubsan.o: KERNEL_CXXFLAGS += -fno-sanitize=all
