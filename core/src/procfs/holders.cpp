// SPDX-License-Identifier: GPL-3.0-or-later
// The holders index: one readFdTable per process (the net tables read once per
// namespace), every fd filed under its object's device and inode.
#include "spawnlab/holders.h"

#include "procfs/proc_text.h"
#include "procfs/sockets.h"

#include "spawnlab/json_text.h"
#include "spawnlab/names.h"

#include <dirent.h>
#include <linux/kcmp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace spawnlab {
namespace {

using namespace detail;

// Objects held this often (/dev/null, the anon inode every eventfd shares) are
// not compared fd by fd: the answer would be noise, and kcmp per pair quadratic.
constexpr std::size_t kCompareLimit = 256;

// 0: the two fds are one open file description; 1: they are not; -1: unknown
// (no kcmp in this kernel, or we may not compare these processes).
int sameDescription(pid_t pidA, int fdA, pid_t pidB, int fdB)
{
    const long r = ::syscall(SYS_kcmp, pidA, pidB, KCMP_FILE, fdA, fdB);
    return r < 0 ? -1 : r == 0 ? 0 : 1;
}

std::optional<long long> wholeNumber(std::string_view text, long long low, long long high)
{
    auto n = parseNumber<long long>(text);
    if (!n || *n < low || *n > high) return std::nullopt;
    return n;
}

} // namespace

HolderQueryParse parseHolderQuery(const std::string &what)
{
    HolderQueryParse out;
    HolderQuery &q = out.query;
    const std::string_view w(what);
    auto after = [&](std::string_view prefix) { return w.substr(prefix.size()); };
    if (w.empty()) {
        out.error = "WHAT is empty: give a path, tcp:PORT, udp:PORT, unix:PATH, pipe:INODE or "
                    "PID:FD";
    } else if (w.starts_with("tcp:") || w.starts_with("udp:")) {
        q.kind = w.starts_with("tcp:") ? HolderQuery::Kind::Tcp : HolderQuery::Kind::Udp;
        auto port = wholeNumber(w.substr(4), 1, 65535); // after "tcp:" or "udp:"
        if (port)
            q.port = int(*port);
        else
            out.error = "\"" + what + "\": the port must be a number from 1 to 65535";
    } else if (w.starts_with("unix:")) {
        q.kind = HolderQuery::Kind::Unix;
        q.path = std::string(after("unix:"));
        if (q.path.empty())
            out.error = "\"" + what + "\": give the socket's path (or @name for an abstract one)";
    } else if (w.starts_with("pipe:")) {
        q.kind = HolderQuery::Kind::Pipe;
        auto number = after("pipe:");
        if (number.starts_with('[') && number.ends_with(']'))
            number = number.substr(1, number.size() - 2);
        auto inode = parseNumber<std::uint64_t>(number);
        if (inode && *inode > 0)
            q.inode = *inode;
        else
            out.error = "\"" + what + "\": the pipe's inode must be a number (as in pipe:[4711])";
    } else if (const auto colon = w.find(':');
               colon != std::string_view::npos && colon > 0 &&
               w.substr(0, colon).find_first_not_of("0123456789") == std::string_view::npos) {
        q.kind = HolderQuery::Kind::ProcessFd;
        auto pid = wholeNumber(w.substr(0, colon), 1, INT_MAX);
        auto fd = wholeNumber(w.substr(colon + 1), 0, INT_MAX);
        if (!pid)
            out.error =
                "\"" + what + "\": the pid must be a number from 1 to " + std::to_string(INT_MAX);
        else if (!fd)
            out.error =
                "\"" + what + "\": the fd must be a number from 0 to " + std::to_string(INT_MAX);
        else {
            q.pid = pid_t(*pid);
            q.fd = int(*fd);
        }
    } else {
        q.kind = HolderQuery::Kind::Path;
        q.path = what;
    }
    return out;
}

HolderIndex HolderIndex::scan(bool includeThisProcess)
{
    HolderIndex index;
    SocketTables sockets;
    DIR *proc = ::opendir("/proc");
    if (!proc) return index;
    std::vector<pid_t> pids;
    for (const dirent *ent; (ent = ::readdir(proc));)
        if (auto pid = parseNumber<pid_t>(ent->d_name)) pids.push_back(*pid);
    ::closedir(proc);
    std::sort(pids.begin(), pids.end());

    const pid_t self = ::getpid();
    for (pid_t pid : pids) {
        if (pid == self && !includeThisProcess) continue;
        FdTableRead read = detail::readFdTable(pid, sockets);
        if (read.error == FdTableError::Denied) index.m_denied.push_back(pid);
        if (read.error != FdTableError::None) continue; // exited, zombie, kernel thread
        ++index.m_processesRead;
        const std::string comm = commOf(pid);
        for (FdEntry &e : read.table) {
            const std::size_t i = index.m_holders.size();
            index.m_byObject[{e.device, e.inode}].push_back(i);
            if (e.kind == FdKind::Socket) {
                index.m_socketDevice[e.inode] = e.device;
                if (!e.socket.remote.empty())
                    index.m_connections[e.socket.local + " " + e.socket.remote] = e.inode;
            }
            index.m_holders.push_back({pid, comm, std::move(e)});
        }
    }
    return index;
}

const std::vector<std::size_t> &HolderIndex::holdersOf(const Object &object) const
{
    static const std::vector<std::size_t> none;
    auto it = m_byObject.find(object);
    return it == m_byObject.end() ? none : it->second;
}

std::vector<std::size_t> HolderIndex::socketPeersOf(const FdEntry &e) const
{
    std::uint64_t peer = 0;
    if (e.socket.peerInode) {
        peer = e.socket.peerInode;
    } else if (!e.socket.remote.empty()) {
        // A loopback connection: the other side's local and remote are ours swapped.
        // (Both must be in this index; a remote host's side is not.)
        auto it = m_connections.find(e.socket.remote + " " + e.socket.local);
        if (it != m_connections.end() && it->second != e.inode) peer = it->second;
    }
    if (!peer) return {};
    auto dev = m_socketDevice.find(peer);
    return dev == m_socketDevice.end() ? std::vector<std::size_t>{}
                                       : holdersOf({dev->second, peer});
}

std::vector<FdPeer> HolderIndex::peersOf(pid_t pid, const FdEntry &e) const
{
    std::vector<FdPeer> out;
    auto add = [&](const Holder &h, std::string relation) {
        out.push_back(
            {h.pid, h.comm, h.entry.fd, int(h.entry.access), h.entry.cloexec, std::move(relation)});
    };
    const std::vector<std::size_t> &same = holdersOf({e.device, e.inode});
    // Past the limit only pipes and sockets are listed: their holders are few
    // in practice, while 19 000 fds on one file would make every entry list
    // every other.
    const bool crowded = same.size() > kCompareLimit;
    for (std::size_t i : same) {
        if (crowded && e.kind != FdKind::Pipe && e.kind != FdKind::Socket) break;
        const Holder &h = m_holders[i];
        if (h.pid == pid && h.entry.fd == e.fd) continue;
        switch (e.kind) {
        case FdKind::Pipe:
            add(h, "same pipe");
            break;
        case FdKind::Socket:
            add(h, "same socket");
            break;
        case FdKind::File:
        case FdKind::Directory: {
            if (h.pid == pid) break; // the process's own table already shows its other fds
            const int description =
                same.size() <= kCompareLimit ? sameDescription(pid, e.fd, h.pid, h.entry.fd) : -1;
            add(h, description == 0 ? "same open file" : "same file");
            break;
        }
        case FdKind::CharDevice:
        case FdKind::BlockDevice:
        case FdKind::AnonInode:
        case FdKind::Other:
            // One inode serves many unrelated opens (every /dev/null, every
            // eventfd on anon_inodefs): only the same open file is a peer.
            if (h.pid == pid || h.entry.subkind != e.subkind) break;
            if (sameDescription(pid, e.fd, h.pid, h.entry.fd) == 0) add(h, "same open file");
            break;
        }
    }
    if (e.kind == FdKind::Socket)
        for (std::size_t i : socketPeersOf(e))
            add(m_holders[i], "socket peer");
    return out;
}

void HolderIndex::addPeers(pid_t pid, FdTable &table) const
{
    for (FdEntry &e : table)
        e.peers = peersOf(pid, e);
}

std::string HolderIndex::findProcessFd(const HolderQuery &q, std::vector<Holder> &out) const
{
    auto it = std::find_if(m_holders.begin(), m_holders.end(),
                           [&](const Holder &h) { return h.pid == q.pid && h.entry.fd == q.fd; });
    if (it == m_holders.end())
        return "pid " + std::to_string(q.pid) + " has no fd " + std::to_string(q.fd) +
               " (or it is not a process we may read)";
    out.push_back(*it);
    for (const FdPeer &p : peersOf(q.pid, it->entry))
        for (const Holder &h : m_holders)
            if (h.pid == p.pid && h.entry.fd == p.fd) out.push_back(h);
    return {};
}

std::string HolderIndex::findPath(const HolderQuery &q, std::vector<Holder> &out) const
{
    struct stat st {
    };
    if (::stat(q.path.c_str(), &st) != 0) {
        // Quoted and escaped: the path is the user's, control bytes and all.
        const int err = errno;
        return jsonString(q.path) + ": cannot stat it: " + std::strerror(err) + " (" +
               errnoName(err) + ")";
    }
    for (std::size_t i : holdersOf({std::uint64_t(st.st_dev), std::uint64_t(st.st_ino)}))
        out.push_back(m_holders[i]);
    if (S_ISSOCK(st.st_mode)) { // the sockets bound to it carry the path, not its inode
        char *real = ::realpath(q.path.c_str(), nullptr);
        const std::string canonical = real ? real : q.path;
        std::free(real);
        for (const Holder &h : m_holders)
            if (h.entry.kind == FdKind::Socket && h.entry.socket.protocol == "unix" &&
                (h.entry.socket.local == q.path || h.entry.socket.local == canonical))
                out.push_back(h);
    }
    return {};
}

HolderIndex::Found HolderIndex::find(const HolderQuery &q) const
{
    Found found;
    auto take = [&](const Holder &h) { found.holders.push_back(h); };
    using Kind = HolderQuery::Kind;
    switch (q.kind) {
    case Kind::Tcp:
    case Kind::Udp: {
        const std::string_view family = q.kind == Kind::Tcp ? "tcp" : "udp";
        for (const Holder &h : m_holders)
            if (h.entry.kind == FdKind::Socket && h.entry.socket.protocol.starts_with(family) &&
                h.entry.socket.localPort == q.port)
                take(h);
        break;
    }
    case Kind::Unix:
        for (const Holder &h : m_holders)
            if (h.entry.kind == FdKind::Socket && h.entry.socket.protocol == "unix" &&
                h.entry.socket.local == q.path)
                take(h);
        break;
    case Kind::Pipe:
        for (const Holder &h : m_holders)
            if (h.entry.kind == FdKind::Pipe && h.entry.inode == q.inode) take(h);
        break;
    case Kind::ProcessFd:
        found.error = findProcessFd(q, found.holders);
        break;
    case Kind::Path:
        found.error = findPath(q, found.holders);
        break;
    }
    if (!found.error.empty()) {
        found.holders.clear();
        return found;
    }
    std::sort(found.holders.begin(), found.holders.end(), [](const Holder &a, const Holder &b) {
        return a.pid != b.pid ? a.pid < b.pid : a.entry.fd < b.entry.fd;
    });
    auto dup = std::unique(found.holders.begin(), found.holders.end(),
                           [](const Holder &a, const Holder &b) {
                               return a.pid == b.pid && a.entry.fd == b.entry.fd;
                           });
    found.holders.erase(dup, found.holders.end());
    return found;
}

} // namespace spawnlab
