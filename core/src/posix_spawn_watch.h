// SPDX-License-Identifier: GPL-3.0-or-later
// A watchdog for glibc's posix_spawn. glibc returns no pid until its child has
// exec'd (CLONE_VFORK), so a child that blocks in a file action (an open on a
// FIFO nobody opens) could never be killed. Its pid can only be found as a new
// entry in /proc/self/task/TID/children of the spawning thread; this thread
// looks there while posix_spawn has not returned, reports the pid, and kills the
// child at the deadline.
#pragma once

#include "spawned_child.h"

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <set>
#include <thread>

namespace spawnlab::detail {

class PosixSpawnWatch
{
public:
    PosixSpawnWatch(std::int64_t deadlineNs, SpawnedChild &child);
    ~PosixSpawnWatch();
    PosixSpawnWatch(const PosixSpawnWatch &) = delete;
    PosixSpawnWatch &operator=(const PosixSpawnWatch &) = delete;

    // Call on the spawning thread just before posix_spawn. 0 or an errno.
    int start();
    // posix_spawn returned: stops the thread.
    void stop();

    bool killed() const { return killed_; } // the deadline's SIGKILL was sent

private:
    void watch();

    std::int64_t deadlineNs_;
    SpawnedChild &child_;
    pid_t spawner_ = -1;     // the tid whose children file is read
    std::set<pid_t> before_; // its children before the spawn
    int wake_ = -1;          // eventfd: posix_spawn returned
    std::thread thread_;
    std::atomic<bool> killed_{false};
};

} // namespace spawnlab::detail
