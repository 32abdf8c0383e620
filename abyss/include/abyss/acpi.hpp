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
  const void* (*read)(void* ctx, Pa pa, std::size_t len);  ///< the access function
  void* ctx;  ///< passed to `read` as it is
};

/// What the kernel learnt from the ACPI tables. Power-off writes
/// (slp_typ << 10) | (1 << 13) to each PM1 control port that exists.
struct AcpiInfo {
  std::uint32_t apic_ids[kMaxCpus];  ///< enabled (or online-capable) CPUs, in MADT order
  std::size_t cpu_count;             ///< how many entries of apic_ids are valid
  bool cpus_truncated;  ///< the MADT listed more than kMaxCpus usable CPUs
  Pa lapic_base;        ///< physical address of the local APICs' registers (MMIO)
  std::uint16_t pm1a_control;  ///< I/O port of the PM1a control register (FADT)
  std::uint16_t pm1b_control;  ///< 0 if absent
  std::uint16_t slp_typ_a;     ///< SLP_TYP value for S5 to write to PM1a
  std::uint16_t slp_typ_b;     ///< SLP_TYP value for S5 to write to PM1b
  bool s5_found;  ///< the DSDT had a usable `\_S5` package (else no ACPI power-off)
};

/// Why parse_acpi() failed.
enum class AcpiError {
  kNone,          ///< success
  kBadRsdp,       ///< the RSDP's signature, length or checksum is wrong
  kBadRootTable,  ///< the RSDT/XSDT cannot be read or fails its checksum
  kNoMadt         ///< no valid MADT: the CPUs cannot be found
};

/// Looks for the RSDP where PC firmware leaves it: the first KiB of the EBDA (its segment
/// is the 16-bit word at 0x40e) and 0xe0000 to 0xfffff, on 16-byte boundaries. Copies the
/// first one whose signature and checksum hold into `out` (20 bytes, or 36 when it is
/// version 2 and its extended checksum holds) and returns its size; 0 if there is none.
/// For loaders that pass no RSDP (Multiboot 1).
std::size_t find_rsdp(PhysView view, unsigned char (&out)[36]);

/// Parses ACPI starting from the RSDP copy (`rsdp`, `rsdp_size` bytes), reading the other
/// tables through `view`, and fills `out`. A missing FADT or DSDT is not an error (only
/// power-off through ACPI is then unavailable: `out.s5_found` is false).
AcpiError parse_acpi(const unsigned char* rsdp, std::size_t rsdp_size, PhysView view,
                     AcpiInfo& out);

/// Finds the `\_S5` sleep-type values in AML bytecode (`len` bytes at `aml`) and stores
/// them in `typ_a` and `typ_b`; false if the package is absent or malformed.
bool find_s5(const unsigned char* aml, std::size_t len, std::uint16_t& typ_a, std::uint16_t& typ_b);

}  // namespace abyss
