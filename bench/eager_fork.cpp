#include "eager_fork.hpp"

namespace bench {

keos::Result<void> copy_eagerly(const keos::ForkHookArgs& fork) {
  using namespace keos;
  TRY(fork.child_table.try_for_each_present([&](PteSlot slot) -> Result<void> {
    const VmAreaStruct* vma = fork.child_pager.areas().find(slot.va());
    if (vma == nullptr || !has(vma->permission, Permission::kWrite)) return Ok();
    constexpr std::uint64_t kPresentWrite = 0b11;  // #PF error code: P and W
    return fork.child_pager.do_copy_on_write(
        fork.child_table, *vma, PageFaultReason::from_error_code(kPresentWrite, slot.va()));
  }));
  restore_write_access(fork.parent_table, fork.parent_pager);
  return Ok();
}

}  // namespace bench
