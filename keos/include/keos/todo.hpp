/// \file
/// KEOS_TODO: the body of an assignment function the student has not written yet. It says,
/// loudly and precisely, which function is missing and where, and the test that needed it
/// ends at once with that reason, never hangs:
/// ```
///   @@ todo LazyPager::write_protect_ptes at project3/fork.cpp:66
/// ```
/// Reached by a user process of a running test (in a system call or a page fault, with
/// interrupts on), it ends that test's processes (hang_up on their teletype) and the
/// thread that reached it; the test reports `@@ ktest todo` and the next test runs.
/// Reached anywhere else (a kernel test calling the function itself), it stops the kernel:
/// ```
///   KERNEL PANIC ...: not implemented: LazyPager::write_protect_ptes (project3/fork.cpp:66)
/// ```
/// and the host runner boots again for the tests that are left.
#pragma once

namespace keos {

/// Prints the `@@ todo` line for `function` at `file`:`line`, then ends the test's
/// processes or stops the kernel (see the file comment). Never returns. Use it through
/// KEOS_TODO.
[[noreturn]] void not_implemented(const char* function, const char* file, int line);

}  // namespace keos

/// The body of an unwritten assignment function: `KEOS_TODO("LazyPager::do_copy_on_write");`
/// reports the function (a string) with this file and line (see the file comment).
#define KEOS_TODO(function) ::keos::not_implemented(function, __FILE__, __LINE__)
