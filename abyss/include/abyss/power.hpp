/// \file
/// Leaving the machine: QEMU's isa-debug-exit device (port 0xf4) ends QEMU with status
/// (code << 1) | 1; on other machines ACPI S5 powers off; if both fail the CPU halts.
#pragma once

#include <cstdint>

namespace abyss {

/// Exit codes seen by the host (QEMU exits with (code << 1) | 1).
enum class ExitCode : std::uint8_t {
  kSuccess = 0x10,  ///< QEMU status 33
  kFailure = 0x11,  ///< QEMU status 35
  kPanic = 0x12,    ///< QEMU status 37
};

/// Ends the machine with `code` (see the file comment); never returns. Other CPUs should
/// be stopped or idle first.
[[noreturn]] void power_off(ExitCode code);

}  // namespace abyss
