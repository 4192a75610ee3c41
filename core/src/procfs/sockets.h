// SPDX-License-Identifier: GPL-3.0-or-later
// The sockets of a network namespace, by inode: what /proc/PID/net/{tcp,tcp6,
// udp,udp6,unix,netlink,packet,raw,...} list, with unix peers from sock_diag.
#pragma once

#include "spawnlab/procfs.h"

#include <cstdint>
#include <string_view>
#include <unordered_map>

namespace spawnlab::detail {

using SocketMap = std::unordered_map<std::uint64_t, SocketInfo>;

// Reads each namespace's tables once, at its first socket: most fd tables hold
// none, and every process of a namespace sees the same tables.
class SocketTables
{
public:
    // The sockets the tables of the namespace of `procFd` (a handle on
    // /proc/PID or one of its threads) list. Unbound inet sockets and families
    // without a table are not there. Valid until the next call.
    const SocketMap &of(int procFd);

private:
    struct Namespace {
        SocketMap sockets;
    };
    std::unordered_map<std::uint64_t, Namespace> m_byNamespace; // by the netns inode
    SocketMap m_unknownNamespace; // refilled per process when ns/net cannot be read
};

// One row of /proc/net/tcp, tcp6, udp or udp6 (raw, udplite) into `out`;
// false when the row is not one.
bool parseInetRow(std::string_view row, std::string_view protocol, SocketInfo &out,
                  std::uint64_t &inode);
// One row of /proc/net/unix.
bool parseUnixRow(std::string_view row, SocketInfo &out, std::uint64_t &inode);

// readFdTable(pid) with the socket tables of an earlier read: a scan of many
// processes reads each namespace's tables once.
FdTableRead readFdTable(pid_t pid, SocketTables &sockets);

} // namespace spawnlab::detail
