// SPDX-License-Identifier: GPL-3.0-or-later
#include "child/spawn_child.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace spawnlab::detail {
namespace {

// The clone_vm child runs on its own stack, as musl and glibc's posix_spawn do,
// so it cannot scribble over the suspended parent's frames. One per thread is
// reused: the parent thread is suspended while its child uses it.
struct CloneStack {
    static constexpr std::size_t kSize = 64 * 1024;
    static constexpr std::size_t kGuard = 4096;
    void *base = nullptr;

    void *top()
    {
        if (!base) {
            void *m = mmap(nullptr, kSize + kGuard, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
            if (m == MAP_FAILED) return nullptr;
            // A guard page below the stack: an overflow faults instead of
            // corrupting the parent's memory.
            if (mprotect(m, kGuard, PROT_NONE) != 0) {
                munmap(m, kSize + kGuard);
                return nullptr;
            }
            base = m;
        }
        return static_cast<char *>(base) + kSize + kGuard;
    }
    ~CloneStack()
    {
        if (base) munmap(base, kSize + kGuard);
    }
};

thread_local CloneStack cloneStack;

int cloneEntry(void *program)
{
    runChild(static_cast<ChildProgram *>(program));
}

#if defined(__x86_64__) && defined(SYS_clone3)
#define SPAWNLAB_HAVE_CLONE3 1

// clone3's argument block, version 0 (64 bytes; the layout is kernel ABI).
struct Clone3Args {
    std::uint64_t flags, pidfd, childTid, parentTid, exitSignal, stack, stackSize, tls;
};
constexpr std::uint64_t kCloneClearSighand = 0x100000000ULL; // Linux 5.5

// Unset once the kernel refuses clone3 or CLONE_CLEAR_SIGHAND (older than 5.5,
// or a seccomp filter such as some container runtimes'): then vfork()/clone().
std::atomic<bool> clone3Usable{true};

// clone3(CLONE_VM | CLONE_VFORK | CLONE_CLEAR_SIGHAND): vfork's semantics (the
// parent is suspended until exec, memory shared), but the kernel resets every
// handled signal to SIG_DFL, which saves the child ~64 rt_sigaction calls.
// The child starts on `stack` (clone_vm) or, with no stack, on the parent's
// (vfork): it steps below the red zone first, so nothing the suspended parent
// keeps under its stack pointer is overwritten. glibc has no clone3 wrapper
// that can start a child like this, hence the few lines of assembly.
[[gnu::noinline]] long clone3Raw(Clone3Args *args, ChildProgram *program)
{
    long ret = SYS_clone3;
    asm volatile("syscall\n\t"
                 "testq %%rax, %%rax\n\t"
                 "jnz 1f\n\t"
                 "subq $256, %%rsp\n\t" // the child: past the red zone, aligned for a call
                 "andq $-16, %%rsp\n\t"
                 "xorl %%ebp, %%ebp\n\t"
                 "movq %[program], %%rdi\n\t"
                 "call *%[entry]\n\t" // runChild never returns
                 "hlt\n\t"
                 "1:"
                 : "+a"(ret)
                 : "D"(args), "S"(sizeof *args), [program] "r"(program), [entry] "r"(&runChild)
                 : "rcx", "r11", "memory", "cc");
    return ret;
}

// -1 with errno set when clone3 could not be used (the caller falls back).
pid_t createWithClone3(ChildProgram &program, Strategy strategy)
{
    Clone3Args args{};
    args.flags = CLONE_VM | CLONE_VFORK | kCloneClearSighand;
    args.exitSignal = SIGCHLD;
    if (strategy == Strategy::CloneVm) {
        void *top = cloneStack.top();
        if (!top) return -1;
        // clone3 takes the lowest address and the size; the kernel starts at the top.
        args.stack = reinterpret_cast<std::uintptr_t>(top) - CloneStack::kSize;
        args.stackSize = CloneStack::kSize;
    }
    program.kernelClearedHandlers = true; // seen by the child only if it starts
    const long ret = clone3Raw(&args, &program);
    program.kernelClearedHandlers = false;
    if (ret >= 0) return pid_t(ret);
    errno = int(-ret);
    return -1;
}
#endif

pid_t create(ChildProgram &program, Strategy strategy)
{
#ifdef SPAWNLAB_HAVE_CLONE3
    if (strategy != Strategy::Fork && program.resetHandlers &&
        clone3Usable.load(std::memory_order_relaxed)) {
        const pid_t pid = createWithClone3(program, strategy);
        if (pid >= 0 || (errno != ENOSYS && errno != EINVAL && errno != EPERM)) return pid;
        clone3Usable.store(false, std::memory_order_relaxed);
    }
#endif
    switch (strategy) {
    case Strategy::Vfork: {
        pid_t pid = vfork();
        if (pid == 0) runChild(&program);
        return pid;
    }
    case Strategy::CloneVm: {
        void *top = cloneStack.top();
        if (!top) return -1;
        return clone(cloneEntry, top, CLONE_VM | CLONE_VFORK | SIGCHLD, &program);
    }
    default: {
        // _Fork: no atfork handler runs in the child (they may lock or allocate).
        pid_t pid = _Fork();
        if (pid == 0) runChild(&program);
        return pid;
    }
    }
}

// Whether a step before exec can wait for something that may never come. A
// child whose steps cannot block (dup2, close, setsid, limits, ids...) reaches
// exec in microseconds whatever happens to spawnlab, so it is not tied to the
// spawning thread: three system calls fewer while the parent is suspended.
bool mayBlockBeforeExec(const ChildProgram &p)
{
    if (p.announce || p.awaitTracer || p.cwd || p.stopBeforeCloseFds || p.stopAfterCloseFds ||
        p.stopEveryStep)
        return true;
    for (int i = 0; i < p.fdOpCount; ++i)
        if (p.fdOps[i].kind == FdOpKind::Open) return true; // a FIFO, a device, a hung mount
    return false;
}

} // namespace

Spawned spawnChild(ChildProgram &program, Strategy strategy)
{
    // No cancellation point may end this thread while its child shares its
    // memory or stack (glibc and musl do the same).
    int cancelState = 0;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancelState);
    // Every signal, glibc's internal ones (SIGCANCEL, SIGSETXID) included, which
    // pthread_sigmask would leave open: no handler may run in the child before
    // it resets them. The raw call also hands the child the exact saved mask.
    std::uint64_t all = ~std::uint64_t(0), saved = 0;
    if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &saved, sizeof all) != 0) {
        int err = errno;
        pthread_setcancelstate(cancelState, nullptr);
        return {-1, err};
    }
    if (program.keepParentMask) program.sigmask = saved;
    program.dieWithParent = mayBlockBeforeExec(program);
    if (program.dieWithParent) program.parentPid = getpid();
    pid_t pid = create(program, strategy);
    int err = pid < 0 ? errno : 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &saved, nullptr, sizeof saved);
    pthread_setcancelstate(cancelState, nullptr);
    return {pid, err};
}

} // namespace spawnlab::detail
