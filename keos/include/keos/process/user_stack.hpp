/// \file
/// The initial user stack: 64 KiB, read-write, not executable, at [0x47470000, 0x47480000).
/// Its top page receives the program's arguments, laid out from the top down:
/// ```
///   the argument strings, last argument first, each with its NUL;
///   padding down to a multiple of 8;
///   a NULL pointer (argv[argc]), then argv[argc-1] .. argv[0] (argv[0] lowest);
///   a zero fake return address, where RSP points.
/// ```
/// For "/bin/ls -l foo bar": "bar" at 0x4747fffc, "foo" at 0x4747fff8, "-l" at 0x4747fff5,
/// "/bin/ls" at 0x4747ffed, argv = 0x4747ffc0, RSP = 0x4747ffb8. Host-testable.
#pragma once

#include <cstddef>
#include <cstdint>

#include <keos/addressing.hpp>
#include <keos/result.hpp>

namespace keos {

/// The address just above the user stack.
inline constexpr Va kUserStackTop(0x47480000);
/// The size of the user stack.
inline constexpr std::uint64_t kUserStackSize = 64 * 1024;

/// Where build_user_stack() put things: the registers a program starts with.
struct UserStack {
  Va rsp;              ///< the initial stack pointer (at the fake return address)
  Va argv;             ///< the user address of argv[0]'s pointer
  std::uint64_t argc;  ///< the number of arguments
};

/// Writes the layout above for the `argc` strings at `args` into `top_page`, the kernel
/// view of the page mapped at [kUserStackTop - 4096, kUserStackTop). kInvalidArgument if
/// it does not fit in that page.
Result<UserStack> build_user_stack(std::uint8_t* top_page, const char* const* args,
                                   std::size_t argc);

}  // namespace keos
