/// \file
/// Kernel panic: the end of the line for a broken kernel invariant or a kernel-mode fault.
///
/// A panic stops every other CPU with an NMI, prints a report on the console (message,
/// registers when a trap caused it, a symbolized backtrace) between the protocol lines
/// "@@ panic cpu=N" and "@@ panic-end", and powers the machine off with the panic exit code.
/// A panic inside a panic powers off at once.
#pragma once

#include <abyss/trap.hpp>

namespace abyss {

/// Stops the machine with a report whose message is formatted from `fmt` (printf-style;
/// see abyss::format()), a backtrace of the caller, and the panic exit code. Never
/// returns. Any CPU, any context, interrupts on or off.
[[noreturn]] void panic(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
/// Panic caused by a trap: the report includes the trap's registers and its backtrace.
[[noreturn]] void panic_trap(const TrapFrame& frame, const char* fmt, ...)
    __attribute__((format(printf, 2, 3)));

/// True once any CPU has started to panic.
bool panicking();

/// Called on the panicking CPU after the message line, to add lines of its own (the
/// kernel names the running thread).
using PanicHook = void (*)();
/// Installs the panic hook (once, at boot; nullptr removes it).
void set_panic_hook(PanicHook hook);

}  // namespace abyss

/// Checks a kernel invariant in every build; panics with the expression and location.
#define KASSERT(cond)                                                                     \
  do {                                                                                    \
    if (!(cond)) [[unlikely]]                                                             \
      ::abyss::panic("assertion `%s' failed at %s:%d in %s()", #cond, __FILE__, __LINE__, \
                     __func__);                                                           \
  } while (0)

/// Marks a destructor that may panic. In the kernel a panic never returns; in host unit
/// tests it throws HostPanic, which may leave a destructor only if the destructor allows it.
#if __STDC_HOSTED__
#define KEOS_DTOR_MAY_PANIC noexcept(false)
#else
#define KEOS_DTOR_MAY_PANIC
#endif
