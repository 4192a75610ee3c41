#include "spawn_child.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

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

pid_t create(ChildProgram &program, Strategy strategy)
{
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
        pid_t pid = fork();
        if (pid == 0) runChild(&program);
        return pid;
    }
    }
}

} // namespace

Spawned spawnChild(ChildProgram &program, Strategy strategy)
{
    sigset_t all, saved;
    sigfillset(&all);
    int blockErr = pthread_sigmask(SIG_SETMASK, &all, &saved);
    if (blockErr != 0) return {-1, blockErr};
    if (program.keepParentMask) {
        program.sigmask = 0;
        for (int sig = 1; sig <= 64; ++sig)
            if (sigismember(&saved, sig) == 1) program.sigmask |= std::uint64_t(1) << (sig - 1);
    }
    pid_t pid = create(program, strategy);
    int err = pid < 0 ? errno : 0;
    pthread_sigmask(SIG_SETMASK, &saved, nullptr);
    return {pid, err};
}

} // namespace spawnlab::detail
