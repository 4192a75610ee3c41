// SPDX-License-Identifier: GPL-3.0-or-later
// Reads a process's fd table from /proc. Every lookup goes through one O_PATH
// handle on /proc/PID (or on one of its threads), so a pid recycled while we
// read cannot mix two processes; a process that exits while we read is an
// error, never a short table.
#include "spawnlab/procfs.h"

#include "child/signal_mask.h"
#include "procfs/proc_text.h"
#include "procfs/procfs_task.h"
#include "procfs/sockets.h"

#include "spawnlab/names.h"
#include "spelling.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>

namespace spawnlab {
namespace {

using namespace detail;

struct DirCloser {
    void operator()(DIR *dir) const { ::closedir(dir); }
};
using UniqueDir = std::unique_ptr<DIR, DirCloser>;

int readLinkAt(int dirFd, const std::string &name, std::string &target)
{
    target.resize(256);
    for (;;) {
        ssize_t n = ::readlinkat(dirFd, name.c_str(), target.data(), target.size());
        if (n < 0) {
            int err = errno;
            target.clear();
            return err;
        }
        // readlink truncates silently; only a short answer is known to be whole.
        if (std::size_t(n) < target.size()) {
            target.resize(std::size_t(n));
            return 0;
        }
        target.resize(target.size() * 2);
    }
}

// The net tables omit unbound TCP/UDP sockets, sockets of another network
// namespace and families without a table (vsock, alg, ...). Their inode still
// names its protocol: "TCPv6", "UNIX-STREAM", "UDP-Lite"; we spell them as the
// table names do (tcp6, unix, udplite). There is no getxattrat(), so the path
// runs through our own handle on /proc/PID rather than through the pid.
std::string protocolFromXattr(int procFd, int fd)
{
    const auto path = "/proc/self/fd/" + std::to_string(procFd) + "/fd/" + std::to_string(fd);
    char name[64];
    ssize_t n = ::getxattr(path.c_str(), "system.sockprotoname", name, sizeof name);
    if (n <= 0) return {};
    std::string protocol(name, std::find(name, name + n, '\0'));
    for (char &c : protocol)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    if (protocol.starts_with("unix")) return "unix";
    std::erase(protocol, '-');
    if (protocol.ends_with("v6")) protocol.erase(protocol.size() - 2, 1);
    return protocol;
}

// A table's sockets, read at its first socket (most tables hold none).
class LazySockets
{
public:
    LazySockets(SocketTables &tables, int procFd) : m_tables(tables), m_procFd(procFd) {}
    const SocketInfo *find(std::uint64_t inode)
    {
        if (!m_sockets) m_sockets = &m_tables.of(m_procFd);
        auto it = m_sockets->find(inode);
        return it == m_sockets->end() ? nullptr : &it->second;
    }

private:
    SocketTables &m_tables;
    int m_procFd;
    const SocketMap *m_sockets = nullptr;
};

FdKind kindOf(std::string_view target, mode_t mode)
{
    // anon_inodefs gives its inodes odd modes (eventfd: no type bits at all).
    if (target.starts_with("anon_inode:")) return FdKind::AnonInode;
    switch (mode & S_IFMT) {
    case S_IFREG:
        return FdKind::File;
    case S_IFDIR:
        return FdKind::Directory;
    case S_IFCHR:
        return FdKind::CharDevice;
    case S_IFBLK:
        return FdKind::BlockDevice;
    case S_IFIFO:
        return FdKind::Pipe;
    case S_IFSOCK:
        return FdKind::Socket;
    }
    if (target.starts_with("socket:[")) return FdKind::Socket;
    if (target.starts_with("pipe:[")) return FdKind::Pipe;
    return FdKind::Other;
}

// "anon_inode:[eventfd]" -> "eventfd", "anon_inode:inotify" -> "inotify".
std::string anonInodeName(std::string_view target)
{
    target.remove_prefix(std::string_view("anon_inode:").size());
    if (target.starts_with('[') && target.ends_with(']'))
        target = target.substr(1, target.size() - 2);
    return std::string(target);
}

FdAccess accessOf(int flags)
{
    if (flags & O_PATH) return FdAccess::Path;
    switch (flags & O_ACCMODE) {
    case O_WRONLY:
        return FdAccess::Write;
    case O_RDWR:
        return FdAccess::ReadWrite;
    default:
        return FdAccess::Read;
    }
}

// "(1, 500000000)" -> 1500000000.
long long timespecNs(std::string_view text)
{
    const auto comma = text.find(',');
    if (!text.starts_with('(') || !text.ends_with(')') || comma == std::string_view::npos)
        return -1;
    auto trim = [](std::string_view t) {
        t.remove_prefix(std::min(t.find_first_not_of(' '), t.size()));
        return t;
    };
    auto sec = parseNumber<long long>(trim(text.substr(1, comma - 1)));
    auto nsec = parseNumber<long long>(trim(text.substr(comma + 1, text.size() - comma - 2)));
    return sec && nsec ? *sec * 1000000000LL + *nsec : -1;
}

// What an anon inode's fdinfo adds to pos/flags/mnt_id, by the names the
// kernel's show_fdinfo handlers print.
void parseAnonLine(std::string_view key, std::string_view rest, AnonInfo &anon)
{
    const auto value = field(rest, 0);
    if (key == "Pid") // pidfd; -1 once the process is reaped
        anon.pid = parseNumber<pid_t>(value).value_or(0);
    else if (key == "eventfd-count") // printed in hex
        anon.count = parseNumber<long long>(value, 16).value_or(-1);
    else if (key == "eventfd-id")
        anon.eventfdId = parseNumber<long long>(value).value_or(-1);
    else if (key == "tfd") // epoll: one line per watched fd
        anon.watchedFds.push_back(parseNumber<int>(value).value_or(-1));
    else if (key == "clockid") {
        constexpr std::array<std::string_view, 12> clocks{
            "CLOCK_REALTIME",          "CLOCK_MONOTONIC",     "CLOCK_PROCESS_CPUTIME_ID",
            "CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE",
            "CLOCK_MONOTONIC_COARSE",  "CLOCK_BOOTTIME",      "CLOCK_REALTIME_ALARM",
            "CLOCK_BOOTTIME_ALARM",    "CLOCK_SGI_CYCLE",     "CLOCK_TAI"};
        auto id = parseNumber<unsigned>(value);
        anon.clock =
            id && *id < clocks.size() ? std::string(clocks[*id]) : "clock " + std::string(value);
    } else if (key == "it_value")
        anon.valueNs = timespecNs(rest.substr(rest.find_first_not_of(" \t")));
    else if (key == "it_interval")
        anon.intervalNs = timespecNs(rest.substr(rest.find_first_not_of(" \t")));
    else if (key == "sigmask") { // a signalfd's
        const auto mask = parseNumber<std::uint64_t>(value, 16).value_or(0);
        for (int sig = 1; sig <= kSignalCount; ++sig)
            if (inSignalMask(mask, sig)) anon.signals.push_back(sig);
    } else if (key == "inotify wd" || key == "fanotify ino" || key == "fanotify mnt_id" ||
               key == "fanotify sdev")
        anon.watches = std::max(anon.watches, 0) + 1;
}

void parseFdInfo(std::string_view text, FdEntry &entry)
{
    while (!text.empty()) {
        auto line = nextLine(text);
        auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        auto key = line.substr(0, colon);
        auto rest = line.substr(colon + 1);
        if (key == "pos")
            entry.pos = parseNumber<std::uint64_t>(field(rest, 0)).value_or(0);
        else if (key == "flags")
            entry.flags = int(parseNumber<unsigned>(field(rest, 0), 8).value_or(0));
        else if (entry.kind == FdKind::AnonInode)
            parseAnonLine(key, rest, entry.anon);
    }
    // fdinfo lists an epoll's fds in its tree's order; a person reads them sorted.
    std::sort(entry.anon.watchedFds.begin(), entry.anon.watchedFds.end());
}

// nullopt when the fd was closed while we looked (every lookup then says
// ENOENT) or when we may not look (`denied` is then set: EACCES, EPERM).
std::optional<FdEntry> readEntry(int procFd, int fdDir, int fd, LazySockets &sockets, int &denied)
{
    FdEntry entry;
    entry.fd = fd;
    const auto name = std::to_string(fd);
    int linkErr = readLinkAt(fdDir, name, entry.target);
    if (linkErr == EACCES || linkErr == EPERM) denied = linkErr;
    if (linkErr == ENOENT || denied) return std::nullopt;

    // Cached attributes are enough for type and inode, and a hung network
    // filesystem must not hang the inspector.
    struct statx st {
    };
    mode_t mode = 0;
    bool unlinked = false;
    if (::statx(fdDir, name.c_str(), AT_STATX_DONT_SYNC, STATX_TYPE | STATX_INO | STATX_NLINK,
                &st) == 0) {
        mode = st.stx_mode;
        unlinked = (st.stx_mask & STATX_NLINK) && st.stx_nlink == 0;
        entry.inode = st.stx_ino;
        entry.device = makedev(st.stx_dev_major, st.stx_dev_minor);
    } else if (errno == ENOENT) {
        return std::nullopt;
    }

    entry.kind = kindOf(entry.target, mode);
    auto info = readFile(procFd, "fdinfo/" + name);
    if (info.err == ENOENT) return std::nullopt;
    parseFdInfo(info.text, entry);
    entry.cloexec = entry.flags & O_CLOEXEC;
    entry.access = accessOf(entry.flags);

    if (entry.kind == FdKind::AnonInode) {
        entry.subkind = anonInodeName(entry.target);
    } else if (entry.kind == FdKind::Socket) {
        if (const SocketInfo *s = sockets.find(entry.inode)) entry.socket = *s;
        entry.subkind =
            entry.socket.protocol.empty() ? protocolFromXattr(procFd, fd) : entry.socket.protocol;
        entry.socket.protocol = entry.subkind;
    } else if (entry.kind == FdKind::File && unlinked) {
        entry.subkind = entry.target.starts_with("/memfd:") ? "memfd" : "deleted";
    }
    return entry;
}

int listFds(DIR *dir, std::vector<int> &fds)
{
    for (;;) {
        errno = 0;
        const dirent *ent = ::readdir(dir);
        if (!ent) return errno;
        if (auto fd = parseNumber<int>(ent->d_name)) fds.push_back(*fd);
    }
}

struct TaskTable {
    FdTable table;
    int err = 0;
    bool listing = false; // err came from opening or listing the fd directory
};

// The fds /proc shows in `taskDir` (/proc/PID, or a thread's /proc/PID/task/TID).
// When reading our own table, `ownFds` (our handles on /proc) are left out: they
// exist only while we read.
TaskTable readTaskTable(int taskDir, bool self, std::initializer_list<int> ownFds,
                        SocketTables &socketTables)
{
    TaskTable result;
    UniqueFd fdDirFd(::openat(taskDir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    UniqueDir dir(fdDirFd.get() < 0 ? nullptr : ::fdopendir(fdDirFd.get()));
    if (!dir) {
        result.err = errno;
        result.listing = true;
        return result;
    }
    fdDirFd.release();

    std::vector<int> fds;
    if (int err = listFds(dir.get(), fds)) {
        result.err = err;
        result.listing = true;
        return result;
    }
    if (self)
        std::erase_if(fds, [&](int fd) {
            return fd == ::dirfd(dir.get()) ||
                   std::find(ownFds.begin(), ownFds.end(), fd) != ownFds.end();
        });
    std::sort(fds.begin(), fds.end());

    LazySockets sockets(socketTables, taskDir);
    for (int fd : fds) {
        int denied = 0;
        auto entry = readEntry(taskDir, ::dirfd(dir.get()), fd, sockets, denied);
        if (denied) { // listing is allowed but reading the links is not (ptrace access)
            result.err = denied;
            result.table.clear();
            return result;
        }
        if (entry) result.table.push_back(std::move(*entry));
    }
    return result;
}

FdTableRead failure(FdTableError error, int err, std::string message)
{
    FdTableRead read;
    read.error = error;
    read.err = err;
    read.message = std::move(message);
    return read;
}

FdTableRead exited(const std::string &who)
{
    return failure(FdTableError::Exited, ESRCH, who + " exited while its fd table was read");
}

} // namespace

FdTableRead readFdTable(pid_t pid)
{
    SocketTables sockets;
    return detail::readFdTable(pid, sockets);
}

FdTableRead detail::readFdTable(pid_t pid, SocketTables &sockets)
{
    const pid_t ownPid = ::getpid();
    const bool self = pid == 0 || pid == ownPid;
    const std::string who = pid == 0 ? "this process" : "pid " + std::to_string(pid);
    const auto procPath = pid == 0 ? std::string("/proc/self") : "/proc/" + std::to_string(pid);
    UniqueFd procFd(::open(procPath.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (procFd.get() < 0) {
        const int err = errno;
        if (err == ENOENT)
            return failure(FdTableError::NoSuchProcess, err, who + ": no such process (ENOENT)");
        return failure(FdTableError::Failed, err,
                       who + ": cannot open " + procPath + ": " + errnoName(err));
    }
    TaskStat leader = readTaskStat(procFd.get());
    if (leader.err == ENOENT || leader.err == ESRCH) return exited(who); // reaped just now
    if (leader.err)
        return failure(FdTableError::Failed, leader.err,
                       who + ": cannot read " + procPath + "/stat: " + errnoName(leader.err));
    if (leader.kernelThread())
        return failure(FdTableError::KernelThread, EINVAL,
                       who + " is a kernel thread: it has no fd table");

    // Each pass reads through one task and then checks that the task still
    // holds its table: if it began to exit meanwhile, fds may be missing
    // (do_exit closes them before the task turns zombie). A few passes, since
    // only a leader that exits alone leaves a live thread to read through.
    for (int pass = 0; pass < 3; ++pass) {
        UniqueFd thread;
        int taskDir = procFd.get();
        if (leader.gone()) {
            thread = openLiveThread(procFd.get(), self ? ownPid : pid);
            if (!thread && pass == 0 && leader.state == 'Z')
                return failure(FdTableError::Zombie, ESRCH,
                               who +
                                   " is a zombie: it has exited and its fds are closed; only "
                                   "its exit status is left until its parent (pid " +
                                   std::to_string(leader.ppid) + ") reaps it");
            if (!thread) return exited(who);
            taskDir = thread.get();
        }
        TaskTable read = readTaskTable(taskDir, self, {procFd.get(), thread.get()}, sockets);
        if (!readTaskStat(taskDir).gone()) {
            if (read.err == EACCES || read.err == EPERM)
                return failure(FdTableError::Denied, read.err,
                               deniedReason(taskDir, who, read.err, read.listing));
            if (read.err)
                return failure(FdTableError::Failed, read.err,
                               who + ": cannot read its fd table: " + errnoName(read.err));
            FdTableRead whole;
            whole.table = std::move(read.table);
            return whole;
        }
        leader = readTaskStat(procFd.get());
    }
    return exited(who);
}

namespace {
constexpr std::array<Spelling<FdKind>, 8> fdKinds{{{FdKind::File, "file"},
                                                   {FdKind::Directory, "dir"},
                                                   {FdKind::CharDevice, "chr"},
                                                   {FdKind::BlockDevice, "blk"},
                                                   {FdKind::Pipe, "pipe"},
                                                   {FdKind::Socket, "socket"},
                                                   {FdKind::AnonInode, "anon_inode"},
                                                   {FdKind::Other, "other"}}};
constexpr std::array<Spelling<FdAccess>, 4> fdAccesses{{{FdAccess::Read, "r"},
                                                        {FdAccess::Write, "w"},
                                                        {FdAccess::ReadWrite, "rw"},
                                                        {FdAccess::Path, "path"}}};
} // namespace

std::string_view fdKindName(FdKind k)
{
    return nameOf(fdKinds, k, "other");
}

std::string_view fdAccessName(FdAccess a)
{
    return nameOf(fdAccesses, a, "");
}

std::optional<FdKind> parseFdKind(std::string_view name)
{
    return valueOf(fdKinds, name);
}

std::optional<FdAccess> parseFdAccess(std::string_view name)
{
    return valueOf(fdAccesses, name);
}

} // namespace spawnlab
