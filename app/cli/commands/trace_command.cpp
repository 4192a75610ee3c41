// SPDX-License-Identifier: GPL-3.0-or-later
#include "trace_command.h"

#include "child_reaper.h"
#include "command_line.h"
#include "output.h"

#include "spawnlab/trace.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <atomic>
#include <climits>
#include <string>

namespace {

using namespace cli;

constexpr int exitLeaks = 3;

const char traceUsage[] =
    "usage: spawnlab-cli trace [OPTIONS] [--] PROGRAM [ARGS...]\n"
    "       spawnlab-cli trace [OPTIONS] --attach PID\n"
    "\n"
    "Runs PROGRAM (PATH is searched) under ptrace, or attaches to process PID, and follows\n"
    "every fork, vfork, clone and exec of its process tree. It keeps where each fd was made\n"
    "(the system call, its flags, the process and thread, the forks that carried it) and, at\n"
    "every exec, says which fds >= 3 the new program inherited and whether each was meant to\n"
    "cross (a dup2 target, close-on-exec cleared on purpose, systemd LISTEN_FDS, make's\n"
    "jobserver) or leaked, with what the leak costs. A launched program's fd calls stop for\n"
    "the tracer through a seccomp filter, so everything else runs at full speed; an attached\n"
    "process stops at every system call.\n"
    "The program's stdin, stdout and stderr are its own; the report goes to stderr, or as\n"
    "JSON to --out FILE. Ctrl-C kills a launched tree, detaches from an attached one.\n"
    "Exit code: the program's (128+N if signal N killed it; 0 with --attach), 1 the trace\n"
    "could not start or the report not be written, 2 a bad command line, 3 --fail-on-leak\n"
    "and there are findings.\n"
    "\n";

struct TraceCliOptions {
    QCommandLineOption json{QStringLiteral("json"), QStringLiteral("the report as JSON")};
    QCommandLineOption out{QStringLiteral("out"),
                           QStringLiteral("write the JSON report to FILE (stderr: one line)"),
                           QStringLiteral("FILE")};
    QCommandLineOption attach{QStringLiteral("attach"),
                              QStringLiteral("trace the running process PID and its new children"),
                              QStringLiteral("PID")};
    QCommandLineOption cwd{QStringLiteral("cwd"), QStringLiteral("run PROGRAM in DIR"),
                           QStringLiteral("DIR")};
    QCommandLineOption stacks{QStringLiteral("stacks"),
                              QStringLiteral("record the stack of the thread that made each fd\n"
                                             "(function names; file:line with debug info)")};
    QCommandLineOption failOnLeak{QStringLiteral("fail-on-leak"),
                                  QStringLiteral("exit 3 when there are findings")};
    QCommandLineOption maxProcesses{
        QStringLiteral("max-processes"),
        QStringLiteral("record at most N processes (default 1000); later ones are followed"),
        QStringLiteral("N")};
    QCommandLineOption noSeccomp{QStringLiteral("no-seccomp"),
                                 QStringLiteral("stop at every system call, as --attach does")};
    QCommandLineOption noFollow{
        QStringLiteral("no-follow"),
        QStringLiteral("trace only PROGRAM (or PID) and its threads, not the processes it\n"
                       "starts (a launched PROGRAM then stops at every system call)")};
    QCommandLineOption help = helpOption();
    QList<QCommandLineOption> all() const
    {
        return {json,       out,          attach,    cwd,      stacks,
                failOnLeak, maxProcesses, noSeccomp, noFollow, help};
    }
};

std::atomic<spawnlab::Tracer *> activeTracer{nullptr};
std::atomic<int> stoppedBy{0};

extern "C" void stopTracing(int sig)
{
    stoppedBy.store(sig);
    if (spawnlab::Tracer *t = activeTracer.load()) t->requestStop();
}

// SIGINT, SIGTERM, SIGHUP end the trace cleanly (a launched tree killed, an
// attached one detached, the report written) instead of killing spawnlab with
// its tracees stopped. One ignored at start (nohup) stays ignored.
void catchStopSignals()
{
    struct sigaction stop {
    };
    stop.sa_handler = stopTracing;
    sigemptyset(&stop.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
        struct sigaction old {
        };
        if (sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
        sigaction(sig, &stop, nullptr);
    }
}

int exitCodeOf(const spawnlab::TraceReport &report)
{
    if (!report.exit) return 0;
    return report.exit->exited ? report.exit->code : 128 + report.exit->signal;
}

// The JSON report into `path`, whole or with a message; false on failure.
bool writeReport(const std::string &path, const std::string &json)
{
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        writeErr("spawnlab-cli: trace: --out \"" + path + "\": " + strerror(errno) + "\n");
        return false;
    }
    std::size_t done = 0;
    while (done < json.size()) {
        ssize_t n = write(fd, json.data() + done, json.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            writeErr("spawnlab-cli: trace: --out \"" + path +
                     "\": " + strerror(n < 0 ? errno : ENOSPC) + "\n");
            close(fd);
            return false;
        }
        done += std::size_t(n);
    }
    if (close(fd) != 0) {
        writeErr("spawnlab-cli: trace: --out \"" + path + "\": " + strerror(errno) + "\n");
        return false;
    }
    return true;
}

} // namespace

int traceCommand(std::span<char *const> args)
{
    const TraceCliOptions options;
    const Command command{"trace", traceUsage, options.all()};
    QCommandLineParser parser;
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    spawnlab::TraceOptions trace;
    try {
        if (parseCommand(parser, command, args)) return 0;
        const QStringList program = parser.positionalArguments();
        if (parser.isSet(options.attach)) {
            if (!program.isEmpty()) throw UsageError{"--attach takes no PROGRAM"};
            if (parser.isSet(options.cwd)) throw UsageError{"--cwd is for a launched PROGRAM"};
            trace.attachPid =
                pid_t(wholeNumber("--attach", parser.value(options.attach), 1, INT_MAX));
        } else {
            if (program.isEmpty())
                throw UsageError{"missing the PROGRAM to trace (or --attach PID)"};
            // The program's words are the last of argv: their bytes as given.
            for (const char *word : args.last(std::size_t(program.size())))
                trace.argv.emplace_back(word);
            trace.cwd = parser.value(options.cwd).toStdString();
        }
        if (parser.isSet(options.maxProcesses))
            trace.maxProcesses =
                int(wholeNumber("--max-processes", parser.value(options.maxProcesses), 1, 1000000));
        trace.noSeccomp = parser.isSet(options.noSeccomp);
        trace.followChildren = !parser.isSet(options.noFollow);
        trace.stacks = parser.isSet(options.stacks);
    } catch (const UsageError &e) {
        return usageFailure(command, e);
    }

    spawnlab::Tracer tracer(trace);
    activeTracer.store(&tracer);
    catchStopSignals();
    const spawnlab::TraceReport report = tracer.run();
    activeTracer.store(nullptr);

    // Nothing was traced, or the program never ran (its exec failed): the reason is all.
    if (report.error &&
        (report.processes.empty() || (report.execs.empty() && !parser.isSet(options.out)))) {
        writeErr("spawnlab-cli: trace: " + *report.error + "\n");
        return exitFailed;
    }
    const std::string json = spawnlab::traceReportJson(report);
    if (parser.isSet(options.out)) {
        if (!writeReport(parser.value(options.out).toStdString(), json)) return exitFailed;
        writeErr("spawnlab-cli: trace: " + std::to_string(report.findings.size()) +
                 " finding(s); the report is in " + parser.value(options.out).toStdString() + "\n");
        if (report.error) writeErr("spawnlab-cli: trace: " + *report.error + "\n");
    } else {
        writeErr(parser.isSet(options.json) ? json : spawnlab::traceReportText(report));
    }
    // Stopped by a signal: die of it, as the report is out, so the shell sees it.
    if (const int sig = stoppedBy.load()) reaper::dieOf(sig);
    // The program never ran (its exec failed), or the trace broke off.
    if (report.error && (report.execs.empty() || !report.exit)) return exitFailed;
    if (parser.isSet(options.failOnLeak) && !report.findings.empty()) return exitLeaks;
    return exitCodeOf(report);
}
