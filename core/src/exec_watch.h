// SPDX-License-Identifier: GPL-3.0-or-later
// Between the child's creation and its exec: answering its stop notices (read
// the stopped child's fd table, continue it), noticing a failure record, and
// enforcing the deadline. Runs on the spawning thread for fork, and on a
// supervisor thread for vfork and clone_vm, whose spawning thread is suspended.
#pragma once

#include "child/child_program.h"
#include "spawned_child.h"

#include "spawnlab/result.h"

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>

namespace spawnlab::detail {

struct ExecWatch {
    pid_t pid = -1;         // -1 until a vfork/clone_vm child announces itself
    int errorPipe = -1;     // the read end: notices, a failure record, EOF at exec
    int spawnReturned = -1; // eventfd: the suspended spawning thread resumed; -1 for fork
    std::int64_t deadlineNs = 0;
    // Told the pid as soon as it is known (may be on the supervisor thread).
    SpawnedChild *child = nullptr;
};

struct ExecOutcome {
    enum Kind {
        Exec,   // EOF, or the spawning thread resumed: exec happened unless `shared` says it failed
        Failed, // `record` says which step
        TimedOut, // the deadline passed before exec; the child was sent SIGKILL
        Broken,   // spawnlab could not watch the child (`problem`); it was sent SIGKILL
    };
    Kind kind = Exec;
    ErrorRecord record{};
    std::string problem;
};

ExecOutcome awaitExec(ExecWatch &watch, RunResult &result);

// With PTRACE_TRACEME the child stops with SIGTRAP right after execve: reads
// its table then, and detaches. Never consumes an exit status.
void snapshotAfterExec(pid_t pid, RunResult &result);

} // namespace spawnlab::detail
