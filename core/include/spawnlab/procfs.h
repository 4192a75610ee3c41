// A process's fd table as /proc shows it: /proc/PID/fd links and fdinfo.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace spawnlab {

enum class FdKind { File, Directory, CharDevice, BlockDevice, Pipe, Socket, AnonInode, Other };

enum class FdAccess { Read, Write, ReadWrite, Path };

struct FdEntry {
    int fd = -1;
    std::string target; // readlink of /proc/PID/fd/N
    FdKind kind = FdKind::Other;
    std::string subkind; // anon_inode name ("eventfd"), socket protocol ("unix"), ""
    bool cloexec = false;
    FdAccess access = FdAccess::Read;
    std::uint64_t pos = 0;
    int flags = 0;           // fdinfo flags, O_* bits
    std::uint64_t inode = 0; // with `device`, the identity of the open file's inode
    std::uint64_t device = 0;
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

std::string_view fdKindName(FdKind k);     // "file", "dir", "chr", "blk", "pipe", ...
std::string_view fdAccessName(FdAccess a); // "r", "w", "rw", "path"

} // namespace spawnlab
