// SPDX-License-Identifier: GPL-3.0-or-later
// A running child as other threads may signal it. The thread that runs
// spawnlab::run() attaches the pid and pidfd from RunOptions::onSpawned and
// detaches once run() has returned; any thread may signal in between. Signals
// go through a copy of the core's pidfd, which (unlike the pid) never names
// another process once the child is reaped; without one (kernel < 5.3) the
// pid, which is unreaped until run() returns.
#pragma once

#include <sys/types.h>

#include <mutex>

namespace spawnlab {

class ChildHandle
{
public:
    ChildHandle() = default;
    ChildHandle(const ChildHandle &) = delete;
    ChildHandle &operator=(const ChildHandle &) = delete;
    ~ChildHandle() { detach(); }

    // A signal asked for before attach is sent now: a Kill pressed (or a quit)
    // while the child is being created is not lost.
    // `pidfd` is the core's (-1: none); the handle keeps a duplicate, as the
    // core closes its own when run() returns. A second attach (a newer
    // posix_spawn child) replaces the first.
    void attach(pid_t pid, int pidfd);
    void detach();
    // Before attach: kept (the latest one) and sent on attach. After detach: nothing.
    void signal(int sig);
    pid_t pid() const; // -1 unless attached

private:
    void send(int sig); // with m_mutex held

    mutable std::mutex m_mutex;
    pid_t m_pid = -1;
    int m_pidfd = -1;
    int m_pending = 0; // a signal asked for before attach
    bool m_detached = false;
};

} // namespace spawnlab
