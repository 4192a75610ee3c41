// SPDX-License-Identifier: GPL-3.0-or-later
// What readFdTable must know about the task it reads through, so that it never
// returns a partial table as a whole one: whether it is a kernel thread, a
// zombie or exiting, which thread still holds the table when the leader has
// exited, and why the kernel refuses to show the fds.
#pragma once

#include "unique_fd.h"

#include <sys/types.h>

#include <string>

namespace spawnlab::detail {

struct TaskStat {
    int err = 0;        // errno reading "stat": ENOENT or ESRCH once the task is reaped
    char state = 0;     // R, S, D, T, t, Z, X, ...
    unsigned flags = 0; // the kernel's PF_* bits
    pid_t ppid = 0;

    bool kernelThread() const;
    // Reaped, a zombie, or in do_exit: its fd table is gone or going.
    bool gone() const;
};

// Reads "stat" in `taskDir` (/proc/PID or /proc/PID/task/TID).
TaskStat readTaskStat(int taskDir);

// When the leader has exited alone (pthread_exit), /proc/PID/fd is empty but
// the other threads still share the table: a handle on /proc/PID/task/TID of
// one that has not exited; an invalid handle if there is none.
UniqueFd openLiveThread(int procDir, pid_t leader);

// Why reading `who`'s fds failed with `err` (EACCES, EPERM): `listing` when
// opening the fd directory failed (its owner and mode), else reading an entry
// (the ptrace access mode check). One sentence, starting with `who`.
std::string deniedReason(int procDir, const std::string &who, int err, bool listing);

} // namespace spawnlab::detail
