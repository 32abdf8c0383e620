#include <keos/mm/tlb.hpp>

#include <abyss/panic.hpp>
#include <keos/mm/page_table.hpp>

namespace keos {

StaleTLBEntry::StaleTLBEntry(StaleTLBEntry&& other)
    : table_(other.table_), va_(other.va_), page_(std::move(other.page_)) {
  other.table_ = nullptr;
}

void StaleTLBEntry::dropped() const {
  abyss::panic("StaleTLBEntry for va 0x%lx dropped without invalidate()", va_.value());
}

void tlb_shutdown(const PageTable& table) {
  table.shootdown_owed_ = false;
  tlb::invalidate_all(table);
}

}  // namespace keos
