// SPDX-License-Identifier: GPL-3.0-or-later
#include "child_reaper.h"

#include "output.h"

#include "spawnlab/names.h"
#include "spawnlab/pidfd.h"

#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>

namespace cli::reaper {
namespace {

enum Phase { BeforeRun, Running, AfterRun };

// run()'s set-up before the spawn (validation, PATH search, our own fd table)
// is short; this bounds the wait for a pid if it hangs (a dead NFS mount).
constexpr auto spawnWait = std::chrono::seconds(10);

// The child: written by spawned() on whichever thread the core calls it from,
// read by the signal thread; atomics, so neither waits for the other.
std::atomic<pid_t> childPid{0};
std::atomic<int> childPidfd{-1};
std::atomic<int> phase{BeforeRun};
// The signal being answered, 0 until one arrives.
std::atomic<int> stopping{0};

// Only to wake the signal thread. Never destroyed: it may still wait on them
// while main returns.
std::mutex &wakeMutex = *new std::mutex;
std::condition_variable &woken = *new std::condition_variable;

void wake()
{
    {
        std::lock_guard lock(wakeMutex);
    }
    woken.notify_all();
}

// SIGKILL and reap through the pidfd, so a pid that run() has already reaped
// (and the system reused) is never signalled. Without pidfds (Linux < 5.3)
// the pid has to do; run() is still waiting for it, so it is not reaped yet.
// What was done, for the message.
std::string killAndReap()
{
    const pid_t pid = childPid.load();
    const int pidfd = childPidfd.load();
    if (pid <= 0) return phase.load() == Running ? ": no child yet" : ": no child was started";
    const std::string child = "the child (pid " + std::to_string(pid) + ")";
    if (phase.load() == AfterRun) return ": " + child + " had exited and been reaped";
    const int sent =
        pidfd >= 0 ? ::pidfd_send_signal(pidfd, SIGKILL, nullptr, 0) : ::kill(pid, SIGKILL);
    if (sent != 0) return ": " + child + " had exited and been reaped"; // ESRCH
    int r = -1;
    if (pidfd >= 0) {
        siginfo_t info{};
        while ((r = ::waitid(idtype_t(P_PIDFD), id_t(pidfd), &info, WEXITED | __WALL)) < 0 &&
               errno == EINTR) {
        }
    }
    // ECHILD: run() reaped it first, which is as good; EINVAL: no P_PIDFD (< 5.4).
    if (r != 0 && (pidfd < 0 || errno == EINVAL))
        while (::waitpid(pid, nullptr, __WALL) < 0 && errno == EINTR) {
        }
    return ": killed and reaped " + child;
}

[[noreturn]] void answer(int sig)
{
    stopping.store(sig);
    {
        std::unique_lock lock(wakeMutex);
        woken.wait_for(lock, spawnWait,
                       [] { return phase.load() != Running || childPid.load() != 0; });
    }
    writeErr("spawnlab-cli: run: " + spawnlab::signalName(sig) + killAndReap() + "\n");
    dieOf(sig);
}

void waitForSignals(sigset_t watched)
{
    for (;;) {
        siginfo_t info{};
        const int sig = ::sigwaitinfo(&watched, &info);
        if (sig > 0) answer(sig);
        // EINTR: stopped and continued (SIGSTOP, SIGCONT); wait again.
    }
}

} // namespace

[[noreturn]] void dieOf(int sig)
{
    struct sigaction byDefault {
    };
    byDefault.sa_handler = SIG_DFL;
    ::sigaction(sig, &byDefault, nullptr);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    ::raise(sig); // pending on this thread until the unblock delivers it
    ::pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
    ::_exit(128 + sig); // only if the signal did not end the process
}

bool start(sigset_t &startMask, std::string &error)
{
    ::pthread_sigmask(SIG_SETMASK, nullptr, &startMask);
    sigset_t watched;
    sigemptyset(&watched);
    bool any = false;
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
        struct sigaction old {
        };
        ::sigaction(sig, nullptr, &old);
        if (old.sa_handler == SIG_IGN || sigismember(&startMask, sig) == 1) continue;
        sigaddset(&watched, sig);
        any = true;
    }
    if (!any) return true;
    if (int err = ::pthread_sigmask(SIG_BLOCK, &watched, nullptr)) {
        error = "pthread_sigmask: " + spawnlab::errnoName(err);
        return false;
    }
    try {
        std::thread(waitForSignals, watched).detach();
    } catch (const std::system_error &e) {
        ::pthread_sigmask(SIG_UNBLOCK, &watched, nullptr);
        error = std::string("cannot start the signal thread: ") + e.what();
        return false;
    }
    return true;
}

void runStarting()
{
    phase.store(Running);
}

void spawned(pid_t pid)
{
    // Its own pidfd: the core's closes when run() returns, before runFinished().
    // A newer pid (posix_spawn's next PATH candidate) replaces the older.
    const int pidfd = ::pidfd_open(pid, 0);
    const int old = childPidfd.exchange(pidfd);
    if (old >= 0) ::close(old);
    childPid.store(pid);
    wake();
}

void runFinished()
{
    phase.store(AfterRun);
    wake();
    // run() may have returned because we killed its child: the result would
    // say "killed by SIGKILL" and exit 0 before the signal thread is done.
    // Its answer ends the process; this thread waits for that.
    if (stopping.load())
        for (;;)
            ::pause();
}

} // namespace cli::reaper
