// SPDX-License-Identifier: GPL-3.0-or-later
// Killing what this process started, from a signal handler: the benchmark's
// answer to SIGINT/SIGTERM/SIGHUP, so a sample waiting for a target that never
// exits ends, and nothing it started (a runtime driver's own child included)
// outlives it.
#pragma once

#include <sys/types.h>

namespace cli {

// SIGKILLs every descendant of `pid`, deepest first (a process whose parent
// dies first would be reparented out of reach), read from
// /proc/PID/task/*/children. Async-signal-safe: raw system calls and stack
// buffers only. A process started while this runs may be missed.
void killDescendants(pid_t pid);

} // namespace cli
