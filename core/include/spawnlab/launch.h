// SPDX-License-Identifier: GPL-3.0-or-later
// Running a plan: choose the strategy, prepare, spawn, feed and capture pipes,
// wait (with the plan's timeout) and reap.
#pragma once

#include "spawnlab/plan.h"
#include "spawnlab/result.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
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

struct RunOptions {
    // Read this process's fd table into RunResult::parentFds first. The
    // benchmark turns it off: it measures the spawn, not the inspector.
    bool snapshotParent = true;
    // Render every record the child wrote into RunResult::steps, each with its
    // call spelled out. The benchmark turns it off too: strings built per step
    // are most of what run() does besides the system calls. A failure is
    // described either way.
    bool renderSteps = true;
    // Called with the child's pid as soon as it exists (before exec, for every
    // strategy; on the running thread or a supervisor thread), e.g. so a GUI
    // can offer to kill it. `pidfd` is run()'s own pidfd for the child (-1 on
    // kernels < 5.3): open until run() returns, so dup it to keep it longer.
    // posix_spawn makes one child per PATH candidate it tries: then it may be
    // called again with a newer pid, the one that counts.
    std::function<void(pid_t pid, int pidfd)> onSpawned;
    // Called on the running thread with each chunk a pipe_out fd delivers, as
    // it arrives, all of it (RunResult::captured keeps the first capture_limit_bytes), e.g.
    // so a GUI can show a long-running child's progress.
    std::function<void(int childFd, std::string_view chunk)> onOutput;
};

// Validates, then runs the plan to completion. Never throws for a failure the
// plan can cause: a bad plan gives `error` with step Spawn and no child, a failed
// child step gives `error` with that step; the child is always reaped.
RunResult run(const SpawnPlan &plan, const RunOptions &options = {});

// A plan validated, its strategy chosen and /dev/null opened once, for running
// many times (a benchmark, a launcher in a loop): each run() is run(plan)
// without those steps. So the plan is checked against this process as it was
// when prepared: keep its `dup` sources open while it lives (a closed one's
// number may be reused, and the child would get that file). While it lives it
// holds one O_CLOEXEC fd on /dev/null, if the plan has a null action. run() may
// be called from several threads; a moved-from one fails every run().
class PreparedPlan
{
public:
    explicit PreparedPlan(SpawnPlan plan);
    PreparedPlan(PreparedPlan &&other) noexcept;
    PreparedPlan(const PreparedPlan &) = delete;
    PreparedPlan &operator=(const PreparedPlan &) = delete;
    PreparedPlan &operator=(PreparedPlan &&) = delete;
    ~PreparedPlan();

    const SpawnPlan &plan() const { return plan_; }
    // Why every run() fails at once (an invalid plan, /dev/null not opened).
    const std::optional<ChildError> &error() const { return invalid_; }
    RunResult run(const RunOptions &options = {}) const;

private:
    SpawnPlan plan_;
    std::optional<ChildError> invalid_;
    StrategyChoice choice_;
    int devNull_ = -1;
};

// Sets SIGCHLD back to SIG_DFL. A program that runs plans calls it at start:
// an ignored SIGCHLD (inherited from whoever started it) makes the kernel reap
// children itself, and run() could only say their exit status is unknown.
void takeSigchldBack();

} // namespace spawnlab
