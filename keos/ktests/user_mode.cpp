// Ring 3: system calls preserve the registers the ABI promises, every exception raised in
// user mode ends only the thread that raised it (exit code -1), and threads spinning in
// user mode are preempted (round robin) and can be killed.
#include <atomic>

#include <abyss/percpu.hpp>
#include <abyss/spinlock.hpp>
#include <abyss/string.hpp>
#include <abyss/time.hpp>
#include <keos/mm/page_table.hpp>
#include <keos/syscall/registers.hpp>
#include <keos/task.hpp>
#include <keos/test.hpp>
#include <keos/thread/thread.hpp>

using namespace keos;

#define SNIPPET(name) extern "C" const std::uint8_t name##_start[], name##_end[];
SNIPPET(user_spin)
SNIPPET(user_ud2)
SNIPPET(user_int3)
SNIPPET(user_divide)
SNIPPET(user_write_code)
SNIPPET(user_read_unmapped)
SNIPPET(user_exec_stack)
SNIPPET(user_privileged)
SNIPPET(user_noncanonical)
SNIPPET(user_kernel_read)
SNIPPET(user_exit)
SNIPPET(user_syscall_regs)
#undef SNIPPET

namespace {

constexpr Va kCode(0x401000);
constexpr Va kData(0x402000);
constexpr Va kStackPage(0x47470000);

// An address space holding one snippet: code (read + execute), a data page and a stack
// page (read + write). System calls: 0 exit(rdi), 1 echo (sum of the six arguments).
class SnippetTask : public Task {
 public:
  static SnippetTask* create(const std::uint8_t* start, const std::uint8_t* end) {
    Result<PageTable> table = PageTable::create();
    if (table.is_err()) return nullptr;
    auto* task = new SnippetTask(table.take());
    Result<Page> code = Page::create(), data = Page::create(), stack = Page::create();
    if (code.is_err() || data.is_err() || stack.is_err()) {
      delete task;
      return nullptr;
    }
    memcpy(code.value().data(), start, static_cast<std::size_t>(end - start));
    task->data_ = data.value().pa();
    Permission user = Permission::kRead | Permission::kUser;
    bool ok = task->table_.map(kCode, code.take(), user | Permission::kExecutable).is_ok() &&
              task->table_.map(kData, data.take(), user | Permission::kWrite).is_ok() &&
              task->table_.map(kStackPage, stack.take(), user | Permission::kWrite).is_ok();
    if (!ok) {
      delete task;
      return nullptr;
    }
    return task;
  }

  PageTable& page_table() override { return table_; }
  void syscall(Registers& r) override {
    if (r.rax == 0) Current::exit(static_cast<int>(r.rdi));
    if (r.rax == 1) {
      r.rax = r.rdi + r.rsi + r.rdx + r.r10 + r.r8 + r.r9;
      return;
    }
    r.rax = static_cast<std::uint64_t>(-errno_of(KernelError::kNoSys));
  }
  Result<void> page_fault(std::uint64_t, Va) override { return Err(KernelError::kBadAddress); }
  bool access_ok(Va, std::uint64_t, Access) override { return false; }

  /// The data page's first word, as the user code left it.
  std::uint64_t counter() const { return *phys_ptr<volatile std::uint64_t>(data_); }

 private:
  explicit SnippetTask(PageTable table) : table_(std::move(table)) {}
  PageTable table_;
  Pa data_;
};

// Starts `task` (from SnippetTask::create; the thread takes it, the caller may keep
// looking at it until the thread is joined).
Result<JoinHandle> run_snippet(SnippetTask* task) {
  if (task == nullptr) return Err(KernelError::kNoMemory);
  return ThreadBuilder("user").attach_task(Box<Task>::adopt(task)).spawn(
      [] { launch(user_registers(kCode, kStackPage + kPageSize)); });
}

int run_to_end(const std::uint8_t* start, const std::uint8_t* end) {
  Result<JoinHandle> h = run_snippet(SnippetTask::create(start, end));
  return h.is_ok() ? h.take().join() : -1000;
}

}  // namespace

KEOS_TEST(user_syscall_exit) { KEOS_ASSERT_EQ(run_to_end(user_exit_start, user_exit_end), 42); }

KEOS_TEST(user_syscall_preserves_registers) {
  // 0: all checks passed; n > 0: the n-th check in user_snippets.asm failed.
  KEOS_ASSERT_EQ(run_to_end(user_syscall_regs_start, user_syscall_regs_end), 0);
}

KEOS_TEST(user_exceptions_end_only_their_thread) {
  struct Case {
    const char* what;
    const std::uint8_t* start;
    const std::uint8_t* end;
  };
  const Case cases[] = {
      {"ud2 (#UD)", user_ud2_start, user_ud2_end},
      {"int3 (#BP, gate not open to ring 3)", user_int3_start, user_int3_end},
      {"divide by zero (#DE)", user_divide_start, user_divide_end},
      {"write to read-only code (#PF)", user_write_code_start, user_write_code_end},
      {"read of an unmapped page (#PF)", user_read_unmapped_start, user_read_unmapped_end},
      {"execute on the NX stack (#PF)", user_exec_stack_start, user_exec_stack_end},
      {"hlt in ring 3 (#GP)", user_privileged_start, user_privileged_end},
      {"non-canonical address (#GP)", user_noncanonical_start, user_noncanonical_end},
      {"read of kernel memory (#PF)", user_kernel_read_start, user_kernel_read_end},
  };
  for (const Case& c : cases) {
    int code = run_to_end(c.start, c.end);
    if (code != -1) {
      keos::test::fail(__FILE__, __LINE__, "%s: exit code %d, expected -1", c.what, code);
      return;
    }
  }
  // The kernel, and user threads, carry on.
  KEOS_ASSERT_EQ(run_to_end(user_exit_start, user_exit_end), 42);
}

// More ring-3 spinners than CPUs: each must get CPU time (and so must this test thread,
// even on one CPU), then each is killed and ends with -1.
KEOS_TEST(user_spinners_are_preempted_and_killed) {
  const std::uint32_t count = 2 * abyss::cpu_count() + 1;
  SnippetTask* tasks[2 * abyss::kMaxCpus + 1];
  JoinHandle* handles[2 * abyss::kMaxCpus + 1];
  for (std::uint32_t i = 0; i < count; ++i) {
    tasks[i] = SnippetTask::create(user_spin_start, user_spin_end);
    Result<JoinHandle> h = run_snippet(tasks[i]);
    KEOS_ASSERT(h.is_ok());
    handles[i] = new JoinHandle(h.take());
  }
  std::uint64_t deadline = abyss::time::now_ns() + 10'000'000'000ull;
  for (std::uint32_t i = 0; i < count; ++i) {
    while (tasks[i]->counter() == 0 && abyss::time::now_ns() < deadline) Current::yield();
  }
  std::uint32_t starved = 0;
  for (std::uint32_t i = 0; i < count; ++i) starved += tasks[i]->counter() == 0;
  for (std::uint32_t i = 0; i < count; ++i) KEOS_ASSERT(keos::kill(handles[i]->id()).is_ok());
  int not_killed = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    not_killed += handles[i]->join() != kKilledExitCode;
    delete handles[i];
  }
  KEOS_ASSERT_EQ(starved, 0u);
  KEOS_ASSERT_EQ(not_killed, 0);
}
