// SPDX-License-Identifier: GPL-3.0-or-later
// One trace: the tracees, their fd mirrors and the report being built. The
// event loop (tracer.cpp) drives it; start.cpp launches or attaches; verdict.cpp
// judges what crossed each exec.
#pragma once

#include "prepare.h"
#include "trace/provenance.h"
#include "trace/seccomp_filter.h"
#include "trace/stacks.h"

#include "spawnlab/trace.h"

#include <sys/types.h>

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace spawnlab::detail {

struct TaskState {
    pid_t tgid = 0;
    bool inCall = false; // between a traced call's entry and its exit
    FinishedCall call;   // nr and args from the entry
};

struct ProcState {
    pid_t ppid = 0;
    std::shared_ptr<FileTable> files; // shared with a CLONE_FILES sibling
    std::string exe;
    std::size_t index = 0; // into report.processes
    bool recorded = true;  // false beyond maxProcesses: followed, not recorded
};

class Session
{
public:
    Session(TraceOptions options, const std::atomic<bool> &stop, Tracer &hooks);

    // Launches options.argv or attaches to options.attachPid; false (with
    // report.error) when nothing could be traced.
    bool start();
    void loop();
    void finish(); // findings, exit, overhead
    void setWaker(pid_t waker) { m_waker = waker; }
    bool wakerReaped() const { return m_waker == 0; }
    // The launched child could not install the seccomp filter (errno), so
    // nothing ran: the caller may trace it again with syscall stops.
    int seccompRefused() const { return m_seccompRefused; }
    TraceReport &&takeReport() { return std::move(report); }

    TraceReport report;

private:
    // start.cpp
    bool launch();
    bool attach();
    void adoptThreads(pid_t pid, std::set<pid_t> &seized);

    // tracer.cpp
    void handle(pid_t tid, int status);
    void onWakerStop();
    void onCallStop(pid_t tid, bool seccompStop);
    void onNewTask(pid_t parent, int event);
    void onExec(pid_t pid);
    void onGone(pid_t tid, int status);
    void setUpChild(pid_t parent, pid_t child, int event);
    void resume(pid_t tid, int sig = 0);
    void takeStack(FinishedCall &call);
    void beginStop();
    double nowUs() const;

    // verdict.cpp
    void recordExec(pid_t pid, ProcState &proc);

    ProcState *procOf(pid_t tid);
    std::size_t addProcess(pid_t pid, pid_t ppid, const std::string &exe,
                           std::vector<std::string> argv);

    TraceOptions m_options;
    const std::atomic<bool> &m_stop;
    Tracer &m_hooks;
    bool m_stopping = false;
    bool m_launched = false;
    bool m_seccomp = false;
    pid_t m_root = 0;
    bool m_rootExeced = false;
    int m_seccompRefused = 0;
    pid_t m_waker = 0;
    std::int64_t m_startNs = 0;
    std::map<pid_t, TaskState> m_tasks;
    std::map<pid_t, ProcState> m_procs;
    std::set<pid_t> m_earlyStops; // new tracees stopped before their parent's event
    bool m_limitNoted = false;
    bool m_changed = false; // since the last onProgress: processes or execs

    std::unique_ptr<Prepared> m_prepared; // the launched child's program, until it execs
    std::unique_ptr<SpawnPlan> m_plan;
    SeccompFilter m_filter;
    StackUnwinder m_stacks; // --stacks only
    bool m_stackNoted = false;
};

// /proc/PID/exe and /proc/PID/cmdline; "" and {} when they cannot be read.
std::string exeOf(pid_t pid);
std::vector<std::string> argvOf(pid_t pid);
// The process a thread belongs to (itself when /proc does not say).
pid_t tgidOf(pid_t tid);

} // namespace spawnlab::detail
