// Multiprocessor bring-up: every CPU the firmware lists is online with a correct per-CPU
// record, and every CPU takes inter-processor interrupts.
#include <atomic>

#include <abyss/boot.hpp>
#include <abyss/cmdline.hpp>
#include <abyss/cpu.hpp>
#include <abyss/percpu.hpp>
#include <abyss/smp.hpp>
#include <abyss/spinlock.hpp>
#include <abyss/time.hpp>
#include <keos/test.hpp>

namespace {

constexpr std::uint64_t kTimeoutNs = 2'000'000'000;

// Runs on the receiving CPU: counts in that CPU's record, found through GS.
void on_test_ipi(abyss::TrapFrame&) {
  abyss::this_cpu().test_ipis.fetch_add(1, std::memory_order_relaxed);
}

// Waits until CPU `id` has received `target` test IPIs; false on timeout.
bool wait_for_ipis(std::uint32_t id, std::uint64_t target) {
  std::uint64_t deadline = abyss::time::now_ns() + kTimeoutNs;
  while (abyss::cpu_record(id).test_ipis.load() < target) {
    if (abyss::time::now_ns() > deadline) return false;
    abyss::cpu_relax();
  }
  return true;
}

}  // namespace

KEOS_TEST(smp_cpus_online) {
  std::uint32_t n = abyss::cpu_count();
  KEOS_ASSERT_EQ(n, abyss::acpi_info().cpu_count);
  char expected[16];
  if (abyss::cmdline_value(abyss::kernel_cmdline(), "expect_cpus", expected, sizeof expected)) {
    std::uint32_t want = 0;
    for (const char* p = expected; *p >= '0' && *p <= '9'; ++p) want = want * 10 + (*p - '0');
    KEOS_ASSERT_EQ(n, want);
  }
  for (std::uint32_t id = 0; id < n; ++id) {
    abyss::Cpu& c = abyss::cpu_record(id);
    KEOS_ASSERT_EQ(c.id, id);
    KEOS_ASSERT(c.self == &c);
    KEOS_ASSERT(c.online.load());
    for (std::uint32_t other = 0; other < id; ++other) {
      KEOS_ASSERT(abyss::cpu_record(other).apic_id != c.apic_id);
    }
  }
}

KEOS_TEST(smp_ipi_each_cpu) {
  abyss::register_interrupt(abyss::Vector::kTestIpi, on_test_ipi);
  std::uint32_t n = abyss::cpu_count();
  for (std::uint32_t id = 0; id < n; ++id) {
    std::uint64_t before[abyss::kMaxCpus];
    for (std::uint32_t k = 0; k < n; ++k) before[k] = abyss::cpu_record(k).test_ipis.load();
    abyss::send_ipi(id, abyss::Vector::kTestIpi);
    if (!wait_for_ipis(id, before[id] + 1)) {
      keos::test::fail(__FILE__, __LINE__, "cpu %u did not answer an IPI", id);
      return;
    }
    // Only the addressed CPU counted it.
    for (std::uint32_t k = 0; k < n; ++k) {
      if (k != id) KEOS_ASSERT_EQ(abyss::cpu_record(k).test_ipis.load(), before[k]);
    }
  }
}

KEOS_TEST(smp_ipi_broadcast) {
  abyss::register_interrupt(abyss::Vector::kTestIpi, on_test_ipi);
  std::uint32_t n = abyss::cpu_count();
  std::uint64_t before[abyss::kMaxCpus];
  std::uint32_t me;
  {
    abyss::cpu::InterruptGuard irq;  // no migration between reading our id and sending
    me = abyss::cpu_id();
    for (std::uint32_t k = 0; k < n; ++k) before[k] = abyss::cpu_record(k).test_ipis.load();
    abyss::send_ipi_all_but_self(abyss::Vector::kTestIpi);
  }
  for (std::uint32_t k = 0; k < n; ++k) {
    if (k == me) continue;
    if (!wait_for_ipis(k, before[k] + 1)) {
      keos::test::fail(__FILE__, __LINE__, "cpu %u missed a broadcast IPI", k);
      return;
    }
  }
  KEOS_ASSERT_EQ(abyss::cpu_record(me).test_ipis.load(), before[me]);
}
