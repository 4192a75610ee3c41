// SPDX-License-Identifier: GPL-3.0-or-later
// validate(): every problem of a plan, each with its field path and a reason.
#include "spawnlab/plan.h"

#include "fd_limit.h"

#include "spawnlab/launch.h"
#include "spawnlab/names.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/resource.h>

#include <map>
#include <set>

namespace spawnlab {
namespace {

class Problems
{
public:
    void add(std::string field, std::string message)
    {
        list.push_back({std::move(field), std::move(message)});
    }
    std::vector<PlanProblem> list;
};

std::string at(const std::string &key, std::size_t i)
{
    return key + "[" + std::to_string(i) + "]";
}

bool hasNul(const std::string &s)
{
    return s.find('\0') != std::string::npos;
}

bool isOpen(int fd)
{
    return fd >= 0 && fcntl(fd, F_GETFD) != -1;
}

void checkStrings(const SpawnPlan &plan, Problems &problems)
{
    if (plan.argv.empty()) problems.add("argv", "needs at least the program name");
    for (std::size_t i = 0; i < plan.argv.size(); ++i)
        if (hasNul(plan.argv[i]))
            problems.add(at("argv", i), "contains a NUL byte, which cannot reach execve");
    if (plan.executable.empty() && !plan.argv.empty() && plan.argv[0].empty())
        problems.add("argv[0]", "is empty and no executable is given: nothing to run");
    if (hasNul(plan.executable)) problems.add("executable", "contains a NUL byte");
    if (hasNul(plan.cwd)) problems.add("cwd", "contains a NUL byte");
    for (const auto &[name, value] : plan.env.set) {
        std::string field = "env.set." + name;
        if (name.empty())
            problems.add("env.set", "a variable name is empty");
        else if (name.find('=') != std::string::npos)
            problems.add(field, "a variable name cannot contain '='");
        if (hasNul(name) || hasNul(value)) problems.add(field, "contains a NUL byte");
    }
    for (std::size_t i = 0; i < plan.env.unset.size(); ++i) {
        const auto &name = plan.env.unset[i];
        if (name.empty() || name.find('=') != std::string::npos || hasNul(name))
            problems.add(at("env.unset", i), "is not a variable name");
    }
}

void checkFds(const SpawnPlan &plan, Problems &problems)
{
    const int limit = detail::softFdLimit();
    std::map<int, std::size_t> setBy; // child fd -> fds index
    for (std::size_t i = 0; i < plan.fds.size(); ++i) {
        const FdAction &a = plan.fds[i];
        // Named only when there is a problem: validate() runs before every spawn.
        auto field = [i] { return at("fds", i); };
        if (a.fd < 0 || a.fd >= limit)
            problems.add(field() + ".fd", "fd " + std::to_string(a.fd) + " is outside 0.." +
                                              std::to_string(limit - 1) +
                                              " (this process's RLIMIT_NOFILE)");
        else if (auto [it, fresh] = setBy.emplace(a.fd, i); !fresh)
            problems.add(field() + ".fd", "fd " + std::to_string(a.fd) + " is already set by " +
                                              at("fds", it->second));
        switch (a.action) {
        case FdActionKind::Dup:
            if (!isOpen(a.from))
                problems.add(field() + ".from",
                             "fd " + std::to_string(a.from) + " is not open in this process");
            break;
        case FdActionKind::Open:
            if (a.path.empty())
                problems.add(field() + ".path", "open needs a path");
            else if (hasNul(a.path))
                problems.add(field() + ".path", "contains a NUL byte");
            if (a.flags & O_CLOEXEC)
                problems.add(field() + ".flags",
                             "O_CLOEXEC would close the fd at exec; the child would not get it");
            if (a.mode > 07777)
                problems.add(field() + ".mode", "must be an octal mode no larger than 07777");
            break;
        default:
            break;
        }
    }
    std::set<int> passed;
    for (std::size_t i = 0; i < plan.passFds.size(); ++i) {
        int fd = plan.passFds[i];
        auto field = [i] { return at("pass_fds", i); };
        if (!isOpen(fd))
            problems.add(field(), "fd " + std::to_string(fd) + " is not open in this process");
        else if (setBy.count(fd))
            problems.add(field(), "fd " + std::to_string(fd) + " is also set by " +
                                      at("fds", setBy[fd]) + "; keep one of the two");
        else if (!passed.insert(fd).second)
            problems.add(field(), "fd " + std::to_string(fd) + " is listed twice");
    }
}

void checkSignalList(const std::vector<int> &signals, const std::string &key, Problems &problems)
{
    for (std::size_t i = 0; i < signals.size(); ++i) {
        int sig = signals[i];
        if (sig < 1 || sig > 64 || signalName(sig).empty())
            problems.add(at(key, i), std::to_string(sig) + " is not a signal");
        else if (sig == SIGKILL || sig == SIGSTOP)
            problems.add(at(key, i), signalName(sig) +
                                         " cannot be blocked, ignored or caught; the kernel "
                                         "always delivers it");
    }
}

void checkSignals(const SpawnPlan &plan, Problems &problems)
{
    const SignalSpec &s = plan.signals;
    if (s.block) checkSignalList(*s.block, "signals.block", problems);
    checkSignalList(s.setDefault, "signals.default", problems);
    checkSignalList(s.ignore, "signals.ignore", problems);
    std::set<int> defaults(s.setDefault.begin(), s.setDefault.end());
    for (std::size_t i = 0; i < s.ignore.size(); ++i)
        if (defaults.count(s.ignore[i]))
            problems.add(at("signals.ignore", i),
                         signalName(s.ignore[i]) + " is also in signals.default; pick one");
}

void checkProcess(const SpawnPlan &plan, Problems &problems)
{
    if (plan.umask && *plan.umask > 0777)
        problems.add("umask", "must be an octal mask no larger than 0777");
    if (plan.pgid && *plan.pgid < 0)
        problems.add("pgid", "must be 0 (a new group led by the child) or an existing group");
    if (plan.pgid && plan.setsid)
        problems.add("pgid", "setsid already makes the child lead a new group, and a session "
                             "leader cannot change its group; drop setsid or pgid");
    if (plan.credentials) {
        const Credentials &c = *plan.credentials;
        if (c.uid && *c.uid == uid_t(-1)) problems.add("credentials.uid", "-1 is not a user id");
        if (c.gid && *c.gid == gid_t(-1)) problems.add("credentials.gid", "-1 is not a group id");
        if (c.groups && c.groups->size() > NGROUPS_MAX)
            problems.add("credentials.groups",
                         "more than NGROUPS_MAX (" + std::to_string(NGROUPS_MAX) + ") groups");
    }
    for (std::size_t i = 0; i < plan.rlimits.size(); ++i) {
        const RlimitSetting &r = plan.rlimits[i];
        std::string field = "rlimits." + std::string(rlimitName(r.resource));
        if (rlimitName(r.resource).empty())
            problems.add(at("rlimits", i), "unknown resource " + std::to_string(r.resource));
        else if (r.hard != RLIM_INFINITY && (r.soft == RLIM_INFINITY || r.soft > r.hard))
            problems.add(field, "the soft limit is above the hard limit");
    }
    if (plan.timeoutMs < 0)
        problems.add("timeout_ms", "must be 0 (no timeout) or a positive number of ms");
    if (plan.captureLimitBytes > kMaxCaptureLimitBytes)
        problems.add("capture_limit_bytes",
                     "must be at most " + std::to_string(kMaxCaptureLimitBytes) + " (2^53 - 1)");
}

void checkStrategy(const SpawnPlan &plan, Problems &problems)
{
    bool sharesMemory = plan.strategy == Strategy::Vfork || plan.strategy == Strategy::CloneVm;
    std::string name(strategyName(plan.strategy));
    if (sharesMemory && plan.credentials)
        problems.add("strategy", name + " shares the parent's memory; changing uid or gid in such "
                                        "a child is unsafe (glibc and CPython refuse it too): use "
                                        "fork or auto");
    if (plan.strategy == Strategy::PosixSpawn)
        for (const auto &limit : posixSpawnLimits(plan))
            problems.add("strategy", "posix_spawn cannot express " + limit);
}

} // namespace

std::vector<int> handedOverFds(const SpawnPlan &plan)
{
    std::vector<int> fds = plan.passFds;
    for (const FdAction &a : plan.fds)
        fds.push_back(a.fd);
    return fds;
}

std::vector<PlanProblem> validate(const SpawnPlan &plan)
{
    Problems problems;
    checkStrings(plan, problems);
    checkFds(plan, problems);
    checkSignals(plan, problems);
    checkProcess(plan, problems);
    checkStrategy(plan, problems);
    return problems.list;
}

} // namespace spawnlab
