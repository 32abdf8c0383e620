#include <keos/mm/tlb.hpp>

#include <abyss/panic.hpp>
#include <keos/mm/page_table.hpp>

namespace keos {

StaleTLBEntry::StaleTLBEntry(StaleTLBEntry&& other)
    : table_(other.table_), va_(other.va_), page_(static_cast<Page&&>(other.page_)) {
  other.table_ = nullptr;
}

StaleTLBEntry::~StaleTLBEntry() KEOS_DTOR_MAY_PANIC {
  if (table_ != nullptr) {
    abyss::panic("StaleTLBEntry for va 0x%lx dropped without invalidate()", va_.value());
  }
}

Page StaleTLBEntry::invalidate() {
  KASSERT(table_ != nullptr);
  tlb::invalidate_page(*table_, va_);
  table_ = nullptr;
  return static_cast<Page&&>(page_);
}

void tlb_shutdown(const PageTable& table) { tlb::invalidate_all(table); }

}  // namespace keos
