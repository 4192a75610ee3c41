// SPDX-License-Identifier: GPL-3.0-or-later
// Turning the child's raw records into words: the failed call with its
// arguments ("dup2(7 -> 5) for fds[2]: EBADF") and the step trace.
#pragma once

#include "child/child_program.h"

#include "spawnlab/plan.h"
#include "spawnlab/result.h"

#include <string>
#include <vector>

namespace spawnlab::detail {

struct ReportContext {
    const SpawnPlan &plan;
    const std::vector<std::string> &candidates;
    std::int64_t startNs; // CLOCK_MONOTONIC when the spawn began
};

std::vector<TraceStep> renderTrace(const SharedState &shared, const ReportContext &context);

// every_step's tables came in the child's order; each is named here after the
// step the trace shows just before its stop (none for the first).
void labelStepTables(const SharedState &shared, RunResult &result);

// The error from the child's record; the failed step's own trace record (the
// last one) supplies the arguments, and failureField() the field.
ChildError describeFailure(const ErrorRecord &error, const SharedState &shared,
                           const ReportContext &context);

// The plan field a failed step came from, as validate() names fields: "cwd",
// "fds[2].path", "rlimits.nofile", "credentials.uid", "executable". `index` is
// the step's plan entry (as in ErrorRecord); `record` is the step's own trace
// record when there is one (it holds the signal, the fds). Empty when no field
// of the plan caused it (Step::Spawn: the parent's own calls).
std::string failureField(const SpawnPlan &plan, Step step, int index, const TraceRecord *record,
                         int err);

std::int64_t monotonicNs();

} // namespace spawnlab::detail
