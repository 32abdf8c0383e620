# keos: the kernel abstractions.
KERNEL_INCLUDE_DIRS += keos/include
KERNEL_SRCS += $(wildcard keos/src/*.cpp keos/src/*/*.cpp)

UNIT_KERNEL_SRCS += keos/src/mm/buddy.cpp keos/src/glob.cpp
UNIT_SRCS += $(wildcard keos/tests/*.cpp)
