// SPDX-License-Identifier: GPL-3.0-or-later
#include "explain/strategyexplainer.h"
#include "qs.h"

#include "spawnlab/launch.h"
#include "spawnlab/names.h"

#include <QCoreApplication>

#include <algorithm>
#include <string_view>

namespace spawnlab {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("spawnlab::StrategyExplainer", text);
}

struct StepText {
    Step step;
    const char *kernel;
    const char *order;
};

// In the order runChild (core/src/child/child.cpp) runs them; `stop` stands for all
// three stop points.
const StepText kStepTexts[] = {
    {Step::Signals,
     "rt_sigaction on every signal but SIGKILL and SIGSTOP: ignore or default as the plan asks, "
     "and every signal that has a handler back to SIG_DFL (a fork child may keep handlers if "
     "reset_handlers is off; after clone3 with CLONE_CLEAR_SIGHAND the kernel has reset them, "
     "so only the plan's own default and ignore signals are left). Raw syscalls, because glibc's "
     "sigaction refuses its own internal "
     "signals. Ignored signals stay ignored across execve.",
     "First, while every signal is still blocked (the parent blocked them all around the spawn "
     "call): once no handler is left, no parent handler can run in the child when sigmask "
     "unblocks signals."},
    {Step::Setsid,
     "setsid(): a new session and a new process group, both with the child's pid as id. The "
     "child loses its controlling terminal, so Ctrl+C (SIGINT) and hangup (SIGHUP) from that "
     "terminal no longer reach it.",
     "Right after signals: a new child is never a process group leader yet, so setsid cannot "
     "fail with EPERM here. A plan has setsid or pgid, not both: a session leader cannot "
     "change its group."},
    {Step::Setpgid,
     "setpgid(0, pgid): moves the child into process group pgid, or with 0 into a new group it "
     "leads. Job control works on groups: the terminal signals its whole foreground group.",
     "Early, before the fd actions and execve, so the program never runs outside its group. "
     "The group must belong to the child's session, or setpgid fails with EPERM."},
    {Step::Chdir,
     "chdir(cwd): the child's working directory. vfork and clone_vm share the parent's memory "
     "but not its filesystem context (no CLONE_FS), so the parent's cwd does not move.",
     "Before the fd actions and execve, so a relative path in an `open` action or in the "
     "executable resolves against the new directory. A missing directory fails here (ENOENT)."},
    {Step::Umask,
     "umask(mask): the permission bits removed from every file the child creates. It returns "
     "the old mask and cannot fail; like the cwd it is the child's own.",
     "Before the fd actions, so a file an `open` action creates with O_CREAT already gets the "
     "plan's umask. execve keeps it for the program."},
    {Step::Open,
     "open(path, flags, mode) in the child and, if it landed on another number, dup2 onto the "
     "wanted fd and close of the temporary one. The open file is the child's alone, and a failure "
     "is the child's (step "
     "open, e.g. ENOENT or EACCES).",
     "In plan order with the other fd actions, after chdir and umask. open takes the lowest "
     "free number, so it can never land on a source another action still needs."},
    {Step::Dup2,
     "dup2(from, to): `to` now refers to the same open file description as `from` (shared "
     "offset and status flags), without FD_CLOEXEC, so it survives execve; whatever `to` was "
     "is closed. The first records are the moves: fcntl(F_DUPFD_CLOEXEC) copies a source to "
     "the lowest free number no action targets.",
     "Two passes, as Go does: each source a later action would overwrite is first moved out of "
     "the way (below the targets too where a number is free, so a target at RLIMIT_NOFILE - 1 "
     "still works), then every target is written once. So swaps and cycles (0 <- 1, 1 <- 0) "
     "work and the error pipe is never stomped."},
    {Step::Close,
     "close(fd): drops the child's reference; the open file stays open in the parent. EBADF "
     "(it was not open) is not an error.",
     "In plan order with the other fd actions; a source living on a number that is closed was "
     "moved out of the way first."},
    {Step::Inherit,
     "fcntl(fd, F_SETFD, 0): clears FD_CLOEXEC so the fd survives execve. dup2(fd, fd) does "
     "nothing at all, not even clear the flag, so a dup onto the same number and every "
     "pass_fds entry take this step instead.",
     "With the fd actions (pass_fds last), before close_fds, which keeps these fds."},
    {Step::CloseFds,
     "Closes every fd >= 3 that is not kept: close_range over the gaps between kept fds (Linux "
     "5.9), falling back to getdents64 on /proc/self/fd, then to close() on every number below "
     "RLIMIT_NOFILE, as CPython does.",
     "After the fd actions, so the kept fds exist and the shuffle's high copies go too; before "
     "rlimit, so a lowered RLIMIT_NOFILE cannot hide an fd from it. A fork child keeps its error "
     "pipe (CLOEXEC: execve closes it)."},
    {Step::Stop,
     "before_close_fds / after_close_fds: the child writes a notice to the error pipe and sends "
     "itself SIGSTOP; the parent reads /proc/PID/fd while it is stopped, then sends SIGCONT. "
     "after_exec: PTRACE_TRACEME, so the kernel stops the child with SIGTRAP right after "
     "execve succeeds.",
     "On either side of close_fds, so its effect can be seen; the ptrace request only after "
     "sigmask, because a traced child stops at every signal. For vfork and clone_vm the "
     "supervisor thread reads the table, since the spawning thread is suspended."},
    {Step::Rlimit,
     "prlimit64(0, resource, {soft, hard}) as a raw syscall: the child's own limits, which the "
     "program inherits across execve. Lowering is always allowed; raising a hard limit needs "
     "CAP_SYS_RESOURCE.",
     "After close_fds, and before the credentials: once the child has given up root it can no "
     "longer raise a hard limit."},
    {Step::Setgroups,
     "setgroups(list) as a raw syscall: the supplementary groups. The kernel keeps credentials "
     "per thread, so glibc's wrapper takes a lock and signals every other thread it knows of; "
     "the child has one thread and may take no lock.",
     "Before setgid and setuid: it needs CAP_SETGID, which setuid to a non-root uid takes away. "
     "Left out, the child would keep the parent's groups."},
    {Step::Setgid,
     "setgid(gid) as a raw syscall: with CAP_SETGID it sets the real, effective and saved gid.",
     "After setgroups and before setuid: once the uid is not 0, the child can no longer choose "
     "its gid."},
    {Step::Setuid,
     "setuid(uid) as a raw syscall: as root it sets the real, effective and saved uid, and "
     "leaving uid 0 clears the child's capabilities; without privilege it fails with EPERM.",
     "Last of the credentials, because it drops the privilege the others need."},
    {Step::Sigmask,
     "rt_sigprocmask(SIG_SETMASK): the mask the program starts with, the plan's signals.block "
     "or else the mask the parent thread had before spawnlab blocked everything. execve keeps "
     "it.",
     "Last before execve: until now every signal was blocked, so none could be handled while "
     "the child was half set up; now no parent handler is left, and a signal does to the child "
     "what it would do to the program."},
    {Step::Execve,
     "execve(path, argv, envp): the kernel replaces the child's memory with the program and "
     "closes its FD_CLOEXEC fds. A vfork or clone_vm child thereby lets go of the parent's "
     "memory and the suspended parent resumes; a fork child's error pipe closes, so the parent "
     "reads EOF. Every PATH candidate is tried in turn; if all fail, the error reported is the "
     "first that is not ENOENT or ENOTDIR (CPython's rule).",
     "Last: everything before it set up state that execve keeps: fds without CLOEXEC, cwd, "
     "umask, session, ids, limits, the mask and ignored signals."},
};

bool anyFd(const SpawnPlan &plan, auto &&predicate)
{
    return std::any_of(plan.fds.begin(), plan.fds.end(), predicate);
}

// Whether this plan makes the child run `step` (for posix_spawn: glibc runs it).
bool inPlan(const SpawnPlan &plan, Step step)
{
    const bool copies = anyFd(plan, [](const FdAction &a) {
        return a.action != FdActionKind::Open && a.action != FdActionKind::Close;
    });
    const auto &creds = plan.credentials;
    switch (step) {
    case Step::Setsid:
        return plan.setsid;
    case Step::Setpgid:
        return plan.pgid.has_value();
    case Step::Chdir:
        return !plan.cwd.empty();
    case Step::Umask:
        return plan.umask.has_value();
    case Step::Open:
        return anyFd(plan, [](const FdAction &a) { return a.action == FdActionKind::Open; });
    case Step::Dup2:
        return copies;
    case Step::Close:
        return anyFd(plan, [](const FdAction &a) { return a.action == FdActionKind::Close; });
    case Step::Inherit:
        return !plan.passFds.empty() || anyFd(plan, [](const FdAction &a) {
            return a.action == FdActionKind::Dup && a.from == a.fd;
        });
    case Step::CloseFds:
        return plan.closeFds;
    case Step::Stop:
        return !plan.inspect.empty();
    case Step::Rlimit:
        return !plan.rlimits.empty();
    case Step::Setgroups:
        return creds && creds->groups.has_value();
    case Step::Setgid:
        return creds && creds->gid.has_value();
    case Step::Setuid:
        return creds && creds->uid.has_value();
    default: // signals, sigmask and execve always run
        return true;
    }
}

QList<ExplainSection> forkSections(const SpawnPlan &plan)
{
    const QString handlers =
        plan.signals.resetHandlers
            ? tr("The child then resets every handled signal to SIG_DFL.")
            : tr("reset_handlers is off, so the child keeps the parent's handlers until execve "
                 "resets them; only fork allows that, because a handler running in a forked "
                 "child can only touch the child's copy of memory.");
    return {
        {"create", tr("How the child is created"),
         tr("fork() makes a copy of the parent: the kernel copies the parent's page tables and "
            "marks every private writable page copy-on-write in both processes, so a page is "
            "copied only when one side writes to it. Copying the page tables is the cost, and it "
            "grows with the parent's RSS (tens of ms per GiB), while vfork, clone_vm and "
            "posix_spawn stay flat.")},
        {"parent", tr("The parent meanwhile"),
         tr("Not suspended: fork returns in the parent at once, and the parent waits on the "
            "error pipe for the outcome, reading the child's /proc/PID/fd at each of its stop "
            "points.")},
        {"stack", tr("The child's stack"),
         tr("The child goes on in the frame that called fork, on its own copy-on-write copy of "
            "the parent's stack; nothing it writes there reaches the parent.")},
        {"signals", tr("Signals"),
         tr("The parent thread blocks all signals around fork, so none arrives in the child "
            "before its signals step. ") +
             handlers + tr(" The sigmask step restores the mask just before execve.")},
        {"report", tr("How the parent learns the outcome"),
         tr("A pipe opened O_CLOEXEC: a failing step writes {step, index, errno} to it and the "
            "child calls _exit(127); a successful execve closes the write end, so the parent "
            "reads EOF. The trace lives in a MAP_SHARED mapping, so the forked child's writes "
            "reach the parent.")},
    };
}

ExplainSection sharedMemorySignals(const char *call)
{
    return {"signals", tr("Signals"),
            tr("The parent thread blocks all signals around %1, and every handled signal is back "
               "at SIG_DFL before the child's sigmask step restores the mask, whatever "
               "reset_handlers says. Where the kernel allows it (Linux 5.5+, x86-64) spawnlab "
               "creates the child with clone3(CLONE_VM | CLONE_VFORK | CLONE_CLEAR_SIGHAND), so "
               "the kernel resets the handlers in one go; otherwise the child's signals step "
               "asks rt_sigaction about each of the 64 signals. The signals step's argument says "
               "which happened. Why: the child shares the parent's memory, so a parent "
               "handler running in the child would change the parent's variables (errno, flags, "
               "malloc's state) while the parent is suspended, and the parent would resume "
               "corrupted.")
                .arg(QString::fromLatin1(call))};
}

ExplainSection suspendedParent(const char *call)
{
    const bool glibc = std::string_view(call) == "posix_spawn";
    const QString watcher =
        glibc ? tr("glibc returns no pid until its child has exec'd, so a watchdog thread looks "
                   "for it in /proc/self/task/TID/children, reports it, and kills it at "
                   "timeout_ms even while a file action hangs.")
              : tr("With a deadline, stop points or a Kill button to serve, a supervisor thread "
                   "learns the child's pid from its first step (over the error pipe), kills it "
                   "at timeout_ms even while it hangs before exec, and reads its table at each "
                   "stop point.");
    return {"parent", tr("The parent meanwhile"),
            tr("The parent thread that called %1 is suspended (CLONE_VFORK) until the child "
               "calls execve or _exit; spawnlab's other threads keep running. ")
                    .arg(QString::fromLatin1(call)) +
                watcher};
}

ExplainSection sharedMemoryReport()
{
    return {"report", tr("How the parent learns the outcome"),
            tr("No pipe is needed: the memory is shared, so when the parent resumes the child's "
               "error record (if a step failed) and its trace are already in the parent's "
               "memory. Only a supervised child (deadline, stop points, Kill) gets an error "
               "pipe: its pid and stop notices go to the supervisor over it.")};
}

QList<ExplainSection> vforkSections()
{
    return {
        {"create", tr("How the child is created"),
         tr("vfork() is clone(CLONE_VM | CLONE_VFORK): the child runs in the parent's memory "
            "(spawnlab makes the same call through clone3 to add CLONE_CLEAR_SIGHAND, below). "
            "No page tables are copied and nothing becomes copy-on-write, so the cost stays "
            "flat however large the parent's RSS. The child still gets its own fd table, cwd "
            "and umask (no CLONE_FILES, no CLONE_FS). If vfork fails with EINVAL (some "
            "sandboxes), spawnlab uses fork and says so.")},
        suspendedParent("vfork"),
        {"stack", tr("The child's stack"),
         tr("The child shares the parent's stack: it runs on the suspended parent's frames, "
            "below the vfork call. Returning from the function that called vfork would destroy "
            "the parent's frame, so the child calls runChild at once and never returns: it ends "
            "in execve or _exit.")},
        sharedMemorySignals("vfork"),
        sharedMemoryReport(),
    };
}

QList<ExplainSection> cloneVmSections()
{
    return {
        {"create", tr("How the child is created"),
         tr("clone(CLONE_VM | CLONE_VFORK | SIGCHLD) with an entry function (clone3 with a "
            "stack and CLONE_CLEAR_SIGHAND where the kernel has it): the same sharing as "
            "vfork, so no page tables are copied and the cost stays flat in the parent's RSS, "
            "but the child starts on a stack spawnlab gives it. musl's and glibc's posix_spawn "
            "do the same.")},
        suspendedParent("clone"),
        {"stack", tr("The child's stack"),
         tr("The child has its own stack: 64 KiB mmap'd (MAP_STACK) with a 4 KiB PROT_NONE guard "
            "page below it, so an overflow faults instead of overwriting the parent's memory, "
            "and the child cannot scribble over the suspended parent's frames. Each thread "
            "reuses one such stack: the thread is suspended while its child uses it.")},
        sharedMemorySignals("clone"),
        sharedMemoryReport(),
    };
}

QList<ExplainSection> posixSpawnSections(const SpawnPlan &plan)
{
    QString inside =
        tr("glibc runs the child's steps in its own order: signal dispositions, setsid, "
           "setpgid, the file actions in order (chdir, open, dup2, close, closefrom), the mask, "
           "execve. None of them is recorded, so there is no step trace, and a failure comes "
           "back only as an errno (posix_spawn(...): ENOENT), not as the step that failed. "
           "spawnlab still expands PATH in the parent (posix_spawnp would search the parent's "
           "PATH) and calls posix_spawn once per candidate.");
    const auto limits = posixSpawnLimits(plan);
    if (!limits.empty()) {
        QStringList names;
        for (const auto &limit : limits)
            names << qs(limit);
        inside += tr(" This plan asks for what posix_spawn cannot express: %1.")
                      .arg(names.join(QStringLiteral("; ")));
    }
    return {
        {"create", tr("How the child is created"),
         tr("spawnlab hands the plan to glibc's posix_spawn as file actions (adddup2, addopen, "
            "addclose, addchdir_np, addclosefrom_np) and attributes (SETSIGMASK, SETSIGDEF, "
            "SETSID, SETPGROUP). glibc creates the child itself with clone(CLONE_VM | "
            "CLONE_VFORK) on a small stack of its own, the same trick as clone_vm, so the cost "
            "stays flat in the parent's RSS.")},
        suspendedParent("posix_spawn"),
        {"stack", tr("The child's stack"),
         tr("A separate stack glibc provides for the clone, so the child does not run on the "
            "caller's frames.")},
        {"signals", tr("Signals"),
         tr("glibc blocks all signals around the clone as well, and its child sets every handled "
            "signal to SIG_DFL (and the SETSIGDEF set) before anything else, for the same "
            "reason: a parent handler must not run in memory shared with the parent.")},
        {"inside", tr("Inside glibc"), inside},
    };
}

// What `auto` would pick and what would make it pick otherwise.
QString choiceText(const SpawnPlan &plan, Strategy used, const QString &reason)
{
    SpawnPlan asAuto = plan;
    asAuto.strategy = Strategy::Auto;
    const StrategyChoice autoChoice = chooseStrategy(asAuto);
    const QString text = reason.isEmpty() ? QString() : reason + QStringLiteral(". ");
    if (plan.strategy != Strategy::Auto)
        return text + tr("With strategy auto it would be %1 (%2).")
                          .arg(qs(strategyName(autoChoice.strategy)), qs(autoChoice.reason));
    if (used == Strategy::CloneVm)
        return text + tr("Ask for credentials and auto picks fork instead: a uid change must "
                         "not happen in memory shared with the parent.");
    QStringList needs;
    if (plan.credentials) needs << tr("credentials");
    if (needs.isEmpty()) return text;
    return text + tr("Without %1, auto would pick clone_vm, whose cost does not grow with the "
                     "parent's RSS.")
                      .arg(needs.join(tr(" and ")));
}

QList<ExplainSection> sectionsFor(const SpawnPlan &plan, Strategy strategy)
{
    switch (strategy) {
    case Strategy::Vfork:
        return vforkSections();
    case Strategy::CloneVm:
        return cloneVmSections();
    case Strategy::PosixSpawn:
        return posixSpawnSections(plan);
    default:
        return forkSections(plan);
    }
}

void addRuns(StrategyExplanation &e, const RunResult &result)
{
    e.hasResult = true;
    for (const TraceStep &t : result.steps)
        for (StepExplanation &s : e.steps)
            if (s.step == t.step) s.runs.append({qs(t.arg), t.err, t.tUs});
    // As in the timeline: when a child step failed, it is the last record with
    // an errno; earlier ones (execve trying the next PATH entry) were not fatal.
    if (!result.error || result.pid <= 0) return;
    for (StepExplanation &s : e.steps) {
        if (s.step != result.error->step) continue;
        s.failed = true;
        for (qsizetype i = s.runs.size(); i-- > 0;)
            if (s.runs[i].err != 0) {
                s.runs[i].fatal = true;
                break;
            }
    }
}

} // namespace

QList<Step> childStepOrder()
{
    QList<Step> order;
    for (const StepText &t : kStepTexts)
        order.append(t.step);
    return order;
}

StepExplanation explainStep(Step step)
{
    StepExplanation e;
    e.step = step;
    e.name = qs(stepName(step));
    for (const StepText &t : kStepTexts)
        if (t.step == step) {
            e.kernel = tr(t.kernel);
            e.order = tr(t.order);
        }
    return e;
}

std::optional<Step> stepFromKey(const QString &key)
{
    for (const StepText &t : kStepTexts)
        if (qs(stepName(t.step)) == key) return t.step;
    return std::nullopt;
}

StrategyExplanation explainStrategy(const SpawnPlan &plan, const RunResult *result)
{
    StrategyExplanation e;
    const StrategyChoice choice = chooseStrategy(plan);
    const bool ran = result && result->strategy != Strategy::Auto;
    e.strategy = ran ? result->strategy : choice.strategy;
    e.reason = qs(ran ? result->strategyReason : choice.reason);
    e.automatic = plan.strategy == Strategy::Auto;
    e.traced = e.strategy != Strategy::PosixSpawn;
    e.sections = sectionsFor(plan, e.strategy);
    e.sections.append({"choice", tr("Why this strategy"), choiceText(plan, e.strategy, e.reason)});
    for (Step step : childStepOrder()) {
        StepExplanation s = explainStep(step);
        s.inPlan = inPlan(plan, step);
        e.steps.append(s);
    }
    if (result) addRuns(e, *result);
    return e;
}

} // namespace spawnlab
