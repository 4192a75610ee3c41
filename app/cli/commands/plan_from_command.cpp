// SPDX-License-Identifier: GPL-3.0-or-later
#include "plan_from_command.h"

#include "command_line.h"
#include "output.h"
#include "plan/planfile.h"

#include "spawnlab/plan_from.h"

namespace {

using namespace cli;

const char planFromUsage[] =
    "usage: spawnlab-cli plan-from PID\n"
    "\n"
    "Prints a plan that re-creates how process PID runs: argv, executable, cwd, environment\n"
    "(/proc/PID/environ), umask, blocked and ignored signals, uid/gid/groups and limits that\n"
    "differ from spawnlab-cli's, session or process group, and its fds: files reopened by\n"
    "path with their flags, fds on an object spawnlab-cli also holds handed over (pass_fds),\n"
    "and in \"notes\" what cannot be re-created (pipes, sockets, offsets, close-on-exec fds the\n"
    "program made itself). `spawnlab-cli run` and the Lab run it.\n"
    "\n";

} // namespace

int planFromCommand(std::span<char *const> args)
{
    const Command command{"plan-from", planFromUsage, {helpOption()}};
    QCommandLineParser parser;
    int exitCode = 0;
    const pid_t pid = parsePidCommand(parser, command, args, exitCode);
    if (pid == 0) return exitCode;
    const spawnlab::PlanFromProcess made = spawnlab::planFromProcess(pid);
    if (!made.ok()) {
        writeErr("spawnlab-cli: plan-from: " + made.error + "\n");
        return exitFailed;
    }
    const QByteArray json = spawnlab::savePlan(made.plan);
    writeOut(std::string_view(json.constData(), std::size_t(json.size())));
    return 0;
}
