/// \file
/// The parts of ACPI the kernel uses: the CPUs' local-APIC ids (MADT), the local APIC base,
/// and what ACPI power-off needs (PM1 control ports from the FADT, SLP_TYP values from the
/// \_S5 package in the DSDT). Tables are reached through a PhysView so the parser is
/// host-testable over crafted tables; every table's length and checksum is verified.
#pragma once

#include <cstddef>
#include <cstdint>

#include <abyss/addressing.hpp>
#include <abyss/percpu.hpp>

namespace abyss {

/// Read access to physical memory: `read(ctx, pa, len)` returns a pointer to `len` bytes
/// at `pa`, or nullptr if they are not readable.
struct PhysView {
  const void* (*read)(void* ctx, Pa pa, std::size_t len);
  void* ctx;
};

struct AcpiInfo {
  std::uint32_t apic_ids[kMaxCpus];  ///< enabled (or online-capable) CPUs, in MADT order
  std::size_t cpu_count;
  bool cpus_truncated;  ///< the MADT listed more than kMaxCpus usable CPUs
  Pa lapic_base;
  // Power-off: write (slp_typ << 10) | (1 << 13) to each PM1 control port that exists.
  std::uint16_t pm1a_control;
  std::uint16_t pm1b_control;  ///< 0 if absent
  std::uint16_t slp_typ_a;
  std::uint16_t slp_typ_b;
  bool s5_found;
};

enum class AcpiError { kNone, kBadRsdp, kBadRootTable, kNoMadt };

/// Parses ACPI starting from the RSDP copy (`rsdp`, `rsdp_size` bytes).
AcpiError parse_acpi(const unsigned char* rsdp, std::size_t rsdp_size, PhysView view,
                     AcpiInfo& out);

/// Finds the \_S5 sleep-type values in AML bytecode; false if absent or malformed.
bool find_s5(const unsigned char* aml, std::size_t len, std::uint16_t& typ_a, std::uint16_t& typ_b);

}  // namespace abyss
