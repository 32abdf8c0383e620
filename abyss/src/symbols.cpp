#include <abyss/symbols.hpp>

#include <abyss/string.hpp>

namespace abyss {

SymbolTable::SymbolTable(const void* blob, std::size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(blob);
  if (blob == nullptr || size < 8 || memcmp(bytes, "KSYM", 4) != 0) return;
  std::uint32_t count;
  memcpy(&count, bytes + 4, 4);
  std::size_t table_end = 8 + static_cast<std::size_t>(count) * sizeof(Entry);
  if (table_end > size) return;
  entries_ = reinterpret_cast<const Entry*>(bytes + 8);
  count_ = count;
  names_ = reinterpret_cast<const char*>(bytes + table_end);
  names_size_ = size - table_end;
}

SymbolInfo SymbolTable::lookup(std::uint64_t address) const {
  std::size_t lo = 0, hi = count_;  // find the first entry above `address`
  while (lo < hi) {
    std::size_t mid = lo + (hi - lo) / 2;
    if (entries_[mid].address <= address) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == 0) return {nullptr, 0};
  const Entry& e = entries_[lo - 1];
  std::uint64_t offset = address - e.address;
  if ((e.size != 0 && offset >= e.size) || e.name >= names_size_) return {nullptr, 0};
  // The name must be NUL-terminated inside the blob.
  if (memchr(names_ + e.name, '\0', names_size_ - e.name) == nullptr) return {nullptr, 0};
  return {names_ + e.name, offset};
}

}  // namespace abyss
