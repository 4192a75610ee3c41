// SPDX-License-Identifier: GPL-3.0-or-later
// The leak hunter: runs a program (or attaches to a process) under ptrace,
// follows every fork, vfork, clone and exec of its tree, keeps where each fd
// came from, and at every exec says which fds >= 3 the new program inherited
// and whether each was meant to cross.
#pragma once

#include "spawnlab/procfs.h"
#include "spawnlab/result.h"

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spawnlab {

// Where an open file description was made (shared by every fd on it).
struct FdOrigin {
    bool known = false; // false: made before the attach, or by a call not traced
    std::string unknownWhy;
    pid_t pid = 0, tid = 0;
    std::string exe;
    std::string syscall;  // "pipe2", "socket", "openat"
    std::string call;     // as strace writes it: pipe2([3, 4], 0)
    std::string flags;    // "O_CLOEXEC", "SOCK_STREAM", "0"
    bool cloexec = false; // the call asked for close-on-exec
    double tUs = 0;       // since the trace began
    // The creating process set FD_CLOEXEC later with fcntl (the race window).
    double markedCloexecUs = -1;
    pid_t markedByTid = 0;
    std::vector<std::string> stack; // --stacks: innermost first
};

// One fork that carried an fd from `ppid` to `pid`.
struct FdCarry {
    pid_t ppid = 0, pid = 0;
    pid_t byTid = 0;          // the thread that forked
    const char *how = "fork"; // "fork", "vfork" (posix_spawn too) or "clone"
    double tUs = 0;
};

enum class FdVerdict { Intended, Leaked };

struct InheritedFd {
    int fd = -1;
    FdEntry entry; // the kernel's view at the exec stop
    std::shared_ptr<const FdOrigin> origin;
    std::vector<FdCarry> carriedBy;
    std::string via; // "dup2(3, 5) in pid 812" when the fd was moved onto this number
    // "ioctl(4, FIONCLEX) = 0 in pid 812" when a close-on-exec fd was made inheritable
    std::string madeInheritableBy;
    FdVerdict verdict = FdVerdict::Leaked;
    std::string why; // one sentence
};

struct TracedExec {
    pid_t pid = 0;
    std::string exe;
    std::vector<std::string> argv;
    double tUs = 0;
    std::vector<InheritedFd> inherited; // fds >= 3, by number
};

struct TracedProcess {
    pid_t pid = 0, ppid = 0;
    std::string exe;
    std::vector<std::string> argv;
    std::optional<ExitStatus> exit; // absent: still running when the trace ended
};

enum class Severity { Low, Medium, High };

struct LeakFinding {
    Severity severity = Severity::Low;
    std::size_t execIndex = 0; // into TraceReport::execs
    int fd = -1;
    std::string message; // what it costs, and where the fd was made
};

struct TraceOverhead {
    double elapsedUs = 0;
    std::uint64_t syscallStops = 0; // seccomp or syscall-entry stops
    std::uint64_t eventStops = 0;   // fork, clone, exec, signal stops
    bool seccomp = false;           // false: every syscall stopped (attach, no seccomp)
};

struct TraceReport {
    std::vector<std::string> command; // launched argv; empty for --attach
    pid_t attached = 0;
    std::vector<TracedProcess> processes;
    std::vector<TracedExec> execs;
    std::vector<LeakFinding> findings; // most severe first
    TraceOverhead overhead;
    std::vector<std::string> notes;
    std::optional<std::string> error; // the trace could not start, or broke
    // The launched program's exit (the root process), when it ended.
    std::optional<ExitStatus> exit;
};

struct TraceOptions {
    std::vector<std::string> argv; // launch this (PATH is searched) ...
    std::string cwd;
    // Empty: the launched program shares the tracer's stdin, stdout, stderr.
    // Else its stdin is /dev/null and stdout and stderr append to this file.
    std::string outputPath;
    pid_t attachPid = 0; // ... or attach to this process
    bool stacks = false;
    int maxProcesses = 1000; // a fork bomb is followed this far, then recorded no more
    // Stop at every syscall even for a launched program (--no-seccomp; what
    // the tracer falls back to where seccomp is unavailable).
    bool noSeccomp = false;
    // false (--no-follow): only the traced process and its threads; the
    // processes it forks run untraced and their execs are not seen. A
    // launched program then stops at every call: its children would inherit
    // the seccomp filter with no tracer to answer it.
    bool followChildren = true;
};

// One trace on the calling thread. requestStop() may be called from any
// thread or a signal handler: a launched tree is killed, an attached one
// detached, and run() returns the report so far.
class Tracer
{
public:
    explicit Tracer(TraceOptions options);
    ~Tracer();
    Tracer(const Tracer &) = delete;
    Tracer &operator=(const Tracer &) = delete;

    // Called on the tracing thread once the traced process is seized (the
    // launched one before it runs its program): from here on nothing escapes.
    std::function<void(pid_t)> onStarted;
    // Called on the tracing thread with the report so far, about every
    // 100 ms while it changes (a process started or ended, an exec), also
    // when the traced programs are quiet: a live view shows the last change.
    std::function<void(const TraceReport &)> onProgress;

    TraceReport run();
    void requestStop(); // async-signal-safe

private:
    // `refused`: the errno of a seccomp filter the child could not install.
    TraceReport runOnce(const TraceOptions &options, int &refused);

    TraceOptions m_options;
    std::atomic<bool> m_stop{false};
    // A child that only waits to be killed: requestStop() kills it, and its
    // exit wakes the tracer's waitpid however the signal and the wait interleave.
    std::atomic<pid_t> m_waker{0};
};

// The other traced programs that got the object behind `fd` of exec
// `execIndex` at their exec (the same pipe, socket, open file, or a unix
// socket's other end), as FdPeer rows with the exec's pid and program name.
std::vector<FdPeer> tracePeers(const TraceReport &report, std::size_t execIndex, int fd);

std::string_view severityName(Severity s); // "low", "medium", "high"
std::string_view verdictName(FdVerdict v); // "intended", "leaked"
std::optional<Severity> parseSeverity(std::string_view name);
std::optional<FdVerdict> parseVerdict(std::string_view name);

// The contract's report, one object; `traceReportText` what a person reads:
// the tree, then the findings, most severe first.
std::string traceReportJson(const TraceReport &report);
std::string traceReportText(const TraceReport &report);

} // namespace spawnlab
