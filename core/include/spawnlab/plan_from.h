// SPDX-License-Identifier: GPL-3.0-or-later
// A plan that re-creates how a running process was set up: argv, executable,
// cwd, environment, umask, signal mask and ignored signals, ids, limits,
// session and process group, and its fds (files reopened by path, objects
// this process also holds handed over, pipes and sockets as notes). What a
// plan cannot re-create is said in plan.notes. Read from /proc/PID and, for
// limits, prlimit(2).
#pragma once

#include "spawnlab/plan.h"

#include <sys/types.h>

#include <string>

namespace spawnlab {

struct PlanFromProcess {
    SpawnPlan plan;
    std::string error; // one sentence naming the pid and the cause; then `plan` is empty
    bool ok() const { return error.empty(); }
};

// Limits, ids and fds are given relative to this process: a limit or id equal
// to ours is left to inheritance, an fd on an object we hold at the same
// number is a pass_fds entry, at another number a dup from ours.
PlanFromProcess planFromProcess(pid_t pid);

} // namespace spawnlab
