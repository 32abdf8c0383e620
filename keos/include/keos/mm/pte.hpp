/// \file
/// Pte: one x86-64 page-table entry as a value, with named accessors; and Permission, the
/// access rights a mapping grants.
///
/// A leaf entry for a permission is: Present, +Writable if kWrite, +User if kUser,
/// +NoExecute unless kExecutable, nothing else. kRead is required for every mapping (x86
/// cannot map a page that is not readable).
#pragma once

#include <cstdint>

#include <keos/addressing.hpp>

namespace keos {

/// A set of access rights, combined with `|`, `&` and `~` and tested with has().
/// kRead, kWrite and kUser have the values of the entry's P, RW and US bits, so that
/// converting between the two is a mask (see Pte::leaf and Pte::permission).
enum class Permission : std::uint8_t {
  kNone = 0,             ///< no right
  kRead = 1 << 0,        ///< the page may be read (required in every mapping)
  kWrite = 1 << 1,       ///< the page may be written
  kUser = 1 << 2,        ///< ring 3 may access the page
  kExecutable = 1 << 3,  ///< instructions may be fetched from the page
};

/// The union of two sets of rights.
constexpr Permission operator|(Permission a, Permission b) {
  return static_cast<Permission>(static_cast<std::uint8_t>(a) | static_cast<std::uint8_t>(b));
}
/// The rights in both sets.
constexpr Permission operator&(Permission a, Permission b) {
  return static_cast<Permission>(static_cast<std::uint8_t>(a) & static_cast<std::uint8_t>(b));
}
/// The complement of `a`: every right it lacks. Intersecting with it (`&`) takes the
/// rights of `a` away from a set.
constexpr Permission operator~(Permission a) {
  return static_cast<Permission>(~static_cast<std::uint8_t>(a) & 0xf);
}
/// True if `set` includes every right in `p`.
constexpr bool has(Permission set, Permission p) { return (set & p) == p; }

/// One 64-bit page-table entry, held by value: reading or changing a Pte never touches a
/// page table (PteSlot writes one back).
class Pte {
 public:
  static constexpr std::uint64_t kPresent = 1ull << 0;       ///< P: the entry is valid
  static constexpr std::uint64_t kWritable = 1ull << 1;      ///< RW: writes allowed
  static constexpr std::uint64_t kUser = 1ull << 2;          ///< US: ring 3 may access
  static constexpr std::uint64_t kWriteThrough = 1ull << 3;  ///< PWT: write-through caching
  static constexpr std::uint64_t kCacheDisable = 1ull << 4;  ///< PCD: caching disabled
  static constexpr std::uint64_t kAccessed = 1ull << 5;      ///< A: set by the CPU on use
  static constexpr std::uint64_t kDirty = 1ull << 6;         ///< D: set by the CPU on a write
  static constexpr std::uint64_t kHuge = 1ull << 7;          ///< PS: a 2 MiB or 1 GiB page
  static constexpr std::uint64_t kGlobal = 1ull << 8;        ///< G: kept across CR3 loads
  static constexpr std::uint64_t kNoExecute = 1ull << 63;    ///< XD: no instruction fetch
  /// The bits of the entry that hold the physical address.
  static constexpr std::uint64_t kAddressMask = 0x000ffffffffff000ull;

  /// The empty entry (not present).
  constexpr Pte() = default;
  /// The entry whose 64 bits are `raw`.
  constexpr explicit Pte(std::uint64_t raw) : raw_(raw) {}

  /// The leaf entry mapping `pa` with `perm` (see the file comment).
  static constexpr Pte leaf(Pa pa, Permission perm) {
    std::uint64_t raw = (pa.value() & kAddressMask) | kPresent | (bits_of(perm) & kWritable) |
                        (bits_of(perm) & kUser);
    if (!has(perm, Permission::kExecutable)) raw |= kNoExecute;
    return Pte(raw);
  }

  /// The entry's 64 bits.
  constexpr std::uint64_t raw() const { return raw_; }
  /// True if the entry maps something (P).
  constexpr bool present() const { return raw_ & kPresent; }
  /// True if writes are allowed (RW).
  constexpr bool writable() const { return raw_ & kWritable; }
  /// True if ring 3 may access the page (US).
  constexpr bool user() const { return raw_ & kUser; }
  /// True if instruction fetches are allowed (XD clear).
  constexpr bool executable() const { return !(raw_ & kNoExecute); }
  /// True if the CPU has used the entry since the bit was last cleared (A).
  constexpr bool accessed() const { return raw_ & kAccessed; }
  /// True if the CPU has written through the entry since the bit was last cleared (D).
  constexpr bool dirty() const { return raw_ & kDirty; }
  /// True if the entry maps a large page (PS; never in user tables).
  constexpr bool huge() const { return raw_ & kHuge; }
  /// The physical address the entry points at (a frame or the next-level table).
  constexpr Pa pa() const { return Pa(raw_ & kAddressMask); }
  /// The rights this (present) entry grants.
  constexpr Permission permission() const {
    Permission p = static_cast<Permission>(kPresent | (raw_ & (kWritable | kUser)));
    return executable() ? p | Permission::kExecutable : p;
  }

  /// This entry with the bits `flags` (kWritable, ...) set.
  constexpr Pte with_flags(std::uint64_t flags) const { return Pte(raw_ | flags); }
  /// This entry with the bits `flags` cleared: `pte.without_flags(Pte::kWritable)`.
  constexpr Pte without_flags(std::uint64_t flags) const { return Pte(raw_ & ~flags); }
  /// This entry pointing at `pa` instead, every flag kept.
  constexpr Pte with_pa(Pa pa) const {
    return Pte((raw_ & ~kAddressMask) | (pa.value() & kAddressMask));
  }
  /// Entries are equal when all 64 bits are.
  constexpr bool operator==(const Pte&) const = default;

 private:
  static constexpr std::uint64_t bits_of(Permission perm) {
    return static_cast<std::uint8_t>(perm);
  }
  std::uint64_t raw_ = 0;
};
static_assert(static_cast<std::uint64_t>(Permission::kRead) == Pte::kPresent &&
              static_cast<std::uint64_t>(Permission::kWrite) == Pte::kWritable &&
              static_cast<std::uint64_t>(Permission::kUser) == Pte::kUser);

}  // namespace keos
