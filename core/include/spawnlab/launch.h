// Running a plan: choose the strategy, prepare, spawn, feed and capture pipes,
// wait (with the plan's timeout) and reap.
#pragma once

#include "spawnlab/plan.h"
#include "spawnlab/result.h"

#include <string>
#include <vector>

namespace spawnlab {

struct StrategyChoice {
    Strategy strategy = Strategy::Fork;
    std::string reason; // one sentence
};

// The strategy `run` will use for this plan and why. For an explicit strategy it
// is that strategy (or, for posix_spawn, the reason it cannot express the plan is
// returned by posixSpawnLimits).
StrategyChoice chooseStrategy(const SpawnPlan &plan);

// What posix_spawn cannot express in this plan, one sentence each; empty if it can.
std::vector<std::string> posixSpawnLimits(const SpawnPlan &plan);

// Validates, then runs the plan to completion. Never throws for a failure the
// plan can cause: a bad plan gives `error` with step Spawn and no child, a failed
// child step gives `error` with that step; the child is always reaped.
RunResult run(const SpawnPlan &plan);

} // namespace spawnlab
