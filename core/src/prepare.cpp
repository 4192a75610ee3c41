#include "prepare.h"

#include "environment.h"
#include "fd_limit.h"

#include "spawnlab/names.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstring>
#include <set>

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
        mask |= std::uint64_t(1) << (sig - 1);
    return mask;
}

// Turns the fd actions into slots (sources) and ordered ops. Sources that a
// later action would overwrite are first moved above every target (Go's first
// pass), so swaps and cycles cannot stomp a source.
std::optional<ChildError> planFds(const SpawnPlan &plan, bool errorPipe, Prepared &out)
{
    UniqueFd devNull;
    struct Pending {
        int planIndex;
        int slot;
    };
    std::vector<Pending> sources; // one per action that copies a source

    auto addSlot = [&out](int fd) {
        out.slots.push_back(fd);
        return int(out.slots.size()) - 1;
    };

    for (std::size_t i = 0; i < plan.fds.size(); ++i) {
        const FdAction &a = plan.fds[i];
        int index = int(i);
        switch (a.action) {
        case FdActionKind::Dup:
            sources.push_back({index, addSlot(a.from)});
            break;
        case FdActionKind::Null:
            if (!devNull) {
                devNull.reset(open("/dev/null", O_RDWR | O_CLOEXEC));
                if (!devNull) return parentFailure("open(\"/dev/null\")", errno, at("fds", i));
            }
            sources.push_back({index, addSlot(devNull.get())});
            break;
        case FdActionKind::PipeOut:
        case FdActionKind::PipeIn: {
            int ends[2];
            if (pipe2(ends, O_CLOEXEC) != 0)
                return parentFailure("pipe2 for fds[" + std::to_string(i) + "]", errno,
                                     at("fds", i));
            bool captures = a.action == FdActionKind::PipeOut;
            UniqueFd readEnd(ends[0]), writeEnd(ends[1]);
            int childEnd = captures ? writeEnd.get() : readEnd.get();
            sources.push_back({index, addSlot(childEnd)});
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

    out.program.errorPipeSlot = -1;
    if (errorPipe) {
        int ends[2];
        if (pipe2(ends, O_CLOEXEC) != 0) return parentFailure("pipe2 for the error pipe", errno);
        out.errorPipeRead.reset(ends[0]);
        out.program.errorPipeSlot = addSlot(ends[1]);
        out.childSideFds.emplace_back(ends[1]);
    }

    // Targets an action changes; a dup onto the same number changes nothing.
    std::set<int> overwritten;
    std::size_t next = 0;
    for (std::size_t i = 0; i < plan.fds.size(); ++i) {
        const FdAction &a = plan.fds[i];
        bool copies = a.action != FdActionKind::Open && a.action != FdActionKind::Close;
        if (copies && out.slots[sources[next++].slot] == a.fd) continue;
        overwritten.insert(a.fd);
    }
    out.targets.assign(overwritten.begin(), overwritten.end()); // sorted, as std::set is

    for (int slot = 0; slot < int(out.slots.size()); ++slot)
        if (overwritten.count(out.slots[slot]))
            out.fdOps.push_back({FdOpKind::MoveHigh, -1, slot, -1, nullptr, 0, 0});

    next = 0;
    for (std::size_t i = 0; i < plan.fds.size(); ++i) {
        const FdAction &a = plan.fds[i];
        int index = int(i);
        switch (a.action) {
        case FdActionKind::Open:
            out.fdOps.push_back({FdOpKind::Open, index, -1, a.fd, a.path.c_str(), a.flags, a.mode});
            break;
        case FdActionKind::Close:
            out.fdOps.push_back({FdOpKind::Close, index, -1, a.fd, nullptr, 0, 0});
            break;
        default: {
            int slot = sources[next++].slot;
            bool same = out.slots[slot] == a.fd;
            out.fdOps.push_back(
                {same ? FdOpKind::Inherit : FdOpKind::Dup2, index, slot, a.fd, nullptr, 0, 0});
        }
        }
        if (a.action != FdActionKind::Close && a.fd >= 3) out.keepFds.push_back(a.fd);
    }
    for (std::size_t i = 0; i < plan.passFds.size(); ++i) {
        out.fdOps.push_back({FdOpKind::Inherit, int(i), -1, plan.passFds[i], nullptr, 0, 0});
        if (plan.passFds[i] >= 3) out.keepFds.push_back(plan.passFds[i]);
    }
    std::sort(out.keepFds.begin(), out.keepFds.end());
    out.keepFds.erase(std::unique(out.keepFds.begin(), out.keepFds.end()), out.keepFds.end());
    return std::nullopt;
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

} // namespace

std::optional<ChildError> prepare(const SpawnPlan &plan, Strategy strategy, bool supervised,
                                  Prepared &out)
{
    ChildProgram &p = out.program;

    // A forked child reports over the error pipe (EOF: exec happened); a
    // supervised vfork/clone_vm child announces itself and its stops on it.
    const bool sharesMemory = strategy == Strategy::Vfork || strategy == Strategy::CloneVm;
    if (auto failure =
            planFds(plan, strategy == Strategy::Fork || (supervised && sharesMemory), out))
        return failure;
    p.announce = supervised && sharesMemory;

    out.envPtrs = childEnvironment(plan.env, out.envSet);
    out.candidates = execCandidates(plan.executable.empty() ? plan.argv.front() : plan.executable,
                                    findVariable(out.envPtrs, "PATH"));
    out.envPtrs.push_back(nullptr);
    for (const auto &a : plan.argv)
        out.argvPtrs.push_back(const_cast<char *>(a.c_str()));
    out.argvPtrs.push_back(nullptr);
    for (const auto &c : out.candidates)
        out.candidatePtrs.push_back(c.c_str());

    for (std::size_t i = 0; i < plan.rlimits.size(); ++i) {
        const RlimitSetting &r = plan.rlimits[i];
        out.rlimits.push_back({int(i), r.resource, r.soft, r.hard});
    }

    p.resetHandlers = plan.signals.resetHandlers || strategy != Strategy::Fork;
    p.defaultMask = signalMask(plan.signals.setDefault);
    p.ignoreMask = signalMask(plan.signals.ignore);
    // Without a plan mask the child keeps the spawning thread's, which
    // spawnChild reads anyway when it blocks signals around the call.
    p.keepParentMask = !plan.signals.block;
    p.sigmask = plan.signals.block ? signalMask(*plan.signals.block) : 0;

    p.setsid = plan.setsid;
    p.setpgid = plan.pgid.has_value();
    p.pgid = plan.pgid.value_or(0);
    p.cwd = plan.cwd.empty() ? nullptr : plan.cwd.c_str();
    p.setUmask = plan.umask.has_value();
    p.umask = plan.umask.value_or(0);

    p.targets = out.targets.data();
    p.targetCount = int(out.targets.size());
    p.slots = out.slots.data();
    p.fdOps = out.fdOps.data();
    p.fdOpCount = int(out.fdOps.size());
    p.closeMethod = resolveCloseMethod(plan);
    p.keepFds = out.keepFds.data();
    p.keepCount = int(out.keepFds.size());
    // Brute force is also close_range's last fallback (no close_range, no /proc).
    p.bruteMax = p.closeMethod == ResolvedCloseMethod::None ? 0 : softFdLimit();

    auto wants = [&plan](InspectPoint point) {
        return std::find(plan.inspect.begin(), plan.inspect.end(), point) != plan.inspect.end();
    };
    p.stopBeforeCloseFds = wants(InspectPoint::BeforeCloseFds);
    p.stopAfterCloseFds = wants(InspectPoint::AfterCloseFds);
    p.traceExec = wants(InspectPoint::AfterExec);

    p.rlimits = out.rlimits.data();
    p.rlimitCount = int(out.rlimits.size());

    if (plan.credentials) {
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

    p.argv = out.argvPtrs.data();
    p.envp = out.envPtrs.data();
    p.candidates = out.candidatePtrs.data();
    p.candidateCount = int(out.candidatePtrs.size());

    // Room for every record the child can write: one per step, two per fd op.
    int capacity = 16 + 2 * p.fdOpCount + p.rlimitCount + p.candidateCount;
    p.shared = out.shared.acquire(capacity);
    if (!p.shared) return parentFailure("mmap for the child's trace", errno);
    return std::nullopt;
}

} // namespace spawnlab::detail
