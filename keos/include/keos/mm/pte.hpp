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

enum class Permission : std::uint8_t {
  kNone = 0,
  kRead = 1 << 0,
  kWrite = 1 << 1,
  kExecutable = 1 << 2,
  kUser = 1 << 3,
};

constexpr Permission operator|(Permission a, Permission b) {
  return static_cast<Permission>(static_cast<std::uint8_t>(a) | static_cast<std::uint8_t>(b));
}
constexpr Permission operator&(Permission a, Permission b) {
  return static_cast<Permission>(static_cast<std::uint8_t>(a) & static_cast<std::uint8_t>(b));
}
constexpr Permission operator~(Permission a) {
  return static_cast<Permission>(~static_cast<std::uint8_t>(a) & 0xf);
}
/// True if `set` includes every right in `p`.
constexpr bool has(Permission set, Permission p) { return (set & p) == p; }

class Pte {
 public:
  static constexpr std::uint64_t kPresent = 1ull << 0;
  static constexpr std::uint64_t kWritable = 1ull << 1;
  static constexpr std::uint64_t kUser = 1ull << 2;
  static constexpr std::uint64_t kWriteThrough = 1ull << 3;
  static constexpr std::uint64_t kCacheDisable = 1ull << 4;
  static constexpr std::uint64_t kAccessed = 1ull << 5;
  static constexpr std::uint64_t kDirty = 1ull << 6;
  static constexpr std::uint64_t kHuge = 1ull << 7;
  static constexpr std::uint64_t kGlobal = 1ull << 8;
  static constexpr std::uint64_t kNoExecute = 1ull << 63;
  static constexpr std::uint64_t kAddressMask = 0x000ffffffffff000ull;

  constexpr Pte() = default;
  constexpr explicit Pte(std::uint64_t raw) : raw_(raw) {}

  /// The leaf entry mapping `pa` with `perm` (see the file comment).
  static constexpr Pte leaf(Pa pa, Permission perm) {
    std::uint64_t raw = (pa.value() & kAddressMask) | kPresent;
    if (has(perm, Permission::kWrite)) raw |= kWritable;
    if (has(perm, Permission::kUser)) raw |= kUser;
    if (!has(perm, Permission::kExecutable)) raw |= kNoExecute;
    return Pte(raw);
  }

  constexpr std::uint64_t raw() const { return raw_; }
  constexpr bool present() const { return raw_ & kPresent; }
  constexpr bool writable() const { return raw_ & kWritable; }
  constexpr bool user() const { return raw_ & kUser; }
  constexpr bool executable() const { return !(raw_ & kNoExecute); }
  constexpr bool accessed() const { return raw_ & kAccessed; }
  constexpr bool dirty() const { return raw_ & kDirty; }
  constexpr bool huge() const { return raw_ & kHuge; }
  constexpr Pa pa() const { return Pa(raw_ & kAddressMask); }
  /// The rights this (present) entry grants.
  constexpr Permission permission() const {
    Permission p = Permission::kRead;
    if (writable()) p = p | Permission::kWrite;
    if (user()) p = p | Permission::kUser;
    if (executable()) p = p | Permission::kExecutable;
    return p;
  }

  constexpr Pte with_flags(std::uint64_t flags) const { return Pte(raw_ | flags); }
  constexpr Pte without_flags(std::uint64_t flags) const { return Pte(raw_ & ~flags); }
  constexpr Pte with_pa(Pa pa) const {
    return Pte((raw_ & ~kAddressMask) | (pa.value() & kAddressMask));
  }
  constexpr bool operator==(const Pte&) const = default;

 private:
  std::uint64_t raw_ = 0;
};

}  // namespace keos
