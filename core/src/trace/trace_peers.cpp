// SPDX-License-Identifier: GPL-3.0-or-later
// Peers inside a trace: which other traced programs got the same pipe, socket
// or file at their exec. The processes may be long gone, so this works from
// the report alone, as HolderIndex does from /proc for living ones.
#include "spawnlab/trace.h"

#include <string>

namespace spawnlab {
namespace {

// What /proc/PID/comm said: the name the program was exec'd by (argv[0] as
// a rule; exe is the resolved link, dash for sh), cut to the kernel's 15 bytes.
std::string commOf(const TracedExec &exec)
{
    const std::string &path = exec.argv.empty() ? exec.exe : exec.argv.front();
    const std::size_t slash = path.rfind('/');
    return (slash == std::string::npos ? path : path.substr(slash + 1)).substr(0, 15);
}

// How `other` relates to `mine`; empty when it is no peer. One origin (the
// tracer saw both numbers made by one call or carried from it) is one open
// file description; an inode alone says only "same file".
std::string relation(const InheritedFd &mine, const InheritedFd &other)
{
    const FdEntry &a = mine.entry;
    const FdEntry &b = other.entry;
    if (a.kind == FdKind::Socket && a.socket.peerInode && a.socket.peerInode == b.inode &&
        b.kind == FdKind::Socket)
        return "socket peer";
    if (a.inode == 0 || a.inode != b.inode || a.device != b.device || a.kind != b.kind) return {};
    const bool oneOrigin = mine.origin && mine.origin == other.origin && mine.origin->known;
    switch (a.kind) {
    case FdKind::Pipe:
        return "same pipe";
    case FdKind::Socket:
        return "same socket";
    case FdKind::File:
    case FdKind::Directory:
        return oneOrigin ? "same open file" : "same file";
    case FdKind::CharDevice:
    case FdKind::BlockDevice:
    case FdKind::AnonInode:
    case FdKind::Other:
        // Every /dev/null and every eventfd share an inode: only one origin counts.
        return oneOrigin ? "same open file" : std::string();
    }
    return {};
}

} // namespace

std::vector<FdPeer> tracePeers(const TraceReport &report, std::size_t execIndex, int fd)
{
    std::vector<FdPeer> out;
    if (execIndex >= report.execs.size()) return out;
    const TracedExec &self = report.execs[execIndex];
    const InheritedFd *mine = nullptr;
    for (const InheritedFd &in : self.inherited)
        if (in.fd == fd) mine = &in;
    if (!mine) return out;
    for (const TracedExec &exec : report.execs) {
        if (exec.pid == self.pid) continue; // its own other execs are its own table
        for (const InheritedFd &other : exec.inherited) {
            std::string how = relation(*mine, other);
            if (how.empty()) continue;
            out.push_back({exec.pid, commOf(exec), other.fd, int(other.entry.access),
                           other.entry.cloexec, std::move(how)});
        }
    }
    return out;
}

} // namespace spawnlab
