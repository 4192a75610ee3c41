// SPDX-License-Identifier: GPL-3.0-or-later
#include "spawned_child.h"

#include "spawnlab/pidfd.h"

namespace spawnlab::detail {

void SpawnedChild::known(pid_t pid)
{
    if (told_ == pid || !onSpawned_) return;
    told_ = pid;
    onSpawned_(pid, pidfd(pid));
}

int SpawnedChild::pidfd(pid_t pid)
{
    // The child is unreaped, so its pid cannot name another process here.
    if (!pidfd_ || pid_ != pid) {
        pid_ = pid;
        pidfd_.reset(pidfd_open(pid, 0)); // CLOEXEC by design
    }
    return pidfd_.get();
}

} // namespace spawnlab::detail
