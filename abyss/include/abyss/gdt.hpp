/// \file
/// The global descriptor table: one per CPU, because each CPU has its own TSS (whose
/// descriptor the CPU marks busy). The selector layout also suits `syscall`/`sysret`:
/// user data sits right below user code.
#pragma once

#include <cstdint>

#include <abyss/percpu.hpp>

namespace abyss {

inline constexpr std::uint16_t kKernelCs = 0x08;      ///< kernel code selector (ring 0)
inline constexpr std::uint16_t kKernelDs = 0x10;      ///< kernel data/stack selector
inline constexpr std::uint16_t kUserDs = 0x18 | 3;    ///< user data/stack selector (RPL 3)
inline constexpr std::uint16_t kUserCs = 0x20 | 3;    ///< user code selector (RPL 3)
inline constexpr std::uint16_t kTssSelector = 0x28;   ///< this CPU's TSS (two GDT slots)

/// Builds `c`'s GDT and TSS (IST stacks given by `ist_tops`), loads them on this CPU.
void gdt_init(Cpu& c, const std::uint64_t (&ist_tops)[kIstCount]);

}  // namespace abyss
