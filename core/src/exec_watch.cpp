// SPDX-License-Identifier: GPL-3.0-or-later
#include "exec_watch.h"

#include "report.h"

#include "spawnlab/names.h"
#include "spawnlab/procfs.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

namespace spawnlab::detail {
namespace {

void snapshot(pid_t pid, InspectPoint point, RunResult &result)
{
    FdTableRead read = readFdTable(pid);
    if (read.err != 0)
        result.notes.push_back("could not read the fd table " +
                               std::string(inspectPointName(point)) + ": " + errnoName(read.err));
    // every_step's tables are named after the run, by their stops' order: one
    // that could not be read keeps its place, empty.
    if (point == InspectPoint::EveryStep)
        result.fdSteps.push_back({std::nullopt, -1, {}, -1, std::move(read.table)});
    else if (read.err == 0)
        result.childFds[point] = std::move(read.table);
}

InspectPoint pointOf(std::int32_t where)
{
    switch (where) {
    case kStopBeforeCloseFds:
        return InspectPoint::BeforeCloseFds;
    case kStopAfterCloseFds:
        return InspectPoint::AfterCloseFds;
    default:
        return InspectPoint::EveryStep;
    }
}

// Waits until the child stops or exits, without consuming an exit (reap()
// needs it). Returns the signal that stopped it, or 0 when it is gone; the
// stop is consumed so that nothing reports it again.
int waitStopped(pid_t pid, int extraFlags)
{
    siginfo_t info{};
    while (waitid(P_PID, id_t(pid), &info, WSTOPPED | WEXITED | WNOWAIT | extraFlags) != 0)
        if (errno != EINTR) return 0;
    if (info.si_code != CLD_STOPPED && info.si_code != CLD_TRAPPED) return 0;
    while (waitid(P_PID, id_t(pid), &info, WSTOPPED | WNOHANG | extraFlags) != 0)
        if (errno != EINTR) return 0;
    return info.si_status;
}

ExecOutcome broken(pid_t pid, std::string problem)
{
    if (pid > 0) kill(pid, SIGKILL);
    return {ExecOutcome::Broken, {}, std::move(problem)};
}

int msUntil(std::int64_t deadlineNs)
{
    if (deadlineNs == 0) return -1;
    return int(
        std::clamp<std::int64_t>((deadlineNs - monotonicNs() + 999999) / 1000000, 0, 1 << 30));
}

} // namespace

ExecOutcome awaitExec(ExecWatch &w, RunResult &result)
{
    bool deadlinePassed = false;
    for (;;) {
        // Past the deadline, what the child already said (exec, a failure)
        // is taken first; one not yet announced is being created, and is
        // killed the moment its pid arrives.
        int waitMs = !deadlinePassed ? msUntil(w.deadlineNs) : w.pid > 0 ? 0 : -1;
        pollfd fds[2] = {{w.errorPipe, POLLIN, 0}, {w.spawnReturned, POLLIN, 0}};
        int ready = poll(fds, w.spawnReturned >= 0 ? 2 : 1, waitMs);
        if (ready < 0) {
            if (errno == EINTR) continue;
            return broken(w.pid, "poll on the error pipe: " + errnoName(errno));
        }
        if (ready == 0 && deadlinePassed) {
            kill(w.pid, SIGKILL); // hung before exec; reap() reports the signal
            return {ExecOutcome::TimedOut, {}, {}};
        }
        if (ready == 0) {
            deadlinePassed = true;
            continue;
        }
        if (fds[0].revents == 0) return {}; // the spawning thread resumed: exec or exit
        ErrorRecord record{};
        ssize_t n = read(w.errorPipe, &record, sizeof record);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return broken(w.pid, "read on the error pipe: " + errnoName(errno));
        if (n == 0) return {}; // EOF: exec succeeded (or the child died; reap says)
        if (n != sizeof record) return broken(w.pid, "a short record on the error pipe");
        if (record.step != Step::Stop) return {ExecOutcome::Failed, record, {}};
        if (record.index == kAnnounceIndex) {
            w.pid = pid_t(record.err);
            if (w.child) w.child->known(w.pid);
            continue;
        }
        if (record.err != 0) return {ExecOutcome::Failed, record, {}};
        if (!waitStopped(w.pid, 0)) return {}; // killed meanwhile; reap() reports it
        snapshot(w.pid, pointOf(record.index), result);
        if (kill(w.pid, SIGCONT) != 0)
            return broken(w.pid, "kill(SIGCONT) for the stopped child: " + errnoName(errno));
    }
}

void snapshotAfterExec(pid_t pid, RunResult &result)
{
    for (;;) {
        int sig = waitStopped(pid, __WALL);
        if (sig == 0) return; // it exited; reap() reports how
        if (sig == SIGTRAP) {
            snapshot(pid, InspectPoint::AfterExec, result);
            if (ptrace(PTRACE_DETACH, pid, nullptr, nullptr) != 0) {
                result.notes.push_back("PTRACE_DETACH after exec: " + errnoName(errno) +
                                       ", so the child was killed");
                kill(pid, SIGKILL);
            }
            return;
        }
        // Another signal stopped it first: pass it on.
        if (ptrace(PTRACE_CONT, pid, nullptr, reinterpret_cast<void *>(long(sig))) != 0) {
            result.notes.push_back("PTRACE_CONT before exec's stop: " + errnoName(errno) +
                                   ", so the child was killed");
            kill(pid, SIGKILL);
            return;
        }
    }
}

} // namespace spawnlab::detail
