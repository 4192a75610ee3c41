// SPDX-License-Identifier: GPL-3.0-or-later
// Who holds what: the fd tables of every process this user may read, indexed
// by the object each fd refers to. It answers what `lsof +E` shows (the other
// end of a pipe, a unix socket's peer, the process across a loopback TCP
// connection) and "who holds my port / my file?".
#pragma once

#include "spawnlab/procfs.h"

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace spawnlab {

struct Holder {
    pid_t pid = 0;
    std::string comm;
    FdEntry entry; // its `peers` stay empty
};

// A parsed `holders WHAT`: a path, tcp:PORT, udp:PORT, unix:PATH, pipe:INODE or PID:FD.
struct HolderQuery {
    enum class Kind { Path, Tcp, Udp, Unix, Pipe, ProcessFd } kind = Kind::Path;
    std::string path;        // Path, Unix
    int port = 0;            // Tcp, Udp
    std::uint64_t inode = 0; // Pipe
    pid_t pid = 0;           // ProcessFd
    int fd = -1;             // ProcessFd
};
struct HolderQueryParse {
    HolderQuery query;
    std::string error; // one sentence on what is wrong with WHAT; empty when it parsed
};
HolderQueryParse parseHolderQuery(const std::string &what);

class HolderIndex
{
public:
    // Reads /proc/*/fd of every process. Processes that exit meanwhile and
    // kernel threads are passed over; those it may not read are counted.
    // Without `includeThisProcess` the scanning process is left out: a CLI
    // holds what it inherited from its shell only because it is running.
    static HolderIndex scan(bool includeThisProcess = true);

    // The other fds, in any process, on the object each entry of `table` (the
    // fd table of `pid`) refers to, or on its other end.
    void addPeers(pid_t pid, FdTable &table) const;

    // Every fd that holds what `query` names; `error` says why there is no
    // answer (a path that does not exist, a PID:FD that is not open).
    struct Found {
        std::vector<Holder> holders; // by pid, then fd
        std::string error;
    };
    Found find(const HolderQuery &query) const;

    int processesRead() const { return m_processesRead; }
    // Processes whose fds we may not read (other users', without privilege):
    // their count and, for the message, the first few pids.
    int processesDenied() const { return int(m_denied.size()); }
    const std::vector<pid_t> &deniedPids() const { return m_denied; }

private:
    struct Object {
        std::uint64_t device = 0;
        std::uint64_t inode = 0;
        bool operator==(const Object &) const = default;
    };
    struct ObjectHash {
        std::size_t operator()(const Object &o) const { return o.inode * 31 + o.device; }
    };
    const std::vector<std::size_t> &holdersOf(const Object &object) const;
    std::vector<std::size_t> socketPeersOf(const FdEntry &entry) const;
    // Holders with the same object that are the same open file (kcmp), or
    // any with the same inode where only the inode can tell.
    std::vector<FdPeer> peersOf(pid_t pid, const FdEntry &entry) const;
    // find() for one PID:FD (it and its peers) and for a path (what holds the
    // file, and the unix sockets bound to it); an error sentence, or empty.
    std::string findProcessFd(const HolderQuery &q, std::vector<Holder> &out) const;
    std::string findPath(const HolderQuery &q, std::vector<Holder> &out) const;

    std::vector<Holder> m_holders;
    std::unordered_map<Object, std::vector<std::size_t>, ObjectHash> m_byObject;
    std::unordered_map<std::uint64_t, std::uint64_t> m_socketDevice; // socket inode -> sockfs dev
    std::map<std::string, std::uint64_t> m_connections; // "local remote" -> inet socket inode
    int m_processesRead = 0;
    std::vector<pid_t> m_denied;
};

} // namespace spawnlab
