// SPDX-License-Identifier: GPL-3.0-or-later
#include "sampler.h"

#include "spawnlab/bench.h"
#include "spawnlab/launch.h"
#include "spawnlab/names.h"
#include "spelling.h"

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

namespace spawnlab::bench {
namespace detail {
namespace {

using Clock = std::chrono::steady_clock;

double usBetween(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double, std::micro>(to - from).count();
}

// The plan a program launcher really uses: stdio on /dev/null, every other fd
// closed, the environment inherited, signal handlers reset.
SpawnPlan launcherPlan(Strategy strategy, const std::string &target, CloseMethod closeMethod)
{
    SpawnPlan plan;
    plan.argv = {target};
    plan.executable = target;
    for (int fd = 0; fd < 3; ++fd)
        plan.fds.push_back(FdAction{fd, FdActionKind::Null, -1, {}, 0, 0644, {}});
    plan.closeFds = true;
    plan.closeMethod = closeMethod;
    plan.strategy = strategy;
    return plan;
}

// Prepared once, as a launcher that spawns the same plan in a loop would.
class CoreSampler : public Sampler
{
public:
    CoreSampler(Strategy strategy, const std::string &target, CloseMethod closeMethod)
        : plan_(launcherPlan(strategy, target, closeMethod))
    {
    }

    Sample take() override
    {
        Sample s;
        const auto start = Clock::now();
        const RunResult r = plan_.run(options_);
        const double total = usBetween(start, Clock::now());
        s.ok = r.execOk();
        if (!s.ok) {
            s.error = r.error ? r.error->message : "the child did not exec";
            return s;
        }
        s.roundTripUs = total;
        // run() times from exec confirmed to reaped; the rest came before.
        s.execConfirmedUs = std::max(0.0, total - r.timings.waitUs);
        // From run()'s own start: preparing the plan, then the spawn call.
        s.spawnReturnedUs = r.timings.prepareUs + r.timings.spawnUs;
        return s;
    }

private:
    PreparedPlan plan_;
    RunOptions options_{
        .snapshotParent = false, .renderSteps = false, .onSpawned = {}, .onOutput = {}};
};

// The bare minimum, as a C program would write it: no sigmask, no fd setup,
// no error pipe.
class RawSampler : public Sampler
{
public:
    RawSampler(bool useVfork, const std::string &target) : vfork_(useVfork), target_(target)
    {
        argv_[0] = target_.data();
    }

    Sample take() override
    {
        Sample s;
        const auto start = Clock::now();
        const pid_t pid =
            vfork_ ? vforkExec(target_.c_str(), argv_) : forkExec(target_.c_str(), argv_);
        const int err = errno;
        // vfork returns once the child has exec'd (or exited).
        const auto spawned = Clock::now();
        if (pid < 0) {
            s.error = std::string(vfork_ ? "vfork" : "fork") + ": " + errnoName(err);
            return s;
        }
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        const auto reaped = Clock::now();
        s.ok = !(WIFEXITED(status) && WEXITSTATUS(status) == 127);
        if (!s.ok) {
            // Without an error pipe 127 is all a raw child can say; the target
            // may also exit 127 itself.
            s.error = "the child exited with 127: execve(\"" + target_ +
                      "\") failed, or the target itself exits 127";
            return s;
        }
        s.roundTripUs = usBetween(start, reaped);
        s.spawnReturnedUs = usBetween(start, spawned);
        if (vfork_) s.execConfirmedUs = s.spawnReturnedUs;
        return s;
    }

private:
    __attribute__((noinline)) static pid_t forkExec(const char *path, char *const *argv)
    {
        const pid_t pid = fork();
        if (pid == 0) {
            execve(path, argv, environ);
            _exit(127);
        }
        return pid;
    }
    // The child borrows this frame until execve; it only calls execve/_exit.
    __attribute__((noinline)) static pid_t vforkExec(const char *path, char *const *argv)
    {
        const pid_t pid = vfork();
        if (pid == 0) {
            execve(path, argv, environ);
            _exit(127);
        }
        return pid;
    }

    bool vfork_;
    std::string target_;
    char *argv_[2] = {nullptr, nullptr};
};

} // namespace

std::unique_ptr<Sampler> makeSampler(const std::string &strategy, const std::string &target,
                                     CloseMethod closeMethod)
{
    if (strategy == "raw_fork") return std::make_unique<RawSampler>(false, target);
    if (strategy == "raw_vfork") return std::make_unique<RawSampler>(true, target);
    const auto parsed = parseStrategy(strategy);
    if (!parsed || *parsed == Strategy::Auto) return nullptr;
    return std::make_unique<CoreSampler>(*parsed, target, closeMethod);
}

} // namespace detail

const std::vector<std::string> &knownStrategies()
{
    static const std::vector<std::string> names{"fork",        "vfork",    "clone_vm",
                                                "posix_spawn", "raw_fork", "raw_vfork"};
    return names;
}

const std::vector<std::string> &knownSeries()
{
    static const std::vector<std::string> names{"rss", "memory", "threads", "close_fds",
                                                "runtimes"};
    return names;
}

bool isRawStrategy(const std::string &name)
{
    return name == "raw_fork" || name == "raw_vfork";
}

namespace {
constexpr std::array<Spelling<Phase>, 3> phases{{{Phase::RoundTrip, "round_trip"},
                                                 {Phase::ExecConfirmed, "exec_confirmed"},
                                                 {Phase::SpawnReturned, "spawn_returned"}}};
} // namespace

std::string_view phaseName(Phase p)
{
    return nameOf(phases, p, "round_trip");
}

std::optional<Phase> parsePhase(std::string_view name)
{
    return valueOf(phases, name);
}

} // namespace spawnlab::bench
