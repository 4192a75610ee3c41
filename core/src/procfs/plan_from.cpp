// SPDX-License-Identifier: GPL-3.0-or-later
#include "spawnlab/plan_from.h"

#include "child/signal_mask.h"
#include "procfs/proc_text.h"

#include "spawnlab/json_text.h"
#include "spawnlab/names.h"
#include "spawnlab/procfs.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/kcmp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

namespace spawnlab {
namespace {

using namespace detail;

std::string procPath(pid_t pid, const std::string &file)
{
    return "/proc/" + std::to_string(pid) + "/" + file;
}

// Signals 1..64 set in a /proc/PID/status mask ("SigBlk:\t0000000000010000").
std::vector<int> signalsIn(const std::string &hexMask)
{
    std::vector<int> out;
    const auto mask = parseNumber<std::uint64_t>(hexMask, 16);
    if (!mask) return out;
    for (int sig = 1; sig <= kSignalCount; ++sig)
        if (inSignalMask(*mask, sig) && sig != SIGKILL && sig != SIGSTOP) out.push_back(sig);
    return out;
}

// The numbers of a status line ("Uid:\t1000\t1000\t1000\t1000", "Groups:\t4 27").
std::vector<long long> numbersOf(const std::string &value)
{
    std::vector<long long> out;
    for (int i = 0;; ++i) {
        const std::string_view word = field(value, i);
        if (word.empty()) return out;
        if (auto n = parseNumber<long long>(word)) out.push_back(*n);
    }
}

// pgrp and session from /proc/PID/stat, after the ")" that ends comm.
bool sessionOf(pid_t pid, pid_t &pgrp, pid_t &session)
{
    const std::string stat = readFile(AT_FDCWD, procPath(pid, "stat")).text;
    const std::size_t close = stat.rfind(')');
    if (close == std::string::npos) return false;
    const std::string_view rest = std::string_view(stat).substr(close + 1);
    auto g = parseNumber<pid_t>(field(rest, 2)), s = parseNumber<pid_t>(field(rest, 3));
    if (!g || !s) return false;
    pgrp = *g;
    session = *s;
    return true;
}

void readIds(pid_t pid, SpawnPlan &plan)
{
    const auto uids = numbersOf(statusField(pid, "Uid"));
    const auto gids = numbersOf(statusField(pid, "Gid"));
    const auto groups = numbersOf(statusField(pid, "Groups"));
    if (uids.size() < 2 || gids.size() < 2) {
        plan.notes.push_back("its uid and gid could not be read; the child gets spawnlab's");
        return;
    }
    Credentials c;
    if (uid_t(uids[1]) != geteuid()) c.uid = uid_t(uids[1]);
    if (gid_t(gids[1]) != getegid()) c.gid = gid_t(gids[1]);
    std::vector<gid_t> theirs(groups.begin(), groups.end()), ours(64);
    const int n = getgroups(int(ours.size()), ours.data());
    ours.resize(std::size_t(std::max(n, 0)));
    std::sort(theirs.begin(), theirs.end());
    std::sort(ours.begin(), ours.end());
    if (theirs != ours) c.groups = theirs;
    if (c.uid || c.gid || c.groups) plan.credentials = c;
    if (uids[0] != uids[1] || gids[0] != gids[1])
        plan.notes.push_back("its real and effective ids differ (a set-id program?): the plan "
                             "sets the effective ones for all three");
}

void readLimits(pid_t pid, SpawnPlan &plan)
{
    for (int resource : allRlimits()) {
        rlimit theirs{}, ours{};
        if (::prlimit(pid, __rlimit_resource(resource), nullptr, &theirs) != 0) {
            plan.notes.push_back("limit " + std::string(rlimitName(resource)) +
                                 " could not be read (prlimit: " + errnoName(errno) +
                                 "); the child gets spawnlab's");
            continue;
        }
        if (::getrlimit(__rlimit_resource(resource), &ours) != 0) continue;
        if (theirs.rlim_cur != ours.rlim_cur || theirs.rlim_max != ours.rlim_max)
            plan.rlimits.push_back({resource, theirs.rlim_cur, theirs.rlim_max});
    }
}

// Our fd on the same open file description as the process's `fd`, or -1.
int ourFdOn(pid_t pid, int fd, const FdTable &ours)
{
    for (const FdEntry &e : ours)
        if (::syscall(SYS_kcmp, ::getpid(), pid, KCMP_FILE, e.fd, fd) == 0) return e.fd;
    return -1;
}

bool reopenable(const FdEntry &e)
{
    const bool named = !e.target.empty() && e.target.front() == '/' && e.subkind != "deleted";
    return named && (e.kind == FdKind::File || e.kind == FdKind::Directory ||
                     e.kind == FdKind::CharDevice || e.kind == FdKind::BlockDevice);
}

void readFds(pid_t pid, const FdTable &theirs, SpawnPlan &plan)
{
    const FdTable ours = readFdTable(0).table;
    const std::string who = "pid " + std::to_string(pid);
    for (const FdEntry &e : theirs) {
        const std::string fd = "fd " + std::to_string(e.fd) + " (" + fdDescription(e) + ")";
        if (e.cloexec) {
            plan.notes.push_back(fd + " is close-on-exec: the program made it after its exec, "
                                      "so it is not part of how the program was started");
            continue;
        }
        if (const int mine = ourFdOn(pid, e.fd, ours); mine >= 0) {
            if (mine != e.fd) {
                FdAction dup;
                dup.fd = e.fd;
                dup.action = FdActionKind::Dup;
                dup.from = mine;
                plan.fds.push_back(dup);
            } else if (e.fd > 2) {
                plan.passFds.push_back(e.fd); // 0-2 stay open without asking
            }
            continue;
        }
        if (reopenable(e)) {
            FdAction open;
            open.fd = e.fd;
            open.action = FdActionKind::Open;
            open.path = e.target;
            open.flags = e.flags & (O_ACCMODE | O_APPEND | O_NONBLOCK | O_DIRECTORY | O_PATH |
                                    O_SYNC | O_DSYNC);
            // A writable file reopened at offset 0 would be overwritten from its start.
            const bool writable = (open.flags & O_ACCMODE) != O_RDONLY;
            const bool appended = e.kind == FdKind::File && writable && !(open.flags & O_APPEND);
            if (appended) open.flags |= O_APPEND;
            plan.fds.push_back(open);
            if (appended)
                plan.notes.push_back("fds[" + std::to_string(plan.fds.size() - 1) + "]: " + fd +
                                     " is reopened with O_APPEND, so a run adds to the file "
                                     "instead of overwriting it from its start");
            if (e.pos != 0 && e.kind == FdKind::File)
                plan.notes.push_back("fds[" + std::to_string(plan.fds.size() - 1) + "]: " + fd +
                                     " was at offset " + std::to_string(e.pos) + " in " + who +
                                     "; the plan opens it at 0");
            continue;
        }
        plan.notes.push_back(
            fd + " cannot be re-created: spawnlab holds no end of it" +
            (e.fd <= 2 ? "; the child gets spawnlab's fd " + std::to_string(e.fd) + " instead"
                       : std::string()));
    }
}

// The program file, when argv[0] does not name it, and the working directory.
void readProgram(pid_t pid, SpawnPlan &plan)
{
    const std::string exe = readLink(procPath(pid, "exe"));
    if (exe.ends_with(" (deleted)"))
        plan.notes.push_back("its program " + exe + " was deleted; the plan runs argv[0]");
    else if (!exe.empty() && exe != plan.argv.front())
        plan.executable = exe;
    plan.cwd = readLink(procPath(pid, "cwd"));
    if (plan.cwd.empty() || plan.cwd.ends_with(" (deleted)")) {
        plan.notes.push_back("its working directory " + plan.cwd +
                             " cannot be entered again; the child gets spawnlab's");
        plan.cwd.clear();
    }
}

// Its environment as the whole of the child's, sorted by name. A name given
// twice (execve allows it) keeps its first value, the one getenv() finds.
void readEnvironment(pid_t pid, SpawnPlan &plan)
{
    plan.env.inherit = false;
    for (const std::string &item : procStrings(pid, "environ")) {
        const std::size_t eq = item.find('=');
        if (eq == std::string::npos || eq == 0) {
            plan.notes.push_back("its environment holds \"" + terminalText(item) + "\"" +
                                 ", not NAME=VALUE; a plan cannot give it, so it is left out");
            continue;
        }
        plan.env.set.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    }
    auto &set = plan.env.set;
    std::stable_sort(set.begin(), set.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    for (auto it = set.begin(); it != set.end();) {
        const auto next =
            std::find_if(it, set.end(), [&](const auto &e) { return e.first != it->first; });
        if (next - it > 1)
            plan.notes.push_back("its environment sets " + it->first + " " +
                                 std::to_string(next - it) +
                                 " times; the plan keeps the first value, the one getenv() reads");
        it = set.erase(it + 1, next);
    }
}

// A plan file is UTF-8 text: other bytes in a word come back as U+FFFD, so
// the child would get other bytes than the process has. Say where.
void noteWhatIsNotText(SpawnPlan &plan)
{
    const auto note = [&](const std::string &field) {
        plan.notes.push_back(field + " is not valid UTF-8; a plan file holds text, so U+FFFD "
                                     "stands for those bytes and the child gets other bytes");
    };
    for (std::size_t i = 0; i < plan.argv.size(); ++i)
        if (!isUtf8(plan.argv[i])) note("argv[" + std::to_string(i) + "]");
    for (const auto &[name, value] : plan.env.set)
        if (!isUtf8(name) || !isUtf8(value)) note("env.set." + terminalText(name));
    if (!isUtf8(plan.executable)) note("executable");
    if (!isUtf8(plan.cwd)) note("cwd");
}

// A session or process group it leads, which the child can lead as well.
void readSession(pid_t pid, SpawnPlan &plan)
{
    pid_t pgrp = 0, session = 0;
    if (!sessionOf(pid, pgrp, session)) return;
    if (session == pid)
        plan.setsid = true;
    else if (pgrp == pid)
        plan.pgid = 0; // a group of its own
    else if (pgrp != ::getpgrp())
        plan.notes.push_back("it is in process group " + std::to_string(pgrp) +
                             ", which the child cannot join from here; it stays in spawnlab's");
}

} // namespace

PlanFromProcess planFromProcess(pid_t pid)
{
    PlanFromProcess out;
    const std::string who = "pid " + std::to_string(pid);
    if (pid <= 0) {
        out.error = who + " is not a process id";
        return out;
    }
    struct stat st {
    };
    if (::stat(procPath(pid, "").c_str(), &st) != 0) {
        out.error = who + ": no such process";
        return out;
    }
    if (statusField(pid, "State").starts_with("Z")) {
        out.error = who + " is a zombie: it has no program, fds or memory left to read";
        return out;
    }
    SpawnPlan &plan = out.plan;
    plan.argv = procStrings(pid, "cmdline");
    if (plan.argv.empty()) {
        const FileText cmdline = readFile(AT_FDCWD, procPath(pid, "cmdline"));
        out.error = cmdline.err ? who + ": /proc/" + std::to_string(pid) +
                                      "/cmdline: " + errnoName(cmdline.err)
                                : who + " is a kernel thread: it has no program to start again";
        return out;
    }
    const FileText environ = readFile(AT_FDCWD, procPath(pid, "environ"));
    if (environ.err) {
        out.error = who + ": its environment cannot be read (/proc/" + std::to_string(pid) +
                    "/environ: " + errnoName(environ.err) +
                    "; another user's process needs root or CAP_SYS_PTRACE)";
        return out;
    }
    const FdTableRead fds = readFdTable(pid);
    if (fds.error != FdTableError::None) {
        out.error = fds.message;
        return out;
    }
    readProgram(pid, plan);
    readEnvironment(pid, plan);
    noteWhatIsNotText(plan);
    if (auto umask = parseNumber<unsigned>(statusField(pid, "Umask"), 8)) plan.umask = *umask;
    plan.signals.block = signalsIn(statusField(pid, "SigBlk"));
    plan.signals.ignore = signalsIn(statusField(pid, "SigIgn"));
    readIds(pid, plan);
    readLimits(pid, plan);
    readSession(pid, plan);
    readFds(pid, fds.table, plan);
    plan.notes.push_back("fds without close-on-exec may have been opened by the program itself "
                         "after its exec; the plan hands them over as if inherited");
    return out;
}

} // namespace spawnlab
