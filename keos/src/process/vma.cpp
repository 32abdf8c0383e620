#include <keos/process/vma.hpp>

#include <abyss/string.hpp>

namespace keos {

Result<Box<MmLoader>> AnonymousLoader::clone() const {
  return Box<MmLoader>(TRY(Box<AnonymousLoader>::create()));
}

Result<void> VmaSet::insert(Va start, Va end, Permission permission, Box<MmLoader> loader) {
  KASSERT(start.is_page_aligned() && end.is_page_aligned() && start < end);
  std::size_t at = 0;
  while (at < count_ && areas_[at].start < start) ++at;
  bool overlaps = (at > 0 && areas_[at - 1].end > start) || (at < count_ && areas_[at].start < end);
  if (overlaps) return Err(KernelError::kExists);
  if (count_ == capacity_) {
    std::size_t next = capacity_ == 0 ? 8 : capacity_ * 2;
    Box<VmAreaStruct[]> bigger = TRY(Box<VmAreaStruct[]>::create(next));
    for (std::size_t i = 0; i < count_; ++i) bigger[i] = std::move(areas_[i]);
    areas_ = std::move(bigger);
    capacity_ = next;
  }
  for (std::size_t i = count_; i > at; --i) areas_[i] = std::move(areas_[i - 1]);
  areas_[at] = VmAreaStruct{start, end, permission, std::move(loader)};
  ++count_;
  return Ok();
}

Result<VmAreaStruct> VmaSet::remove(Va start) {
  for (std::size_t i = 0; i < count_; ++i) {
    if (areas_[i].start != start) continue;
    VmAreaStruct removed = std::move(areas_[i]);
    for (std::size_t k = i + 1; k < count_; ++k) areas_[k - 1] = std::move(areas_[k]);
    --count_;
    return removed;
  }
  return Err(KernelError::kInvalidArgument);
}

const VmAreaStruct* VmaSet::search(Va va) const {
  std::size_t lo = 0, hi = count_;  // the last area starting at or below va
  while (lo < hi) {
    std::size_t mid = lo + (hi - lo) / 2;
    if (areas_[mid].start <= va) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == 0 || !areas_[lo - 1].contains(va)) return nullptr;
  hint_ = lo - 1;
  return &areas_[lo - 1];
}

bool VmaSet::covers(Va va, std::uint64_t len, Permission needed) const {
  if (len == 0) return find(va) != nullptr && has(find(va)->permission, needed);
  if (va.value() + len < va.value()) return false;
  Va end = va + len;
  while (va < end) {
    const VmAreaStruct* area = find(va);
    if (area == nullptr || !has(area->permission, needed)) return false;
    va = area->end;  // areas may be adjacent: continue in the next one
  }
  return true;
}

}  // namespace keos
