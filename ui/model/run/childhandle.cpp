// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/childhandle.h"

#include "spawnlab/pidfd.h"

#include <csignal>
#include <fcntl.h>
#include <unistd.h>
#include <utility>

namespace spawnlab {

void ChildHandle::attach(pid_t pid, int pidfd)
{
    std::lock_guard lock(m_mutex);
    if (m_pidfd >= 0) close(m_pidfd); // a posix_spawn candidate that failed
    m_pid = pid;
    // On failure (EMFILE) the pid is used: it stays the child's until detach.
    m_pidfd = pidfd >= 0 ? fcntl(pidfd, F_DUPFD_CLOEXEC, 0) : -1;
    m_detached = false;
    if (m_pending != 0) send(std::exchange(m_pending, 0));
}

void ChildHandle::detach()
{
    std::lock_guard lock(m_mutex);
    if (m_pidfd >= 0) close(m_pidfd);
    m_pidfd = -1;
    m_pid = -1;
    m_pending = 0;
    m_detached = true;
}

void ChildHandle::signal(int sig)
{
    std::lock_guard lock(m_mutex);
    if (m_pid < 0) {
        if (!m_detached) m_pending = sig;
        return;
    }
    send(sig);
}

void ChildHandle::send(int sig)
{
    if (m_pidfd >= 0)
        pidfd_send_signal(m_pidfd, sig, nullptr, 0);
    else if (m_pid > 0)
        ::kill(m_pid, sig);
}

pid_t ChildHandle::pid() const
{
    std::lock_guard lock(m_mutex);
    return m_pid;
}

} // namespace spawnlab
