// SPDX-License-Identifier: GPL-3.0-or-later
// spawnlab-cli: runs plan files, prints fd tables and benchmarks without a GUI
// (DESIGN.md "Plan file and CLI — the contract"). Exit codes: 0 success,
// 1 the run or the lookup failed, or the output could not be written, 2 the
// command line or the plan is wrong.
#include "command_line.h"
#include "commands/bench_command.h"
#include "commands/code_command.h"
#include "commands/fds_command.h"
#include "commands/holders_command.h"
#include "commands/plan_from_command.h"
#include "commands/run_command.h"
#include "commands/trace_command.h"
#include "output.h"

#include "spawnlab/launch.h"

#include <signal.h>

#include <span>
#include <string>

namespace {

using namespace cli;

const char usageText[] =
    "usage: spawnlab-cli COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  run PLAN.json      run a spawn plan and print the result as JSON (or --format text);\n"
    "                     also run - (plan on stdin), run [OPTIONS] -- PROGRAM ARGS...\n"
    "                     (exit 0: exec succeeded, 1: a step failed, 2: bad plan, nothing ran)\n"
    "  code --lang L PLAN the plan as Python, Go, C, Rust or shell code (L: python, go, c,\n"
    "                     rust, sh)\n"
    "  explain PLAN       the strategy the plan will use and why, and each step of the child\n"
    "  plan-from PID      a plan that re-creates how process PID was started\n"
    "  fds PID [--json]   print the fd table of process PID, read from /proc/PID/fd,\n"
    "                     with socket details and the fds other processes hold on them\n"
    "  holders WHAT       every process and fd holding a path, tcp:PORT, udp:PORT,\n"
    "                     unix:PATH, pipe:INODE or PID:FD\n"
    "  trace -- PROG ...  run PROG under the leak hunter: every fd that crosses an exec in its\n"
    "                     process tree, where it was made, and whether it leaked (or --attach "
    "PID)\n"
    "  bench [OPTIONS]    spawn latency against the parent's RSS (or close_fds cost);\n"
    "                     see bench --help\n"
    "Each command takes --help. Output that cannot be written is an error (exit 1).\n"
    "\n";

struct MainOptions {
    QCommandLineOption help = helpOption();
    QCommandLineOption version{QStringLiteral("version"), QStringLiteral("show the version")};
    QList<QCommandLineOption> all() const { return {help, version}; }
};

int usageError(const std::string &message, const MainOptions &options)
{
    writeErr("spawnlab-cli: " + message + "\n\n" + usageText + optionsHelp(options.all()));
    return exitUsage;
}

int dispatch(std::span<char *const> args)
{
    const MainOptions options;
    QCommandLineParser parser;
    // Everything after the command word is the command's to parse.
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    try {
        parseArguments(parser, options.all(), argumentList(QStringLiteral("spawnlab-cli"), args));
    } catch (const UsageError &e) {
        return usageError(e.message, options);
    }
    if (parser.isSet(options.help)) {
        writeOut(usageText + optionsHelp(options.all()));
        return 0;
    }
    if (parser.isSet(options.version)) {
        writeOut("spawnlab-cli " SPAWNLAB_VERSION "\n");
        return 0;
    }
    const QStringList words = parser.positionalArguments();
    if (words.isEmpty()) return usageError("missing a command", options);
    // The command word and all that follows are positional, so they are the
    // last words of argv, bytes as given.
    const auto rest = args.last(std::size_t(words.size() - 1));
    const QString &command = words.front();
    if (command == u"run") return runCommand(rest);
    if (command == u"fds") return fdsCommand(rest);
    if (command == u"holders") return holdersCommand(rest);
    if (command == u"bench") return benchCommand(rest);
    if (command == u"trace") return traceCommand(rest);
    if (command == u"code") return codeCommand(rest);
    if (command == u"explain") return explainCommand(rest);
    if (command == u"plan-from") return planFromCommand(rest);
    return usageError("unknown command \"" + command.toStdString() + "\"", options);
}

} // namespace

int main(int argc, char **argv)
{
    keepStdioOpen();
    spawnlab::takeSigchldBack(); // or every exit status would be lost (waitpid: ECHILD)
    return finishOutput(dispatch(std::span<char *const>(argv + 1, argc > 0 ? argc - 1 : 0)));
}
