// SPDX-License-Identifier: GPL-3.0-or-later
// readFdTable on processes whose table is not simply there: a zombie, a kernel
// thread, one that exits while it is read, one whose leader thread has exited,
// a stopped one, one we may not read. A table is whole or an error, never short.
#include "scoped.h"
#include "spawnlab/procfs.h"

#include <QTest>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstring>
#include <string>
#include <thread>

using namespace spawnlab;

namespace {

const char leaderExitsMode[] = "--leader-exits";

struct Pipe {
    int read = -1, write = -1;
    Pipe()
    {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) == 0) {
            read = fds[0];
            write = fds[1];
        }
    }
    Pipe(const Pipe &) = delete;
    Pipe &operator=(const Pipe &) = delete;
    ~Pipe()
    {
        closeRead();
        closeWrite();
    }
    void closeRead()
    {
        if (read >= 0) ::close(read);
        read = -1;
    }
    void closeWrite()
    {
        if (write >= 0) ::close(write);
        write = -1;
    }
};

bool readAll(int fd, void *buf, std::size_t size)
{
    auto *p = static_cast<char *>(buf);
    while (size > 0) {
        const ssize_t n = ::read(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        size -= std::size_t(n);
    }
    return true;
}

// The state letter of /proc/PID/stat, or 0 once the process is reaped.
char stateOf(pid_t pid)
{
    char path[64], text[512];
    std::snprintf(path, sizeof path, "/proc/%d/stat", int(pid));
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    const ssize_t n = ::read(fd, text, sizeof text - 1);
    ::close(fd);
    if (n <= 0) return 0;
    text[n] = '\0';
    const char *close = std::strrchr(text, ')');
    return close && close[1] == ' ' ? close[2] : 0;
}

// A bounded poll of /proc: the kernel offers no event for "this thread has exited".
bool waitForState(pid_t pid, char state)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (stateOf(pid) != state) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::yield();
    }
    return true;
}

QString message(const FdTableRead &read)
{
    return QString::fromStdString(read.message);
}

// The helper mode: the leader thread exits alone and another thread keeps the
// process (and its fd table) alive.
void *blockForever(void *)
{
    for (;;)
        ::pause();
}

int leaderExits(int readyFd)
{
    pthread_t thread;
    if (::pthread_create(&thread, nullptr, blockForever, nullptr) != 0) return 3;
    if (::write(readyFd, "r", 1) != 1) return 4;
    ::close(readyFd);
    ::pthread_exit(nullptr);
}

} // namespace

class TestProcfsStates : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void zombie();
    void kernelThread();
    void exitWhileReading();
    void leaderExitedThreadsLive();
    void stoppedProcessReadsWhole();
    void noSuchProcess();
    void deniedAsStrangerNamesTheUid();
    void deniedAsRootNamesPtrace();
};

void TestProcfsStates::zombie()
{
    test::ChildGuard child;
    child.pid = ::fork();
    QVERIFY(child.pid >= 0);
    if (child.pid == 0) ::_exit(0);
    // Wait for the exit without reaping: the child stays a zombie.
    siginfo_t info{};
    QCOMPARE(::waitid(P_PID, id_t(child.pid), &info, WEXITED | WNOWAIT), 0);
    QCOMPARE(stateOf(child.pid), 'Z');

    const FdTableRead read = readFdTable(child.pid);
    QCOMPARE(int(read.error), int(FdTableError::Zombie));
    QCOMPARE(read.err, ESRCH);
    QVERIFY(read.table.empty());
    const QString expected =
        QStringLiteral("pid %1 is a zombie: it has exited and its fds are closed").arg(child.pid);
    QVERIFY2(message(read).startsWith(expected), qPrintable(message(read)));
    QVERIFY2(message(read).contains(QStringLiteral("(pid %1)").arg(::getpid())),
             qPrintable(message(read)));
}

void TestProcfsStates::kernelThread()
{
    // kthreadd is pid 2 wherever the kernel's threads are visible (not in a pid namespace).
    char comm[32] = {};
    const int fd = ::open("/proc/2/comm", O_RDONLY | O_CLOEXEC);
    if (fd < 0) QSKIP("no pid 2 here (a pid namespace)");
    const ssize_t n = ::read(fd, comm, sizeof comm - 1);
    ::close(fd);
    if (n <= 0 || std::strncmp(comm, "kthreadd", 8) != 0) QSKIP("pid 2 is not kthreadd here");

    const FdTableRead read = readFdTable(2);
    QCOMPARE(int(read.error), int(FdTableError::KernelThread));
    QVERIFY(read.err != 0);
    QVERIFY(read.table.empty());
    QCOMPARE(message(read), QStringLiteral("pid 2 is a kernel thread: it has no fd table"));
}

// A child holding thousands of fds is killed from a second thread as soon as
// the reader has opened its fd directory. The read must then be the whole
// table (the kill came too late) or an error, never the first few hundred.
void TestProcfsStates::exitWhileReading()
{
    rlimit limit{};
    QCOMPARE(::getrlimit(RLIMIT_NOFILE, &limit), 0);
    const int wanted = int(std::min<rlim_t>(limit.rlim_cur, 20000)) - 64;
    QVERIFY2(wanted >= 1000, "RLIMIT_NOFILE is too low to make a slow read");

    int exitedDuringRead = 0, attempts = 0;
    for (; attempts < 10 && exitedDuringRead < 2; ++attempts) {
        Pipe ready, block;
        test::ChildGuard child;
        child.pid = ::fork();
        QVERIFY(child.pid >= 0);
        if (child.pid == 0) {
            // Only async-signal-safe calls from here on.
            const int null = ::open("/dev/null", O_RDONLY);
            for (int fd = null; fd >= 0 && fd < wanted;)
                fd = ::fcntl(null, F_DUPFD, 0);
            int open = 0;
            for (int fd = 0; fd < int(limit.rlim_cur); ++fd)
                if (::fcntl(fd, F_GETFD) >= 0) ++open;
            if (::write(ready.write, &open, sizeof open) != sizeof open) ::_exit(2);
            char c;
            while (::read(block.read, &c, 1) < 0 && errno == EINTR) {
            }
            ::_exit(0);
        }
        ready.closeWrite();
        int childFds = 0;
        QVERIFY(readAll(ready.read, &childFds, sizeof childFds));

        // Kill once this process holds /proc/CHILD/fd open: the listing has begun.
        const std::string fdDir = "/proc/" + std::to_string(child.pid) + "/fd";
        std::atomic<bool> killed{false}, done{false};
        std::thread killer([&] {
            char target[256];
            while (!done.load()) {
                for (int fd = 3; fd < 64; ++fd) {
                    const std::string link = "/proc/self/fd/" + std::to_string(fd);
                    const ssize_t n = ::readlink(link.c_str(), target, sizeof target);
                    if (n == ssize_t(fdDir.size()) && fdDir.compare(0, n, target, n) == 0) {
                        ::kill(child.pid, SIGKILL);
                        killed.store(true);
                        return;
                    }
                }
            }
        });
        const FdTableRead read = readFdTable(child.pid);
        done.store(true);
        killer.join();
        QVERIFY2(killed.load(), "the killer never saw the fd directory open");

        if (read.error == FdTableError::None) {
            QVERIFY2(int(read.table.size()) == childFds,
                     qPrintable(QStringLiteral("a short table without an error: %1 of %2 fds")
                                    .arg(read.table.size())
                                    .arg(childFds)));
        } else {
            QCOMPARE(int(read.error), int(FdTableError::Exited));
            QCOMPARE(read.err, ESRCH);
            QVERIFY(read.table.empty());
            QCOMPARE(message(read),
                     QStringLiteral("pid %1 exited while its fd table was read").arg(child.pid));
            ++exitedDuringRead;
        }
    }
    qInfo("%d of %d reads saw the exit", exitedDuringRead, attempts);
    QVERIFY2(exitedDuringRead > 0, "no attempt caught the exit during the read");
}

// /proc/PID/fd of a process whose leader called pthread_exit is empty, but the
// process and its fds live on in the other thread: read through that one.
void TestProcfsStates::leaderExitedThreadsLive()
{
    const int marker = ::memfd_create("spawnlab-leader-gone", 0); // inherited through exec
    QVERIFY(marker >= 0);
    Pipe ready;
    char exe[4096];
    const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    QVERIFY(n > 0);
    exe[n] = '\0';
    const std::string fdArg = std::to_string(ready.write);
    test::ChildGuard child;
    child.pid = ::fork();
    QVERIFY(child.pid >= 0);
    if (child.pid == 0) {
        ::fcntl(ready.write, F_SETFD, 0);
        char *const argv[] = {exe, const_cast<char *>(leaderExitsMode),
                              const_cast<char *>(fdArg.c_str()), nullptr};
        ::execv(exe, argv);
        ::_exit(127);
    }
    ::close(marker);
    ready.closeWrite();
    char c = 0;
    QVERIFY(readAll(ready.read, &c, 1));
    QVERIFY(waitForState(child.pid, 'Z')); // the leader is gone, the process is not

    const FdTableRead read = readFdTable(child.pid);
    QVERIFY2(read.error == FdTableError::None, read.message.c_str());
    const auto it = std::find_if(read.table.begin(), read.table.end(),
                                 [&](const FdEntry &e) { return e.fd == marker; });
    QVERIFY2(it != read.table.end(), "the marker fd is missing: the table was read empty");
    QCOMPARE(QString::fromStdString(it->target),
             QStringLiteral("/memfd:spawnlab-leader-gone (deleted)"));
}

// A child stopped at a stop point (state T) is what run() reads: it is whole.
void TestProcfsStates::stoppedProcessReadsWhole()
{
    test::ChildGuard child;
    child.pid = ::fork();
    QVERIFY(child.pid >= 0);
    if (child.pid == 0) {
        ::raise(SIGSTOP);
        ::_exit(0);
    }
    int status = 0;
    QCOMPARE(::waitpid(child.pid, &status, WUNTRACED), child.pid);
    QVERIFY(WIFSTOPPED(status));
    const FdTableRead read = readFdTable(child.pid);
    QVERIFY2(read.error == FdTableError::None, read.message.c_str());
    QVERIFY(read.table.size() >= 3);
}

void TestProcfsStates::noSuchProcess()
{
    const FdTableRead read = readFdTable(INT_MAX);
    QCOMPARE(int(read.error), int(FdTableError::NoSuchProcess));
    QCOMPARE(read.err, ENOENT);
    QCOMPARE(message(read), QStringLiteral("pid %1: no such process (ENOENT)").arg(INT_MAX));
}

// As a stranger: /proc/1/fd is not ours to open, and the message says whose it is.
void TestProcfsStates::deniedAsStrangerNamesTheUid()
{
    if (::geteuid() != 0) QSKIP("needs root to become a stranger for a moment");
    struct stat init {
    };
    QCOMPARE(::stat("/proc/1", &init), 0);
    const uid_t stranger = init.st_uid == 65534 ? 65533 : 65534;
    struct RestoreRoot {
        ~RestoreRoot()
        {
            if (::seteuid(0) == 0) ::prctl(PR_SET_DUMPABLE, 1);
        }
    } restore;
    QCOMPARE(::seteuid(stranger), 0);
    const FdTableRead read = readFdTable(1);
    QCOMPARE(int(read.error), int(FdTableError::Denied));
    QCOMPARE(read.err, EACCES);
    QVERIFY2(message(read).startsWith(QStringLiteral("pid 1: the kernel refused to show its fds")),
             qPrintable(message(read)));
    QVERIFY2(message(read).contains(QStringLiteral("this process runs as uid %1").arg(stranger)),
             qPrintable(message(read)));
}

// Root is refused only by the ptrace access check (a missing capability, a
// security module, a namespace): the message must say so, not "another user".
void TestProcfsStates::deniedAsRootNamesPtrace()
{
    if (::geteuid() != 0) QSKIP("needs root");
    const FdTableRead read = readFdTable(1);
    if (read.error == FdTableError::None) QSKIP("root may read pid 1 here");
    QCOMPARE(int(read.error), int(FdTableError::Denied));
    QVERIFY2(message(read).contains(QLatin1String("ptrace access mode check")),
             qPrintable(message(read)));
    QVERIFY2(!message(read).contains(QLatin1String("another user")), qPrintable(message(read)));
    QVERIFY2(message(read).contains(QLatin1String("EACCES")), qPrintable(message(read)));
}

int main(int argc, char **argv)
{
    if (argc == 3 && std::strcmp(argv[1], leaderExitsMode) == 0)
        return leaderExits(std::atoi(argv[2]));
    TestProcfsStates test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_procfs_states.moc"
