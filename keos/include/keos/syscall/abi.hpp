/// \file
/// SyscallAbi: a system call as the ABI carries it. The number is in rax; the arguments in
/// rdi, rsi, rdx, r10, r8, r9; the result goes back in rax, where an error becomes its
/// negative errno value (the one place errors turn into numbers).
#pragma once

#include <cstdint>

#include <keos/result.hpp>
#include <keos/syscall/registers.hpp>

namespace keos {

/// System-call numbers (syscall-nr.h in the user library).
enum class Sys : std::uint64_t {
  kExit = 0,
  kOpen = 1,
  kRead = 2,
  kWrite = 3,
  kSeek = 4,
  kTell = 5,
  kClose = 6,
  kPipe = 7,
  kMmap = 8,
  kMunmap = 9,
  kFork = 10,
  kGetPhys = 0x81,
  kMemmapSnapshot = 0x82,  ///< test only: a memory-map snapshot (keos/process/memmap.hpp)
};

/// A view of the saved registers of one system call (see the file comment).
class SyscallAbi {
 public:
  /// Views `regs`, which must outlive the SyscallAbi.
  explicit SyscallAbi(Registers& regs) : regs_(regs) {}
  /// The system-call number (rax; see Sys).
  std::uint64_t number() const { return regs_.rax; }
  /// Argument `i` (0 .. 5).
  std::uint64_t arg(int i) const {
    switch (i) {
      case 0: return regs_.rdi;
      case 1: return regs_.rsi;
      case 2: return regs_.rdx;
      case 3: return regs_.r10;
      case 4: return regs_.r8;
      default: return regs_.r9;
    }
  }
  /// Writes the result into rax: the value, or -errno.
  void set_return(const Result<std::uint64_t>& result) {
    regs_.rax = result.is_ok() ? result.value()
                               : static_cast<std::uint64_t>(-errno_of(result.error()));
  }
  /// The registers themselves (fork copies them).
  Registers& registers() { return regs_; }

 private:
  Registers& regs_;
};

}  // namespace keos
