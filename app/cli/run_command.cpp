// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_command.h"

#include "child_reaper.h"
#include "command_line.h"
#include "output.h"
#include "plan/planfile.h"
#include "plan/resultjson.h"

#include "spawnlab/launch.h"
#include "spawnlab/names.h"

#include <signal.h>

#include <new>
#include <optional>

namespace {

using namespace cli;

const char runUsage[] =
    "usage: spawnlab-cli run PLAN.json\n"
    "\n"
    "Runs a spawn plan and prints one JSON result: pid, strategy and why, exec_ok, the failing\n"
    "step (error), exit, captured output, fd tables, the child's steps and timings.\n"
    "Exit 0: exec succeeded; 1: a child step failed, or the result could not be written;\n"
    "2: the plan file is wrong (nothing ran). On SIGINT, SIGTERM or SIGHUP the child is\n"
    "killed and reaped first, then spawnlab-cli dies of the same signal.\n"
    "See man spawnlab-cli for the plan format.\n"
    "\n";

// "PLAN.json: field: message", or "PLAN.json: message" for the file as a whole.
void report(const QString &file, const char *kind, const QString &field, const QString &message)
{
    QString line = file + QLatin1String(": ") + QLatin1String(kind);
    if (!field.isEmpty()) line += field + QLatin1String(": ");
    writeErr((line + message + QLatin1Char('\n')).toStdString());
}

// A plan without signals.block gives the child the spawning thread's mask, and
// ours blocks the signals the reaper waits for: the child gets the mask
// spawnlab-cli started with instead, as if the CLI were not there.
void keepStartMask(spawnlab::SpawnPlan &plan, const sigset_t &startMask)
{
    if (plan.signals.block) return;
    std::vector<int> blocked;
    for (int sig = 1; sig <= 64; ++sig)
        if (sig != SIGKILL && sig != SIGSTOP && sigismember(&startMask, sig) == 1 &&
            !spawnlab::signalName(sig).empty())
            blocked.push_back(sig);
    plan.signals.block = blocked;
}

// The result as JSON. Short of memory (a 16 MiB capture of NULs is 100 MB of
// JSON), it is written without the captured bytes rather than lost.
QByteArray resultText(spawnlab::RunResult &result)
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

// The plan file's path; nullopt for --help.
std::optional<QString> planPath(std::span<char *const> args,
                                const QList<QCommandLineOption> &options)
{
    QCommandLineParser parser;
    parseArguments(parser, options, argumentList(QStringLiteral("spawnlab-cli run"), args));
    if (parser.isSet(options.front())) return std::nullopt;
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) throw UsageError{"missing the plan file"};
    if (files.size() > 1) throw UsageError{"too many arguments"};
    return files.front();
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
    const QList<QCommandLineOption> options{QCommandLineOption(
        {QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("show this help"))};
    std::optional<QString> path;
    try {
        path = planPath(args, options);
    } catch (const UsageError &e) {
        writeErr("spawnlab-cli: run: " + e.message + "\n\n" + runUsage + optionsHelp(options));
        return exitUsage;
    }
    if (!path) {
        writeOut(runUsage + optionsHelp(options));
        return 0;
    }
    const QString file = *path;

    spawnlab::PlanLoad load = spawnlab::loadPlanFile(file);
    for (const spawnlab::PlanIssue &w : load.warnings)
        report(file, "warning: ", w.field, w.message);
    for (const spawnlab::PlanIssue &e : load.errors)
        report(file, "", e.field, e.message);
    if (!load.ok()) return exitUsage;
    const auto problems = spawnlab::validate(load.plan);
    for (const spawnlab::PlanProblem &p : problems)
        report(file, "", QString::fromStdString(p.field), QString::fromStdString(p.message));
    if (!problems.empty()) return exitUsage;

    keepStartMask(load.plan, startMask);
    spawnlab::RunOptions runOptions;
    // The reaper signals by pid: the child stays unreaped until runFinished().
    runOptions.onSpawned = [](pid_t pid, int) { reaper::spawned(pid); };
    reaper::runStarting();
    spawnlab::RunResult result = spawnlab::run(load.plan, runOptions);
    reaper::runFinished();
    const QByteArray json = resultText(result);
    writeOut(std::string_view(json.constData(), std::size_t(json.size())));
    return result.execOk() ? 0 : exitFailed;
}
