// SPDX-License-Identifier: GPL-3.0-or-later
#include "fds_command.h"

#include "command_line.h"
#include "fdtext.h"
#include "output.h"

#include "spawnlab/fd_json.h"
#include "spawnlab/holders.h"
#include "spawnlab/procfs.h"

#include <climits>
#include <optional>
#include <string_view>

namespace {

using namespace cli;

const char fdsUsage[] =
    "usage: spawnlab-cli fds PID [--json] [--no-peers]\n"
    "\n"
    "Prints the fd table of process PID, read from /proc/PID/fd and fdinfo: fd, kind, what it\n"
    "is (a socket's protocol, addresses and state; a pidfd's pid, an epoll's watched fds, ...),\n"
    "CLOEXEC, access mode, position, which fds a child would inherit (leak risk), and the\n"
    "peers: the other fds, in any process this user may read, on the same pipe, socket,\n"
    "socket pair, loopback connection or open file (what lsof +E shows).\n"
    "A table that cannot be read whole (no such process, permission, a zombie, a kernel\n"
    "thread, a process that exits meanwhile) is an error with the reason, exit 1.\n"
    "\n";

struct FdsOptions {
    QCommandLineOption json{QStringLiteral("json"), QStringLiteral("the table as JSON")};
    QCommandLineOption noPeers{QStringLiteral("no-peers"),
                               QStringLiteral("skip reading every process for the peers")};
    QCommandLineOption help = helpOption();
    QList<QCommandLineOption> all() const { return {json, noPeers, help}; }
};

} // namespace

int fdsCommand(std::span<char *const> args)
{
    const FdsOptions options;
    const Command command{"fds", fdsUsage, options.all()};
    QCommandLineParser parser;
    int exitCode = 0;
    const pid_t pid = parsePidCommand(parser, command, args, exitCode);
    if (pid == 0) return exitCode;

    spawnlab::FdTableRead read = spawnlab::readFdTable(pid);
    if (read.error != spawnlab::FdTableError::None) {
        writeErr("spawnlab-cli: fds: " + read.message + "\n");
        return exitFailed;
    }
    if (!parser.isSet(options.noPeers)) {
        const auto index = spawnlab::HolderIndex::scan(false);
        index.addPeers(pid, read.table);
        if (index.processesDenied())
            writeErr("spawnlab-cli: fds: peers: " + deniedSentence(index) + "\n");
    }
    const bool written = parser.isSet(options.json)
                             ? writeOut(spawnlab::fdTableJson(pid, read.table))
                             : writeOut(spawnlab::fdTableText(read.table, pid));
    return written ? 0 : exitFailed;
}
