// SPDX-License-Identifier: GPL-3.0-or-later
// run(): validate, choose, prepare, spawn, confirm exec (or read the failure),
// take the requested fd snapshots, communicate, reap.
#include "child/spawn_child.h"
#include "communicate.h"
#include "exec_watch.h"
#include "posix_spawn.h"
#include "prepare.h"
#include "report.h"
#include "spawned_child.h"

#include "spawnlab/launch.h"
#include "spawnlab/names.h"
#include "spawnlab/procfs.h"

#include <errno.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <system_error>
#include <thread>
#include <utility>

namespace spawnlab {
namespace {

using namespace detail;

double usSince(std::int64_t startNs)
{
    return double(monotonicNs() - startNs) / 1000.0;
}

// Only a child that reached its execve step can have exec'd. Read from the
// child's records, so it holds whether or not they are rendered.
bool reachedExecve(const SharedState &shared)
{
    const int count = std::min(shared.traceCount, shared.traceCapacity);
    return std::any_of(shared.trace, shared.trace + count,
                       [](const TraceRecord &r) { return r.step == Step::Execve; });
}

bool sharesMemory(Strategy strategy)
{
    return strategy == Strategy::Vfork || strategy == Strategy::CloneVm;
}

// A vfork/clone_vm spawning thread is suspended until exec: another thread must
// enforce the deadline, serve stop points and pass the pid on early.
bool needsSupervisor(const SpawnPlan &plan, Strategy strategy, const RunOptions &options)
{
    bool stops = std::any_of(plan.inspect.begin(), plan.inspect.end(),
                             [](InspectPoint p) { return p != InspectPoint::AfterExec; });
    return sharesMemory(strategy) && (plan.timeoutMs > 0 || stops || options.onSpawned);
}

struct Launch {
    Spawned spawned;
    std::int64_t returnedNs = 0; // when the spawning call returned in the parent
    ExecOutcome outcome;
};

// Spawns; for a supervised vfork/clone_vm child, a supervisor thread watches the
// error pipe while this thread is suspended in the clone.
Launch launch(Prepared &prepared, Strategy strategy, bool supervised, std::int64_t deadlineNs,
              SpawnedChild &child, RunResult &result)
{
    Launch out;
    ExecWatch watch;
    watch.errorPipe = prepared.errorPipeRead.get();
    watch.deadlineNs = deadlineNs;
    watch.child = &child;
    if (!supervised) {
        out.spawned = spawnChild(prepared.program, strategy);
        out.returnedNs = monotonicNs();
        if (out.spawned.pid < 0 || !prepared.errorPipeRead) return out;
        prepared.childSideFds.clear(); // the child has its copies: EOF will mean exec
        watch.pid = out.spawned.pid;
        child.known(watch.pid);
        out.outcome = awaitExec(watch, result);
        return out;
    }
    UniqueFd resumed(eventfd(0, EFD_CLOEXEC));
    if (!resumed) {
        out.spawned = {-1, errno};
        out.returnedNs = monotonicNs();
        return out;
    }
    watch.spawnReturned = resumed.get();
    std::thread supervisor;
    try {
        supervisor = std::thread([&] { out.outcome = awaitExec(watch, result); });
    } catch (const std::system_error &e) {
        out.spawned = {-1, e.code().value()};
        out.returnedNs = monotonicNs();
        return out;
    }
    out.spawned = spawnChild(prepared.program, strategy);
    out.returnedNs = monotonicNs();
    std::uint64_t one = 1;
    // An eventfd write of 1 cannot fail short of a full counter, which two
    // writes never reach.
    (void)!write(resumed.get(), &one, sizeof one);
    supervisor.join();
    return out;
}

// How a child that never reached exec ended (Kill, a signal from elsewhere).
std::string endedSentence(const ExitStatus &exit)
{
    if (!exit.unknown.empty()) return "the child ended before exec; " + exit.unknown;
    if (exit.exited)
        return "the child exited with code " + std::to_string(exit.code) + " before exec";
    return "the child was killed by " + std::string(signalName(exit.signal)) + " before exec";
}

ChildError timedOutBeforeExec(const SpawnPlan &plan, const std::vector<TraceStep> &steps)
{
    std::string last = steps.empty() ? "none" : std::string(stepName(steps.back().step));
    if (!steps.empty() && !steps.back().arg.empty()) last += " " + steps.back().arg;
    return ChildError{Step::Spawn, -1, ETIMEDOUT,
                      "timeout_ms (" + std::to_string(plan.timeoutMs) +
                          ") passed before exec, so the child was killed; its last finished "
                          "step: " +
                          last,
                      "timeout_ms"};
}

ChildError spawnFailure(Strategy strategy, int err)
{
    std::string call =
        strategy == Strategy::CloneVm ? "clone" : std::string(strategyName(strategy));
    return ChildError{Step::Spawn, -1, err, call + ": " + errnoName(err)};
}

// What the wait for exec found, as the run's error (none when it exec'd).
std::optional<ChildError> errorBeforeExec(const ExecOutcome &outcome, const SharedState &shared,
                                          const ReportContext &context)
{
    switch (outcome.kind) {
    case ExecOutcome::Failed:
        return describeFailure(outcome.record, shared, context);
    case ExecOutcome::TimedOut:
        return timedOutBeforeExec(context.plan, renderTrace(shared, context));
    case ExecOutcome::Broken:
        return ChildError{Step::Spawn, -1, EIO, outcome.problem + "; the child was killed"};
    case ExecOutcome::Exec:
        break;
    }
    return std::nullopt;
}

// A deadline passed before exec, and the child has been reaped.
void settleTimeout(const SharedState &shared, const ReportContext &context,
                   const RunOptions &options, RunResult &result)
{
    if (!result.exit->exited && result.exit->signal == SIGKILL) {
        result.exit->timedOut = true; // the deadline's SIGKILL before exec ended it
        return;
    }
    // The kill came as the child finished by itself: it exec'd (and its
    // program exited) or failed a step. Its own account, now final, wins.
    if (options.renderSteps) result.steps = renderTrace(shared, context);
    result.error.reset();
    if (shared.failed)
        result.error = describeFailure(shared.error, shared, context);
    else if (!reachedExecve(shared))
        result.error = ChildError{Step::Spawn, -1, 0, endedSentence(*result.exit)};
}

// A prepared plan and its launched child.
struct Started {
    std::unique_ptr<Prepared> prepared;
    Launch launched;
    bool supervised = false;
    std::int64_t preparedNs = 0; // when the first prepare finished
};

// Prepares the plan for result.strategy and launches it. Where a sandbox
// refuses vfork (EINVAL), prepares again for fork, which is always correct
// and only slower, and says so in the strategy's reason. False: prepare
// failed, and result.error says why.
bool prepareAndLaunch(const SpawnPlan &plan, int devNull, std::int64_t deadlineNs,
                      const RunOptions &options, SpawnedChild &child, Started &out,
                      RunResult &result)
{
    out.supervised = needsSupervisor(plan, result.strategy, options);
    out.prepared = std::make_unique<Prepared>();
    if (auto failure = prepare(plan, result.strategy, out.supervised, *out.prepared, devNull)) {
        result.error = failure;
        return false;
    }
    out.preparedNs = monotonicNs();
    out.launched =
        launch(*out.prepared, result.strategy, out.supervised, deadlineNs, child, result);
    if (out.launched.spawned.pid >= 0 || out.launched.spawned.err != EINVAL ||
        result.strategy != Strategy::Vfork)
        return true;
    result.strategy = Strategy::Fork;
    result.strategyReason += "; vfork failed with EINVAL, so fork was used instead";
    out.supervised = false;
    out.prepared = std::make_unique<Prepared>();
    if (auto failure = prepare(plan, result.strategy, out.supervised, *out.prepared, devNull)) {
        result.error = failure;
        return false;
    }
    out.launched =
        launch(*out.prepared, result.strategy, out.supervised, deadlineNs, child, result);
    return true;
}

// run() for a plan known to be valid, from the strategy on; `devNull` as for
// prepare(). `startNs`: when the caller's run began.
RunResult runValid(const SpawnPlan &plan, const StrategyChoice &choice, int devNull,
                   std::int64_t startNs, const RunOptions &options)
{
    RunResult result;
    result.strategy = choice.strategy;
    result.strategyReason = choice.reason;
    if (options.snapshotParent) result.parentFds = readFdTable(0).table;
    const std::int64_t deadlineNs =
        plan.timeoutMs > 0 ? startNs + std::int64_t(plan.timeoutMs) * 1000000 : 0;

    if (result.strategy == Strategy::PosixSpawn) {
        runPosixSpawn(plan, monotonicNs(), deadlineNs, devNull, options, result);
        result.timings.totalUs = usSince(startNs);
        return result;
    }

    const std::int64_t prepareNs = monotonicNs();
    SpawnedChild child(options);
    Started started;
    if (!prepareAndLaunch(plan, devNull, deadlineNs, options, child, started, result))
        return result;
    Prepared &prepared = *started.prepared;
    const Launch &launched = started.launched;
    const bool supervised = started.supervised;
    const std::int64_t preparedNs = started.preparedNs;
    result.timings.prepareUs = double(preparedNs - prepareNs) / 1000.0;
    const Spawned &spawned = launched.spawned;
    // A forked child is still on its way to exec here; vfork/clone_vm return
    // only after it.
    result.timings.spawnUs = double(launched.returnedNs - preparedNs) / 1000.0;
    if (spawned.pid < 0) {
        result.error = spawnFailure(result.strategy, spawned.err);
        result.timings.totalUs = usSince(startNs);
        return result;
    }
    result.pid = spawned.pid;
    prepared.childSideFds.clear(); // the child has its copies
    // An unsupervised vfork/clone_vm child has exec'd by now; say so late.
    if (sharesMemory(result.strategy) && !supervised) child.known(spawned.pid);

    ExecOutcome outcome = launched.outcome;
    if (outcome.kind == ExecOutcome::Exec && prepared.program.shared->failed)
        outcome = {ExecOutcome::Failed, prepared.program.shared->error, {}};
    const std::int64_t execNs = monotonicNs();
    result.timings.execConfirmedUs = double(execNs - preparedNs) / 1000.0;

    const SharedState &shared = *prepared.program.shared;
    ReportContext context{plan, prepared.candidates, preparedNs};
    if (options.renderSteps) result.steps = renderTrace(shared, context);
    // EOF (or a resumed vfork parent) also follows a child killed before exec.
    const bool execd = outcome.kind == ExecOutcome::Exec && reachedExecve(shared);
    if (auto before = errorBeforeExec(outcome, shared, context)) result.error = std::move(before);
    if (execd && prepared.program.traceExec) snapshotAfterExec(spawned.pid, result);
    finishChild(spawned.pid, child.pidfdOf(spawned.pid), prepared.pipes, plan, deadlineNs, execNs,
                options, result);
    if (outcome.kind == ExecOutcome::Exec && !execd) // its exit says how it ended
        result.error = ChildError{Step::Spawn, -1, 0, endedSentence(*result.exit)};
    if (outcome.kind == ExecOutcome::TimedOut) settleTimeout(shared, context, options, result);
    labelStepTables(shared, result);
    result.timings.totalUs = usSince(startNs);
    return result;
}

// The plan's problems as run() reports them: one error, every problem named.
ChildError invalidPlanError(const std::vector<PlanProblem> &problems)
{
    std::string message = "the plan is not valid: ";
    for (std::size_t i = 0; i < problems.size(); ++i)
        message += (i ? "; " : "") + problems[i].field + ": " + problems[i].message;
    return ChildError{Step::Spawn, -1, EINVAL, message, problems.front().field};
}

} // namespace

RunResult run(const SpawnPlan &plan, const RunOptions &options)
{
    const std::int64_t startNs = monotonicNs();
    if (auto problems = validate(plan); !problems.empty()) {
        RunResult result;
        result.error = invalidPlanError(problems);
        return result;
    }
    return runValid(plan, chooseStrategy(plan), -1, startNs, options);
}

PreparedPlan::PreparedPlan(SpawnPlan plan) : plan_(std::move(plan))
{
    if (auto problems = validate(plan_); !problems.empty()) {
        invalid_ = invalidPlanError(problems);
        return;
    }
    choice_ = chooseStrategy(plan_);
    UniqueFd devNull;
    if (auto failure = openDevNull(plan_, devNull))
        invalid_ = failure;
    else
        devNull_ = devNull.release();
}

PreparedPlan::PreparedPlan(PreparedPlan &&other) noexcept
    : plan_(std::move(other.plan_)), invalid_(std::move(other.invalid_)),
      choice_(std::move(other.choice_)), devNull_(std::exchange(other.devNull_, -1))
{
    other.invalid_ = ChildError{Step::Spawn, -1, EINVAL, "this PreparedPlan was moved from"};
}

PreparedPlan::~PreparedPlan()
{
    if (devNull_ >= 0) close(devNull_);
}

RunResult PreparedPlan::run(const RunOptions &options) const
{
    const std::int64_t startNs = monotonicNs();
    if (invalid_) {
        RunResult result;
        result.error = invalid_;
        return result;
    }
    return runValid(plan_, choice_, devNull_, startNs, options);
}

void takeSigchldBack()
{
    struct sigaction byDefault {
    };
    byDefault.sa_handler = SIG_DFL;
    ::sigaction(SIGCHLD, &byDefault, nullptr);
}

} // namespace spawnlab
