#include <keos/mm/page_table.hpp>

#include <new>

#include <abyss/boot.hpp>
#include <keos/mm/frame_alloc.hpp>

namespace keos {
namespace {

// The walker's arithmetic (the header's inline remembered_entry() repeats level 0's): level
// 3 is the PML4, level 0 the table of 4 KiB leaf entries; each level indexes 9 bits of the
// address.
constexpr int kTopLevel = 3;
constexpr unsigned kEntries = 512;
constexpr unsigned kUserSlots = 256;  // PML4 entries of the lower half
constexpr std::uint64_t kTableFlags = Pte::kPresent | Pte::kWritable | Pte::kUser;

unsigned index_of(Va va, int level) { return (va.value() >> (12 + 9 * level)) & (kEntries - 1); }

// The address mapped by entry `index` of a level-`level` table that starts at `base`.
Va address_of(Va base, int level, unsigned index) {
  return Va(base.value() + (static_cast<std::uint64_t>(index) << (12 + 9 * level)));
}

Pte* table_at(Pa pa) { return phys_ptr<Pte>(pa); }

Result<void> check_user_page(Va va) {
  if (!va.is_page_aligned() || va.value() >= kUserEnd) return Err(KernelError::kInvalidArgument);
  return Ok();
}

// Frees the table at `pa` (a level-`level` table) and everything below it.
void free_table(Pa pa, int level) {
  Pte* table = table_at(pa);
  unsigned count = level == kTopLevel ? kUserSlots : kEntries;
  for (unsigned i = 0; i < count; ++i) {
    Pte e = table[i];
    if (!e.present()) continue;
    if (level == 0) {
      Page::from_raw(e.pa());  // drops the reference the entry held
    } else {
      KASSERT(!e.huge());
      free_table(e.pa(), level - 1);
    }
  }
  mm::unref_frame(pa);
}

enum class Missing { kFail, kCreate };

// The leaf entry for `va` in the table rooted at `root`; missing tables are an error or
// are created with `table_flags`.
Result<Pte*> find_leaf(Pa root, Va va, Missing missing, std::uint64_t table_flags) {
  Pte* table = table_at(root);
  for (int level = kTopLevel; level > 0; --level) {
    Pte& e = table[index_of(va, level)];
    if (!e.present()) {
      if (missing == Missing::kFail) return Err(KernelError::kNoSuchEntry);
      e = Pte(TRY(mm::alloc_frame(mm::FrameUsage::kPageTable)).value() | table_flags);
    }
    KASSERT(!e.huge());
    table = table_at(e.pa());
  }
  return &table[index_of(va, 0)];
}

}  // namespace

bool is_user_range(Va va, std::uint64_t len) {
  return va.value() <= kUserEnd && len <= kUserEnd - va.value();
}

Result<PageTable> PageTable::create() {
  Pa root = TRY(mm::alloc_frame(mm::FrameUsage::kPageTable));
  const Pte* kernel = table_at(abyss::kernel_page_table_root());
  Pte* table = table_at(root);
  for (unsigned i = kUserSlots; i < kEntries; ++i) table[i] = kernel[i];
  return PageTable(root);
}

const PageTable& PageTable::kernel() {
  // Built in static storage and never destroyed: its frames are the boot table's.
  alignas(PageTable) static unsigned char storage[sizeof(PageTable)];
  static PageTable* table = [] {
    auto* t = new (storage) PageTable(abyss::kernel_page_table_root());
    t->active_cpus_.store(~0ull);  // its kernel half is loaded on every CPU, always
    return t;
  }();
  return *table;
}

PageTable::PageTable(PageTable&& other)
    : root_(other.root_),
      leaf_region_(other.leaf_region_),
      leaf_table_(other.leaf_table_),
      shootdown_owed_(other.shootdown_owed_) {
  KASSERT(other.active_cpus() == 0);
  other.root_ = Pa(0);
  other.leaf_region_ = ~0ull;
  other.leaf_table_ = nullptr;
}

PageTable::~PageTable() {
  if (root_.value() == 0) return;  // moved from
  if (active_cpus() != 0) {
    abyss::panic("page table %lx destroyed while loaded (cpus %lx)", root_.value(),
                 active_cpus());
  }
  free_table(root_, kTopLevel);
}

Result<Pte*> PageTable::leaf_entry(Va va, Walk mode) {
  std::uint64_t region = va.value() >> kLeafRegionShift;
  if (region != leaf_region_) {
    Pte* entry = TRY(find_leaf(root_, va, mode == Walk::kCreate ? Missing::kCreate : Missing::kFail,
                               kTableFlags));
    leaf_table_ = entry - index_of(va, 0);
    leaf_region_ = region;
  }
  return remembered_entry(va);
}

Result<void> PageTable::map_walk(Va va, Page page, Permission perm) {
  TRY(check_user_page(va));
  if (!has(perm, Permission::kRead)) return Err(KernelError::kInvalidArgument);
  Pte* entry = TRY(leaf_entry(va, Walk::kCreate));
  if (entry->present()) return Err(KernelError::kExists);
  *entry = Pte::leaf(std::move(page).into_raw(), perm);
  return Ok();
}

Result<StaleTLBEntry> PageTable::unmap(Va va) {
  TRY(check_user_page(va));
  Pte* entry = TRY(leaf_entry(va, Walk::kExisting));
  if (!entry->present()) return Err(KernelError::kNoSuchEntry);
  Pa old = entry->pa();
  *entry = Pte();
  return StaleTLBEntry(*this, va, Page::from_raw(old));
}

Result<StaleTLBEntry> PageTable::protect(Va va, Permission perm) {
  TRY(check_user_page(va));
  PteSlot slot = TRY(walk_mut(va));
  if (!has(perm, Permission::kRead)) return Err(KernelError::kInvalidArgument);
  return slot.set_permission(perm);
}

Result<Pte> PageTable::walk(Va va) const {
  if (va.value() >= kUserEnd) return Err(KernelError::kInvalidArgument);
  Pte* entry = TRY(find_leaf(root_, va.page_down(), Missing::kFail, kTableFlags));
  if (!entry->present()) return Err(KernelError::kNoSuchEntry);
  return *entry;
}

Result<PteSlot> PageTable::walk_mut_walk(Va va) {
  if (va.value() >= kUserEnd) return Err(KernelError::kInvalidArgument);
  Pte* entry = TRY(leaf_entry(va.page_down(), Walk::kExisting));
  if (!entry->present()) return Err(KernelError::kNoSuchEntry);
  return PteSlot(*this, va.page_down(), entry);
}

Result<void> PageTable::visit_leaves(Result<void> (*fn)(void*, PteSlot), void* ctx) {
  struct Visitor {
    PageTable* self;
    Result<void> (*fn)(void*, PteSlot);
    void* ctx;
    Result<void> visit(Pa pa, int level, Va base) {
      Pte* table = table_at(pa);
      unsigned count = level == kTopLevel ? kUserSlots : kEntries;
      for (unsigned i = 0; i < count; ++i) {
        if (!table[i].present()) continue;
        Va va = address_of(base, level, i);
        if (level == 0) {
          TRY(fn(ctx, PteSlot(*self, va, &table[i])));
        } else {
          TRY(visit(table[i].pa(), level - 1, va));
        }
      }
      return Ok();
    }
  };
  return Visitor{this, fn, ctx}.visit(root_, kTopLevel, Va(0));
}

StaleTLBEntry PteSlot::clear() {
  Pte old = *entry_;
  KASSERT(old.present());
  *entry_ = Pte();
  return StaleTLBEntry(*table_, va_, Page::from_raw(old.pa()));
}

StaleTLBEntry PteSlot::set_permission(Permission perm) {
  Pte old = *entry_;
  KASSERT(old.present());
  // Keep what the hardware recorded (accessed, dirty); rebuild the rights.
  std::uint64_t hw = old.raw() & (Pte::kAccessed | Pte::kDirty);
  *entry_ = Pte::leaf(old.pa(), perm).with_flags(hw);
  return StaleTLBEntry(*table_, va_, PageRef(old.pa()).clone_ref());
}

}  // namespace keos

namespace keos::kernel_vm {
namespace {

constexpr std::uint64_t kKernelTableFlags = Pte::kPresent | Pte::kWritable;

bool in_region(Va va) {
  return va.is_page_aligned() && va.value() >= kBase && va.value() - kBase < kSize;
}

}  // namespace

Result<void> init() {
  Pte* pml4 = table_at(abyss::kernel_page_table_root());
  Pte& slot = pml4[index_of(Va(kBase), kTopLevel)];
  KASSERT(!slot.present());
  slot = Pte(TRY(mm::alloc_frame(mm::FrameUsage::kPageTable)).value() | kKernelTableFlags);
  return Ok();
}

Result<void> prepare_tables(Va va, std::uint64_t len) {
  constexpr std::uint64_t kLeafTableSpan = kPageSize * 512;  // one last-level table maps 2 MiB
  for (std::uint64_t off = 0; off < len; off += kLeafTableSpan) {
    KASSERT(in_region(va + off));
    TRY(find_leaf(abyss::kernel_page_table_root(), va + off, Missing::kCreate, kKernelTableFlags));
  }
  return Ok();
}

Result<void> map_page(Va va, Page page) {
  KASSERT(in_region(va));
  Pte* entry = TRY(find_leaf(abyss::kernel_page_table_root(), va, Missing::kCreate,
                                    kKernelTableFlags));
  KASSERT(!entry->present());
  *entry = Pte::leaf(std::move(page).into_raw(), Permission::kRead | Permission::kWrite);
  return Ok();
}

void unmap_pages(Va va, std::uint64_t pages) {
  constexpr std::uint64_t kBatch = 16;
  Pa frames[kBatch];
  for (std::uint64_t done = 0; done < pages; done += kBatch) {
    std::uint64_t n = pages - done < kBatch ? pages - done : kBatch;
    for (std::uint64_t i = 0; i < n; ++i) {
      Va page = va + (done + i) * kPageSize;
      KASSERT(in_region(page));
      Pte* entry = find_leaf(abyss::kernel_page_table_root(), page, Missing::kFail, 0).take();
      KASSERT(entry->present());
      frames[i] = entry->pa();
      *entry = Pte();
    }
    tlb::invalidate_range(PageTable::kernel(), va + done * kPageSize, n);
    for (std::uint64_t i = 0; i < n; ++i) Page::from_raw(frames[i]);  // dropped: freed
  }
}

}  // namespace keos::kernel_vm
