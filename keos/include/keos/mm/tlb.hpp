/// \file
/// TLB consistency.
///
/// A CPU caches translations in its TLB. Once a mapping is removed or loses a right, every
/// CPU that has the address space loaded may still hold the old translation; until it is
/// invalidated there, that CPU can keep using the old frame or the old right. So:
///
/// - Every PageTable operation that removes or downgrades a mapping returns a StaleTLBEntry.
///   invalidate() runs `invlpg` here and shoots the page down on every other CPU that has
///   the table loaded, waiting until each has done it; then it hands back the old frame,
///   which stayed referenced until that moment (no frame is freed while a TLB can reach it).
///   Dropping a StaleTLBEntry that was never invalidated is a bug and panics.
/// - tlb_shutdown(table) flushes every translation of a table on every CPU that has it
///   loaded (after changing many entries at once, e.g. write-protecting a whole space).
///
/// A CPU waiting for acknowledgements keeps answering requests sent to it, and so does a
/// CPU spinning on a lock (through the spin hook), so shootdowns cannot deadlock.
#pragma once

#include <cstdint>

#include <abyss/panic.hpp>
#include <keos/addressing.hpp>
#include <keos/mm/page.hpp>

namespace keos {

class PageTable;

/// The obligation to invalidate one translation, and the frame it pointed at (see the
/// file comment). Move-only; must be invalidate()d before it is destroyed.
class [[nodiscard]] StaleTLBEntry {
 public:
  /// A translation of `va` in `table` that may be cached, to a frame that `page` keeps
  /// alive until invalidate().
  StaleTLBEntry(const PageTable& table, Va va, Page page)
      : table_(&table), va_(va), page_(std::move(page)) {}
  /// Takes over `other`'s obligation and frame; `other` needs nothing more.
  StaleTLBEntry(StaleTLBEntry&& other);
  StaleTLBEntry(const StaleTLBEntry&) = delete;
  StaleTLBEntry& operator=(const StaleTLBEntry&) = delete;
  StaleTLBEntry& operator=(StaleTLBEntry&&) = delete;
  /// Panics unless invalidated or moved from.
  ~StaleTLBEntry() KEOS_DTOR_MAY_PANIC {
    if (table_ != nullptr) dropped();
  }

  /// Invalidates the translation on every CPU that has the table loaded; returns the
  /// frame the translation pointed at (drop it to release that reference).
  Page invalidate();
  /// The address whose translation is stale.
  Va va() const { return va_; }

 private:
  [[noreturn]] void dropped() const;  // the panic of a dropped obligation

  const PageTable* table_;  // nullptr once invalidated or moved from
  Va va_;
  Page page_;
};

/// Flushes every translation of `table` on every CPU that has it loaded, this one included.
void tlb_shutdown(const PageTable& table);

/// The hardware side of TLB consistency, used by StaleTLBEntry and tlb_shutdown(): the
/// kernel's version sends IPIs (keos/src/mm/shootdown.cpp); host unit tests record the
/// calls instead. Each function returns once every CPU concerned has done its part.
namespace tlb {

/// Invalidates the translation of `va` on every CPU that has `table` loaded.
void invalidate_page(const PageTable& table, Va va);
/// Invalidates `pages` pages from `va` (one round of IPIs for all of them).
void invalidate_range(const PageTable& table, Va va, std::uint64_t pages);
/// Flushes every translation of `table` on every CPU that has it loaded.
void invalidate_all(const PageTable& table);

/// Sets up the shootdown IPI and the spin hook (BSP, once, before the APs start).
void init();

/// Shootdown counters of one CPU (cumulative since boot).
struct Stats {
  std::uint64_t requests_sent;      ///< shootdown requests this CPU sent (one per target CPU)
  std::uint64_t requests_answered;  ///< requests this CPU carried out
  std::uint64_t ipis_sent;          ///< shootdown IPIs this CPU sent
};
/// The counters of CPU `cpu`.
Stats stats(std::uint32_t cpu);

}  // namespace tlb

inline Page StaleTLBEntry::invalidate() {
  KASSERT(table_ != nullptr);
  tlb::invalidate_page(*table_, va_);
  table_ = nullptr;
  return std::move(page_);
}

}  // namespace keos
