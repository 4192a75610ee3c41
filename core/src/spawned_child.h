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

    // The pid is known (on whichever thread learns it, once): tells the caller,
    // with the pidfd. Later calls for the same pid do nothing.
    void known(pid_t pid);

    // The child's pidfd, opened now if it is not yet; -1 on kernels < 5.3.
    int pidfd(pid_t pid);
    // The pidfd if it was opened, else -1.
    int pidfd() const { return pidfd_.get(); }

private:
    const std::function<void(pid_t, int)> &onSpawned_;
    UniqueFd pidfd_;
    pid_t pid_ = -1;
    bool told_ = false;
};

} // namespace spawnlab::detail
