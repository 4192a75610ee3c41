// SPDX-License-Identifier: GPL-3.0-or-later
// fdDescription: one line on what an fd is, from the details readFdTable found.
#include "spawnlab/names.h"
#include "spawnlab/procfs.h"

#include <algorithm>
#include <cstdio>

namespace spawnlab {
namespace {

std::string joined(const std::vector<int> &values, std::string (*text)(int))
{
    std::string out;
    for (int v : values)
        out += (out.empty() ? "" : ", ") + text(v);
    return out;
}

std::string number(int v)
{
    return std::to_string(v);
}

// 1500000000 -> "1.5 s", 250000 -> "250 µs".
std::string duration(long long ns)
{
    char buf[32];
    if (ns >= 1000000000LL)
        std::snprintf(buf, sizeof buf, "%g s", double(ns) / 1e9);
    else if (ns >= 1000000)
        std::snprintf(buf, sizeof buf, "%g ms", double(ns) / 1e6);
    else
        std::snprintf(buf, sizeof buf, "%g µs", double(ns) / 1e3);
    return buf;
}

std::string socketDescription(const FdEntry &e)
{
    const SocketInfo &s = e.socket;
    std::string out = s.protocol.empty() ? "socket" : s.protocol;
    if (s.protocol == "unix" && !s.type.empty()) out += " " + s.type;
    if (!s.detail.empty()) out += " " + s.detail;
    if (!s.local.empty()) out += " " + s.local;
    if (!s.remote.empty()) out += " -> " + s.remote;
    if (!s.state.empty()) out += " (" + s.state + ")";
    if (s.peerInode) out += " peer socket:[" + std::to_string(s.peerInode) + "]";
    if (s.protocol.empty() || (s.local.empty() && s.state.empty() && s.detail.empty()))
        out += " " + e.target; // a socket no table lists: its inode is all there is
    return out;
}

std::string anonDescription(const FdEntry &e)
{
    const AnonInfo &a = e.anon;
    if (e.subkind == "pidfd" && a.pid != 0)
        return a.pid > 0 ? "pidfd of pid " + std::to_string(a.pid)
                         : std::string("pidfd of a process that has exited");
    if (e.subkind == "eventfd" && a.count >= 0) return "eventfd, count " + std::to_string(a.count);
    if (e.subkind == "eventpoll")
        return a.watchedFds.empty()
                   ? "epoll watching nothing"
                   : "epoll watching fd" + std::string(a.watchedFds.size() > 1 ? "s " : " ") +
                         joined(a.watchedFds, number);
    if (e.subkind == "timerfd" && !a.clock.empty()) {
        std::string out = "timerfd " + a.clock;
        if (a.valueNs == 0 && a.intervalNs <= 0) return out + ", disarmed";
        if (a.valueNs > 0) out += ", next in " + duration(a.valueNs);
        if (a.intervalNs > 0) out += ", every " + duration(a.intervalNs);
        return out;
    }
    if (e.subkind == "signalfd")
        return a.signals.empty() ? "signalfd for no signal"
                                 : "signalfd for " + joined(a.signals, signalName);
    if (e.subkind == "inotify" || e.subkind == "fanotify") {
        const bool inotify = e.subkind == "inotify";
        const int n = std::max(a.watches, 0);
        return e.subkind + ", " + std::to_string(n) + " " +
               (inotify ? (n == 1 ? "watch" : "watches") : (n == 1 ? "mark" : "marks"));
    }
    return e.target;
}

} // namespace

std::string fdDescription(const FdEntry &e)
{
    switch (e.kind) {
    case FdKind::Socket:
        return socketDescription(e);
    case FdKind::AnonInode:
        return anonDescription(e);
    case FdKind::File:
        if (e.subkind == "memfd") { // "/memfd:name (deleted)"
            std::string name = e.target.substr(1);
            const std::string deleted = " (deleted)";
            if (name.ends_with(deleted)) name.resize(name.size() - deleted.size());
            return name;
        }
        return e.target;
    default:
        return e.target;
    }
}

} // namespace spawnlab
