// SPDX-License-Identifier: GPL-3.0-or-later
#include "communicate.h"

#include "report.h"

#include "spawnlab/names.h"
#include "spawnlab/pidfd.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <new>

namespace spawnlab::detail {
namespace {

// Without a pidfd (kernel < 5.3) the child's exit is polled at this interval.
constexpr int kExitPollMs = 20;

// True once the child has exited (a zombie, or already reaped by the kernel
// because SIGCHLD is ignored: ECHILD). Never consumes the status.
bool childExited(int pidfd, pid_t pid)
{
    if (pidfd >= 0) {
        pollfd p{pidfd, POLLIN, 0};
        return poll(&p, 1, 0) == 1;
    }
    siginfo_t info{};
    int rc = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT);
    return (rc == 0 && info.si_pid == pid) || (rc < 0 && errno == ECHILD);
}

// Why waitpid gave no status, as the result says it.
std::string unknownExit(int err)
{
    if (err != ECHILD) return "exit status unknown: waitpid: " + errnoName(err);
    struct sigaction now {
    };
    sigaction(SIGCHLD, nullptr, &now);
    if (now.sa_handler == SIG_IGN)
        return "exit status unknown: SIGCHLD is ignored in this process, so the kernel reaped "
               "the child without keeping its status";
    if (now.sa_flags & SA_NOCLDWAIT)
        return "exit status unknown: SIGCHLD has SA_NOCLDWAIT in this process, so the kernel "
               "reaped the child without keeping its status";
    return "exit status unknown: waitpid: ECHILD (something else in this process reaped the "
           "child)";
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

// Keeps the first `limit` bytes of each pipe_out fd exactly and counts the
// rest, so any amount of output costs bounded memory.
class OutputKeeper
{
public:
    OutputKeeper(std::uint64_t limit, const RunOptions &options, RunResult &result)
        : limit_(limit), onOutput_(options.onOutput), result_(result)
    {
    }

    // Present in the result even if the child writes nothing.
    void open(int fd)
    {
        result_.captured[fd];
        result_.outputBytes[fd];
    }

    void take(int fd, const char *data, std::size_t size)
    {
        std::string &kept = result_.captured[fd];
        result_.outputBytes[fd] += size;
        std::uint64_t room = limit_ > kept.size() ? limit_ - kept.size() : 0;
        if (room != 0 && !outOfMemory_) {
            try {
                kept.append(data, std::size_t(std::min<std::uint64_t>(room, size)));
            } catch (const std::bad_alloc &) {
                // The bytes already kept stay; the rest is counted.
                outOfMemory_ = true;
                result_.notes.push_back("memory ran out keeping fd " + std::to_string(fd) +
                                        "'s output after " + std::to_string(kept.size()) +
                                        " bytes: the rest was counted, not kept");
            }
        }
        if (onOutput_) onOutput_(fd, std::string_view(data, size));
    }

private:
    std::uint64_t limit_;
    const std::function<void(int, std::string_view)> &onOutput_;
    RunResult &result_;
    bool outOfMemory_ = false;
};

class ChildWaiter
{
public:
    // pidfd: borrowed from run(), or -1 (then one is opened when needed).
    ChildWaiter(pid_t pid, int pidfd, std::int64_t deadlineNs);

    // Writes every pipe_in's input and closes it; reads every pipe_out until
    // EOF, or until the child has exited and nothing more is ready (a
    // grandchild may keep the pipe open). At the deadline the child is killed
    // and what it wrote before dying is still read.
    void communicate(std::vector<ParentPipe> &pipes, OutputKeeper &keeper,
                     std::vector<std::string> &notes);

    // Waits (up to the deadline, then SIGKILL) and reaps. Always reaps.
    ExitStatus reap();

private:
    int remainingMs() const; // -1: no deadline
    int pollMs() const;      // how long one wait may block
    bool exited() const { return childExited(pidfd_, pid_); }
    void openPidfd();
    void killAtDeadline();

    pid_t pid_;
    int pidfd_;
    UniqueFd ownPidfd_;
    std::int64_t deadlineNs_;
    bool deadlineHit_ = false;
    bool killSent_ = false;
};

ChildWaiter::ChildWaiter(pid_t pid, int pidfd, std::int64_t deadlineNs)
    : pid_(pid), pidfd_(pidfd), deadlineNs_(deadlineNs)
{
    // A pidfd is only needed to wait with something else (pipes, a deadline);
    // a plain blocking waitpid is cheaper, and the spawn path is hot.
    if (deadlineNs != 0) openPidfd();
}

void ChildWaiter::openPidfd()
{
    if (pidfd_ >= 0) return;
    ownPidfd_.reset(pidfd_open(pid_, 0)); // -1 on old kernels: polled instead
    pidfd_ = ownPidfd_.get();
}

int ChildWaiter::remainingMs() const
{
    if (deadlineNs_ == 0) return -1;
    std::int64_t left = deadlineNs_ - monotonicNs();
    return left <= 0 ? 0 : int(std::min<std::int64_t>((left + 999999) / 1000000, 1 << 30));
}

int ChildWaiter::pollMs() const
{
    int left = deadlineHit_ ? -1 : remainingMs(); // once killed, wait for its death
    if (pidfd_ >= 0) return left;
    return left < 0 ? kExitPollMs : std::min(left, kExitPollMs);
}

void ChildWaiter::killAtDeadline()
{
    deadlineHit_ = true;
    // A child that exited on its own did not time out. If it exits between
    // this check and the kill, reap() sees an exit code, not SIGKILL.
    if (!exited()) killSent_ = kill(pid_, SIGKILL) == 0;
}

// What one read takes from a pipe_out into the kept output.
ssize_t readSome(ParentPipe &p, OutputKeeper &keeper)
{
    char buffer[65536];
    ssize_t n = read(p.parentEnd.get(), buffer, sizeof buffer);
    if (n > 0) keeper.take(p.childFd, buffer, std::size_t(n));
    return n;
}

// A pipe poll said is ready: a pipe_out read, or the next part of a
// pipe_in's input written; closed at EOF, once all is written, or on an error.
void serveReady(ParentPipe &p, std::size_t &written, OutputKeeper &keeper)
{
    if (p.kind == FdActionKind::PipeOut) {
        ssize_t n = readSome(p, keeper);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) p.parentEnd.reset();
        return;
    }
    const std::string &input = *p.input;
    ssize_t n = written < input.size()
                    ? write(p.parentEnd.get(), input.data() + written, input.size() - written)
                    : 0;
    if (n > 0) written += std::size_t(n);
    if (written >= input.size() || (n < 0 && errno != EAGAIN && errno != EINTR))
        p.parentEnd.reset(); // all written, or the reader is gone (EPIPE)
}

// The child has exited: everything it wrote is in the pipes now. Take it,
// but do not wait for a grandchild's EOF.
void drainAfterExit(ParentPipe &p, OutputKeeper &keeper, std::vector<std::string> &notes)
{
    ssize_t n = 1;
    while (p.kind == FdActionKind::PipeOut && (n = readSome(p, keeper)) > 0) {
    }
    if (n < 0 && errno == EAGAIN)
        notes.push_back("fd " + std::to_string(p.childFd) +
                        " (pipe_out) was still open after the child exited: a process it "
                        "started holds it; what it writes later is not captured");
    p.parentEnd.reset();
}

void ChildWaiter::communicate(std::vector<ParentPipe> &pipes, OutputKeeper &keeper,
                              std::vector<std::string> &notes)
{
    if (pipes.empty()) return;
    openPidfd();
    SigpipeGuard guard;
    std::vector<std::size_t> written(pipes.size(), 0);
    for (auto &p : pipes) {
        // A fresh pipe takes O_NONBLOCK; without it a read could block past the deadline.
        if (fcntl(p.parentEnd.get(), F_SETFL, O_NONBLOCK) != 0)
            notes.push_back("fcntl(O_NONBLOCK) on the pipe for fd " + std::to_string(p.childFd) +
                            ": " + errnoName(errno));
        if (p.kind == FdActionKind::PipeOut) keeper.open(p.childFd);
    }
    for (;;) {
        std::vector<pollfd> fds;
        std::vector<std::size_t> which;
        for (std::size_t i = 0; i < pipes.size(); ++i) {
            if (!pipes[i].parentEnd) continue;
            bool in = pipes[i].kind == FdActionKind::PipeIn;
            fds.push_back({pipes[i].parentEnd.get(), short(in ? POLLOUT : POLLIN), 0});
            which.push_back(i);
        }
        if (fds.empty()) break;
        if (exited()) {
            for (std::size_t i : which)
                drainAfterExit(pipes[i], keeper, notes);
            break;
        }
        if (pidfd_ >= 0) fds.push_back({pidfd_, POLLIN, 0});
        if (poll(fds.data(), fds.size(), pollMs()) < 0 && errno != EINTR) {
            notes.push_back("poll on the child's pipes: " + errnoName(errno) +
                            "; its output after this was not read");
            for (std::size_t i : which)
                pipes[i].parentEnd.reset();
            break;
        }
        if (!deadlineHit_ && remainingMs() == 0) killAtDeadline();
        for (std::size_t k = 0; k < which.size(); ++k)
            if (fds[k].revents != 0) serveReady(pipes[which[k]], written[which[k]], keeper);
    }
    for (std::size_t i = 0; i < pipes.size(); ++i)
        if (pipes[i].kind == FdActionKind::PipeIn && written[i] < pipes[i].input->size())
            notes.push_back("fd " + std::to_string(pipes[i].childFd) +
                            " (pipe_in): the child took " + std::to_string(written[i]) + " of " +
                            std::to_string(pipes[i].input->size()) +
                            " bytes of input; it exited or closed its end before the rest");
}

ExitStatus ChildWaiter::reap()
{
    while (deadlineNs_ != 0 && !deadlineHit_ && !exited()) {
        int left = remainingMs();
        if (left == 0) {
            killAtDeadline();
            break;
        }
        pollfd p{pidfd_, POLLIN, 0};
        poll(&p, pidfd_ >= 0 ? 1 : 0, pollMs());
    }
    int status = 0;
    pid_t got;
    while ((got = waitpid(pid_, &status, __WALL)) < 0 && errno == EINTR) {
    }
    ExitStatus exit;
    if (got < 0) {
        exit.unknown = unknownExit(errno);
        return exit;
    }
    if (WIFEXITED(status)) {
        exit.exited = true;
        exit.code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        exit.signal = WTERMSIG(status);
    }
    // Only a SIGKILL that ended a running child was the deadline's doing.
    exit.timedOut = killSent_ && !exit.exited && exit.signal == SIGKILL;
    return exit;
}

} // namespace

void finishChild(pid_t pid, int pidfd, std::vector<ParentPipe> &pipes, const SpawnPlan &plan,
                 std::int64_t deadlineNs, std::int64_t execNs, const RunOptions &options,
                 RunResult &result)
{
    ChildWaiter waiter(pid, pidfd, deadlineNs);
    OutputKeeper keeper(plan.captureLimitBytes, options, result);
    waiter.communicate(pipes, keeper, result.notes);
    result.exit = waiter.reap();
    result.timings.waitUs = double(monotonicNs() - execNs) / 1000.0;
}

} // namespace spawnlab::detail
