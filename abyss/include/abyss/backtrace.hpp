/// \file
/// Stack backtraces by frame-pointer walk (the kernel is built with -fno-omit-frame-pointer),
/// symbolized with the embedded symbol table.
#pragma once

#include <cstdint>

namespace abyss {

/// What the first address given to print_backtrace() is.
enum class FirstFrame {
  kInstruction,    ///< the faulting instruction itself (a trap's RIP)
  kReturnAddress,  ///< a return address: symbolized by the call instruction before it
};

/// Prints "backtrace:" and one line per frame: the frame at `rip` first, then the callers
/// found by following the saved frame pointers from `rbp`. Stops at a frame pointer that
/// leaves the kernel's address range, goes backwards, or after 32 frames.
void print_backtrace(std::uint64_t rip, std::uint64_t rbp, FirstFrame first);

/// The backtrace of a trap taken in ring 0. GCC builds small leaf functions without a
/// frame; when the word on top of the trapped stack is a return address whose call
/// instruction targets the trapped function, that caller is printed as frame #1.
void print_trap_backtrace(std::uint64_t rip, std::uint64_t rsp, std::uint64_t rbp);

}  // namespace abyss
