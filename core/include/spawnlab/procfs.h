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

struct FdTableRead {
    FdTable table;
    int err = 0; // errno when the table could not be read (ENOENT, EACCES)
};

// Reads /proc/PID/fd (pid 0: this process). Fds that vanish while reading are skipped.
FdTableRead readFdTable(pid_t pid);

std::string_view fdKindName(FdKind k);     // "file", "dir", "chr", "blk", "pipe", ...
std::string_view fdAccessName(FdAccess a); // "r", "w", "rw", "path"

} // namespace spawnlab
