// SPDX-License-Identifier: GPL-3.0-or-later
#include "trace/provenance.h"

#include "spawnlab/json_text.h"
#include "spawnlab/names.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <optional>
#include <string_view>

namespace spawnlab::detail {
namespace {

constexpr unsigned long long kCloexec = O_CLOEXEC; // EFD_, TFD_, SFD_, EPOLL_, IN_CLOEXEC too

std::string joinedNames(const std::vector<std::string> &names)
{
    std::string out;
    for (const auto &n : names)
        out += (out.empty() ? "" : "|") + n;
    return out.empty() ? "0" : out;
}

std::string socketDomain(unsigned long long d)
{
    switch (d) {
    case AF_UNIX:
        return "AF_UNIX";
    case AF_INET:
        return "AF_INET";
    case AF_INET6:
        return "AF_INET6";
    case AF_NETLINK:
        return "AF_NETLINK";
    case AF_PACKET:
        return "AF_PACKET";
    default:
        return std::to_string(d);
    }
}

std::string socketType(unsigned long long t)
{
    std::vector<std::string> names;
    switch (t & 0xf) {
    case SOCK_STREAM:
        names.push_back("SOCK_STREAM");
        break;
    case SOCK_DGRAM:
        names.push_back("SOCK_DGRAM");
        break;
    case SOCK_SEQPACKET:
        names.push_back("SOCK_SEQPACKET");
        break;
    case SOCK_RAW:
        names.push_back("SOCK_RAW");
        break;
    default:
        names.push_back(std::to_string(t & 0xf));
    }
    if (t & SOCK_NONBLOCK) names.push_back("SOCK_NONBLOCK");
    if (t & SOCK_CLOEXEC) names.push_back("SOCK_CLOEXEC");
    return joinedNames(names);
}

// "O_CLOEXEC" (or the call's own spelling) when `flags` holds the bit, else "0".
std::string cloexecFlag(unsigned long long flags, unsigned long long bit, const char *name)
{
    return (flags & bit) ? name : "0";
}

std::string targetOf(const FinishedCall &c, int fd)
{
    auto it = c.targets.find(fd);
    return it == c.targets.end() ? std::string() : it->second;
}

struct Made {
    std::string syscall, flags, args; // args: what goes between the parentheses
    bool cloexec = false;
};

// A call whose one fd flag is a close-on-exec bit, written (shorter than
// strace does) as name([args[shownArg], ]FLAG_OR_0).
struct CloexecBitCall {
    long nr;
    const char *name;
    int flagArg; // the argument that holds the bit
    unsigned long long bit;
    const char *flag;
    int shownArg = -1; // an argument written before the flag
};

constexpr CloexecBitCall cloexecBitCalls[] = {
    {SYS_accept4, "accept4", 3, SOCK_CLOEXEC, "SOCK_CLOEXEC", 0},
    {SYS_eventfd2, "eventfd2", 1, kCloexec, "EFD_CLOEXEC", 0},
    {SYS_timerfd_create, "timerfd_create", 1, kCloexec, "TFD_CLOEXEC"},
    {SYS_epoll_create1, "epoll_create1", 0, kCloexec, "EPOLL_CLOEXEC"},
    {SYS_inotify_init1, "inotify_init1", 0, kCloexec, "IN_CLOEXEC"},
    {SYS_fanotify_init, "fanotify_init", 0, 1, "FAN_CLOEXEC"},
    {SYS_userfaultfd, "userfaultfd", 0, kCloexec, "O_CLOEXEC"},
};

std::optional<Made> describeCloexecBitCall(const FinishedCall &c)
{
    for (const CloexecBitCall &call : cloexecBitCalls) {
        if (call.nr != c.nr) continue;
        const unsigned long long flags = c.args[call.flagArg];
        std::string f = cloexecFlag(flags, call.bit, call.flag);
        std::string args = call.shownArg < 0 ? f : std::to_string(c.args[call.shownArg]) + ", " + f;
        return Made{call.name, f, std::move(args), (flags & call.bit) != 0};
    }
    return std::nullopt;
}

Made describe(const FinishedCall &c)
{
    if (auto made = describeCloexecBitCall(c)) return *made;
    const auto *a = c.args;
    const std::string opened = targetOf(c, int(c.rval)); // where the new fd points
    const std::string path = opened.empty() ? "" : jsonString(opened) + ", ";
    auto openLike = [&](const char *name, unsigned long long flags) {
        std::string f = joinedNames(openFlagNames(int(flags)));
        return Made{name, f, path + f, (flags & O_CLOEXEC) != 0};
    };
    switch (c.nr) {
#ifdef SYS_open
    case SYS_open:
        return openLike("open", a[1]);
#endif
#ifdef SYS_creat
    case SYS_creat:
        return openLike("creat", O_CREAT | O_WRONLY | O_TRUNC);
#endif
#ifdef SYS_pipe
    case SYS_pipe:
        return {"pipe", "0", "", false};
#endif
#ifdef SYS_eventfd
    case SYS_eventfd:
        return {"eventfd", "0", std::to_string(a[0]), false};
#endif
#ifdef SYS_signalfd
    case SYS_signalfd:
        return {"signalfd", "0", "-1", false};
#endif
#ifdef SYS_epoll_create
    case SYS_epoll_create:
        return {"epoll_create", "0", std::to_string(a[0]), false};
#endif
#ifdef SYS_inotify_init
    case SYS_inotify_init:
        return {"inotify_init", "0", "", false};
#endif
    case SYS_openat:
        return openLike("openat", a[2]);
    case SYS_openat2:
        return openLike("openat2", a[2]); // how->flags, read by the tracer
    case SYS_open_by_handle_at:
        return openLike("open_by_handle_at", a[2]);
    case SYS_pipe2: {
        std::vector<std::string> names;
        if (a[1] & O_CLOEXEC) names.push_back("O_CLOEXEC");
        if (a[1] & O_NONBLOCK) names.push_back("O_NONBLOCK");
        if (a[1] & O_DIRECT) names.push_back("O_DIRECT");
        std::string f = joinedNames(names);
        return {"pipe2", f, f, (a[1] & O_CLOEXEC) != 0};
    }
    case SYS_socket:
    case SYS_socketpair: {
        std::string t = socketType(a[1]);
        return {c.nr == SYS_socket ? "socket" : "socketpair", t,
                socketDomain(a[0]) + ", " + t + ", " + std::to_string(a[2]),
                (a[1] & SOCK_CLOEXEC) != 0};
    }
    case SYS_accept:
        return {"accept", "0", std::to_string(a[0]), false};
    case SYS_memfd_create: {
        // The name is in the tracee's memory; the new fd's link holds it
        // too: "/memfd:NAME (deleted)".
        std::string name = opened;
        if (name.starts_with("/memfd:")) name.erase(0, 7);
        if (name.ends_with(" (deleted)")) name.resize(name.size() - 10);
        std::string f = cloexecFlag(a[1], 1, "MFD_CLOEXEC");
        return {"memfd_create", f, (name.empty() ? "" : jsonString(name) + ", ") + f,
                (a[1] & 1) != 0};
    }
    case SYS_signalfd4: {
        std::string f = cloexecFlag(a[3], kCloexec, "SFD_CLOEXEC");
        return {"signalfd4", f, "-1, " + f, (a[3] & kCloexec) != 0};
    }
    case SYS_ioctl:
        return {"ioctl", a[1] == FIOCLEX ? "FIOCLEX" : "FIONCLEX",
                std::to_string(a[0]) + (a[1] == FIOCLEX ? ", FIOCLEX" : ", FIONCLEX"), false};
#ifdef SYS_dup2
    case SYS_dup2:
        return {"dup2", "0", std::to_string(a[0]) + ", " + std::to_string(a[1]), false};
#endif
    case SYS_dup:
        return {"dup", "0", std::to_string(a[0]), false};
    case SYS_dup3: {
        std::string f = cloexecFlag(a[2], O_CLOEXEC, "O_CLOEXEC");
        return {"dup3", f, std::to_string(a[0]) + ", " + std::to_string(a[1]) + ", " + f,
                (a[2] & O_CLOEXEC) != 0};
    }
    case SYS_fcntl: {
        if (a[1] == F_SETFD)
            return {"fcntl", "F_SETFD", std::to_string(a[0]) + ", F_SETFD, " + std::to_string(a[2]),
                    false};
        const bool cloexec = a[1] == F_DUPFD_CLOEXEC;
        return {"fcntl", cloexec ? "F_DUPFD_CLOEXEC" : "F_DUPFD",
                std::to_string(a[0]) + (cloexec ? ", F_DUPFD_CLOEXEC, " : ", F_DUPFD, ") +
                    std::to_string(a[2]),
                cloexec};
    }
    // The kernel makes these close-on-exec whatever the flags say.
    case SYS_pidfd_open:
        return {"pidfd_open", "O_CLOEXEC (always)", std::to_string(a[0]), true};
    case SYS_pidfd_getfd:
        return {"pidfd_getfd", "O_CLOEXEC (always)",
                std::to_string(a[0]) + ", " + std::to_string(a[1]), true};
    default:
        return {"syscall " + std::to_string(c.nr), "0", "", false};
    }
}

std::string pairText(const FinishedCall &c)
{
    return "[" + std::to_string(c.pair[0]) + ", " + std::to_string(c.pair[1]) + "]";
}

// Where this call's fd(s) came from: the call, its flags, pid, thread, time.
std::shared_ptr<FdOrigin> originOf(const FinishedCall &c)
{
    Made m = describe(c);
    auto origin = std::make_shared<FdOrigin>();
    origin->known = true;
    origin->pid = c.pid;
    origin->tid = c.tid;
    origin->exe = c.exe;
    origin->syscall = m.syscall;
    origin->flags = m.flags;
    origin->cloexec = m.cloexec;
    origin->tUs = c.tUs;
    origin->stack = c.stack;
    const bool pair = c.pair[0] >= 0;
    if (pair && c.nr == SYS_socketpair)
        origin->call = m.syscall + "(" + m.args + ", " + pairText(c) + ") = 0";
    else if (pair)
        origin->call =
            m.syscall + "(" + pairText(c) + (m.args.empty() ? "" : ", " + m.args) + ") = 0";
    else
        origin->call = m.syscall + "(" + m.args + ") = " + std::to_string(c.rval);
    return origin;
}

void addMade(FileTable &table, const FinishedCall &c)
{
    FdRecord record;
    record.origin = originOf(c);
    record.cloexec = record.origin->cloexec;
    for (int fd : newFds(c)) {
        record.target = targetOf(c, fd);
        table[fd] = record;
    }
}

// The record of `fd`, unless its number now holds another object (it was
// closed, and reused by a call the filter lets pass): then it is dropped.
FdRecord *current(FileTable &table, const FinishedCall &c, int fd)
{
    auto it = table.find(fd);
    if (it == table.end()) return nullptr;
    const std::string now = targetOf(c, fd);
    if (!it->second.target.empty() && !now.empty() && now != it->second.target) {
        table.erase(it);
        return nullptr;
    }
    return &it->second;
}

// dup, dup2, dup3, F_DUPFD: the same description on another number. A copy
// of an fd the tracer never saw made (made close-on-exec, so the filter let
// it pass) was made, as far as leaks go, by this call.
void addCopy(FileTable &table, const FinishedCall &c, int from, bool cloexec, std::string via)
{
    const int to = int(c.rval);
    FdRecord copy;
    if (const FdRecord *source = current(table, c, from)) {
        copy = *source;
    } else {
        addMade(table, c);
        copy = table[to];
        copy.origin->call += " (a copy of fd " + std::to_string(from) + ", made close-on-exec)";
    }
    copy.target = targetOf(c, to);
    copy.cloexec = cloexec;
    copy.clearedOnPurpose = false;
    copy.madeInheritableBy.clear(); // the copy's flag is the copying call's
    copy.via = std::move(via);
    table[to] = std::move(copy);
}

void setCloexec(FileTable &table, const FinishedCall &c, int fd, bool on)
{
    FdRecord *found = current(table, c, fd);
    if (!found && on) return; // close-on-exec already: it cannot leak
    if (!found) {
        // Made close-on-exec by a call the filter lets pass, and made
        // inheritable here: for a leak, this call is where it began.
        FdRecord made;
        made.origin = originOf(c);
        made.origin->call += " (made inheritable here; it was made close-on-exec, untraced)";
        made.cloexec = true; // as it was until this call
        made.target = targetOf(c, fd);
        found = &(table[fd] = std::move(made));
    }
    FdRecord &r = *found;
    if (r.cloexec && !on) {
        r.clearedOnPurpose = true;
        r.clearedBy = c.pid;
        if (r.origin && r.origin->known && r.origin->cloexec)
            r.madeInheritableBy = originOf(c)->call + " in pid " + std::to_string(c.pid);
    }
    if (on) r.madeInheritableBy.clear();
    // The creating process marking its own fd late: the race window's end.
    if (!r.cloexec && on && r.origin && r.origin->known && r.origin->pid == c.pid &&
        r.origin->markedCloexecUs < 0) {
        r.origin->markedCloexecUs = c.tUs;
        r.origin->markedByTid = c.tid;
    }
    r.cloexec = on;
}

std::string inPid(const FinishedCall &c)
{
    return " in pid " + std::to_string(c.pid);
}

} // namespace

std::vector<int> newFds(const FinishedCall &c)
{
    if (c.rval < 0) return {};
    if (c.pair[0] >= 0) return {c.pair[0], c.pair[1]};
    switch (c.nr) {
    case SYS_close:
    case SYS_close_range:
    case SYS_execve:
    case SYS_execveat:
    case SYS_ioctl:
        return {};
    case SYS_fcntl:
        return c.args[1] == F_SETFD ? std::vector<int>{} : std::vector<int>{int(c.rval)};
    case SYS_signalfd4:
        return int(c.args[0]) == -1 ? std::vector<int>{int(c.rval)} : std::vector<int>{};
    default:
        return {int(c.rval)};
    }
}

bool needsStack(const FinishedCall &call)
{
    switch (call.nr) {
#ifdef SYS_dup2
    case SYS_dup2:
#endif
    case SYS_dup:
    case SYS_dup3:
    case SYS_fcntl:
        return false;
    default:
        return !newFds(call).empty() && !describe(call).cloexec;
    }
}

FdRecord unknownRecord(std::string why, bool cloexec)
{
    FdRecord record;
    record.origin = std::make_shared<FdOrigin>();
    record.origin->unknownWhy = std::move(why);
    record.cloexec = cloexec;
    return record;
}

void applyCall(FileTable &table, const FinishedCall &c)
{
    const auto *a = c.args;
    const int fd0 = int(a[0]);
    if (c.nr == SYS_close) { // the number is free even when close reports EINTR or EIO
        if (c.rval == 0 || c.rval == -EINTR || c.rval == -EIO) table.erase(fd0);
        return;
    }
    if (c.rval < 0) return;
    switch (c.nr) {
    case SYS_close_range: {
        const unsigned first = unsigned(a[0]), last = unsigned(a[1]);
        for (auto it = table.lower_bound(int(first)); it != table.end();) {
            if (unsigned(it->first) > last) break;
            if (a[2] & CLOSE_RANGE_CLOEXEC) {
                it->second.cloexec = true;
                ++it;
            } else {
                it = table.erase(it);
            }
        }
        return;
    }
#ifdef SYS_dup2
    case SYS_dup2:
        if (int(c.rval) != fd0)
            addCopy(table, c, fd0, false,
                    "dup2(" + std::to_string(fd0) + ", " + std::to_string(c.rval) + ")" + inPid(c));
        return;
#endif
    case SYS_dup3:
        addCopy(table, c, fd0, (a[2] & O_CLOEXEC) != 0,
                "dup3(" + std::to_string(fd0) + ", " + std::to_string(c.rval) + ")" + inPid(c));
        return;
    case SYS_dup:
        addCopy(table, c, fd0, false, {});
        return;
    case SYS_fcntl:
        if (a[1] == F_SETFD)
            setCloexec(table, c, fd0, (a[2] & FD_CLOEXEC) != 0);
        else
            addCopy(table, c, fd0, a[1] == F_DUPFD_CLOEXEC, {});
        return;
    case SYS_ioctl: // FIOCLEX / FIONCLEX, as Python's os.set_inheritable does
        setCloexec(table, c, fd0, a[1] == FIOCLEX);
        return;
    case SYS_execve:
    case SYS_execveat:
        return; // the exec event does the work
    default:
        if (!newFds(c).empty()) addMade(table, c);
    }
}

FileTable forkCopy(const FileTable &table, FdCarry carry)
{
    FileTable copy = table;
    for (auto &[fd, record] : copy)
        record.carriedBy.push_back(carry);
    return copy;
}

void dropCloexec(FileTable &table)
{
    std::erase_if(table, [](const auto &entry) { return entry.second.cloexec; });
}

} // namespace spawnlab::detail
