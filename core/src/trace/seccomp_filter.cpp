#include "trace/seccomp_filter.h"

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

namespace spawnlab::detail {
namespace {

#if defined(__x86_64__)
constexpr unsigned kArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr unsigned kArch = AUDIT_ARCH_AARCH64;
#else
#error "the leak hunter knows the syscall numbers of x86-64 and aarch64 only"
#endif

// Every call that gives a process a new fd, changes one's close-on-exec flag
// or closes one, and exec itself. fcntl is filtered on its command below.
constexpr long kFdCalls[] = {
#ifdef SYS_open
    SYS_open,
#endif
#ifdef SYS_creat
    SYS_creat,
#endif
#ifdef SYS_pipe
    SYS_pipe,
#endif
#ifdef SYS_dup2
    SYS_dup2,
#endif
#ifdef SYS_eventfd
    SYS_eventfd,
#endif
#ifdef SYS_signalfd
    SYS_signalfd,
#endif
#ifdef SYS_epoll_create
    SYS_epoll_create,
#endif
#ifdef SYS_inotify_init
    SYS_inotify_init,
#endif
    SYS_openat,        SYS_openat2,       SYS_pipe2,          SYS_socket,
    SYS_socketpair,    SYS_accept,        SYS_accept4,        SYS_dup,
    SYS_dup3,          SYS_eventfd2,      SYS_timerfd_create, SYS_signalfd4,
    SYS_epoll_create1, SYS_inotify_init1, SYS_fanotify_init,  SYS_memfd_create,
    SYS_pidfd_open,    SYS_pidfd_getfd,   SYS_userfaultfd,    SYS_open_by_handle_at,
    SYS_close,         SYS_close_range,   SYS_execve,         SYS_execveat,
};

// Calls traced only for some commands (the low word of args[1]): fcntl's that
// make an fd or change FD_CLOEXEC, and ioctl's FIOCLEX/FIONCLEX (Python's
// os.set_inheritable).
struct CommandCall {
    long nr;
    std::array<unsigned, 3> cmds;
    std::size_t count;
};
constexpr CommandCall kCommandCalls[] = {
    {SYS_fcntl, {F_DUPFD, F_DUPFD_CLOEXEC, F_SETFD}, 3},
    {SYS_ioctl, {FIOCLEX, FIONCLEX, 0}, 2},
};

sock_filter load(std::size_t offset)
{
    return BPF_STMT(BPF_LD | BPF_W | BPF_ABS, unsigned(offset));
}

sock_filter ret(unsigned value)
{
    return BPF_STMT(BPF_RET | BPF_K, value);
}

sock_filter jumpIfEqual(unsigned value, std::size_t ifEqual, std::size_t otherwise)
{
    return BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, value, std::uint8_t(ifEqual),
                    std::uint8_t(otherwise));
}

} // namespace

void buildSeccompFilter(SeccompFilter &out)
{
    std::vector<sock_filter> &c = out.code;
    std::vector<std::size_t> toTrace; // jumps whose "equal" branch is RET_TRACE
    c.clear();
    c.push_back(load(offsetof(seccomp_data, arch)));
    c.push_back(jumpIfEqual(kArch, 1, 0));
    c.push_back(ret(SECCOMP_RET_ALLOW));
    c.push_back(load(offsetof(seccomp_data, nr)));
    for (const CommandCall &call : kCommandCalls) {
        // Not this call: skip its block (load, one jump per command, allow).
        c.push_back(jumpIfEqual(unsigned(call.nr), 0, 1 + call.count + 1));
        c.push_back(load(offsetof(seccomp_data, args) + sizeof(std::uint64_t)));
        for (std::size_t i = 0; i < call.count; ++i) {
            toTrace.push_back(c.size());
            c.push_back(jumpIfEqual(call.cmds[i], 0, 0));
        }
        c.push_back(ret(SECCOMP_RET_ALLOW));
    }
    for (long nr : kFdCalls) {
        toTrace.push_back(c.size());
        c.push_back(jumpIfEqual(unsigned(nr), 0, 0));
    }
    c.push_back(ret(SECCOMP_RET_ALLOW));
    const std::size_t traceAt = c.size();
    c.push_back(ret(SECCOMP_RET_TRACE));
    for (std::size_t at : toTrace)
        c[at].jt = std::uint8_t(traceAt - at - 1);
    out.program.len = static_cast<unsigned short>(c.size());
    out.program.filter = c.data();
}

bool tracedSyscall(long nr, unsigned long long cmd)
{
    for (const CommandCall &call : kCommandCalls)
        if (call.nr == nr)
            return std::find(call.cmds.begin(), call.cmds.begin() + long(call.count),
                             unsigned(cmd)) != call.cmds.begin() + long(call.count);
    return std::find(std::begin(kFdCalls), std::end(kFdCalls), nr) != std::end(kFdCalls);
}

} // namespace spawnlab::detail
