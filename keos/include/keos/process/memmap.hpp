/// \file
/// Memory-map snapshots (`make memmap`, the grading report's pictures): the kernel prints
/// the user address spaces of the running processes, read from their real page tables and
/// the real frame reference counts, at chosen moments:
///   - right after fork's sharing step (LazyPager::write_protect_ptes): parent and child;
///   - before and after a ring-3 write fault on a present page of a process that takes
///     part in a fork (a copy-on-write fault, or a write the mapping forbids);
///   - when a user program asks (system call Sys::kMemmapSnapshot, `memmap_snapshot()` in
///     the user library).
/// Off unless the kernel command line has the word `memmap`; then also `memmap.faults=N`
/// (fault pairs to record, default 8) and `memmap.max=N` (snapshots in all, default 64).
/// Off, nothing of it runs: no fork hook, and the fault path is the plain one (the
/// observed copy is installed only when on, keos/syscall/registers.hpp).
///
/// The console lines (informational: the grader never judges by them):
///   @@ memmap snap SEQ why=WHY tid=T va=0xADDR [result=ok|refused] [label=TEXT]
///   @@ memmap space SEQ ID parent=P tid=T name=NAME
///   @@ memmap pages SEQ ID VPN:PFN:REFS:FLAGS[:N] ...
///   @@ memmap end SEQ
/// WHY is fork, fault-before, fault-after or user. Each process has a snapshot ID (1, 2, ..;
/// parent 0: none) for the whole boot; tid 0: its thread has not started yet. A page entry
/// gives the virtual page number and frame number (hex), the frame's reference count and
/// the entry's rights: p (present), w (writable), u (user), n (no-execute), '-' if clear;
/// `:N` folds N pages whose virtual and physical pages both follow on, with the same count
/// and rights. Text (names, labels) is limited to [A-Za-z0-9_.,:+-].
///
/// Locking: one spin lock guards the table of processes and every snapshot, so a process
/// cannot be destroyed while its table is read; the tables themselves are read without
/// their owner's cooperation (their pages are freed only with the whole table).
#pragma once

#include <cstdint>

#include <keos/addressing.hpp>
#include <keos/result.hpp>
#include <keos/thread/thread.hpp>

namespace keos {

class Process;

namespace memmap {

namespace detail {
extern bool g_enabled;  // written once, at boot, before any process exists
}  // namespace detail

/// True when snapshots are on (see the file comment).
inline bool enabled() { return detail::g_enabled; }

/// Reads `memmap`, `memmap.faults` and `memmap.max` from the kernel command line and, if
/// on, installs the fork hook and the observed fault path. Once, at boot, after
/// init_user_mode().
void init_from_cmdline(const char* cmdline);

/// Process bookkeeping, called only when enabled(): a process was made (by fork when the
/// running task is a process); the running thread, a process's, is about to enter user
/// mode for the first time (its id and name are recorded); a process is going away.
void process_created(Process& process);
void process_started();
void process_destroyed(Process& process);

/// The system call: a snapshot labelled with the user string at `label` (0: no label).
/// kNoSys when snapshots are off; kBadAddress, kNameTooLong (over 47 characters) for a bad
/// label. Once the budget (memmap.max) is spent it records nothing and still succeeds.
Result<void> snapshot_requested(Va label);

}  // namespace memmap
}  // namespace keos
