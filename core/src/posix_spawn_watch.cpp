// SPDX-License-Identifier: GPL-3.0-or-later
#include "posix_spawn_watch.h"

#include "report.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <system_error>

namespace spawnlab::detail {
namespace {

// How often the children file is read while posix_spawn has not returned.
// Nothing else tells us the child exists; a normal posix_spawn returns long
// before the first look.
constexpr int kScanMs = 10;

std::set<pid_t> childrenOf(pid_t tid)
{
    std::set<pid_t> pids;
    std::ifstream file("/proc/self/task/" + std::to_string(tid) + "/children");
    pid_t pid;
    while (file >> pid)
        pids.insert(pid);
    return pids;
}

} // namespace

PosixSpawnWatch::PosixSpawnWatch(std::int64_t deadlineNs, SpawnedChild &child)
    : deadlineNs_(deadlineNs), child_(child)
{
}

PosixSpawnWatch::~PosixSpawnWatch()
{
    stop();
}

int PosixSpawnWatch::start()
{
    if (deadlineNs_ == 0 && !child_.callerWaits()) return 0; // nobody needs the pid early
    spawner_ = gettid();
    before_ = childrenOf(spawner_);
    wake_ = eventfd(0, EFD_CLOEXEC);
    if (wake_ < 0) return errno;
    try {
        thread_ = std::thread([this] { watch(); });
    } catch (const std::system_error &e) {
        close(wake_);
        wake_ = -1;
        return e.code().value();
    }
    return 0;
}

void PosixSpawnWatch::stop()
{
    if (wake_ < 0) return;
    std::uint64_t one = 1;
    (void)!write(wake_, &one, sizeof one); // cannot fill an eventfd counter
    if (thread_.joinable()) thread_.join();
    close(wake_);
    wake_ = -1;
}

void PosixSpawnWatch::watch()
{
    for (;;) {
        int waitMs = kScanMs;
        if (deadlineNs_ != 0)
            waitMs = int(std::clamp<std::int64_t>((deadlineNs_ - monotonicNs() + 999999) / 1000000,
                                                  0, kScanMs));
        pollfd p{wake_, POLLIN, 0};
        int ready = poll(&p, 1, waitMs);
        if (ready > 0) return;
        if (ready < 0 && errno != EINTR) return; // posix_spawn then runs unwatched
        bool late = deadlineNs_ != 0 && monotonicNs() >= deadlineNs_;
        for (pid_t pid : childrenOf(spawner_)) {
            if (before_.count(pid)) continue;
            child_.known(pid);
            if (late && kill(pid, SIGKILL) == 0) killed_ = true;
        }
        if (killed_) return;
    }
}

} // namespace spawnlab::detail
