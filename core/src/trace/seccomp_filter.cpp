// SPDX-License-Identifier: GPL-3.0-or-later
#include "trace/seccomp_filter.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <array>
#include <cstddef>

namespace spawnlab::detail {
namespace {

enum class Filter {
    Always,      // stops whatever its arguments
    UnlessFlag,  // stops unless args[arg] has `bits` (its close-on-exec flag)
    OnCommand,   // stops only when args[1] is one of `commands`
    SyscallStop, // only recorded at syscall stops: the filter lets it pass
};

struct FdCall {
    long nr;
    Filter filter;
    int arg = 0;
    unsigned bits = 0;
    std::array<unsigned, 3> commands{};
    std::size_t commandCount = 0;
};

constexpr FdCall kFdCalls[] = {
#ifdef SYS_open
    {SYS_open, Filter::UnlessFlag, 1, O_CLOEXEC},
#endif
#ifdef SYS_creat
    {SYS_creat, Filter::Always},
#endif
#ifdef SYS_pipe
    {SYS_pipe, Filter::Always},
#endif
#ifdef SYS_dup2
    {SYS_dup2, Filter::Always},
#endif
#ifdef SYS_eventfd
    {SYS_eventfd, Filter::Always},
#endif
#ifdef SYS_signalfd
    {SYS_signalfd, Filter::Always},
#endif
#ifdef SYS_epoll_create
    {SYS_epoll_create, Filter::Always},
#endif
#ifdef SYS_inotify_init
    {SYS_inotify_init, Filter::Always},
#endif
    {SYS_openat, Filter::UnlessFlag, 2, O_CLOEXEC},
    {SYS_openat2, Filter::Always}, // its flags are in memory, out of the filter's reach
    {SYS_open_by_handle_at, Filter::UnlessFlag, 2, O_CLOEXEC},
    {SYS_pipe2, Filter::UnlessFlag, 1, O_CLOEXEC},
    {SYS_socket, Filter::UnlessFlag, 1, SOCK_CLOEXEC},
    {SYS_socketpair, Filter::UnlessFlag, 1, SOCK_CLOEXEC},
    {SYS_accept, Filter::Always},
    {SYS_accept4, Filter::UnlessFlag, 3, SOCK_CLOEXEC},
    {SYS_dup, Filter::Always},
    {SYS_dup3, Filter::UnlessFlag, 2, O_CLOEXEC},
    {SYS_eventfd2, Filter::UnlessFlag, 1, EFD_CLOEXEC},
    {SYS_timerfd_create, Filter::UnlessFlag, 1, O_CLOEXEC}, // TFD_CLOEXEC
    {SYS_signalfd4, Filter::UnlessFlag, 3, O_CLOEXEC},      // SFD_CLOEXEC
    {SYS_epoll_create1, Filter::UnlessFlag, 0, O_CLOEXEC},  // EPOLL_CLOEXEC
    {SYS_inotify_init1, Filter::UnlessFlag, 0, IN_CLOEXEC},
    {SYS_fanotify_init, Filter::UnlessFlag, 0, 1}, // FAN_CLOEXEC
    {SYS_memfd_create, Filter::UnlessFlag, 1, 1},  // MFD_CLOEXEC
    {SYS_userfaultfd, Filter::UnlessFlag, 0, O_CLOEXEC},
    // F_DUPFD copies without the flag, F_SETFD changes it; F_DUPFD_CLOEXEC is safe.
    {SYS_fcntl, Filter::OnCommand, 1, 0, {F_DUPFD, F_SETFD, 0}, 2},
    // FIONCLEX clears the flag (Python's os.set_inheritable); FIOCLEX sets it
    // late, which ends a close-on-exec race window.
    {SYS_ioctl, Filter::OnCommand, 1, 0, {FIOCLEX, FIONCLEX, 0}, 2},
    {SYS_pidfd_open, Filter::SyscallStop},
    {SYS_pidfd_getfd, Filter::SyscallStop},
    {SYS_close, Filter::SyscallStop},
    {SYS_close_range, Filter::SyscallStop},
};

sock_filter load(std::size_t offset)
{
    return BPF_STMT(BPF_LD | BPF_W | BPF_ABS, unsigned(offset));
}

std::size_t argOffset(int arg)
{
    // The low word of the 64-bit argument (little-endian), where every flag is.
    return offsetof(seccomp_data, args) + sizeof(std::uint64_t) * std::size_t(arg);
}

sock_filter ret(unsigned value)
{
    return BPF_STMT(BPF_RET | BPF_K, value);
}

sock_filter jump(unsigned op, unsigned value, std::size_t ifTrue, std::size_t ifFalse)
{
    return BPF_JUMP(BPF_JMP | op | BPF_K, value, std::uint8_t(ifTrue), std::uint8_t(ifFalse));
}

// A jump whose targets are patched once the program's end is known.
enum class To { Next, Allow, Trace };
struct Patch {
    std::size_t at;
    To ifTrue, ifFalse;
};

} // namespace

void buildSeccompFilter(SeccompFilter &out)
{
    std::vector<sock_filter> &c = out.code;
    std::vector<Patch> patches;
    c.clear();
    c.push_back(load(offsetof(seccomp_data, arch)));
    c.push_back(jump(BPF_JEQ, kTracedArch, 1, 0));
    c.push_back(ret(SECCOMP_RET_ALLOW));
    for (const FdCall &call : kFdCalls) {
        if (call.filter == Filter::SyscallStop) continue;
        // Each call's block starts by loading nr (a block may have loaded an argument).
        const std::size_t body = call.filter == Filter::Always       ? 0
                                 : call.filter == Filter::UnlessFlag ? 2
                                                                     : 1 + call.commandCount + 1;
        c.push_back(load(offsetof(seccomp_data, nr)));
        if (call.filter == Filter::Always) {
            patches.push_back({c.size(), To::Trace, To::Next});
            c.push_back(jump(BPF_JEQ, unsigned(call.nr), 0, 0));
            continue;
        }
        c.push_back(jump(BPF_JEQ, unsigned(call.nr), 0, body)); // not this call: next block
        c.push_back(load(argOffset(call.arg)));
        if (call.filter == Filter::UnlessFlag) {
            patches.push_back({c.size(), To::Allow, To::Trace});
            c.push_back(jump(BPF_JSET, call.bits, 0, 0));
            continue;
        }
        for (std::size_t i = 0; i < call.commandCount; ++i) {
            patches.push_back({c.size(), To::Trace, To::Next});
            c.push_back(jump(BPF_JEQ, call.commands[i], 0, 0));
        }
        c.push_back(ret(SECCOMP_RET_ALLOW));
    }
    const std::size_t allowAt = c.size();
    c.push_back(ret(SECCOMP_RET_ALLOW));
    const std::size_t traceAt = c.size();
    c.push_back(ret(SECCOMP_RET_TRACE));
    for (const Patch &p : patches) {
        auto offset = [&](To to) {
            return to == To::Next ? 0
                                  : std::uint8_t((to == To::Allow ? allowAt : traceAt) - p.at - 1);
        };
        c[p.at].jt = std::uint8_t(offset(p.ifTrue));
        c[p.at].jf = std::uint8_t(offset(p.ifFalse));
    }
    out.program.len = static_cast<unsigned short>(c.size());
    out.program.filter = c.data();
}

bool tracedSyscall(long nr, std::uint64_t cmd)
{
    for (const FdCall &call : kFdCalls) {
        if (call.nr != nr) continue;
        if (call.filter != Filter::OnCommand) return true;
        for (std::size_t i = 0; i < call.commandCount; ++i)
            if (call.commands[i] == unsigned(cmd)) return true;
        return call.nr == SYS_fcntl && cmd == F_DUPFD_CLOEXEC; // recorded when it stops anyway
    }
    return false;
}

} // namespace spawnlab::detail
