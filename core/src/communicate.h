// SPDX-License-Identifier: GPL-3.0-or-later
// After exec: feed pipe_in, drain pipe_out (keeping the first capture_limit_bytes
// of each, counting the rest), wait for the child with the plan's timeout, and
// reap it.
#pragma once

#include "prepare.h"

#include "spawnlab/launch.h"
#include "spawnlab/result.h"

#include <sys/types.h>

#include <cstdint>
#include <vector>

namespace spawnlab::detail {

// Fills result.captured, result.capture, result.exit, result.timings.waitUs
// (measured from execNs) and notes on undelivered input or output still held by
// a grandchild. deadlineNs: CLOCK_MONOTONIC time to kill the child at; 0 for none.
// pidfd: run()'s pidfd for the child if it has one (borrowed), else -1.
void finishChild(pid_t pid, int pidfd, std::vector<ParentPipe> &pipes, const SpawnPlan &plan,
                 std::int64_t deadlineNs, std::int64_t execNs, const RunOptions &options,
                 RunResult &result);

} // namespace spawnlab::detail
