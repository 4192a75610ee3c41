// SPDX-License-Identifier: GPL-3.0-or-later
#include "report.h"

#include "fd_limit.h"

#include "spawnlab/environment.h"
#include "spawnlab/names.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h> // environ

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>

namespace spawnlab::detail {
namespace {

std::string quoted(const std::string &s)
{
    return "\"" + s + "\"";
}

std::string joined(const std::vector<std::string> &items, const char *separator)
{
    std::string out;
    for (const auto &item : items)
        out += (out.empty() ? "" : separator) + item;
    return out;
}

std::string octal(std::int64_t value)
{
    char text[16];
    snprintf(text, sizeof text, "%04llo", static_cast<long long>(value));
    return text;
}

std::string limitText(std::uint64_t value)
{
    return value == RLIM_INFINITY ? "unlimited" : std::to_string(value);
}

std::string closeMethodText(std::int64_t method)
{
    switch (ResolvedCloseMethod(method)) {
    case ResolvedCloseMethod::CloseRange:
        return "close_range";
    case ResolvedCloseMethod::Proc:
        return "getdents64 on /proc/self/fd";
    case ResolvedCloseMethod::Brute:
        return "close() on every fd below RLIMIT_NOFILE";
    case ResolvedCloseMethod::None:
        break;
    }
    return "none";
}

std::string stopText(std::int64_t where)
{
    switch (where) {
    case kStopBeforeCloseFds:
        return "before close_fds";
    case kStopAfterCloseFds:
        return "after close_fds";
    case kStopAfterExec:
        return "after exec";
    default:
        return "every step";
    }
}

std::string maskText(const SpawnPlan &plan)
{
    if (!plan.signals.block) return "the parent's mask";
    std::vector<std::string> names;
    for (int sig : *plan.signals.block)
        names.push_back(signalName(sig));
    return names.empty() ? "nothing blocked" : joined(names, ", ");
}

// Which plan entry an Inherit record served: a dup onto itself or pass_fds.
std::string inheritOwner(const SpawnPlan &plan, int fd)
{
    for (std::size_t i = 0; i < plan.fds.size(); ++i)
        if (plan.fds[i].fd == fd) return "fds[" + std::to_string(i) + "]";
    for (std::size_t i = 0; i < plan.passFds.size(); ++i)
        if (plan.passFds[i] == fd) return "pass_fds[" + std::to_string(i) + "]";
    return {};
}

std::string forEntry(const char *key, int index)
{
    return index >= 0 ? std::string(" for ") + key + "[" + std::to_string(index) + "]" : "";
}

// The argument as the trace shows it.
std::string argument(const TraceRecord &r, const ReportContext &c)
{
    const SpawnPlan &plan = c.plan;
    switch (r.step) {
    case Step::Signals:
        if (r.err) return signalName(int(r.a));
        return std::to_string(r.a) + " dispositions changed" +
               (r.b ? "; the kernel reset every handler (clone3 CLONE_CLEAR_SIGHAND)" : "");
    case Step::Setsid:
        return r.err ? "" : "sid " + std::to_string(r.a);
    case Step::Setpgid:
        return "pgid " + std::to_string(r.a);
    case Step::Chdir:
        return plan.cwd;
    case Step::Umask:
        return octal(r.a) + " (was " + octal(r.b) + ")";
    case Step::Open: {
        const FdAction &a = plan.fds.at(std::size_t(r.index));
        return quoted(a.path) + ", " + joined(openFlagNames(a.flags), "|") + " -> fd " +
               std::to_string(r.a);
    }
    case Step::Dup2:
        // b < 0: a move out of the way that found no free number
        return std::to_string(r.a) + " -> " + (r.b < 0 ? "a free fd" : std::to_string(r.b));
    case Step::Close:
    case Step::Inherit:
        return "fd " + std::to_string(r.a);
    case Step::CloseFds:
        return closeMethodText(r.a);
    case Step::Stop:
        return stopText(r.a);
    case Step::Rlimit: {
        const RlimitSetting &l = plan.rlimits.at(std::size_t(r.index));
        return std::string(rlimitName(l.resource)) + " " + limitText(l.soft) + "/" +
               limitText(l.hard);
    }
    case Step::Setgroups: {
        std::vector<std::string> ids;
        for (gid_t g : *plan.credentials->groups)
            ids.push_back(std::to_string(g));
        std::string list = "["; // appended: GCC 12 warns falsely on "[" + string&&
        list += joined(ids, ", ");
        return list + "]";
    }
    case Step::Setgid:
    case Step::Setuid:
        return std::to_string(r.a);
    case Step::Sigmask:
        return maskText(plan);
    case Step::Execve:
        return r.index >= 0 && r.index < int(c.candidates.size())
                   ? c.candidates[std::size_t(r.index)]
                   : "";
    case Step::Seccomp:
        if (r.a == 0) return "seized by the tracer";
        if (r.a == 1) return "no_new_privs";
        return r.b ? "fd calls stop for the tracer (after no_new_privs)"
                   : "fd calls stop for the tracer";
    case Step::PosixSpawn:
    case Step::Spawn:
        break;
    }
    return {};
}

// The failed call as a reader would write it: `chdir("/nope")`.
std::string call(const TraceRecord &r, const ReportContext &c)
{
    switch (r.step) {
    case Step::Signals:
        return "rt_sigaction(" + signalName(int(r.a)) + ")";
    case Step::Setsid:
        return "setsid()";
    case Step::Setpgid:
        return "setpgid(0, " + std::to_string(r.a) + ")";
    case Step::Chdir:
        return "chdir(" + quoted(c.plan.cwd) + ")";
    case Step::Open:
        return "open(" + argument(r, c).substr(0, argument(r, c).rfind(" -> ")) + ")" +
               forEntry("fds", r.index);
    case Step::Dup2:
        return "dup2(" + argument(r, c) + ")" + forEntry("fds", r.index);
    case Step::Close:
        return "close(" + std::to_string(r.a) + ")" + forEntry("fds", r.index);
    case Step::Inherit:
        return "fcntl(" + std::to_string(r.a) + ", F_SETFD, 0) for " +
               inheritOwner(c.plan, int(r.a));
    case Step::CloseFds:
        return "close_fds (" + argument(r, c) + ")";
    case Step::Stop:
        return "stop " + argument(r, c);
    case Step::Rlimit:
        return "prlimit(" + argument(r, c) + ") for rlimits." +
               std::string(rlimitName(c.plan.rlimits.at(std::size_t(r.index)).resource));
    case Step::Setgroups:
        return "setgroups(" + argument(r, c) + ")";
    case Step::Setgid:
        return "setgid(" + argument(r, c) + ")";
    case Step::Setuid:
        return "setuid(" + argument(r, c) + ")";
    case Step::Sigmask:
        return "rt_sigprocmask(SIG_SETMASK)";
    case Step::Seccomp:
        if (r.a == 0) return "read(the tracer's gate)";
        if (r.a == 1) return "prctl(PR_SET_NO_NEW_PRIVS)";
        return "seccomp(SECCOMP_SET_MODE_FILTER)";
    default:
        break;
    }
    return std::string(stepName(r.step));
}

std::string entry(const std::string &key, std::size_t index)
{
    return key + "[" + std::to_string(index) + "]";
}

int positionOf(const std::vector<int> &list, int value)
{
    auto it = std::find(list.begin(), list.end(), value);
    return it == list.end() ? -1 : int(it - list.begin());
}

// A disposition the plan asked for, or the handler reset of every other signal.
std::string signalField(const SpawnPlan &plan, const TraceRecord *r)
{
    if (!r) return "signals";
    const int sig = int(r->a);
    if (int i = positionOf(plan.signals.ignore, sig); i >= 0)
        return entry("signals.ignore", std::size_t(i));
    if (int i = positionOf(plan.signals.setDefault, sig); i >= 0)
        return entry("signals.default", std::size_t(i));
    return "signals.reset_handlers";
}

// fds[index] and the part of it that failed. A move that serves the whole
// shuffle (a source copied out of the way) belongs to no one entry.
std::string fdField(const SpawnPlan &plan, Step step, int index, const TraceRecord *r, int err)
{
    if (step == Step::Inherit) { // clearing CLOEXEC: a dup onto itself or pass_fds
        const int fd = r ? int(r->a) : -1;
        for (std::size_t i = 0; i < plan.fds.size(); ++i)
            if (plan.fds[i].fd == fd)
                return entry("fds", i) +
                       (plan.fds[i].action == FdActionKind::Dup ? ".from" : ".fd");
        if (int i = positionOf(plan.passFds, fd); i >= 0) return entry("pass_fds", std::size_t(i));
        return "fds";
    }
    if (index < 0 || index >= int(plan.fds.size())) return "fds";
    const FdAction &a = plan.fds[std::size_t(index)];
    const std::string at = entry("fds", std::size_t(index));
    switch (step) {
    case Step::Open:
        return at + (err == EINVAL ? ".flags" : ".path");
    case Step::Dup2:
        if (r && r->b != a.fd) return "fds";
        if (a.action != FdActionKind::Dup) return at + ".fd";
        // dup2's EBADF is about either end: the target when the limit excludes it.
        return err == EBADF && a.fd >= softFdLimit() ? at + ".fd" : at + ".from";
    default:
        return at + ".fd";
    }
}

// execve's E2BIG: a single string over MAX_ARG_STRLEN, else the whole of argv
// and the environment.
std::string tooBigField(const SpawnPlan &plan)
{
    constexpr std::size_t maxArgStrlen = 32 * 4096;
    for (std::size_t i = 0; i < plan.argv.size(); ++i)
        if (plan.argv[i].size() >= maxArgStrlen) return entry("argv", i);
    for (const auto &[name, value] : plan.env.set)
        if (name.size() + value.size() + 1 >= maxArgStrlen) return "env.set." + name;
    // No one string is too long: together they are (execve(2)'s limit is on
    // argv and envp at once), so name the larger of the two.
    std::size_t argvBytes = 0, envBytes = 0;
    for (const std::string &a : plan.argv)
        argvBytes += a.size() + 1;
    for (const auto &[name, value] : plan.env.set)
        envBytes += name.size() + value.size() + 2;
    for (char **e = environ; e && *e; ++e) // what the child inherits, as prepare read it
        if (inheritsVariable(plan.env, *e)) envBytes += std::strlen(*e) + 1;
    return argvBytes >= envBytes ? "argv" : "env";
}

std::string programField(const SpawnPlan &plan)
{
    return plan.executable.empty() ? "argv[0]" : "executable";
}

std::string stopField(const SpawnPlan &plan, const TraceRecord *r)
{
    // Indexed by StopWhere.
    static constexpr InspectPoint points[] = {InspectPoint::BeforeCloseFds,
                                              InspectPoint::AfterCloseFds, InspectPoint::AfterExec,
                                              InspectPoint::EveryStep};
    if (!r || r->a < 0 || r->a > kStopStep) return "inspect";
    auto it = std::find(plan.inspect.begin(), plan.inspect.end(), points[r->a]);
    return it == plan.inspect.end() ? "inspect"
                                    : entry("inspect", std::size_t(it - plan.inspect.begin()));
}

// execve says ENOENT both for a missing file and for a file whose "#!"
// interpreter (or ELF loader) is missing; the second puzzles people.
std::string missingInterpreterHint(const std::vector<std::string> &tried)
{
    for (const auto &path : tried) {
        struct stat st {
        };
        if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        std::string hint = "; " + path + " exists, so its interpreter is missing";
        std::ifstream file(path);
        std::string firstLine;
        if (std::getline(file, firstLine) && firstLine.starts_with("#!"))
            hint += " (" + firstLine + ")";
        else
            hint += " (its ELF loader, PT_INTERP)";
        return hint;
    }
    return {};
}

} // namespace

std::string failureField(const SpawnPlan &plan, Step step, int index, const TraceRecord *record,
                         int err)
{
    switch (step) {
    case Step::Signals:
        return signalField(plan, record);
    case Step::Setsid:
        return "setsid";
    case Step::Setpgid:
        return "pgid";
    case Step::Chdir:
        return "cwd";
    case Step::Umask:
        return "umask";
    case Step::Open:
    case Step::Dup2:
    case Step::Close:
    case Step::Inherit:
        return fdField(plan, step, index, record, err);
    case Step::CloseFds:
        return plan.closeMethod == CloseMethod::Auto ? "close_fds" : "close_method";
    case Step::Stop:
        return stopField(plan, record);
    case Step::Rlimit: {
        if (index < 0 || index >= int(plan.rlimits.size())) return "rlimits";
        const std::string_view name = rlimitName(plan.rlimits[std::size_t(index)].resource);
        return name.empty() ? entry("rlimits", std::size_t(index)) : "rlimits." + std::string(name);
    }
    case Step::Setgroups:
        return "credentials.groups";
    case Step::Setgid:
        return "credentials.gid";
    case Step::Setuid:
        return "credentials.uid";
    case Step::Sigmask:
        return "signals.block";
    case Step::Execve:
        return err == E2BIG ? tooBigField(plan) : programField(plan);
    case Step::PosixSpawn: {
        // glibc does not say which step failed: only an error it tied to a
        // candidate, in a plan with no file to open, is the program's.
        bool opens = std::any_of(plan.fds.begin(), plan.fds.end(),
                                 [](const FdAction &a) { return a.action == FdActionKind::Open; });
        if (index < 0 || opens) return {};
        return err == E2BIG ? tooBigField(plan) : programField(plan);
    }
    case Step::Spawn:
    case Step::Seccomp: // the tracer's step: no plan field asked for it
        break;
    }
    return {};
}

std::int64_t monotonicNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

std::vector<TraceStep> renderTrace(const SharedState &shared, const ReportContext &context)
{
    std::vector<TraceStep> steps;
    int count = std::min(shared.traceCount, shared.traceCapacity);
    for (int i = 0; i < count; ++i) {
        const TraceRecord &r = shared.trace[i];
        steps.push_back({r.step, r.index, argument(r, context), r.err,
                         double(r.tNs - context.startNs) / 1000.0});
    }
    return steps;
}

void labelStepTables(const SharedState &shared, RunResult &result)
{
    const TraceRecord *last = nullptr; // the last step that was not a stop
    std::size_t table = 0;
    bool first = true;
    const int count = std::min(shared.traceCount, shared.traceCapacity);
    for (int i = 0; i < count && table < result.fdSteps.size(); ++i) {
        const TraceRecord &r = shared.trace[i];
        if (r.step != Step::Stop) {
            last = &r;
            continue;
        }
        if (r.a != kStopStep || r.err != 0) continue;
        FdStepTable &t = result.fdSteps[table++];
        t.traceRow = i;
        if (!first && last) {
            t.step = last->step;
            t.index = last->index;
            const auto at = std::size_t(last - shared.trace); // renderTrace's steps are 1:1
            if (at < result.steps.size()) t.arg = result.steps[at].arg;
        }
        first = false;
    }
}

ChildError describeFailure(const ErrorRecord &error, const SharedState &shared,
                           const ReportContext &context)
{
    const int last = std::min(shared.traceCount, shared.traceCapacity) - 1;
    const TraceRecord *record =
        last >= 0 && shared.trace[last].step == error.step ? &shared.trace[last] : nullptr;
    ChildError out{error.step, error.index, error.err, {}};
    out.field = failureField(context.plan, error.step, error.index, record, error.err);
    std::string why = errnoName(error.err);
    if (error.step == Step::Execve) {
        const auto &tried = context.candidates;
        if (error.index >= 0 && error.index < int(tried.size()))
            out.message = "execve(" + quoted(tried[std::size_t(error.index)]) + "): " + why;
        else
            out.message = "execve: " + why + " (tried " + joined(tried, ", ") + ")";
        if (error.err == ENOENT) out.message += missingInterpreterHint(tried);
        return out;
    }
    if (record)
        out.message = call(*record, context) + ": " + why;
    else
        out.message = std::string(stepName(error.step)) + ": " + why;
    return out;
}

} // namespace spawnlab::detail
