// The eager fork that copy-on-write is measured against (`make bench`, goal 2): a fork
// hook (keos/process/fork_hook.hpp) that, once fork has shared every page, gives the child
// a private copy of every shared page of a writable mapping at once (through
// do_copy_on_write, as its first write would), so that parent and child share nothing
// writable and the parent owns its frames alone again.
#pragma once

#include <keos/process/fork_hook.hpp>

namespace bench {

/// The hook: install it with keos::set_fork_hook(bench::copy_eagerly).
keos::Result<void> copy_eagerly(const keos::ForkHookArgs& fork);

}  // namespace bench
