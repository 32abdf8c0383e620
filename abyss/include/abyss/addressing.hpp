/// \file
/// Strong address types: a physical address (Pa), a virtual address in any address space
/// (Va) and a kernel virtual address (Kva). They never convert implicitly, so a physical
/// address cannot be dereferenced or passed where a virtual one is expected.
///
/// All physical memory is reachable through the direct map: kva = pa + kDirectMapBase
/// (PML4 slot 510), which also holds the kernel image (linked at kDirectMapBase + 1 MiB).
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>

namespace abyss {

/// The size of a page and of a physical frame, in bytes.
inline constexpr std::uint64_t kPageSize = 4096;
/// Where the direct map starts: physical address 0 appears at this virtual address.
inline constexpr std::uint64_t kDirectMapBase = 0xffffff0000000000;
/// User space is the lower half: PML4 slots 0..255.
inline constexpr std::uint64_t kUserEnd = 0x0000800000000000;

/// A 64-bit address of the kind named by `Tag` (see Pa, Va, Kva). Arithmetic keeps the
/// kind: an address plus a byte count is an address of the same kind, and the difference
/// of two addresses is a byte count. Nothing converts it to another kind or to a pointer
/// except the named functions below.
template <class Tag>
class Address {
 public:
  /// Address 0.
  constexpr Address() = default;
  /// The address `value` (no check: any 64-bit value is accepted).
  constexpr explicit Address(std::uint64_t value) : value_(value) {}

  /// The address as a number.
  constexpr std::uint64_t value() const { return value_; }
  /// The offset within its page (0 .. kPageSize - 1).
  constexpr std::uint64_t page_offset() const { return value_ & (kPageSize - 1); }
  /// True if the address is the first byte of a page.
  constexpr bool is_page_aligned() const { return page_offset() == 0; }
  /// The start of the page holding this address.
  constexpr Address page_down() const { return Address(value_ & ~(kPageSize - 1)); }
  /// The first page boundary at or above this address (wraps to 0 near the top).
  constexpr Address page_up() const { return Address((value_ + kPageSize - 1) & ~(kPageSize - 1)); }

  /// The address `delta` bytes higher.
  constexpr Address operator+(std::uint64_t delta) const { return Address(value_ + delta); }
  /// The address `delta` bytes lower.
  constexpr Address operator-(std::uint64_t delta) const { return Address(value_ - delta); }
  /// The distance in bytes from `other` up to this address.
  constexpr std::uint64_t operator-(Address other) const { return value_ - other.value_; }
  /// Moves this address `delta` bytes higher.
  constexpr Address& operator+=(std::uint64_t delta) {
    value_ += delta;
    return *this;
  }
  /// Addresses of one kind compare as numbers.
  constexpr auto operator<=>(const Address&) const = default;

 private:
  std::uint64_t value_ = 0;
};

struct PaTag;
struct VaTag;
struct KvaTag;
/// A physical address.
using Pa = Address<PaTag>;
/// A virtual address in some address space (usually a user address).
using Va = Address<VaTag>;
/// A kernel virtual address; dereferenceable.
using Kva = Address<KvaTag>;

/// The direct-map address of physical address `pa`.
constexpr Kva to_kva(Pa pa) { return Kva(pa.value() + kDirectMapBase); }
/// The physical address behind direct-map address `kva` (which must be in the direct map).
constexpr Pa to_pa(Kva kva) { return Pa(kva.value() - kDirectMapBase); }

// The seam between addresses and pointers. In the kernel a direct-map address is the
// pointer. In host unit tests "physical memory" is an arena in the test process: the test
// sets host_phys_base so that pointer = host_phys_base + pa. (The reference documents the
// kernel's branch.)
#if __STDC_HOSTED__
inline std::uintptr_t host_phys_base = 0;
template <class T = void>
T* kva_ptr(Kva kva) {
  return reinterpret_cast<T*>(host_phys_base + (kva.value() - kDirectMapBase));
}
inline Kva kva_of(const volatile void* p) {
  return Kva(reinterpret_cast<std::uintptr_t>(p) - host_phys_base + kDirectMapBase);
}
#else
/// The pointer for a kernel virtual address.
template <class T = void>
T* kva_ptr(Kva kva) {
  return reinterpret_cast<T*>(kva.value());
}
/// The kernel virtual address of an object.
inline Kva kva_of(const volatile void* p) { return Kva(reinterpret_cast<std::uintptr_t>(p)); }
#endif

/// A pointer to physical memory through the direct map.
template <class T = void>
T* phys_ptr(Pa pa) {
  return kva_ptr<T>(to_kva(pa));
}

}  // namespace abyss
