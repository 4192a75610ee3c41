// run(): validate, choose, prepare, spawn, confirm exec (or read the failure),
// take the requested fd snapshots, communicate, reap.
#include "communicate.h"
#include "posix_spawn.h"
#include "prepare.h"
#include "report.h"
#include "spawn_child.h"

#include "spawnlab/launch.h"
#include "spawnlab/names.h"
#include "spawnlab/procfs.h"

#include <errno.h>
#include <memory>
#include <poll.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

namespace spawnlab {
namespace {

using namespace detail;

double usSince(std::int64_t startNs)
{
    return double(monotonicNs() - startNs) / 1000.0;
}

void snapshot(pid_t pid, InspectPoint point, RunResult &result)
{
    FdTableRead read = readFdTable(pid);
    if (read.err != 0)
        result.notes.push_back("could not read the fd table " +
                               std::string(inspectPointName(point)) + ": " + errnoName(read.err));
    else
        result.childFds[point] = std::move(read.table);
}

// Reads the error pipe of a forked child until EOF (exec happened) or a failure
// record; stop notices in between are served by snapshotting the stopped child.
// Gives up (killing the child) at the deadline.
struct ExecOutcome {
    enum Kind { Exec, Failed, TimedOut };
    Kind kind = Exec;
    ErrorRecord record{};
};

ExecOutcome awaitExec(pid_t pid, int errorPipe, std::int64_t deadlineNs, RunResult &result)
{
    for (;;) {
        int waitMs = -1;
        if (deadlineNs != 0)
            waitMs = int(std::max<std::int64_t>(0, (deadlineNs - monotonicNs()) / 1000000));
        pollfd p{errorPipe, POLLIN, 0};
        int ready = poll(&p, 1, waitMs);
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
            kill(pid, SIGKILL); // hung before exec; reap() reports the signal
            return {ExecOutcome::TimedOut, {}};
        }
        ErrorRecord record{};
        ssize_t n = read(errorPipe, &record, sizeof record);
        if (n < 0 && errno == EINTR) continue;
        if (n != sizeof record) return {}; // EOF: exec succeeded (or the child died; reap says)
        if (record.step != Step::Stop || record.err != 0) return {ExecOutcome::Failed, record};
        int status = 0;
        while (waitpid(pid, &status, WUNTRACED) < 0 && errno == EINTR) {
        }
        if (!WIFSTOPPED(status)) return {}; // killed meanwhile; reap() reports it
        snapshot(pid,
                 record.index == 0 ? InspectPoint::BeforeCloseFds : InspectPoint::AfterCloseFds,
                 result);
        kill(pid, SIGCONT);
    }
}

// With PTRACE_TRACEME the child stops with SIGTRAP right after execve: the
// table then is the program's own, CLOEXEC fds gone. Other signals that stop it
// first are passed on.
void snapshotAfterExec(pid_t pid, RunResult &result)
{
    for (;;) {
        int status = 0;
        if (waitpid(pid, &status, __WALL) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (!WIFSTOPPED(status)) return; // it exited; nothing to see (reap() cannot see it either)
        int sig = WSTOPSIG(status);
        if (sig == SIGTRAP) {
            snapshot(pid, InspectPoint::AfterExec, result);
            ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
            return;
        }
        ptrace(PTRACE_CONT, pid, nullptr, reinterpret_cast<void *>(long(sig)));
    }
}

ChildError timedOutBeforeExec(const SpawnPlan &plan, const std::vector<TraceStep> &steps)
{
    std::string last = steps.empty() ? "none" : std::string(stepName(steps.back().step));
    if (!steps.empty() && !steps.back().arg.empty()) last += " " + steps.back().arg;
    return ChildError{Step::Spawn, -1, ETIMEDOUT,
                      "timeout_ms (" + std::to_string(plan.timeoutMs) +
                          ") passed before exec, so the child was killed; its last finished "
                          "step: " +
                          last};
}

} // namespace

RunResult run(const SpawnPlan &plan, const RunOptions &options)
{
    RunResult result;
    const std::int64_t startNs = monotonicNs();
    if (auto problems = validate(plan); !problems.empty()) {
        std::string message = "the plan is not valid: ";
        for (std::size_t i = 0; i < problems.size(); ++i)
            message += (i ? "; " : "") + problems[i].field + ": " + problems[i].message;
        result.error = ChildError{Step::Spawn, -1, EINVAL, message};
        return result;
    }
    StrategyChoice choice = chooseStrategy(plan);
    result.strategy = choice.strategy;
    result.strategyReason = choice.reason;
    if (options.snapshotParent) result.parentFds = readFdTable(0).table;
    const std::int64_t deadlineNs =
        plan.timeoutMs > 0 ? startNs + std::int64_t(plan.timeoutMs) * 1000000 : 0;

    if (result.strategy == Strategy::PosixSpawn) {
        runPosixSpawn(plan, monotonicNs(), deadlineNs, options, result);
        result.timings.totalUs = usSince(startNs);
        return result;
    }

    const std::int64_t prepareNs = monotonicNs();
    auto prepared = std::make_unique<Prepared>();
    if (auto failure = prepare(plan, result.strategy, *prepared)) {
        result.error = failure;
        return result;
    }
    const std::int64_t preparedNs = monotonicNs();
    result.timings.prepareUs = double(preparedNs - prepareNs) / 1000.0;

    Spawned spawned = spawnChild(prepared->program, result.strategy);
    if (spawned.pid < 0 && spawned.err == EINVAL && result.strategy == Strategy::Vfork) {
        // Some sandboxes refuse vfork; fork is always correct, only slower.
        result.strategy = Strategy::Fork;
        result.strategyReason += "; vfork failed with EINVAL, so fork was used instead";
        prepared = std::make_unique<Prepared>();
        if (auto failure = prepare(plan, result.strategy, *prepared)) {
            result.error = failure;
            return result;
        }
        spawned = spawnChild(prepared->program, result.strategy);
    }
    result.timings.spawnUs = usSince(preparedNs);
    if (spawned.pid < 0) {
        std::string call = result.strategy == Strategy::CloneVm
                               ? "clone"
                               : std::string(strategyName(result.strategy));
        result.error =
            ChildError{Step::Spawn, -1, spawned.err, call + ": " + errnoName(spawned.err)};
        result.timings.totalUs = usSince(startNs);
        return result;
    }
    result.pid = spawned.pid;
    prepared->childSideFds.clear(); // the child has its copies
    if (options.onSpawned) options.onSpawned(spawned.pid);

    ExecOutcome outcome;
    if (prepared->errorPipeRead)
        outcome = awaitExec(spawned.pid, prepared->errorPipeRead.get(), deadlineNs, result);
    else if (prepared->program.shared->failed) // vfork/clone_vm: the memory is shared
        outcome = {ExecOutcome::Failed, prepared->program.shared->error};
    const std::int64_t execNs = monotonicNs();
    result.timings.execConfirmedUs = double(execNs - preparedNs) / 1000.0;

    const SharedState &shared = *prepared->program.shared;
    ReportContext context{plan, prepared->candidates, preparedNs};
    result.steps = renderTrace(shared, context);
    result.execOk = outcome.kind == ExecOutcome::Exec;
    if (outcome.kind == ExecOutcome::Failed)
        result.error = describeFailure(outcome.record, shared, context);
    if (outcome.kind == ExecOutcome::TimedOut)
        result.error = timedOutBeforeExec(plan, result.steps);
    if (result.execOk && prepared->program.traceExec) snapshotAfterExec(spawned.pid, result);
    finishChild(spawned.pid, prepared->pipes, deadlineNs, execNs, options.onOutput, result);
    result.timings.totalUs = usSince(startNs);
    return result;
}

} // namespace spawnlab
