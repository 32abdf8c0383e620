// The panic path: a kernel-mode fault and a failed assertion each produce the report
// (message, registers, symbolized backtrace) and power off with the panic status. The host
// runner checks the report, including that the backtrace names the test function.
#include <abyss/panic.hpp>
#include <keos/test.hpp>

KEOS_TEST_EXPECT_PANIC(panic_page_fault,
                       "page fault in kernel mode at address 0x00000000dead0000 ;; "
                       "ktest_panic_page_fault()+0x") {
  // Nothing is mapped in the lower half of the kernel's address space.
  *reinterpret_cast<volatile std::uint64_t*>(0xdead0000) = 42;
}

KEOS_TEST_EXPECT_PANIC(panic_assertion,
                       "assertion `one + one == 3' failed ;; ktest_panic_assertion()+0x") {
  volatile int one = 1;
  KASSERT(one + one == 3);
}
