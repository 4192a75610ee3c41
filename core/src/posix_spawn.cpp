// SPDX-License-Identifier: GPL-3.0-or-later
#include "posix_spawn.h"

#include "child/exec_error.h"
#include "child/signal_mask.h"
#include "communicate.h"
#include "posix_spawn_watch.h"
#include "prepare.h"
#include "report.h"

#include "spawnlab/names.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>

#include <algorithm>

namespace spawnlab::detail {
namespace {

// RAII for the two glibc objects; every add* can fail with ENOMEM.
struct SpawnObjects {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    int initErr = 0;
    SpawnObjects()
    {
        initErr = posix_spawn_file_actions_init(&actions);
        if (initErr == 0 && (initErr = posix_spawnattr_init(&attr)) != 0)
            posix_spawn_file_actions_destroy(&actions);
    }
    ~SpawnObjects()
    {
        if (initErr == 0) {
            posix_spawn_file_actions_destroy(&actions);
            posix_spawnattr_destroy(&attr);
        }
    }
};

void toSigset(std::uint64_t mask, sigset_t &set)
{
    sigemptyset(&set);
    for (int sig = 1; sig <= kSignalCount; ++sig)
        if (inSignalMask(mask, sig)) sigaddset(&set, sig);
}

bool isKept(const Prepared &p, int fd)
{
    return std::binary_search(p.keepFds.begin(), p.keepFds.end(), fd);
}

// The same ordered fd ops the child would run, as file actions. Sources that
// would be overwritten are copied away from every target in the parent first
// (CLOEXEC, closed after the spawn), which is what the child's CopyAway does.
int addFdActions(const SpawnPlan &plan, Prepared &p, posix_spawn_file_actions_t &fa,
                 std::vector<UniqueFd> &highCopies)
{
    int err = 0;
    if (!plan.cwd.empty() && (err = posix_spawn_file_actions_addchdir_np(&fa, plan.cwd.c_str())))
        return err;
    for (const FdOp &op : p.fdOps) {
        switch (op.kind) {
        case FdOpKind::CopyAway: {
            int copy =
                copyAwayFromTargets(p.slots[op.slot], p.program.targets, p.program.targetCount);
            if (copy < 0) return errno;
            highCopies.emplace_back(copy);
            p.slots[op.slot] = copy;
            break;
        }
        case FdOpKind::Dup2:
            err = posix_spawn_file_actions_adddup2(&fa, p.slots[op.slot], op.fd);
            break;
        case FdOpKind::Inherit: // glibc >= 2.29 clears FD_CLOEXEC for dup2(fd, fd)
            err = posix_spawn_file_actions_adddup2(&fa, op.fd, op.fd);
            break;
        case FdOpKind::Open:
            err = posix_spawn_file_actions_addopen(&fa, op.fd, op.path, op.flags, op.mode);
            break;
        case FdOpKind::Close:
            err = posix_spawn_file_actions_addclose(&fa, op.fd);
            break;
        }
        if (err) return err;
    }
    if (!plan.closeFds) return 0;
    int highest = p.keepFds.empty() ? 2 : p.keepFds.back();
    for (int fd = 3; fd < highest; ++fd)
        if (!isKept(p, fd) && (err = posix_spawn_file_actions_addclose(&fa, fd))) return err;
    return posix_spawn_file_actions_addclosefrom_np(&fa, highest + 1);
}

int setAttributes(const SpawnPlan &plan, const ChildProgram &program, posix_spawnattr_t &attr)
{
    // Without a plan mask the child simply inherits the caller's, as posix_spawn does.
    short flags = POSIX_SPAWN_SETSIGDEF;
    if (!program.keepParentMask) flags |= POSIX_SPAWN_SETSIGMASK;
    sigset_t mask, defaults;
    toSigset(program.sigmask, mask);
    toSigset(program.defaultMask, defaults);
    if (plan.setsid) flags |= POSIX_SPAWN_SETSID;
    int err = 0;
    if (plan.pgid) {
        flags |= POSIX_SPAWN_SETPGROUP;
        if ((err = posix_spawnattr_setpgroup(&attr, *plan.pgid))) return err;
    }
    if ((err = posix_spawnattr_setsigmask(&attr, &mask)) ||
        (err = posix_spawnattr_setsigdefault(&attr, &defaults)))
        return err;
    return posix_spawnattr_setflags(&attr, flags);
}

ChildError spawnError(const std::string &what, int err)
{
    return ChildError{Step::PosixSpawn, -1, err, what + ": " + errnoName(err)};
}

ChildError timedOutInsideSpawn(const SpawnPlan &plan)
{
    return ChildError{Step::PosixSpawn, -1, ETIMEDOUT,
                      "timeout_ms (" + std::to_string(plan.timeoutMs) +
                          ") passed inside posix_spawn, before its child exec'd "
                          "(a file action blocked?), so the child was killed",
                      "timeout_ms"};
}

// No candidate spawned: `failure` names the one whose error is reported.
ChildError everyCandidateFailed(const SpawnPlan &plan, const std::vector<std::string> &candidates,
                                const ExecErrorChoice &failure)
{
    std::string tried;
    for (const auto &c : candidates)
        tried += (tried.empty() ? "" : ", ") + c;
    std::string where =
        failure.index >= 0 ? "\"" + candidates[std::size_t(failure.index)] + "\"" : "";
    return ChildError{Step::PosixSpawn, failure.index, failure.err,
                      "posix_spawn(" + where + "): " + errnoName(failure.err) +
                          " (a file action, an attribute or execve; tried " + tried + ")",
                      failureField(plan, Step::PosixSpawn, failure.index, nullptr, failure.err)};
}

} // namespace

void runPosixSpawn(const SpawnPlan &plan, std::int64_t prepareNs, std::int64_t deadlineNs,
                   int devNull, const RunOptions &options, RunResult &result)
{
    Prepared p;
    if (auto failure = prepare(plan, Strategy::PosixSpawn, false, p, devNull)) {
        result.error = failure;
        return;
    }
    SpawnObjects glibc;
    if (glibc.initErr) {
        result.error = spawnError("posix_spawn_file_actions_init", glibc.initErr);
        return;
    }
    std::vector<UniqueFd> highCopies;
    if (int err = addFdActions(plan, p, glibc.actions, highCopies)) {
        result.error = spawnError("posix_spawn_file_actions", err);
        return;
    }
    if (int err = setAttributes(plan, p.program, glibc.attr)) {
        result.error = spawnError("posix_spawnattr", err);
        return;
    }
    const std::int64_t preparedNs = monotonicNs();
    result.timings.prepareUs = double(preparedNs - prepareNs) / 1000.0;

    // The child's PATH was expanded here; glibc's posix_spawnp would search
    // the parent's. If every candidate fails, ExecErrorChoice picks the error.
    pid_t pid = -1;
    ExecErrorChoice failure;
    bool spawned = false;
    SpawnedChild child(options);
    PosixSpawnWatch watch(deadlineNs, child);
    if (int watchErr = watch.start()) {
        result.error = spawnError("the posix_spawn watchdog thread", watchErr);
        return;
    }
    for (std::size_t i = 0; i < p.candidates.size() && !watch.killed(); ++i) {
        int attempt = posix_spawn(&pid, p.candidates[i].c_str(), &glibc.actions, &glibc.attr,
                                  p.program.argv, p.program.envp);
        spawned = attempt == 0;
        if (spawned) break;
        failure.add(int(i), attempt);
    }
    watch.stop();
    const std::int64_t execNs = monotonicNs();
    result.timings.spawnUs = result.timings.execConfirmedUs = double(execNs - preparedNs) / 1000.0;
    p.childSideFds.clear();
    highCopies.clear();
    result.notes.push_back("posix_spawn runs the child's steps inside glibc, so there is no "
                           "step trace, and a failure does not say which step failed");
    if (watch.killed() && spawned) {
        // Killed inside posix_spawn, glibc returns the pid as if it had exec'd;
        // only the exit says whether the kill ended it or the program ran.
        result.pid = pid;
        finishChild(pid, child.pidfdOf(pid), p.pipes, plan, deadlineNs, execNs, options, result);
        if (result.exit && !result.exit->exited && result.exit->signal == SIGKILL) {
            result.exit->timedOut = true;
            result.error = timedOutInsideSpawn(plan);
        } // else it exec'd and ended by itself as the deadline passed
        return;
    }
    // An error despite a kill is the child's own (glibc reaped it): reported below.
    if (!spawned) {
        result.error = everyCandidateFailed(plan, p.candidates, failure);
        return;
    }
    result.pid = pid;
    child.known(pid); // unless the watchdog told the caller already
    finishChild(pid, child.pidfdOf(pid), p.pipes, plan, deadlineNs, execNs, options, result);
}

} // namespace spawnlab::detail
