// SPDX-License-Identifier: GPL-3.0-or-later
#include "holders_command.h"

#include "qs.h"

#include "command_line.h"
#include "fdtext.h"
#include "output.h"
#include "plan/jsonwriter.h"
#include "plan/resultjson.h"

#include "spawnlab/holders.h"
#include "spawnlab/json_text.h"

#include <QJsonArray>
#include <QJsonObject>

using spawnlab::qs;

namespace {

using namespace cli;

const char holdersUsage[] =
    "usage: spawnlab-cli holders WHAT [--json]\n"
    "\n"
    "Lists every process and fd that holds WHAT, from the fd tables of every process this\n"
    "user may read (those it may not are counted and named on stderr). WHAT is one of:\n"
    "  PATH          a file, directory, device, fifo or socket file (\"who holds my file?\")\n"
    "  tcp:PORT      TCP sockets bound to the local port, listening or connected\n"
    "  udp:PORT      UDP sockets bound to the local port\n"
    "  unix:PATH     unix sockets bound to PATH (@NAME for an abstract name)\n"
    "  pipe:INODE    both ends of a pipe, as fds show it: pipe:[4711] or pipe:4711\n"
    "  PID:FD        that fd and every other fd on the same object or its other end\n"
    "Exit 0 when something holds it, 1 when nothing does.\n"
    "\n";

struct HoldersOptions {
    QCommandLineOption json{QStringLiteral("json"), QStringLiteral("the holders as JSON")};
    QCommandLineOption help = helpOption();
    QList<QCommandLineOption> all() const { return {json, help}; }
};

QByteArray holdersJson(const std::string &what, const spawnlab::HolderIndex &index,
                       const std::vector<spawnlab::Holder> &holders)
{
    QJsonArray list;
    for (const spawnlab::Holder &h : holders) {
        QJsonObject o = spawnlab::fdEntryToJson(h.entry);
        o.insert("pid", h.pid);
        o.insert("comm", qs(h.comm));
        list.append(o);
    }
    QJsonArray denied;
    for (pid_t pid : index.deniedPids())
        denied.append(pid);
    return spawnlab::indentedJson(
        QJsonObject{{"what", qs(what)},
                    {"holders", list},
                    {"processes_read", index.processesRead()},
                    {"processes_denied", denied}},
        {"what",     "holders", "processes_read", "processes_denied", "pid",         "comm",
         "fd",       "target",  "kind",           "subkind",          "description", "cloexec",
         "access",   "pos",     "inode",          "device",           "socket",      "anon",
         "protocol", "type",    "local",          "remote",           "state",       "path"});
}

} // namespace

int holdersCommand(std::span<char *const> args)
{
    const HoldersOptions options;
    const Command command{"holders", holdersUsage, options.all()};
    QCommandLineParser parser;
    std::string what;
    try {
        if (parseCommand(parser, command, args)) return 0;
        what = onlyArgument(parser, "missing WHAT").toStdString();
    } catch (const UsageError &e) {
        return usageFailure(command, e);
    }
    const spawnlab::HolderQueryParse parsed = spawnlab::parseHolderQuery(what);
    if (!parsed.error.empty()) {
        writeErr("spawnlab-cli: holders: " + parsed.error + "\n");
        return exitUsage;
    }

    const auto index = spawnlab::HolderIndex::scan(false);
    if (index.processesDenied())
        writeErr("spawnlab-cli: holders: " + spawnlab::deniedSentence(index) + "\n");
    const auto found = index.find(parsed.query);
    if (!found.error.empty()) {
        writeErr("spawnlab-cli: holders: " + found.error + "\n");
        return exitFailed;
    }
    bool written = true;
    if (parser.isSet(options.json))
        written = writeOut(holdersJson(what, index, found.holders).toStdString());
    else if (!found.holders.empty())
        written = writeOut(spawnlab::holdersText(found.holders));
    if (found.holders.empty())
        writeErr("spawnlab-cli: holders: nothing holds " + spawnlab::terminalText(what) +
                 " in the " + std::to_string(index.processesRead()) + " processes read\n");
    return written && !found.holders.empty() ? 0 : exitFailed;
}
