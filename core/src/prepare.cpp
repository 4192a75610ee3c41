// SPDX-License-Identifier: GPL-3.0-or-later
#include "prepare.h"

#include "child/signal_mask.h"

#include "plan/environment.h"

#include "spawnlab/fd_shuffle.h"
#include "spawnlab/names.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace spawnlab::detail {
namespace {

ChildError parentFailure(const std::string &what, int err, std::string field = {})
{
    return ChildError{Step::Spawn, -1, err, what + ": " + errnoName(err), std::move(field)};
}

std::string at(const char *list, std::size_t i)
{
    return std::string(list) + "[" + std::to_string(i) + "]";
}

std::uint64_t signalMask(const std::vector<int> &signals)
{
    std::uint64_t mask = 0;
    for (int sig : signals)
        mask |= signalBit(sig);
    return mask;
}

FdOpKind opKind(FdMoveKind kind)
{
    switch (kind) {
    case FdMoveKind::CopyAway:
        return FdOpKind::CopyAway;
    case FdMoveKind::Dup2:
        return FdOpKind::Dup2;
    case FdMoveKind::Inherit:
        return FdOpKind::Inherit;
    case FdMoveKind::Open:
        return FdOpKind::Open;
    case FdMoveKind::Close:
        break;
    }
    return FdOpKind::Close;
}

// The parent fd each source-reading action reads: dup's `from`, the plan's
// /dev/null, a new pipe's child end (its other end goes to out.pipes).
std::optional<ChildError> openSources(const SpawnPlan &plan, int keptDevNull, Prepared &out)
{
    UniqueFd devNull; // opened for this spawn when the caller keeps none
    if (keptDevNull < 0)
        if (auto failure = openDevNull(plan, devNull)) return failure;
    const int null = keptDevNull >= 0 ? keptDevNull : devNull.get();
    out.slots.reserve(plan.fds.size() + 1); // the error pipe may follow
    for (std::size_t i = 0; i < plan.fds.size(); ++i) {
        const FdAction &a = plan.fds[i];
        switch (a.action) {
        case FdActionKind::Dup:
            out.slots.push_back(a.from);
            break;
        case FdActionKind::Null:
            out.slots.push_back(null);
            break;
        case FdActionKind::PipeOut:
        case FdActionKind::PipeIn: {
            int ends[2];
            if (pipe2(ends, O_CLOEXEC) != 0)
                return parentFailure("pipe2 for fds[" + std::to_string(i) + "]", errno,
                                     at("fds", i));
            bool captures = a.action == FdActionKind::PipeOut;
            UniqueFd readEnd(ends[0]), writeEnd(ends[1]);
            out.slots.push_back(captures ? writeEnd.get() : readEnd.get());
            out.pipes.push_back(
                {a.fd, a.action, captures ? std::move(readEnd) : std::move(writeEnd), &a.input});
            out.childSideFds.push_back(captures ? std::move(writeEnd) : std::move(readEnd));
            break;
        }
        case FdActionKind::Open:
        case FdActionKind::Close:
            break;
        }
    }
    if (devNull) out.childSideFds.push_back(std::move(devNull));
    return std::nullopt;
}

// The core's fd shuffle over those sources, as the child's fd operations.
void addFdOps(const SpawnPlan &plan, Prepared &out)
{
    FdShuffle shuffle = planFdShuffle(plan, out.slots);
    out.targets = std::move(shuffle.targets);
    out.keepFds = std::move(shuffle.kept);
    out.fdOps.reserve(shuffle.moves.size());
    for (const FdMove &m : shuffle.moves) {
        const bool opens = m.kind == FdMoveKind::Open;
        const FdAction *a = opens ? &plan.fds[std::size_t(m.planIndex)] : nullptr;
        out.fdOps.push_back({opKind(m.kind), m.planIndex, m.source, m.fd,
                             opens ? a->path.c_str() : nullptr, opens ? a->flags : 0,
                             opens ? a->mode : 0});
    }
}

// The error pipe's write end: on a number no action targets, and on the
// keep-list, so close_fds in the child needs no special case for it.
std::optional<ChildError> placeErrorPipe(Prepared &out)
{
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0) return parentFailure("pipe2 for the error pipe", errno);
    out.errorPipeRead.reset(ends[0]);
    UniqueFd writeEnd(ends[1]);
    int placed = copyAwayFromTargets(writeEnd.get(), out.targets.data(), int(out.targets.size()));
    if (placed < 0) return parentFailure("fcntl(F_DUPFD_CLOEXEC) for the error pipe", errno);
    out.slots.push_back(placed);
    out.program.errorPipeSlot = int(out.slots.size()) - 1;
    out.childSideFds.emplace_back(placed);
    out.keepFds.insert(std::upper_bound(out.keepFds.begin(), out.keepFds.end(), placed), placed);
    return std::nullopt;
}

// Opens what the fd actions read (/dev/null, pipes), then turns the plan's
// fd shuffle (planFdShuffle) into slots (sources) and ordered ops, and places
// the error pipe, so the child neither moves it nor treats it apart.
std::optional<ChildError> planFds(const SpawnPlan &plan, bool errorPipe, int keptDevNull,
                                  Prepared &out)
{
    if (auto failure = openSources(plan, keptDevNull, out)) return failure;
    addFdOps(plan, out);
    out.program.errorPipeSlot = -1;
    return errorPipe ? placeErrorPipe(out) : std::nullopt;
}

ResolvedCloseMethod resolveCloseMethod(const SpawnPlan &plan)
{
    if (!plan.closeFds) return ResolvedCloseMethod::None;
    switch (plan.closeMethod) {
    case CloseMethod::Proc:
        return ResolvedCloseMethod::Proc;
    case CloseMethod::Brute:
        return ResolvedCloseMethod::Brute;
    case CloseMethod::Auto:
    case CloseMethod::CloseRange:
        break;
    }
    return ResolvedCloseMethod::CloseRange;
}

// The child program's view of what planFds built.
void pointAtFds(const SpawnPlan &plan, Prepared &out)
{
    ChildProgram &p = out.program;
    p.targets = out.targets.data();
    p.targetCount = int(out.targets.size());
    p.slots = out.slots.data();
    p.fdOps = out.fdOps.data();
    p.fdOpCount = int(out.fdOps.size());
    p.closeMethod = resolveCloseMethod(plan);
    p.keepFds = out.keepFds.data();
    p.keepCount = int(out.keepFds.size());
}

// argv, the environment and the PATH candidates, as the arrays execve takes.
void prepareExec(const SpawnPlan &plan, Prepared &out)
{
    // The usual plan inherits the environment unchanged: the child is handed
    // this process's own array, as glibc's posix_spawn is when given environ.
    const bool inheritsAsIs =
        plan.env.inherit && plan.env.set.empty() && plan.env.unset.empty() && environ;
    if (!inheritsAsIs) {
        out.envPtrs = childEnvironment(plan.env, out.envSet);
        out.envPtrs.push_back(nullptr);
    }
    char *const *envp = inheritsAsIs ? environ : out.envPtrs.data();
    const std::string &program = plan.executable.empty() ? plan.argv.front() : plan.executable;
    // PATH is only read for a bare name: a path is exec'd as it is.
    const bool searches = program.find('/') == std::string::npos;
    out.candidates = execCandidates(program, searches ? findVariable(envp, "PATH") : nullptr);
    out.argvPtrs.reserve(plan.argv.size() + 1);
    for (const auto &a : plan.argv)
        out.argvPtrs.push_back(const_cast<char *>(a.c_str()));
    out.argvPtrs.push_back(nullptr);
    for (const auto &c : out.candidates)
        out.candidatePtrs.push_back(c.c_str());

    ChildProgram &p = out.program;
    p.argv = out.argvPtrs.data();
    p.envp = envp;
    p.candidates = out.candidatePtrs.data();
    p.candidateCount = int(out.candidatePtrs.size());
}

void prepareSignals(const SpawnPlan &plan, Strategy strategy, ChildProgram &p)
{
    // A child sharing the parent's memory must not run the parent's handlers.
    p.resetHandlers = plan.signals.resetHandlers || strategy != Strategy::Fork;
    p.defaultMask = signalMask(plan.signals.setDefault);
    p.ignoreMask = signalMask(plan.signals.ignore);
    // Without a plan mask the child keeps the spawning thread's, which
    // spawnChild reads anyway when it blocks signals around the call.
    p.keepParentMask = !plan.signals.block;
    p.sigmask = plan.signals.block ? signalMask(*plan.signals.block) : 0;
}

// Session, process group, cwd, umask, rlimits and credentials.
void prepareProcess(const SpawnPlan &plan, Prepared &out)
{
    ChildProgram &p = out.program;
    p.setsid = plan.setsid;
    p.setpgid = plan.pgid.has_value();
    p.pgid = plan.pgid.value_or(0);
    p.cwd = plan.cwd.empty() ? nullptr : plan.cwd.c_str();
    p.setUmask = plan.umask.has_value();
    p.umask = plan.umask.value_or(0);

    for (std::size_t i = 0; i < plan.rlimits.size(); ++i) {
        const RlimitSetting &r = plan.rlimits[i];
        out.rlimits.push_back({int(i), r.resource, r.soft, r.hard});
    }
    p.rlimits = out.rlimits.data();
    p.rlimitCount = int(out.rlimits.size());

    if (!plan.credentials) return;
    const Credentials &c = *plan.credentials;
    if (c.groups) {
        out.groups = *c.groups;
        p.setGroups = true;
        p.groups = out.groups.data();
        p.groupCount = int(out.groups.size());
    }
    p.setGid = c.gid.has_value();
    p.gid = c.gid.value_or(0);
    p.setUid = c.uid.has_value();
    p.uid = c.uid.value_or(0);
}

// Where the child stops for the parent to read its fd table.
void prepareStops(const SpawnPlan &plan, ChildProgram &p)
{
    auto wants = [&plan](InspectPoint point) {
        return std::find(plan.inspect.begin(), plan.inspect.end(), point) != plan.inspect.end();
    };
    p.stopBeforeCloseFds = wants(InspectPoint::BeforeCloseFds);
    p.stopAfterCloseFds = wants(InspectPoint::AfterCloseFds);
    p.traceExec = wants(InspectPoint::AfterExec);
    p.stopEveryStep = wants(InspectPoint::EveryStep);
}

} // namespace

std::optional<ChildError> openDevNull(const SpawnPlan &plan, UniqueFd &out)
{
    auto first = std::find_if(plan.fds.begin(), plan.fds.end(),
                              [](const FdAction &a) { return a.action == FdActionKind::Null; });
    if (first == plan.fds.end()) return std::nullopt;
    out.reset(open("/dev/null", O_RDWR | O_CLOEXEC));
    if (!out)
        return parentFailure("open(\"/dev/null\")", errno,
                             at("fds", std::size_t(first - plan.fds.begin())));
    return std::nullopt;
}

std::optional<ChildError> prepare(const SpawnPlan &plan, Strategy strategy, bool supervised,
                                  Prepared &out, int devNull)
{
    ChildProgram &p = out.program;

    // A forked child reports over the error pipe (EOF: exec happened); a
    // supervised vfork/clone_vm child announces itself and its stops on it.
    const bool sharesMemory = strategy == Strategy::Vfork || strategy == Strategy::CloneVm;
    if (auto failure =
            planFds(plan, strategy == Strategy::Fork || (supervised && sharesMemory), devNull, out))
        return failure;
    p.announce = supervised && sharesMemory;
    pointAtFds(plan, out);
    prepareExec(plan, out);
    prepareSignals(plan, strategy, p);
    prepareProcess(plan, out);
    prepareStops(plan, p);

    // Room for every record the child can write: one per step, two per fd op.
    // every_step adds a Stop record after each fd step, and one before them.
    int capacity = 16 + (p.stopEveryStep ? 4 : 2) * p.fdOpCount + p.rlimitCount + p.candidateCount;
    p.shared = out.shared.acquire(capacity);
    if (!p.shared) return parentFailure("mmap for the child's trace", errno);
    return std::nullopt;
}

} // namespace spawnlab::detail
