// Memory-map snapshots (keos/process/memmap.hpp): the table of processes, the console
// lines, and the three moments (fork's hook, the observed fault path, the system call).
#include <keos/process/memmap.hpp>

#include <abyss/cmdline.hpp>
#include <abyss/console.hpp>
#include <abyss/format.hpp>
#include <keos/mm/frame_alloc.hpp>
#include <keos/process/fork_hook.hpp>
#include <keos/process/process.hpp>
#include <keos/sync/spinlock.hpp>
#include <keos/syscall/registers.hpp>
#include <keos/syscall/uaccess.hpp>

namespace keos::memmap {

namespace detail {
bool g_enabled = false;
}  // namespace detail

namespace {

constexpr std::size_t kMaxProcesses = 32;
constexpr std::size_t kNameMax = 24;
constexpr std::size_t kLabelMax = 48;
// A pages line stays well inside the console's 512-byte line.
constexpr std::size_t kPagesLineMax = 400;

struct Entry {
  Process* process = nullptr;  // nullptr: a free slot
  unsigned id = 0;
  unsigned parent = 0;
  ThreadId tid = 0;
  unsigned pending_child = 0;  // the id fork's snapshot gave the child being made
  bool fault_pending = false;  // a fault-before snapshot waits for its fault-after
  char name[kNameMax] = {};
};

struct Registry {
  Entry entries[kMaxProcesses];
  unsigned next_id = 1;
  unsigned seq = 0;          // snapshots printed
  unsigned faults_left = 8;  // fault pairs still to record (memmap.faults)
  unsigned snaps_left = 64;  // snapshots still to print (memmap.max)
  bool told_spent = false;
};

SpinLock<Registry> g_registry;

// Copies `src` into `dst` (capacity `cap`), every character outside [A-Za-z0-9_.,:+-]
// replaced by '_', so that no text can end a protocol line or start another.
void copy_clean(char* dst, const char* src, std::size_t cap) {
  std::size_t i = 0;
  for (; src != nullptr && src[i] != '\0' && i + 1 < cap; ++i) {
    char c = src[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == ',' || c == ':' || c == '+' || c == '-';
    dst[i] = ok ? c : '_';
  }
  dst[i] = '\0';
}

Entry* find(Registry& reg, const Task* task) {
  for (Entry& e : reg.entries) {
    if (e.process != nullptr && static_cast<const Task*>(e.process) == task) return &e;
  }
  return nullptr;
}

// Accumulates the page entries of one space into `@@ memmap pages` lines, folding runs.
class PagesPrinter {
 public:
  PagesPrinter(unsigned seq, unsigned id) : seq_(seq), id_(id) {}
  void add(Va va, Pte pte) {
    std::uint64_t vpn = va.value() / kPageSize, pfn = pte.pa().value() / kPageSize;
    std::uint32_t refs = mm::frame_refcount(pte.pa());
    char flags[5] = {'p', pte.writable() ? 'w' : '-', pte.user() ? 'u' : '-',
                     pte.executable() ? '-' : 'n', '\0'};
    if (run_ != 0 && vpn == vpn_ + run_ && pfn == pfn_ + run_ && refs == refs_ &&
        flags[1] == flags_[1] && flags[2] == flags_[2] && flags[3] == flags_[3]) {
      ++run_;
      return;
    }
    flush_run();
    vpn_ = vpn, pfn_ = pfn, refs_ = refs, run_ = 1;
    for (int i = 0; i < 5; ++i) flags_[i] = flags[i];
  }
  void finish() {
    flush_run();
    flush_line();
  }

 private:
  void flush_run() {
    if (run_ == 0) return;
    char item[64];
    std::size_t n = run_ == 1
                        ? abyss::format(item, sizeof item, " %lx:%lx:%u:%s", vpn_, pfn_, refs_, flags_)
                        : abyss::format(item, sizeof item, " %lx:%lx:%u:%s:%lu", vpn_, pfn_, refs_,
                                        flags_, run_);
    if (len_ + n >= kPagesLineMax) flush_line();
    for (std::size_t i = 0; i < n; ++i) line_[len_++] = item[i];
    line_[len_] = '\0';
    run_ = 0;
  }
  void flush_line() {
    if (len_ == 0) return;
    abyss::console::line("@@ memmap pages %u %u%s", seq_, id_, line_);
    len_ = 0;
  }
  unsigned seq_, id_;
  std::uint64_t vpn_ = 0, pfn_ = 0, run_ = 0;
  std::uint32_t refs_ = 0;
  char flags_[5] = {};
  char line_[kPagesLineMax + 64] = {};
  std::size_t len_ = 0;
};

void print_space(unsigned seq, unsigned id, unsigned parent, ThreadId tid, const char* name,
                 PageTable& table) {
  abyss::console::line("@@ memmap space %u %u parent=%u tid=%lu name=%s", seq, id, parent, tid,
                       name[0] != '\0' ? name : "-");
  PagesPrinter pages(seq, id);
  table.for_each_present([&](PteSlot slot) { pages.add(slot.va(), slot.get()); });
  pages.finish();
}

// What a snapshot is about, beyond the registered processes.
struct Moment {
  const char* why;
  Va va{0};
  const char* result = nullptr;  // fault-after: ok or refused
  const char* label = nullptr;   // user: the program's label
  // fork: the child's table, which no process owns yet.
  PageTable* child_table = nullptr;
  unsigned child_id = 0, child_parent = 0;
  const char* child_name = "";
};

// Prints one snapshot of every registered process (and fork's new child). Needs the lock.
void snapshot_locked(Registry& reg, const Moment& m) {
  if (reg.snaps_left == 0) {
    if (!reg.told_spent) abyss::console::line("@@ memmap spent (memmap.max reached)");
    reg.told_spent = true;
    return;
  }
  --reg.snaps_left;
  unsigned seq = ++reg.seq;
  char extra[96] = "";
  if (m.result != nullptr) abyss::format(extra, sizeof extra, " result=%s", m.result);
  if (m.label != nullptr && m.label[0] != '\0') abyss::format(extra, sizeof extra, " label=%s", m.label);
  abyss::console::line("@@ memmap snap %u why=%s tid=%lu va=0x%lx%s", seq, m.why, Current::id(),
                       m.va.value(), extra);
  for (Entry& e : reg.entries) {
    if (e.process != nullptr) print_space(seq, e.id, e.parent, e.tid, e.name, e.process->page_table());
  }
  if (m.child_table != nullptr) {
    print_space(seq, m.child_id, m.child_parent, 0, m.child_name, *m.child_table);
  }
  abyss::console::line("@@ memmap end %u", seq);
}

// fork's hook: runs right after write_protect_ptes, before the child's process exists.
Result<void> snapshot_fork(const ForkHookArgs& args) {
  auto reg = g_registry.lock();
  Entry* parent = find(*reg, Current::task());
  unsigned child = reg->next_id++;
  if (parent != nullptr) parent->pending_child = child;
  char name[kNameMax];
  copy_clean(name, Current::name(), sizeof name);
  snapshot_locked(*reg, Moment{.why = "fork",
                               .child_table = &args.child_table,
                               .child_id = child,
                               .child_parent = parent != nullptr ? parent->id : 0,
                               .child_name = name});
  return Ok();
}

// The observed fault path: a write to a present page in a process that took part in a
// fork, before and after the process handles it.
void observe_fault(Task& task, std::uint64_t error_code, Va address, FaultPhase phase,
                   bool resolved) {
  constexpr std::uint64_t kWanted = abyss::kPfPresent | abyss::kPfWrite | abyss::kPfUser;
  auto reg = g_registry.lock();
  Entry* e = find(*reg, &task);
  if (e == nullptr) return;
  if (phase == FaultPhase::kBefore) {
    if ((error_code & kWanted) != kWanted || reg->faults_left == 0) return;
    if (!e->process->mm().pager().shares_frames()) return;
    --reg->faults_left;
    e->tid = Current::id();
    e->fault_pending = true;
    snapshot_locked(*reg, Moment{.why = "fault-before", .va = address});
  } else if (e->fault_pending) {
    e->fault_pending = false;
    snapshot_locked(*reg, Moment{.why = "fault-after", .va = address,
                                 .result = resolved ? "ok" : "refused"});
  }
}

unsigned number_or(const char* cmdline, const char* key, unsigned fallback) {
  char text[16];
  if (!abyss::cmdline_value(cmdline, key, text, sizeof text)) return fallback;
  unsigned value = 0;
  for (const char* p = text; *p >= '0' && *p <= '9'; ++p) value = value * 10 + (*p - '0');
  return value;
}

}  // namespace

void init_from_cmdline(const char* cmdline) {
  if (!abyss::cmdline_has(cmdline, "memmap")) return;
  {
    auto reg = g_registry.lock();
    reg->faults_left = number_or(cmdline, "memmap.faults", 8);
    reg->snaps_left = number_or(cmdline, "memmap.max", 64);
  }
  detail::g_enabled = true;
  set_fork_hook(snapshot_fork);
  observe_user_faults(observe_fault);
  abyss::console::line("@@ memmap on");
}

void process_created(Process& process) {
  auto reg = g_registry.lock();
  Entry* parent = find(*reg, Current::task());
  for (Entry& e : reg->entries) {
    if (e.process != nullptr) continue;
    e = Entry{};
    e.process = &process;
    // Its thread will carry the creator's name (fork) until process_started says.
    copy_clean(e.name, Current::name(), sizeof e.name);
    if (parent != nullptr && parent->pending_child != 0) {
      e.id = parent->pending_child;  // fork's snapshot showed the child under this id
      e.parent = parent->id;
      parent->pending_child = 0;
    } else {
      e.id = reg->next_id++;
      e.parent = parent != nullptr ? parent->id : 0;
    }
    return;
  }
  // Table full (kMaxProcesses): this process is left out of every snapshot.
}

void process_started() {
  auto reg = g_registry.lock();
  if (Entry* e = find(*reg, Current::task())) {
    e->tid = Current::id();
    copy_clean(e->name, Current::name(), sizeof e->name);
  }
}

void process_destroyed(Process& process) {
  auto reg = g_registry.lock();
  if (Entry* e = find(*reg, &process)) e->process = nullptr;
}

Result<void> snapshot_requested(Va label) {
  if (!enabled()) return Err(KernelError::kNoSys);
  char raw[kLabelMax] = "";
  if (label.value() != 0) TRY(copy_string_from_user(raw, label, sizeof raw));
  char clean[kLabelMax];
  copy_clean(clean, raw, sizeof clean);
  auto reg = g_registry.lock();
  if (Entry* e = find(*reg, Current::task())) e->tid = Current::id();
  snapshot_locked(*reg, Moment{.why = "user", .label = clean});
  return Ok();
}

}  // namespace keos::memmap
