/// \file
/// KEOS_TODO: the body of an assignment function the student has not written yet. It says,
/// loudly and precisely, which function is missing and where, then stops the kernel (so
/// the test that needed the function ends at once with that reason, never hangs):
/// ```
///   @@ todo LazyPager::write_protect_ptes at project3/fork.cpp:57
///   KERNEL PANIC ...: not implemented: LazyPager::write_protect_ptes (project3/fork.cpp:57)
/// ```
#pragma once

namespace keos {

/// Prints the `@@ todo` line for `function` at `file`:`line`, then panics with "not
/// implemented". Never returns. Use it through KEOS_TODO.
[[noreturn]] void not_implemented(const char* function, const char* file, int line);

}  // namespace keos

/// The body of an unwritten assignment function: `KEOS_TODO("LazyPager::do_copy_on_write");`
/// reports the function (a string) with this file and line and stops the kernel.
#define KEOS_TODO(function) ::keos::not_implemented(function, __FILE__, __LINE__)
