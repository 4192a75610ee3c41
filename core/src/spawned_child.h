// SPDX-License-Identifier: GPL-3.0-or-later
// The one pidfd run() holds for its child. It is opened when the pid is first
// known and someone needs it (the caller's onSpawned, the deadline), handed to
// onSpawned, and used by the waiter: one pidfd per child, never two.
#pragma once

#include "unique_fd.h"

#include "spawnlab/launch.h"

#include <sys/types.h>

namespace spawnlab::detail {

class SpawnedChild
{
public:
    explicit SpawnedChild(const RunOptions &options) : onSpawned_(options.onSpawned) {}

    // True when the caller wants the pid before exec.
    bool callerWaits() const { return bool(onSpawned_); }

    // The pid is known (on whichever thread learns it): tells the caller, with
    // the pidfd. Again for the same pid does nothing; a new pid is told too
    // (posix_spawn makes a child per PATH candidate, and only the last one
    // exec'd).
    void known(pid_t pid);

    // The child's pidfd, opened now if it is not yet; -1 on kernels < 5.3.
    int pidfd(pid_t pid);
    // The pidfd of `pid` if one was opened, else -1 (never another child's).
    int pidfdOf(pid_t pid) const { return pid == pid_ ? pidfd_.get() : -1; }

private:
    const std::function<void(pid_t, int)> &onSpawned_;
    UniqueFd pidfd_;
    pid_t pid_ = -1;  // whose pidfd_ it is
    pid_t told_ = -1; // the pid the caller was last told
};

} // namespace spawnlab::detail
