# bench: the benchmarks of `make bench` (bench/bench.py runs them and judges the goals).
# The kernel-side ones are linked into every kernel and run only when the command line
# asks (keos/bench.hpp); the user programs (bench/user/) are in the root file system.
KERNEL_SRCS += $(wildcard bench/*.cpp)
$(eval $(call user_programs,bench/user))
