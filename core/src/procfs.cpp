// Reads a process's fd table from /proc. Every lookup goes through one O_PATH
// handle on /proc/PID, so a pid recycled while we read cannot mix two processes.
#include "spawnlab/procfs.h"

#include "unique_fd.h"

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
#include <charconv>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>

namespace spawnlab {
namespace {

using detail::UniqueFd;

struct DirCloser {
    void operator()(DIR *dir) const { ::closedir(dir); }
};
using UniqueDir = std::unique_ptr<DIR, DirCloser>;

template <typename T> std::optional<T> parseNumber(std::string_view text, int base = 10)
{
    T value{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// Takes the first line off `rest`.
std::string_view nextLine(std::string_view &rest)
{
    auto eol = rest.find('\n');
    auto line = rest.substr(0, eol);
    rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
    return line;
}

std::string_view field(std::string_view line, int index)
{
    constexpr std::string_view blanks = " \t";
    for (std::size_t start = line.find_first_not_of(blanks); start != std::string_view::npos;
         start = line.find_first_not_of(blanks, start)) {
        auto end = std::min(line.find_first_of(blanks, start), line.size());
        if (index-- == 0) return line.substr(start, end - start);
        start = end;
    }
    return {};
}

struct FileText {
    std::string text;
    int err = 0;
};

FileText readFile(int dirFd, const std::string &path)
{
    FileText file;
    UniqueFd fd(::openat(dirFd, path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        file.err = errno;
        return file;
    }
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n > 0)
            file.text.append(buf, std::size_t(n));
        else if (n == 0)
            return file;
        else if (errno != EINTR) {
            file.err = errno;
            return file;
        }
    }
}

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

// Where each /proc/PID/net table keeps the socket inode (fields counted from 0;
// tcp's "tx_queue rx_queue" header is one "tx:rx" field in the rows).
struct NetTable {
    const char *path;
    std::string_view protocol;
    int inodeField;
};
constexpr std::array<NetTable, 11> netTables{{{"net/unix", "unix", 6},
                                              {"net/tcp", "tcp", 9},
                                              {"net/tcp6", "tcp6", 9},
                                              {"net/udp", "udp", 9},
                                              {"net/udp6", "udp6", 9},
                                              {"net/udplite", "udplite", 9},
                                              {"net/udplite6", "udplite6", 9},
                                              {"net/raw", "raw", 9},
                                              {"net/raw6", "raw6", 9},
                                              {"net/netlink", "netlink", 9},
                                              {"net/packet", "packet", 8}}};

// Names socket protocols for one process. The net tables are read once, at the
// first socket, since most fd tables hold none.
class SocketNames
{
public:
    explicit SocketNames(int procFd) : procFd_(procFd) {}

    std::string protocolOf(std::uint64_t inode, int fd)
    {
        if (!byInode_) byInode_ = readNetTables();
        if (auto it = byInode_->find(inode); it != byInode_->end()) return std::string(it->second);
        return protocolFromXattr(fd);
    }

private:
    std::unordered_map<std::uint64_t, std::string_view> readNetTables() const
    {
        std::unordered_map<std::uint64_t, std::string_view> byInode;
        for (const auto &table : netTables) {
            // Kernels without IPv6 or packet sockets have no such file: nothing to find there.
            auto file = readFile(procFd_, table.path);
            std::string_view rest(file.text);
            nextLine(rest); // the header
            while (!rest.empty()) {
                auto inode = parseNumber<std::uint64_t>(field(nextLine(rest), table.inodeField));
                if (inode && *inode != 0) byInode.emplace(*inode, table.protocol);
            }
        }
        return byInode;
    }

    // The net tables omit unbound TCP/UDP sockets, sockets of another network
    // namespace and families without a table (vsock, alg, ...). Their inode still
    // names its protocol: "TCPv6", "UNIX-STREAM", "UDP-Lite"; we spell them as the
    // table names do (tcp6, unix, udplite). There is no getxattrat(), so the
    // path runs through our own handle on /proc/PID rather than through the pid.
    std::string protocolFromXattr(int fd) const
    {
        const auto path = "/proc/self/fd/" + std::to_string(procFd_) + "/fd/" + std::to_string(fd);
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

    int procFd_;
    std::optional<std::unordered_map<std::uint64_t, std::string_view>> byInode_;
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

void parseFdInfo(std::string_view text, FdEntry &entry)
{
    while (!text.empty()) {
        auto line = nextLine(text);
        auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        auto key = line.substr(0, colon);
        auto value = field(line.substr(colon + 1), 0);
        if (key == "pos")
            entry.pos = parseNumber<std::uint64_t>(value).value_or(0);
        else if (key == "flags")
            entry.flags = int(parseNumber<unsigned>(value, 8).value_or(0));
    }
}

// nullopt when the fd was closed while we looked (every lookup then says
// ENOENT) or when we may not look (`denied` is then set: EACCES, EPERM).
std::optional<FdEntry> readEntry(int procFd, int fdDir, int fd, SocketNames &sockets, int &denied)
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
    if (::statx(fdDir, name.c_str(), AT_STATX_DONT_SYNC, STATX_TYPE | STATX_INO, &st) == 0) {
        mode = st.stx_mode;
        entry.inode = st.stx_ino;
        entry.device = makedev(st.stx_dev_major, st.stx_dev_minor);
    } else if (errno == ENOENT) {
        return std::nullopt;
    }

    auto info = readFile(procFd, "fdinfo/" + name);
    if (info.err == ENOENT) return std::nullopt;
    parseFdInfo(info.text, entry);
    entry.cloexec = entry.flags & O_CLOEXEC;
    entry.access = accessOf(entry.flags);

    entry.kind = kindOf(entry.target, mode);
    if (entry.kind == FdKind::AnonInode)
        entry.subkind = anonInodeName(entry.target);
    else if (entry.kind == FdKind::Socket)
        entry.subkind = sockets.protocolOf(entry.inode, fd);
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

} // namespace

FdTableRead readFdTable(pid_t pid)
{
    FdTableRead result;
    const auto procPath = pid == 0 ? std::string("/proc/self") : "/proc/" + std::to_string(pid);
    UniqueFd procFd(::open(procPath.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (procFd.get() < 0) {
        result.err = errno;
        return result;
    }
    UniqueFd fdDirFd(::openat(procFd.get(), "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fdDirFd.get() < 0) {
        result.err = errno;
        return result;
    }
    UniqueDir dir(::fdopendir(fdDirFd.get()));
    if (!dir) {
        result.err = errno;
        return result;
    }
    fdDirFd.release();

    std::vector<int> fds;
    if (int err = listFds(dir.get(), fds)) {
        result.err = err;
        return result;
    }
    // Our own two handles exist only while we read: they are not part of the table.
    if (pid == 0 || pid == ::getpid())
        std::erase_if(fds, [&](int fd) { return fd == procFd.get() || fd == ::dirfd(dir.get()); });
    std::sort(fds.begin(), fds.end());

    SocketNames sockets(procFd.get());
    for (int fd : fds) {
        int denied = 0;
        auto entry = readEntry(procFd.get(), ::dirfd(dir.get()), fd, sockets, denied);
        if (denied) { // listing is allowed but reading the links is not (ptrace access)
            result.err = denied;
            result.table.clear();
            return result;
        }
        if (entry) result.table.push_back(std::move(*entry));
    }
    return result;
}

std::string_view fdKindName(FdKind k)
{
    switch (k) {
    case FdKind::File:
        return "file";
    case FdKind::Directory:
        return "dir";
    case FdKind::CharDevice:
        return "chr";
    case FdKind::BlockDevice:
        return "blk";
    case FdKind::Pipe:
        return "pipe";
    case FdKind::Socket:
        return "socket";
    case FdKind::AnonInode:
        return "anon_inode";
    case FdKind::Other:
        return "other";
    }
    return "other";
}

std::string_view fdAccessName(FdAccess a)
{
    switch (a) {
    case FdAccess::Read:
        return "r";
    case FdAccess::Write:
        return "w";
    case FdAccess::ReadWrite:
        return "rw";
    case FdAccess::Path:
        return "path";
    }
    return "";
}

} // namespace spawnlab
