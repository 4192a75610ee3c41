// SPDX-License-Identifier: GPL-3.0-or-later
// spawnlab-cli run's answer to SIGINT, SIGTERM and SIGHUP: kill and reap the
// child, then die of the same signal, so that no child (stopped at a stop
// point, traced, or blocked before exec) outlives the CLI. The signals are
// blocked in every thread and taken by one thread with sigwaitinfo, so the
// answer does not depend on what the spawning thread is doing (it may be
// suspended in vfork).
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <string>

namespace cli::reaper {

// Blocks the signals and starts the thread; call it before any other thread
// exists, so that every thread inherits the mask. A signal ignored or blocked
// when the CLI started (nohup, a parent's mask) stays as it was. `startMask`
// receives the mask the CLI started with (its child should start with that
// one, not with ours). False and `error` set if the thread could not start.
bool start(sigset_t &startMask, std::string &error);

// run() is about to start: from now on a signal waits (a bounded time) for
// the child's pid rather than leaving a child that is being created.
void runStarting();

// RunOptions::onSpawned: the child's pid, as soon as it exists. Any thread.
void spawned(pid_t pid);

// Ends the process by `sig`, with its default action (so whoever started us
// sees the signal in the wait status), after the answer was given.
[[noreturn]] void dieOf(int sig);

// run() returned: its child is reaped, there is nothing left to kill. If a
// signal is being answered (run() returned because the child was killed),
// this never returns: the answer ends the process.
void runFinished();

} // namespace cli::reaper
