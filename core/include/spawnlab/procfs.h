// SPDX-License-Identifier: GPL-3.0-or-later
// A process's fd table as /proc shows it: /proc/PID/fd links and fdinfo.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spawnlab {

enum class FdKind { File, Directory, CharDevice, BlockDevice, Pipe, Socket, AnonInode, Other };

enum class FdAccess { Read, Write, ReadWrite, Path };

// A socket as the kernel's tables describe it: /proc/PID/net/* in the
// process's own network namespace, and sock_diag for a unix socket's peer.
struct SocketInfo {
    std::string protocol; // tcp, tcp6, udp, udp6, unix, netlink, packet, raw, ...
    std::string type;     // stream, dgram, seqpacket, raw; "" when the table does not say
    std::string local;    // "127.0.0.1:48029", "[::1]:41951", "*:53"; unix: a path or "@name"
    std::string remote;   // the connected peer's address; "" when not connected
    std::string state;    // tcp: LISTEN, ESTABLISHED, ...; udp, unix: as the kernel names it
    int localPort = -1;   // inet only
    int remotePort = -1;
    std::uint64_t peerInode = 0; // unix: the other end's socket inode; 0: none or unknown
    std::string detail;          // netlink: "route", portid; packet: ethertype, interface
};

// What fdinfo says about an anon inode (and a memfd's name); which fields are
// set depends on `FdEntry::subkind`.
struct AnonInfo {
    pid_t pid = 0;               // pidfd: the process it refers to; -1: it has exited
    long long count = -1;        // eventfd: the counter
    long long eventfdId = -1;    // eventfd: its id (Linux 5.12+)
    std::vector<int> watchedFds; // epoll: the fds it watches (in the owner's table)
    std::string clock;           // timerfd: "CLOCK_MONOTONIC", ...
    long long valueNs = -1;      // timerfd: time to the next expiry; 0: disarmed
    long long intervalNs = -1;   // timerfd: the period; 0: one-shot
    std::vector<int> signals;    // signalfd: the signals it reads
    int watches = -1;            // inotify: watches; fanotify: marks
};

// Another fd, in any process, on the same object (or its other end).
struct FdPeer {
    pid_t pid = 0;
    std::string comm; // the holder's /proc/PID/comm
    int fd = -1;
    int access = 0; // FdAccess of the holder's fd
    bool cloexec = false;
    // "same pipe", "same socket", "same file", "same anon inode",
    // "socket peer" (the other end of a unix pair or loopback connection)
    std::string relation;
};

struct FdEntry {
    int fd = -1;
    std::string target; // readlink of /proc/PID/fd/N
    FdKind kind = FdKind::Other;
    // anon_inode name ("eventfd"), socket protocol ("unix"), "memfd", "deleted", ""
    std::string subkind;
    bool cloexec = false;
    FdAccess access = FdAccess::Read;
    std::uint64_t pos = 0;
    int flags = 0;           // fdinfo flags, O_* bits
    std::uint64_t inode = 0; // with `device`, the identity of the open file's inode
    std::uint64_t device = 0;
    SocketInfo socket;         // kind Socket only
    AnonInfo anon;             // kind AnonInode only
    std::vector<FdPeer> peers; // filled by HolderIndex::addPeers, not by readFdTable
};

using FdTable = std::vector<FdEntry>; // sorted by fd

// Why a table could not be read. A table is only ever returned whole: a
// process that exits while it is read is an error, not a short table.
enum class FdTableError {
    None,
    NoSuchProcess, // no /proc/PID (err ENOENT)
    Denied,        // the kernel refused (err EACCES or EPERM); the message says which check
    KernelThread,  // it has no fd table of its own (err EINVAL)
    Zombie,        // it has exited, its fds are closed; only its exit status is left (err ESRCH)
    Exited,        // it exited, or began to, while its fds were read (err ESRCH)
    Failed,        // another failure reading /proc (err says which)
};

struct FdTableRead {
    FdTable table; // empty unless `error` is None
    int err = 0;   // errno behind `error`; 0 when the whole table was read
    FdTableError error = FdTableError::None;
    std::string message; // one sentence naming the pid and the cause, when `error` is set
};

// Reads /proc/PID/fd (pid 0: this process). Fds closed while reading are
// skipped, as the process itself closed them; when the leader thread has
// exited alone (pthread_exit), the table is read through a live thread.
FdTableRead readFdTable(pid_t pid);

// What the fd is, as a person reads it: "tcp 127.0.0.1:48029 (LISTEN)",
// "unix stream @/tmp/.X11-unix/X0 -> peer 4711", "pidfd of pid 812",
// "epoll watching fds 4, 5", "memfd:ballast (deleted)", a path.
std::string fdDescription(const FdEntry &entry);

std::string_view fdKindName(FdKind k);     // "file", "dir", "chr", "blk", "pipe", ...
std::string_view fdAccessName(FdAccess a); // "r", "w", "rw", "path"
std::optional<FdKind> parseFdKind(std::string_view name);
std::optional<FdAccess> parseFdAccess(std::string_view name);

} // namespace spawnlab
