/// \file
/// A seam in fork() for measurements: a step that runs after the parent's pages are shared
/// with the child and before the child starts. The kernel installs none. `make bench`
/// installs one (bench/eager_fork.cpp) that copies every shared writable page at once:
/// the eager fork that copy-on-write is measured against.
#pragma once

#include <keos/mm/page_table.hpp>
#include <keos/process/lazy_pager.hpp>
#include <keos/result.hpp>

namespace keos {

/// What the step is given: both processes' page tables and mapping records.
struct ForkHookArgs {
  PageTable& parent_table;
  const LazyPager& parent_pager;
  PageTable& child_table;
  LazyPager& child_pager;
};

/// The step. An error fails the fork, like running out of memory would.
using ForkHook = Result<void> (*)(const ForkHookArgs& args);

/// Installs `hook` for the forks that start from now on (nullptr: none).
void set_fork_hook(ForkHook hook);

/// Gives the write right back to every present page of a writable mapping in `table` that
/// nobody else shares (frame reference count 1). fork() calls it on the parent when it
/// fails after the sharing step; pages still shared with an earlier child stay read-only,
/// as they were before. Raising a right needs no shootdown.
void restore_write_access(PageTable& table, const LazyPager& pager);

}  // namespace keos
