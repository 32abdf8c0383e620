// Threads and the scheduler: spawn and join with exit codes, every CPU runs threads,
// park/unpark, kill, preemption of kernel code, many threads without a leak, and a stack
// overflow caught by the guard.
#include <atomic>

#include <abyss/percpu.hpp>
#include <abyss/spinlock.hpp>
#include <keos/test.hpp>
#include <keos/thread/thread.hpp>

using keos::Current;
using keos::JoinHandle;
using keos::ThreadBuilder;

KEOS_TEST(thread_spawn_join_exit_codes) {
  constexpr int kCount = 16;
  JoinHandle* handles[kCount];
  for (int i = 0; i < kCount; ++i) {
    auto spawned = ThreadBuilder("child").spawn([i] {
      if (i % 4 == 3) Current::exit(1000 + i);  // ends without returning
      return i * 3;
    });
    KEOS_ASSERT(spawned.is_ok());
    handles[i] = new JoinHandle(spawned.take());
  }
  for (int i = 0; i < kCount; ++i) {
    int code = handles[i]->join();
    delete handles[i];
    KEOS_ASSERT_EQ(code, i % 4 == 3 ? 1000 + i : i * 3);
  }
}

KEOS_TEST(thread_runs_on_every_cpu) {
  std::uint32_t n = abyss::cpu_count();
  for (std::uint32_t cpu = 0; cpu < n; ++cpu) {
    auto spawned = ThreadBuilder("pinned").pin_to_cpu(cpu).spawn([] {
      return static_cast<int>(abyss::cpu_id());
    });
    KEOS_ASSERT(spawned.is_ok());
    KEOS_ASSERT_EQ(spawned.take().join(), static_cast<int>(cpu));
  }
}

KEOS_TEST(thread_park_unpark) {
  static std::atomic<int> stage;
  stage = 0;
  auto spawned = ThreadBuilder("parker").spawn([] {
    stage = 1;
    while (stage.load() != 2) Current::park();  // spurious returns are allowed: loop
    stage = 3;
    return 0;
  });
  KEOS_ASSERT(spawned.is_ok());
  JoinHandle h = spawned.take();
  while (stage.load() != 1) Current::yield();
  stage = 2;
  keos::unpark(h.id());
  KEOS_ASSERT_EQ(h.join(), 0);
  KEOS_ASSERT_EQ(stage.load(), 3);
}

KEOS_TEST(thread_kill) {
  auto spawned = ThreadBuilder("victim").spawn([] {
    while (!Current::killed()) Current::park();
    Current::exit(keos::kKilledExitCode);
  });
  KEOS_ASSERT(spawned.is_ok());
  JoinHandle h = spawned.take();
  KEOS_ASSERT(keos::kill(h.id()).is_ok());
  KEOS_ASSERT_EQ(h.join(), keos::kKilledExitCode);
  KEOS_ASSERT(keos::kill(h.id()).error() == keos::KernelError::kNoSuchEntry);
  KEOS_ASSERT(keos::kill(999999).error() == keos::KernelError::kNoSuchEntry);
}

// Two threads that busy-wait for each other's turn without ever yielding: on one CPU only
// timer preemption lets them progress.
KEOS_TEST(thread_preempts_busy_kernel_code) {
  static std::atomic<int> turn;
  turn = 0;
  constexpr int kRounds = 10;
  auto player = [](int parity) {
    return [parity] {
      for (int i = 0; i < kRounds; ++i) {
        while (turn.load() % 2 != parity) abyss::cpu_relax();
        turn.fetch_add(1);
      }
      return 0;
    };
  };
  auto even = ThreadBuilder("even").spawn(player(0));
  auto odd = ThreadBuilder("odd").spawn(player(1));
  KEOS_ASSERT(even.is_ok() && odd.is_ok());
  KEOS_ASSERT_EQ(even.take().join(), 0);
  KEOS_ASSERT_EQ(odd.take().join(), 0);
  KEOS_ASSERT_EQ(turn.load(), 2 * kRounds);
}

// Stacks and thread records come back: the test harness compares free frames too.
KEOS_TEST(thread_many_without_leak) {
  for (int batch = 0; batch < 10; ++batch) {
    JoinHandle* handles[30];
    for (int i = 0; i < 30; ++i) {
      auto spawned = ThreadBuilder("short").spawn([i] { return i; });
      KEOS_ASSERT(spawned.is_ok());
      handles[i] = new JoinHandle(spawned.take());
    }
    for (int i = 0; i < 30; ++i) {
      KEOS_ASSERT_EQ(handles[i]->join(), i);
      delete handles[i];
    }
  }
}

namespace {
// Each call takes about 2 KiB of stack; enough of them run off any kernel stack.
[[gnu::noinline]] int recurse(int depth) {
  volatile char pad[2048];
  pad[0] = static_cast<char>(depth);
  if (depth > 1000000) return pad[0];  // never: the guard page stops it long before
  return recurse(depth + 1) + pad[0];
}
}  // namespace

KEOS_TEST_EXPECT_PANIC(thread_stack_overflow, "kernel stack overflow ;; recurse(int)+0x") {
  auto spawned = ThreadBuilder("deep").spawn([] { return recurse(0); });
  KEOS_ASSERT(spawned.is_ok());
  spawned.take().join();
}
