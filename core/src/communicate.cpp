#include "communicate.h"

#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

namespace spawnlab::detail {
namespace {

// Without a pidfd (kernel < 5.3) the child's exit is polled at this interval.
constexpr int kExitPollMs = 20;

bool childExited(int pidfd, pid_t pid)
{
    if (pidfd >= 0) {
        pollfd p{pidfd, POLLIN, 0};
        return poll(&p, 1, 0) == 1;
    }
    siginfo_t info{};
    return waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

// A write to a pipe whose reader is gone raises SIGPIPE, which would kill the
// spawning program. Block it on this thread and swallow one we caused.
class SigpipeGuard
{
public:
    SigpipeGuard()
    {
        sigemptyset(&pipeSet_);
        sigaddset(&pipeSet_, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        wasPending_ = sigismember(&pending, SIGPIPE) == 1;
        pthread_sigmask(SIG_BLOCK, &pipeSet_, &saved_);
    }
    ~SigpipeGuard()
    {
        if (!wasPending_) {
            timespec zero{};
            while (sigtimedwait(&pipeSet_, nullptr, &zero) == SIGPIPE) {
            }
        }
        pthread_sigmask(SIG_SETMASK, &saved_, nullptr);
    }

private:
    sigset_t pipeSet_, saved_;
    bool wasPending_ = false;
};

} // namespace

ChildWaiter::ChildWaiter(pid_t pid, std::int64_t deadlineNs) : pid_(pid), deadlineNs_(deadlineNs)
{
    // A pidfd is only needed to wait with something else (pipes, a deadline);
    // a plain blocking waitpid is cheaper, and the spawn path is hot.
    if (deadlineNs != 0) openPidfd();
}

void ChildWaiter::openPidfd()
{
    if (pidfd_ < 0)
        pidfd_ = int(syscall(SYS_pidfd_open, pid_, 0)); // -1 on old kernels: polled instead
}

ChildWaiter::~ChildWaiter()
{
    if (pidfd_ >= 0) close(pidfd_);
}

int ChildWaiter::remainingMs() const
{
    if (deadlineNs_ == 0) return -1;
    std::int64_t left = deadlineNs_ - monotonicNs();
    return left <= 0 ? 0 : int(std::min<std::int64_t>((left + 999999) / 1000000, 1 << 30));
}

void ChildWaiter::killNow()
{
    if (!timedOut_) {
        timedOut_ = true;
        kill(pid_, SIGKILL);
    }
}

void ChildWaiter::communicate(std::vector<ParentPipe> &pipes, std::map<int, std::string> &captured,
                              const std::function<void(int, std::string_view)> &onOutput)
{
    auto keep = [&](int childFd, const char *data, std::size_t size) {
        captured[childFd].append(data, size);
        if (onOutput) onOutput(childFd, std::string_view(data, size));
    };
    if (pipes.empty()) return;
    openPidfd();
    SigpipeGuard guard;
    std::vector<std::size_t> written(pipes.size(), 0);
    for (auto &p : pipes) {
        fcntl(p.parentEnd.get(), F_SETFL, O_NONBLOCK);
        if (p.kind == FdActionKind::PipeOut)
            captured[p.childFd]; // present even if the child writes nothing
    }
    bool exited = false;
    for (;;) {
        std::vector<pollfd> fds;
        std::vector<std::size_t> which;
        for (std::size_t i = 0; i < pipes.size(); ++i) {
            if (!pipes[i].parentEnd) continue;
            bool in = pipes[i].kind == FdActionKind::PipeIn;
            fds.push_back({pipes[i].parentEnd.get(), short(in ? POLLOUT : POLLIN), 0});
            which.push_back(i);
        }
        if (fds.empty()) return;
        if (exited || timedOut_) {
            // Take what is already there; do not wait for a grandchild's EOF.
            for (std::size_t k = 0; k < fds.size(); ++k) {
                ParentPipe &p = pipes[which[k]];
                char buffer[65536];
                ssize_t n;
                while (p.kind == FdActionKind::PipeOut &&
                       (n = read(p.parentEnd.get(), buffer, sizeof buffer)) > 0)
                    keep(p.childFd, buffer, std::size_t(n));
                p.parentEnd.reset();
            }
            return;
        }
        if (pidfd_ >= 0) fds.push_back({pidfd_, POLLIN, 0});
        int left = remainingMs();
        int wait = pidfd_ >= 0 ? left : (left < 0 ? kExitPollMs : std::min(left, kExitPollMs));
        int ready = poll(fds.data(), fds.size(), wait);
        if (ready < 0 && errno != EINTR) return;
        if (remainingMs() == 0) killNow();
        for (std::size_t k = 0; k < which.size(); ++k) {
            if (fds[k].revents == 0) continue;
            ParentPipe &p = pipes[which[k]];
            if (p.kind == FdActionKind::PipeOut) {
                char buffer[65536];
                ssize_t n = read(p.parentEnd.get(), buffer, sizeof buffer);
                if (n > 0)
                    keep(p.childFd, buffer, std::size_t(n));
                else if (n == 0 || (errno != EAGAIN && errno != EINTR))
                    p.parentEnd.reset();
            } else {
                const std::string &input = *p.input;
                std::size_t &done = written[which[k]];
                ssize_t n = done < input.size()
                                ? write(p.parentEnd.get(), input.data() + done, input.size() - done)
                                : 0;
                if (n > 0) done += std::size_t(n);
                if (done >= input.size() || (n < 0 && errno != EAGAIN && errno != EINTR))
                    p.parentEnd.reset(); // all written, or the reader is gone (EPIPE)
            }
        }
        exited = childExited(pidfd_, pid_);
    }
}

ExitStatus ChildWaiter::reap()
{
    while (deadlineNs_ != 0 && !childExited(pidfd_, pid_)) {
        int left = remainingMs();
        if (left == 0) {
            killNow();
            break;
        }
        if (pidfd_ >= 0) {
            pollfd p{pidfd_, POLLIN, 0};
            poll(&p, 1, left);
        } else {
            pollfd none{};
            poll(&none, 0, left < 0 ? kExitPollMs : std::min(left, kExitPollMs));
        }
    }
    int status = 0;
    while (waitpid(pid_, &status, __WALL) < 0 && errno == EINTR) {
    }
    ExitStatus exit;
    exit.timedOut = timedOut_;
    if (WIFEXITED(status)) {
        exit.exited = true;
        exit.code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        exit.signal = WTERMSIG(status);
    }
    return exit;
}

void finishChild(pid_t pid, std::vector<ParentPipe> &pipes, std::int64_t deadlineNs,
                 std::int64_t execNs, const std::function<void(int, std::string_view)> &onOutput,
                 RunResult &result)
{
    ChildWaiter waiter(pid, deadlineNs);
    waiter.communicate(pipes, result.captured, onOutput);
    result.exit = waiter.reap();
    result.timings.waitUs = double(monotonicNs() - execNs) / 1000.0;
}

} // namespace spawnlab::detail
