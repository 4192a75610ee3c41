// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_command.h"

#include "qs.h"

#include "child_reaper.h"
#include "command_line.h"
#include "output.h"
#include "plan/resultjson.h"
#include "plan/resulttext.h"
#include "plan_input.h"

#include "spawnlab/launch.h"
#include "spawnlab/names.h"

#include <signal.h>

#include <algorithm>
#include <climits>
#include <new>
#include <optional>
#include <string_view>

using spawnlab::qs;

namespace {

using namespace cli;

const char runUsage[] =
    "usage: spawnlab-cli run [OPTIONS] PLAN.json\n"
    "       spawnlab-cli run [OPTIONS] -                    (the plan on stdin)\n"
    "       spawnlab-cli run [OPTIONS] -- PROGRAM [ARGS...] (an inline plan)\n"
    "\n"
    "Runs a spawn plan and prints one JSON result: pid, strategy and why, exec_ok, the failing\n"
    "step (error), exit, captured output, fd tables, the child's steps and timings; with\n"
    "--format text, what a person reads. An inline plan runs PROGRAM (PATH is searched) with\n"
    "a plan file's defaults (close_fds on, strategy auto); the options below also override\n"
    "a plan file's keys.\n"
    "Exit 0: exec succeeded; 1: a child step failed, or the result could not be written;\n"
    "2: the plan or the command line is wrong (nothing ran). On SIGINT, SIGTERM or SIGHUP\n"
    "the child is killed and reaped first, then spawnlab-cli dies of the same signal.\n"
    "See man spawnlab-cli for the plan format.\n"
    "\n";

struct RunCliOptions {
    QCommandLineOption strategy{QStringLiteral("strategy"),
                                QStringLiteral("auto, fork, vfork, clone_vm or posix_spawn"),
                                QStringLiteral("S")};
    QCommandLineOption noCloseFds{
        QStringLiteral("no-close-fds"),
        QStringLiteral("let every inheritable fd through (close_fds off)")};
    QCommandLineOption passFds{QStringLiteral("pass-fds"),
                               QStringLiteral("fds to keep open in the child, e.g. 3,4"),
                               QStringLiteral("LIST")};
    QCommandLineOption inspect{
        QStringLiteral("inspect"),
        QStringLiteral("child fd tables to take, e.g.\n"
                       "before_close_fds,after_close_fds,after_exec,every_step"),
        QStringLiteral("LIST")};
    QCommandLineOption timeoutMs{QStringLiteral("timeout-ms"),
                                 QStringLiteral("kill the child after N ms (0: never)"),
                                 QStringLiteral("N")};
    QCommandLineOption format{QStringLiteral("format"),
                              QStringLiteral("json (the default, for scripts) or text"),
                              QStringLiteral("F")};
    QCommandLineOption help = helpOption();
    QList<QCommandLineOption> all() const
    {
        return {strategy, noCloseFds, passFds, inspect, timeoutMs, format, help};
    }
};

// What the command line asks for: a plan file ("-": stdin) or an inline
// program, and the output format. The overrides stay in the parser.
struct RunRequest {
    bool help = false;
    QString file;                        // empty for an inline plan
    std::vector<std::string> inlineArgv; // the words after --, bytes as given
    bool text = false;
};

RunRequest parseRun(std::span<char *const> args, const RunCliOptions &options,
                    QCommandLineParser &parser)
{
    parseArguments(parser, options.all(), argumentList(QStringLiteral("spawnlab-cli run"), args));
    RunRequest request;
    if (parser.isSet(options.help)) {
        request.help = true;
        return request;
    }
    if (parser.isSet(options.format))
        request.text = oneOf("--format", parser.value(options.format).toStdString(),
                             {"json", "text"}) == "text";
    const QStringList words = parser.positionalArguments();
    const auto dashes = std::find_if(args.begin(), args.end(),
                                     [](const char *a) { return std::string_view(a) == "--"; });
    if (dashes != args.end()) {
        const auto programWords = std::size_t(args.end() - dashes - 1);
        if (programWords == 0) throw UsageError{"missing the PROGRAM after --"};
        if (std::size_t(words.size()) > programWords)
            throw UsageError{"give a plan file or -- PROGRAM, not both"};
        for (auto it = dashes + 1; it != args.end(); ++it)
            request.inlineArgv.emplace_back(*it);
        return request;
    }
    if (words.isEmpty()) throw UsageError{"missing the plan file (or -, or -- PROGRAM)"};
    if (words.size() > 1) throw UsageError{"too many arguments"};
    request.file = words.front();
    return request;
}

// Every spelling of an enum, for oneOf's message (which then throws).
template <typename T, std::size_t N>
std::vector<std::string> spellings(const T (&values)[N], std::string_view (*name)(T))
{
    std::vector<std::string> out;
    for (T v : values)
        out.emplace_back(name(v));
    return out;
}

std::vector<int> fdList(const QString &text)
{
    std::vector<int> fds;
    for (const std::string &item : splitList("--pass-fds", text))
        fds.push_back(int(wholeNumber("--pass-fds", qs(item), 0, INT_MAX)));
    return fds;
}

// The command line's keys over the plan's (an inline plan's are the defaults).
void applyOverrides(spawnlab::SpawnPlan &plan, const RunCliOptions &options,
                    const QCommandLineParser &parser)
{
    if (parser.isSet(options.strategy)) {
        const std::string name = parser.value(options.strategy).toStdString();
        const auto strategy = spawnlab::parseStrategy(name);
        if (!strategy)
            oneOf("--strategy", name, spellings(spawnlab::kStrategies, spawnlab::strategyName));
        plan.strategy = *strategy;
    }
    if (parser.isSet(options.noCloseFds)) plan.closeFds = false;
    if (parser.isSet(options.passFds)) plan.passFds = fdList(parser.value(options.passFds));
    if (parser.isSet(options.inspect)) {
        plan.inspect.clear();
        for (const std::string &name : splitList("--inspect", parser.value(options.inspect))) {
            const auto point = spawnlab::parseInspectPoint(name);
            if (!point)
                oneOf("--inspect", name,
                      spellings(spawnlab::kInspectPoints, spawnlab::inspectPointName));
            plan.inspect.push_back(*point);
        }
    }
    if (parser.isSet(options.timeoutMs))
        plan.timeoutMs =
            int(wholeNumber("--timeout-ms", parser.value(options.timeoutMs), 0, INT_MAX));
}

// A plan without signals.block gives the child the spawning thread's mask, and
// ours blocks the signals the reaper waits for: the child gets the mask
// spawnlab-cli started with instead, as if the CLI were not there.
void keepStartMask(spawnlab::SpawnPlan &plan, const sigset_t &startMask)
{
    if (plan.signals.block) return;
    std::vector<int> blocked;
    for (int sig = 1; sig <= SIGRTMAX; ++sig)
        if (sig != SIGKILL && sig != SIGSTOP && sigismember(&startMask, sig) == 1 &&
            !spawnlab::signalName(sig).empty())
            blocked.push_back(sig);
    plan.signals.block = blocked;
}

// The result as JSON. Short of memory (a 16 MiB capture of NULs is 100 MB of
// JSON), it is written without the captured bytes rather than lost.
QByteArray resultJson(spawnlab::RunResult &result)
{
    try {
        return spawnlab::resultJsonText(result);
    } catch (const std::bad_alloc &) {
        result.captured.clear(); // outputBytes still counts them
        result.notes.push_back("spawnlab-cli ran out of memory writing the result, so the "
                               "captured bytes were left out; capture still counts them");
        return spawnlab::resultJsonText(result);
    }
}

} // namespace

int runCommand(std::span<char *const> args)
{
    // First, before the core starts a thread: each thread inherits the mask.
    sigset_t startMask;
    std::string error;
    if (!reaper::start(startMask, error)) {
        writeErr("spawnlab-cli: run: " + error + "\n");
        return exitFailed;
    }
    const RunCliOptions options;
    QCommandLineParser parser;
    RunRequest request;
    std::optional<spawnlab::SpawnPlan> plan;
    try {
        request = parseRun(args, options, parser);
        if (request.help) {
            writeOut(Command{"run", runUsage, options.all()}.help());
            return 0;
        }
        if (request.file.isEmpty()) {
            plan.emplace();
            plan->argv = request.inlineArgv;
        } else if (!(plan = readPlan(request.file))) {
            return exitUsage;
        }
        applyOverrides(*plan, options, parser);
    } catch (const UsageError &e) {
        return usageFailure({"run", runUsage, options.all()}, e);
    }
    if (!planRunsHere(request.file.isEmpty() ? QStringLiteral("run") : request.file, *plan))
        return exitUsage;

    keepStartMask(*plan, startMask);
    spawnlab::RunOptions runOptions;
    // The reaper signals by pid: the child stays unreaped until runFinished().
    runOptions.onSpawned = [](pid_t pid, int) { reaper::spawned(pid); };
    reaper::runStarting();
    spawnlab::RunResult result = spawnlab::run(*plan, runOptions);
    reaper::runFinished();
    if (request.text) {
        writeOut(spawnlab::resultText(*plan, result).toStdString());
    } else {
        const QByteArray json = resultJson(result);
        writeOut(std::string_view(json.constData(), std::size_t(json.size())));
    }
    return result.execOk() ? 0 : exitFailed;
}
