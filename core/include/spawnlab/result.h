// SPDX-License-Identifier: GPL-3.0-or-later
// What a run produced: the child's error (which step, why), its exit, its step
// trace, captured output and timings. Plain values, parent side.
#pragma once

#include "spawnlab/plan.h"
#include "spawnlab/procfs.h"
#include "spawnlab/step.h"

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace spawnlab {

// A failed step: `index` is the plan entry it served (fds[index], rlimits[index],
// exec candidate index), or -1; `field` is the plan field the failure came from,
// named as validate() names fields ("cwd", "fds[2].path", "rlimits.nofile"), or
// empty when no field of the plan caused it (fork's EAGAIN, say).
struct ChildError {
    ChildError() = default;
    ChildError(Step failedStep, int planIndex, int errnoValue, std::string text,
               std::string planField = {})
        : step(failedStep), index(planIndex), err(errnoValue), message(std::move(text)),
          field(std::move(planField))
    {
    }

    Step step = Step::Execve;
    int index = -1;
    int err = 0;
    std::string message; // "chdir(\"/nope\"): ENOENT", composed by the parent
    std::string field;
};

// One step of the child's trace. `arg` is the parent's rendering of the step's
// argument ("7 -> 5", "/tmp", "nofile 64/64").
struct TraceStep {
    Step step = Step::Execve;
    int index = -1;
    std::string arg;
    int err = 0;
    double tUs = 0; // since the spawn call started in the parent
};

struct ExitStatus {
    bool exited = false; // false: killed by `signal` (or unknown)
    int code = 0;
    int signal = 0;
    bool timedOut = false; // exactly when spawnlab's deadline SIGKILL ended it
    // Non-empty when the status could not be learned, and why ("exit status
    // unknown: SIGCHLD is ignored in this process"); then neither code nor signal holds.
    std::string unknown;
};

// inspect every_step: the child's fd table at one moment.
struct FdStepTable {
    std::optional<Step> step; // the step just done; nullopt: before the first fd step
    int index = -1;           // the plan entry it served (fds[index]), or -1
    std::string arg;          // the step's argument as the trace renders it ("41 -> 6")
    int traceRow = -1;        // its stop's row in RunResult::steps
    FdTable fds;
};

struct Timings {
    double prepareUs = 0;       // plan -> ChildProgram
    double spawnUs = 0;         // fork/vfork/clone returned in the parent
    double execConfirmedUs = 0; // exec known to have happened (or failed)
    double waitUs = 0;          // from exec to reaped
    double totalUs = 0;
};

struct RunResult {
    pid_t pid = -1;
    Strategy strategy = Strategy::Auto; // what ran
    std::string strategyReason;
    std::optional<ChildError> error;
    std::optional<ExitStatus> exit;      // absent when nothing was started
    std::map<int, std::string> captured; // child fd -> its first bytes, exactly (pipe_out)
    // child fd -> every byte it wrote, counted: more than captured[fd] holds
    // when capture_limit_bytes (or memory) cut it.
    std::map<int, std::uint64_t> outputBytes;
    FdTable parentFds;                        // the spawning process, at spawn time
    std::map<InspectPoint, FdTable> childFds; // every point but EveryStep
    std::vector<FdStepTable> fdSteps;         // EveryStep, in the child's order
    std::vector<std::string> notes;           // e.g. why a stop point was not taken
    std::vector<TraceStep> steps;
    Timings timings;

    // The program was exec'd: the run has an exit and no error (a failed step,
    // a timeout before exec, a child that ended or was killed before exec).
    bool execOk() const { return exit.has_value() && !error; }
};

} // namespace spawnlab
