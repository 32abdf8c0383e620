/// \file
/// PageTable: one x86-64 4-level address space. The lower half (PML4 slots 0..255) is the
/// user's and owned by this table; the upper half is shared with the boot table, so every
/// address space sees the same kernel.
///
/// Ownership: a present user leaf entry holds one reference to its frame (Page::into_raw);
/// every user page-table page belongs to this table. Destroying the table drops every leaf
/// reference and frees every table page; it must not be loaded on any CPU then.
///
/// TLB discipline: an operation that removes or downgrades a mapping returns a
/// StaleTLBEntry, which must be invalidated (and keeps the old frame alive until it is).
/// The exception is a right taken away in place, many entries at a time
/// (PteSlot::write_protect, or set_raw with fewer rights): the table then owes a shootdown
/// (shootdown_owed()) until tlb_shutdown(table) flushes it everywhere. fork checks that
/// write_protect_ptes leaves nothing owed.
///
/// Locking: none inside. The owner (the address space) serialises changes. The set of CPUs
/// that have the table loaded is kept atomically here.
///
/// Changes usually come in address order (fork copies a table front to back, a program
/// faults its pages in one after another), so the changing operations remember the last
/// last-level table they went through and skip the walk from the root while they stay in
/// its 2 MiB. That memory belongs to the owner like the changes do; const operations
/// neither read nor write it, so concurrent readers stay safe.
#pragma once

#include <atomic>
#include <cstdint>

#include <keos/addressing.hpp>
#include <keos/mm/page.hpp>
#include <keos/mm/pte.hpp>
#include <keos/mm/tlb.hpp>
#include <keos/result.hpp>

namespace keos {

class PageTable;

/// A leaf entry found by PageTable::walk_mut, to read or rewrite in place.
/// It points into the table, so it is valid only while the table and the mapping
/// exist, and only for the address space's owner (see Locking in the file comment).
class PteSlot {
 public:
  /// The entry as it is now.
  Pte get() const { return *entry_; }
  /// The (page-aligned) user address the entry maps.
  Va va() const { return va_; }
  /// Installs `page` with `perm` in place of the current frame; the returned entry owns
  /// the old frame until it is invalidated. (Inline: a copy-on-write fault's hot path.)
  StaleTLBEntry replace(Page page, Permission perm) {
    Pte old = *entry_;
    KASSERT(old.present());
    *entry_ = Pte::leaf(std::move(page).into_raw(), perm);
    return StaleTLBEntry(*table_, va_, Page::from_raw(old.pa()));
  }
  /// Rewrites the entry's flags for `perm`, keeping the frame; the returned entry must be
  /// invalidated (it holds a reference to the frame until then).
  StaleTLBEntry set_permission(Permission perm);
  /// Adds the write right, keeping the frame and every other bit. Adding a right needs no
  /// invalidation: a CPU that still caches the read-only entry at most takes one more
  /// write fault, which LazyPager::handle_page_fault() ends at once (it finds the entry
  /// writable and lets the write retry).
  void make_writable() { *entry_ = entry_->with_flags(Pte::kWritable); }
  /// Removes the mapping; the returned entry owns the frame until it is invalidated.
  StaleTLBEntry clear();
  /// Takes the write right away, keeping the frame and every other bit. CPUs may still
  /// cache the writable translation: the table owes a shootdown until
  /// tlb_shutdown(table) (see the file comment).
  inline void write_protect();
  /// Writes `pte` as it is (kernel code and tests; not for project 3). The caller answers
  /// for the frame references; a right taken away makes the table owe a shootdown.
  inline void set_raw(Pte pte);

 private:
  friend class PageTable;
  PteSlot(const PageTable& table, Va va, Pte* entry) : table_(&table), va_(va), entry_(entry) {}
  const PageTable* table_;
  Va va_;
  Pte* entry_;
};

/// One address space (see the file comment). Move-only; the moved-from table is empty and
/// must not be used except to be destroyed.
class PageTable {
 public:
  /// A new address space: an empty user half and the shared kernel half.
  static Result<PageTable> create();
  /// Takes over `other`'s tables and mappings; `other` must not be loaded on any CPU.
  PageTable(PageTable&& other);
  PageTable(const PageTable&) = delete;
  PageTable& operator=(const PageTable&) = delete;
  PageTable& operator=(PageTable&&) = delete;
  /// Tears down the user half (see the file comment). Panics if a CPU has it loaded.
  ~PageTable();

  /// Maps the user page at `va` to `page` with `perm` (kRead required). Errors:
  /// kInvalidArgument (unaligned, not a user address, no kRead), kExists (already mapped),
  /// kNoMemory (no frame for a table page). On error `page` is dropped.
  Result<void> map(Va va, Page page, Permission perm) {
    Pte* entry = remembered_entry(va);  // the common case, inline: see leaf_table_
    if (entry == nullptr || !va.is_page_aligned() || !has(perm, Permission::kRead)) {
      return map_walk(va, std::move(page), perm);
    }
    if (entry->present()) return Err(KernelError::kExists);
    *entry = Pte::leaf(std::move(page).into_raw(), perm);
    return Ok();
  }
  /// Removes the mapping at `va`. Errors: kInvalidArgument, kNoSuchEntry (not mapped).
  Result<StaleTLBEntry> unmap(Va va);
  /// Changes the permission of the mapping at `va` (errors as unmap, plus no kRead).
  Result<StaleTLBEntry> protect(Va va, Permission perm);
  /// The leaf entry for `va` (page aligned or not). kNoSuchEntry if not present.
  Result<Pte> walk(Va va) const;
  /// The leaf entry slot for `va`, to rewrite. kNoSuchEntry if not present.
  Result<PteSlot> walk_mut(Va va) {
    Pte* entry = remembered_entry(va);  // the common case, inline: see leaf_table_
    if (entry == nullptr) return walk_mut_walk(va);
    if (!entry->present()) return Err(KernelError::kNoSuchEntry);
    return PteSlot(*this, va.page_down(), entry);
  }

  /// Calls fn(PteSlot) for every present user leaf entry, in address order.
  template <class Fn>
  void for_each_present(Fn&& fn) {
    Result<void> done = visit_leaves(
        [](void* ctx, PteSlot slot) -> Result<void> {
          (*static_cast<Fn*>(ctx))(slot);
          return Ok();
        },
        &fn);
    KASSERT(done.is_ok());
  }
  /// Calls fn(PteSlot), which returns Result<void>, for every present user leaf entry in
  /// address order, and stops at the first error, which it returns; so `TRY(...)` works
  /// inside fn. Entries visited before the error keep whatever fn did to them.
  template <class Fn>
  Result<void> try_for_each_present(Fn&& fn) {
    return visit_leaves(
        [](void* ctx, PteSlot slot) -> Result<void> { return (*static_cast<Fn*>(ctx))(slot); },
        &fn);
  }

  /// The physical address of the PML4 (what CR3 holds).
  Pa root() const { return root_; }
  /// Bit i is set while CPU i has this table loaded.
  std::uint64_t active_cpus() const { return active_cpus_.load(std::memory_order_acquire); }

  /// The boot table as a PageTable, for kernel mappings: counted as loaded on every CPU,
  /// so its stale entries are shot down everywhere. Never destroyed.
  static const PageTable& kernel();

  /// True if a right was taken away in place (PteSlot::write_protect or set_raw) since the
  /// last tlb_shutdown(*this): some CPU may still use the old, wider translation.
  bool shootdown_owed() const { return shootdown_owed_; }

  /// Loads this table on the calling CPU (interrupts must be off).
  void activate();
  /// Loads the kernel-only boot table on the calling CPU (interrupts must be off).
  static void activate_kernel();

 private:
  explicit PageTable(Pa root) : root_(root) {}
  enum class Walk { kExisting, kCreate };
  // The leaf entry for `va` (page aligned): from the remembered last-level table when `va`
  // is in its 2 MiB, else by a walk from the root, which then becomes the remembered one.
  Result<Pte*> leaf_entry(Va va, Walk mode);
  // The entry for `va` in the remembered last-level table; nullptr if `va` is not in its
  // 2 MiB (only user addresses are ever remembered).
  Pte* remembered_entry(Va va) const {
    if ((va.value() >> kLeafRegionShift) != leaf_region_) return nullptr;
    return &leaf_table_[(va.value() >> kPageShift) & 511];
  }
  Result<void> map_walk(Va va, Page page, Permission perm);
  Result<PteSlot> walk_mut_walk(Va va);
  static constexpr unsigned kPageShift = 12;
  static constexpr unsigned kLeafRegionShift = kPageShift + 9;  // a last-level table: 2 MiB
  // Calls fn(ctx, slot) for every present user leaf entry, in address order, until one
  // call returns an error.
  Result<void> visit_leaves(Result<void> (*fn)(void*, PteSlot), void* ctx);

  friend class PteSlot;
  friend void tlb_shutdown(const PageTable& table);
  Pa root_;
  std::atomic<std::uint64_t> active_cpus_{0};
  // The remembered last-level table: the 2 MiB region it maps (va >> 21; ~0: none) and
  // its entries. Table pages are freed only with the whole PageTable, so it never dangles.
  std::uint64_t leaf_region_ = ~0ull;
  Pte* leaf_table_ = nullptr;
  // Set by PteSlot::write_protect/set_raw when a right goes, cleared by tlb_shutdown().
  // Changed only by the owner (see Locking), like the entries.
  mutable bool shootdown_owed_ = false;
};

inline void PteSlot::write_protect() {
  *entry_ = entry_->without_flags(Pte::kWritable);
  table_->shootdown_owed_ = true;
}

inline void PteSlot::set_raw(Pte pte) {
  Pte old = *entry_;
  bool narrower = (old.present() && !pte.present()) || (old.writable() && !pte.writable()) ||
                  (old.user() && !pte.user()) || (old.executable() && !pte.executable());
  *entry_ = pte;
  if (narrower) table_->shootdown_owed_ = true;
}

/// True if [va, va + len) lies in user space without wrapping around.
bool is_user_range(Va va, std::uint64_t len);

/// Kernel virtual memory outside the direct map: one PML4 slot of the boot table, shared
/// by every address space, where kernel stacks live between unmapped guard pages.
namespace kernel_vm {

/// The region's first address.
inline constexpr std::uint64_t kBase = 0xfffffe8000000000;  // PML4 slot 509
/// The region's size: one PML4 slot, 512 GiB.
inline constexpr std::uint64_t kSize = 1ull << 39;

/// Creates the region's top-level table (BSP, before any PageTable is created).
Result<void> init();
/// Creates every page-table page that mappings in [va, va + len) of the region need, so
/// that map_page() there allocates none: the frames a region's tables take then do not
/// depend on how much of it was ever in use.
Result<void> prepare_tables(Va va, std::uint64_t len);
/// Maps `page` read-write, not executable, at `va` in the region.
Result<void> map_page(Va va, Page page);
/// Removes `pages` mappings from `va`, invalidates them on every CPU in one round, then
/// drops their frames.
void unmap_pages(Va va, std::uint64_t pages);

}  // namespace kernel_vm

}  // namespace keos
