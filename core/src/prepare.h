// SPDX-License-Identifier: GPL-3.0-or-later
// Preparation: plan -> ChildProgram, in the parent, before any fork. Owns every
// buffer the child reads and the parent's ends of the pipes.
#pragma once

#include "child/child_program.h"
#include "shared_area.h"
#include "unique_fd.h"

#include "spawnlab/plan.h"
#include "spawnlab/result.h"

#include <optional>
#include <string>
#include <vector>

namespace spawnlab::detail {

// A pipe the parent feeds (pipe_in) or drains (pipe_out) once the child runs.
struct ParentPipe {
    int childFd;
    FdActionKind kind;
    UniqueFd parentEnd;
    const std::string *input; // pipe_in: the plan's text
};

struct Prepared {
    ChildProgram program{};

    std::vector<std::string> envSet; // "K=V" of env.set; inherited entries are the parent's
    std::vector<std::string> candidates;
    std::vector<char *> argvPtrs, envPtrs;
    std::vector<const char *> candidatePtrs;
    std::vector<int> slots;
    std::vector<int> targets;
    std::vector<FdOp> fdOps;
    std::vector<int> keepFds;
    std::vector<RlimitOp> rlimits;
    std::vector<gid_t> groups;
    SharedArea shared;

    std::vector<ParentPipe> pipes;
    std::vector<UniqueFd> childSideFds; // closed in the parent once the child has them
    UniqueFd errorPipeRead;             // fork: EOF means exec happened; supervised: notices
};

// Opens /dev/null (O_CLOEXEC) into `out` if the plan has a null action;
// leaves `out` empty if it has none. The failure names the first null action.
std::optional<ChildError> openDevNull(const SpawnPlan &plan, UniqueFd &out);

// Fills `out` for `strategy` (fork, vfork, clone_vm or posix_spawn). `supervised`:
// another thread watches a vfork/clone_vm child while the spawning thread is
// suspended (deadline, stop points, an early pid), over the error pipe. The plan
// must be valid and outlive `out`. `devNull`: an open /dev/null (O_CLOEXEC) the
// caller keeps, for null actions; -1 opens one for this spawn. Returns the
// parent-side failure (pipe2, open, mmap), if any.
std::optional<ChildError> prepare(const SpawnPlan &plan, Strategy strategy, bool supervised,
                                  Prepared &out, int devNull = -1);

} // namespace spawnlab::detail
