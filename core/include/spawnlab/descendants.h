// SPDX-License-Identifier: GPL-3.0-or-later
// Killing a process tree, from a signal handler if need be: the benchmark's
// answer to SIGINT/SIGTERM/SIGHUP (so a sample waiting for a target that never
// exits ends, and nothing it started outlives it, a runtime driver's own child
// included), and the leak hunter's for the children it does not trace.
#pragma once

#include <sys/types.h>

namespace spawnlab {

// SIGKILLs every descendant of `pid`, deepest first (a process whose parent
// dies first would be reparented out of reach), read from
// /proc/PID/task/*/children. Async-signal-safe: system calls and stack
// buffers only. A process started while this runs may be missed.
void killDescendants(pid_t pid);

} // namespace spawnlab
