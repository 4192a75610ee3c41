// SPDX-License-Identifier: GPL-3.0-or-later
#include "spawnlab/fd_json.h"

#include "json_object.h"

#include "spawnlab/fddiff.h"
#include "spawnlab/json_text.h"
#include "spawnlab/names.h"

#include <sys/sysmacros.h>

namespace spawnlab {
namespace {

using Object = detail::JsonObject;

std::string intList(const std::vector<int> &values)
{
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i)
        out += (i ? ", " : "") + std::to_string(values[i]);
    return out + "]";
}

std::string socketJson(const SocketInfo &s)
{
    Object o;
    o.text("protocol", s.protocol)
        .text("type", s.type)
        .text("local", s.local)
        .text("remote", s.remote)
        .text("state", s.state);
    // A unix socket's local address is its path (or @name): DESIGN.md's "path".
    if (s.protocol == "unix") o.text("path", s.local);
    if (s.peerInode) o.number("peer_inode", (long long)s.peerInode);
    if (!s.detail.empty()) o.text("detail", s.detail);
    return o.done();
}

// Only what the fd's fdinfo said: an eventfd has no "pid", a pidfd no "count".
std::string anonJson(const AnonInfo &a)
{
    Object o;
    if (a.pid != 0) o.number("pid", a.pid);
    if (a.count >= 0) o.number("count", a.count);
    if (a.eventfdId >= 0) o.number("eventfd_id", a.eventfdId);
    if (!a.watchedFds.empty()) o.raw("watched_fds", intList(a.watchedFds));
    if (!a.clock.empty())
        o.text("clock", a.clock).number("value_ns", a.valueNs).number("interval_ns", a.intervalNs);
    if (!a.signals.empty()) {
        std::string names = "[";
        for (std::size_t i = 0; i < a.signals.size(); ++i)
            names += (i ? ", " : "") + jsonString(signalName(a.signals[i]));
        o.raw("signals", names + "]");
    }
    if (a.watches >= 0) o.number("watches", a.watches);
    return o.done();
}

std::string peersJson(const std::vector<FdPeer> &peers)
{
    std::string out = "[";
    for (std::size_t i = 0; i < peers.size(); ++i) {
        const FdPeer &p = peers[i];
        out += (i ? ", " : "") + Object()
                                     .number("pid", p.pid)
                                     .text("comm", p.comm)
                                     .number("fd", p.fd)
                                     .text("access", fdAccessName(FdAccess(p.access)))
                                     .flag("cloexec", p.cloexec)
                                     .text("relation", p.relation)
                                     .done();
    }
    return out + "]";
}

} // namespace

std::string fdEntryJson(const FdEntry &e, bool withLeakRisk, pid_t owner)
{
    Object o;
    o.number("fd", e.fd)
        .text("target", e.target)
        .text("kind", fdKindName(e.kind))
        .text("subkind", e.subkind)
        .text("description", fdDescription(e))
        .flag("cloexec", e.cloexec)
        .text("access", fdAccessName(e.access))
        .number("pos", (long long)e.pos)
        .number("inode", (long long)e.inode)
        // "major:minor" as in /proc/PID/mountinfo; with inode, the file's identity
        .text("device", std::to_string(major(e.device)) + ":" + std::to_string(minor(e.device)));
    if (e.kind == FdKind::Socket) o.raw("socket", socketJson(e.socket));
    if (e.kind == FdKind::AnonInode) {
        const std::string anon = anonJson(e.anon);
        if (anon != "{}") o.raw("anon", anon);
    }
    if (!e.peers.empty()) o.raw("peers", peersJson(e.peers));
    if (withLeakRisk) {
        const auto risk = leakRisk(e, owner);
        o.raw("leak_risk", risk ? jsonString(*risk) : "null");
    }
    return o.done();
}

std::string fdTableJson(pid_t pid, const FdTable &table)
{
    std::string out = "{\n    \"pid\": " + std::to_string(pid) + ",\n    \"fds\": [";
    for (std::size_t i = 0; i < table.size(); ++i)
        out += (i ? ",\n        " : "\n        ") + fdEntryJson(table[i], true, pid);
    return out + (table.empty() ? "]\n}\n" : "\n    ]\n}\n");
}

} // namespace spawnlab
