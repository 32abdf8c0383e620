// A minimal Task for kernel tests: it runs a thread on a given page table, allows every
// user access, resolves no fault (counting them) and answers every system call ENOSYS.
#pragma once

#include <atomic>

#include <keos/box.hpp>
#include <keos/mm/page_table.hpp>
#include <keos/task.hpp>

namespace ktest {

class TestTask : public keos::Task {
 public:
  explicit TestTask(keos::PageTable& table, std::atomic<int>* faults = nullptr)
      : table_(table), faults_(faults) {}
  keos::PageTable& page_table() override { return table_; }
  void syscall(keos::Registers& regs) override {
    regs.rax = static_cast<std::uint64_t>(-keos::errno_of(keos::KernelError::kNoSys));
  }
  keos::Result<void> page_fault(std::uint64_t, keos::Va) override {
    if (faults_ != nullptr) faults_->fetch_add(1);
    return keos::Err(keos::KernelError::kBadAddress);
  }
  bool access_ok(keos::Va, std::uint64_t, keos::Access) override { return true; }

 private:
  keos::PageTable& table_;
  std::atomic<int>* faults_;
};

/// A new TestTask for ThreadBuilder::attach_task (asserts that the heap had room).
inline keos::Box<keos::Task> test_task(keos::PageTable& table,
                                       std::atomic<int>* faults = nullptr) {
  return keos::Box<TestTask>::create(table, faults).take();
}

}  // namespace ktest
