// SPDX-License-Identifier: GPL-3.0-or-later
// At every exec: what the new program holds (read from /proc at the exec
// stop), each fd >= 3 judged intended or leaked; at the end, the findings.
#include "procfs/proc_text.h"
#include "trace/session.h"

#include "child/child_program.h"
#include "report.h"

#include "spawnlab/names.h"

#include <dirent.h>

#include <algorithm>
#include <sstream>

namespace spawnlab::detail {
namespace {

// Fds the new program was handed on purpose by a convention it follows.
struct Handover {
    int listenFds = 0; // systemd: LISTEN_FDS=N means fds 3 .. 3+N-1
    std::vector<int> jobserver;
    std::string jobserverText;
};

// make's --jobserver-auth=R,W (older: --jobserver-fds=R,W) in MAKEFLAGS.
void readJobserver(const std::string &makeflags, Handover &out)
{
    for (const char *key : {"--jobserver-auth=", "--jobserver-fds="}) {
        std::size_t at = makeflags.find(key);
        if (at == std::string::npos) continue;
        std::string value = makeflags.substr(at + std::string(key).size());
        value = value.substr(0, value.find(' '));
        int r = -1, w = -1;
        char comma = 0;
        std::istringstream in(value);
        if (in >> r >> comma >> w && comma == ',') {
            out.jobserver = {r, w};
            out.jobserverText = std::string(key) + value;
        }
    }
}

Handover handoverOf(pid_t pid)
{
    Handover h;
    std::string listenPid;
    for (const std::string &e : procStrings(pid, "environ")) {
        if (e.rfind("LISTEN_FDS=", 0) == 0) h.listenFds = std::atoi(e.c_str() + 11);
        if (e.rfind("LISTEN_PID=", 0) == 0) listenPid = e.substr(11);
        if (e.rfind("MAKEFLAGS=", 0) == 0) readJobserver(e.substr(10), h);
    }
    // LISTEN_PID names the process the fds are for; another one must not use them.
    if (!listenPid.empty() && listenPid != std::to_string(pid)) h.listenFds = 0;
    return h;
}

// Whether /proc/PID/fd lists an fd >= 3 (true when it cannot be read: the
// full read then says why).
bool hasFdAbove2(pid_t pid)
{
    DIR *dir = opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
    if (!dir) return true;
    bool above = false;
    while (dirent *e = readdir(dir))
        if (e->d_name[0] != '.' && std::atoi(e->d_name) >= 3) above = true;
    closedir(dir);
    return above;
}

std::string programName(const std::string &exe)
{
    std::size_t slash = exe.rfind('/');
    return slash == std::string::npos ? exe : exe.substr(slash + 1);
}

// How a leaked fd came to lack close-on-exec: made so, or cleared later.
std::string inheritableText(const InheritedFd &in)
{
    return in.madeInheritableBy.empty() ? " without close-on-exec"
                                        : ", then made inheritable by " + in.madeInheritableBy;
}

void judge(InheritedFd &in, const FdRecord &r, const Handover &h)
{
    in.origin = r.origin;
    in.carriedBy = r.carriedBy;
    in.via = r.via;
    in.madeInheritableBy = r.madeInheritableBy;
    in.verdict = FdVerdict::Intended;
    const bool jobserver = std::count(h.jobserver.begin(), h.jobserver.end(), in.fd) > 0;
    if (!r.via.empty()) {
        in.why = "placed on fd " + std::to_string(in.fd) + " on purpose by " + r.via;
    } else if (r.clearedOnPurpose) {
        in.why = "its close-on-exec flag was cleared on purpose (fcntl F_SETFD or FIONCLEX) "
                 "in pid " +
                 std::to_string(r.clearedBy) + " before the exec";
    } else if (in.fd < 3 + h.listenFds) {
        in.why = "systemd socket activation: LISTEN_FDS=" + std::to_string(h.listenFds) +
                 " hands it over";
    } else if (jobserver) {
        in.why = "make's jobserver (MAKEFLAGS " + h.jobserverText + ")";
    } else {
        in.verdict = FdVerdict::Leaked;
        const FdOrigin &o = *r.origin;
        in.why = o.known ? "made by " + o.call + " in pid " + std::to_string(o.pid) + " (" +
                               programName(o.exe) + ")" + inheritableText(in) +
                               ", and nothing marked it close-on-exec before this exec"
                         : o.unknownWhy + ", and it was not close-on-exec at this exec";
    }
}

// What holding this fd costs while `program` runs, and how bad that is.
std::pair<Severity, std::string> consequence(const FdEntry &e, const std::string &program)
{
    switch (e.kind) {
    case FdKind::Pipe:
        if (e.access != FdAccess::Read)
            return {Severity::High, "the pipe's reader sees no EOF while " + program + " runs"};
        return {Severity::Medium, "writers to the pipe get no EPIPE while " + program +
                                      " holds its read end, and block once it fills"};
    case FdKind::Socket: {
        const SocketInfo &s = e.socket;
        if (s.state == "LISTEN" && s.localPort >= 0)
            return {Severity::High, "port " + std::to_string(s.localPort) + " stays bound while " +
                                        program + " runs; a restart fails with EADDRINUSE"};
        if (s.state == "LISTEN")
            return {Severity::High, "the socket " + s.local + " stays bound while " + program +
                                        " runs: connections queue where nobody accepts them"};
        if (!s.remote.empty() || s.state == "ESTABLISHED" || s.state == "CONNECTED")
            return {Severity::Medium, "the connection stays open while " + program +
                                          " runs: the peer sees no EOF or hang-up"};
        return {Severity::Low, program + " holds another handle on the socket"};
    }
    case FdKind::File:
        if (e.access != FdAccess::Read)
            return {Severity::Medium, program + " can write to the file, and it stays open (a "
                                                "deleted file's space is not freed)"};
        return {Severity::Low, program + " can read the file, and it stays open (a deleted "
                                         "file's space is not freed)"};
    case FdKind::Directory:
        return {Severity::Low, program + " can reach the directory through it (openat, fchdir)"};
    case FdKind::CharDevice:
    case FdKind::BlockDevice:
        return {Severity::Medium, program + " can use the device " + e.target};
    default:
        return {Severity::Low,
                program + " holds another handle on this " +
                    (e.subkind.empty() ? std::string(fdKindName(e.kind)) : e.subkind)};
    }
}

// A fork by another thread between the fd's making and the late fcntl that
// marked it close-on-exec: the child got the fd in that window.
const FdCarry *raceCarry(const InheritedFd &in)
{
    const FdOrigin &o = *in.origin;
    if (!o.known || o.cloexec || o.markedCloexecUs < 0) return nullptr;
    for (const FdCarry &c : in.carriedBy)
        if (c.ppid == o.pid && c.tUs > o.tUs && c.tUs < o.markedCloexecUs &&
            c.byTid != o.markedByTid)
            return &c;
    return nullptr;
}

std::string carriedText(const std::vector<FdCarry> &carried)
{
    std::string out;
    for (std::size_t i = 0; i < carried.size(); ++i)
        out += std::string(i ? ", then " : "; carried by ") + carried[i].how + " to pid " +
               std::to_string(carried[i].pid);
    return out;
}

std::string msText(double us)
{
    std::ostringstream out;
    out.precision(us < 10000 ? 2 : 0);
    out << std::fixed << us / 1000.0 << " ms";
    return out.str();
}

// Which end of a pipe: the description alone does not say.
std::string endText(const FdEntry &e)
{
    if (e.kind != FdKind::Pipe) return {};
    return e.access == FdAccess::Read ? " (read end)" : " (write end)";
}

LeakFinding findingFor(const TracedExec &exec, std::size_t execIndex, const InheritedFd &in)
{
    // The name it was run by (sh), as a person typed it; the exe says the rest (dash).
    const std::string program = programName(exec.argv.empty() ? exec.exe : exec.argv.front());
    auto [severity, cost] = consequence(in.entry, program);
    LeakFinding f;
    f.execIndex = execIndex;
    f.fd = in.fd;
    f.severity = severity;
    f.message = program + " (pid " + std::to_string(exec.pid) + ") inherited fd " +
                std::to_string(in.fd) + ", " + fdDescription(in.entry) + endText(in.entry) + ": " +
                cost + ". ";
    const FdOrigin &o = *in.origin;
    if (const FdCarry *race = raceCarry(in)) {
        f.severity = Severity::High;
        f.message += "A close-on-exec race: " + o.call + " in thread " + std::to_string(o.tid) +
                     " of pid " + std::to_string(o.pid) + " (" + programName(o.exe) +
                     ") made it without close-on-exec at " + msText(o.tUs) + " and marked it " +
                     "with fcntl only at " + msText(o.markedCloexecUs) + "; thread " +
                     std::to_string(race->byTid) + " forked pid " + std::to_string(race->pid) +
                     " in between, at " + msText(race->tUs) + ". Make it with the flag (" +
                     "O_CLOEXEC, SOCK_CLOEXEC) instead.";
        return f;
    }
    f.message += o.known
                     ? "It was made by " + o.call + " in pid " + std::to_string(o.pid) + " (" +
                           programName(o.exe) + ")" + inheritableText(in) +
                           carriedText(in.carriedBy) + "."
                     : "Its origin is unknown: " + o.unknownWhy + carriedText(in.carriedBy) + ".";
    return f;
}

} // namespace

void Session::recordExec(pid_t pid, ProcState &proc)
{
    TracedExec exec;
    exec.pid = pid;
    exec.exe = proc.exe;
    exec.argv = argvOf(pid);
    exec.tUs = nowUs();
    TracedProcess &process = report.processes[proc.index];
    process.exe = exec.exe;
    process.argv = exec.argv;
    // Most programs get only 0, 1 and 2: then nothing is judged, and the
    // table (fdinfo for each fd) need not be read.
    FdTableRead read;
    if (hasFdAbove2(pid)) read = readFdTable(pid);
    if (read.error != FdTableError::None) {
        report.notes.push_back("the exec of pid " + std::to_string(pid) +
                               ": its fd table could not be read: " + read.message);
        report.execs.push_back(std::move(exec));
        return;
    }
    // The kernel's table wins: an fd the mirror lacks was made by a call not traced.
    FileTable &files = *proc.files;
    const bool whole = !read.table.empty(); // else only 0..2 are open, and were not read
    std::erase_if(files, [&read, whole](const auto &entry) {
        if (!whole) return entry.first >= 3;
        return std::none_of(read.table.begin(), read.table.end(),
                            [&entry](const FdEntry &e) { return e.fd == entry.first; });
    });
    const Handover handover = read.table.empty() ? Handover{} : handoverOf(pid);
    for (const FdEntry &e : read.table) {
        auto known = files.find(e.fd);
        // The number was closed and reused by a call the filter lets pass.
        if (known != files.end() && !known->second.target.empty() &&
            known->second.target != e.target) {
            files.erase(known);
            known = files.end();
        }
        if (known == files.end())
            known =
                files
                    .emplace(e.fd, unknownRecord(m_launched ? "spawnlab did not see it made (it "
                                                              "came by a call it does not trace, "
                                                              "such as SCM_RIGHTS)"
                                                            : "it was open before the attach",
                                                 e.cloexec))
                    .first;
        known->second.cloexec = e.cloexec;
        if (e.fd < 3) continue;
        InheritedFd in;
        in.fd = e.fd;
        in.entry = e;
        judge(in, known->second, handover);
        exec.inherited.push_back(std::move(in));
    }
    // A hand-over was decided by the program that exec'd; the new program did
    // not decide anything yet, so its own children get no such excuse.
    for (auto &[fd, record] : files) {
        record.clearedOnPurpose = false;
        record.via.clear();
    }
    report.execs.push_back(std::move(exec));
    m_changed = true;
}

void Session::finish()
{
    report.overhead.elapsedUs = nowUs();
    // The launched program never ran: say why, as `run` would.
    if (m_launched && m_root && !m_rootExeced && m_prepared && m_prepared->program.shared &&
        m_prepared->program.shared->failed) {
        const SharedState &shared = *m_prepared->program.shared;
        ReportContext context{*m_plan, m_prepared->candidates, m_startNs};
        report.error = describeFailure(shared.error, shared, context).message;
        // The filter's install failed (not the wait for the tracer): record a = 1, 2.
        const TraceRecord *last =
            shared.traceCount > 0 ? &shared.trace[shared.traceCount - 1] : nullptr;
        if (shared.error.step == Step::Seccomp && last && last->step == Step::Seccomp &&
            last->a > 0)
            m_seccompRefused = shared.error.err;
    }
    report.findings.clear();
    for (std::size_t i = 0; i < report.execs.size(); ++i)
        for (const InheritedFd &in : report.execs[i].inherited)
            if (in.verdict == FdVerdict::Leaked)
                report.findings.push_back(findingFor(report.execs[i], i, in));
    std::stable_sort(report.findings.begin(), report.findings.end(),
                     [](const LeakFinding &a, const LeakFinding &b) {
                         return int(a.severity) > int(b.severity);
                     });
}

} // namespace spawnlab::detail
