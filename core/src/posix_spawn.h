// SPDX-License-Identifier: GPL-3.0-or-later
// The posix_spawn strategy: the plan as file actions and attributes for glibc.
#pragma once

#include "spawnlab/launch.h"
#include "spawnlab/plan.h"
#include "spawnlab/result.h"

#include <cstdint>

namespace spawnlab::detail {

// Runs a plan that posixSpawnLimits() accepts, to completion, into `result`.
// `devNull` as for prepare().
void runPosixSpawn(const SpawnPlan &plan, std::int64_t prepareNs, std::int64_t deadlineNs,
                   int devNull, const RunOptions &options, RunResult &result);

} // namespace spawnlab::detail
