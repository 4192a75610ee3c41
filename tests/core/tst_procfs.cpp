// SPDX-License-Identifier: GPL-3.0-or-later
// readFdTable against real fds of this process and of a forked child.
#include "loopback.h"
#include "scoped.h"
#include "spawnlab/json_text.h"
#include "spawnlab/pidfd.h"
#include "spawnlab/procfs.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <set>

using namespace spawnlab;
using namespace spawnlab::test;

namespace {

QString str(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

const FdEntry *findFd(const FdTable &table, int fd)
{
    auto it =
        std::find_if(table.begin(), table.end(), [fd](const FdEntry &e) { return e.fd == fd; });
    return it == table.end() ? nullptr : &*it;
}

int makeAnonFd(const QByteArray &kind)
{
    if (kind == "eventfd") return ::eventfd(0, EFD_CLOEXEC);
    if (kind == "timerfd") return ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (kind == "signalfd") {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGUSR2);
        return ::signalfd(-1, &set, SFD_CLOEXEC);
    }
    if (kind == "eventpoll") return ::epoll_create1(EPOLL_CLOEXEC);
    if (kind == "inotify") return ::inotify_init1(IN_CLOEXEC);
    if (kind == "pidfd") return pidfd_open(::getpid(), 0);
    return -1;
}

} // namespace

class TestProcfs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void names();
    void terminalTextKeepsOneLine_data();
    void terminalTextKeepsOneLine();
    void regularFile_data();
    void regularFile();
    void directory();
    void devNull();
    void pipe();
    void unixSocketPair_data();
    void unixSocketPair();
    void inetSockets_data();
    void inetSockets();
    void anonInodes_data();
    void anonInodes();
    void childTable();
    void missingPid_data();
    void missingPid();
    void permissionDenied();
    void sortedAndComplete_data();
    void sortedAndComplete();
};

// Names lsof would escape are escaped; UTF-8 and plain text are left alone.
void TestProcfs::terminalTextKeepsOneLine_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("shown");
    QTest::newRow("plain") << QByteArray("/tmp/a b") << QByteArray("/tmp/a b");
    QTest::newRow("newline") << QByteArray("/tmp/a\nb") << QByteArray("/tmp/a\\nb");
    QTest::newRow("tab, cr") << QByteArray("a\tb\rc") << QByteArray("a\\tb\\rc");
    QTest::newRow("escape, del") << QByteArray("\x1b[2J\x7f") << QByteArray("\\x1b[2J\\x7f");
    QTest::newRow("utf-8") << QByteArray("/tmp/caf\xc3\xa9 \xe2\x9c\x93")
                           << QByteArray("/tmp/caf\xc3\xa9 \xe2\x9c\x93");
    QTest::newRow("invalid utf-8") << QByteArray("a\xff"
                                                 "b\xc3")
                                   << QByteArray("a\\xffb\\xc3");
    QTest::newRow("nul") << QByteArray("a\0b", 3) << QByteArray("a\\x00b");
    QTest::newRow("c1 csi") << QByteArray("a\xc2\x9b"
                                          "2J")
                            << QByteArray("a\\xc2\\x9b2J");
    QTest::newRow("nbsp stays") << QByteArray("a\xc2\xa0z") << QByteArray("a\xc2\xa0z");
}

void TestProcfs::terminalTextKeepsOneLine()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, shown);
    const std::string text =
        spawnlab::terminalText(std::string_view(raw.constData(), std::size_t(raw.size())));
    QCOMPARE(QByteArray::fromStdString(text), shown);
}

void TestProcfs::names()
{
    QCOMPARE(str(fdKindName(FdKind::File)), "file");
    QCOMPARE(str(fdKindName(FdKind::Directory)), "dir");
    QCOMPARE(str(fdKindName(FdKind::CharDevice)), "chr");
    QCOMPARE(str(fdKindName(FdKind::BlockDevice)), "blk");
    QCOMPARE(str(fdKindName(FdKind::Pipe)), "pipe");
    QCOMPARE(str(fdKindName(FdKind::Socket)), "socket");
    QCOMPARE(str(fdKindName(FdKind::AnonInode)), "anon_inode");
    QCOMPARE(str(fdKindName(FdKind::Other)), "other");
    QCOMPARE(str(fdAccessName(FdAccess::Read)), "r");
    QCOMPARE(str(fdAccessName(FdAccess::Write)), "w");
    QCOMPARE(str(fdAccessName(FdAccess::ReadWrite)), "rw");
    QCOMPARE(str(fdAccessName(FdAccess::Path)), "path");
    // Read back (a saved leak hunt report): every spelling names its value.
    for (FdKind k : {FdKind::File, FdKind::Directory, FdKind::CharDevice, FdKind::BlockDevice,
                     FdKind::Pipe, FdKind::Socket, FdKind::AnonInode, FdKind::Other})
        QCOMPARE(parseFdKind(fdKindName(k)), std::optional(k));
    for (FdAccess a : {FdAccess::Read, FdAccess::Write, FdAccess::ReadWrite, FdAccess::Path})
        QCOMPARE(parseFdAccess(fdAccessName(a)), std::optional(a));
    QCOMPARE(parseFdKind("fifo"), std::nullopt);
}

void TestProcfs::regularFile_data()
{
    QTest::addColumn<int>("flags");
    QTest::addColumn<QString>("access");
    QTest::addColumn<bool>("cloexec");
    QTest::addColumn<quint64>("pos");

    // Each fd seeks to 2, then writes (or reads) 3 bytes of a 10-byte file.
    QTest::newRow("rdwr") << O_RDWR << "rw" << false << quint64(5);
    QTest::newRow("wronly cloexec") << (O_WRONLY | O_CLOEXEC) << "w" << true << quint64(5);
    QTest::newRow("rdonly") << O_RDONLY << "r" << false << quint64(5);
    QTest::newRow("append cloexec")
        << (O_WRONLY | O_APPEND | O_CLOEXEC) << "w" << true << quint64(13);
}

void TestProcfs::regularFile()
{
    QFETCH(int, flags);
    QFETCH(QString, access);
    QFETCH(bool, cloexec);
    QFETCH(quint64, pos);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = QFileInfo(dir.path()).canonicalFilePath() + "/data.txt";
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write("0123456789"), 10);
    file.close();

    Fd fd(::open(QFile::encodeName(path).constData(), flags));
    QVERIFY(fd.fd >= 0);
    QCOMPARE(::lseek(fd.fd, 2, SEEK_SET), off_t(2));
    char buf[3] = {'a', 'b', 'c'};
    if ((flags & O_ACCMODE) == O_RDONLY)
        QCOMPARE(::read(fd.fd, buf, 3), ssize_t(3));
    else
        QCOMPARE(::write(fd.fd, buf, 3), ssize_t(3));
    struct stat st {
    };
    QCOMPARE(::fstat(fd.fd, &st), 0);

    const auto read = readFdTable(0);
    QCOMPARE(read.err, 0);
    const FdEntry *e = findFd(read.table, fd.fd);
    QVERIFY(e);
    QCOMPARE(str(fdKindName(e->kind)), "file");
    QCOMPARE(str(e->target), path);
    QCOMPARE(str(fdAccessName(e->access)), access);
    QCOMPARE(e->cloexec, cloexec);
    QCOMPARE(e->pos, pos);
    QCOMPARE(e->flags & O_ACCMODE, flags & O_ACCMODE);
    QCOMPARE(bool(e->flags & O_APPEND), bool(flags & O_APPEND));
    QCOMPARE(e->inode, std::uint64_t(st.st_ino));
    QCOMPARE(e->device, std::uint64_t(st.st_dev));
    QVERIFY(e->subkind.empty());
}

void TestProcfs::directory()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray path = QFile::encodeName(QFileInfo(dir.path()).canonicalFilePath());
    Fd opened(::open(path.constData(), O_RDONLY | O_DIRECTORY));
    Fd pathOnly(::open(path.constData(), O_PATH | O_CLOEXEC));
    QVERIFY(opened.fd >= 0);
    QVERIFY(pathOnly.fd >= 0);

    const auto read = readFdTable(0);
    QCOMPARE(read.err, 0);
    const FdEntry *e = findFd(read.table, opened.fd);
    const FdEntry *p = findFd(read.table, pathOnly.fd);
    QVERIFY(e);
    QVERIFY(p);
    QCOMPARE(str(fdKindName(e->kind)), "dir");
    QCOMPARE(str(e->target), QString::fromUtf8(path));
    QCOMPARE(str(fdAccessName(e->access)), "r");
    QVERIFY(!e->cloexec);
    // An O_PATH fd still names (and stats as) the directory; only its access differs.
    QCOMPARE(str(fdKindName(p->kind)), "dir");
    QCOMPARE(str(fdAccessName(p->access)), "path");
    QVERIFY(p->cloexec);
    QCOMPARE(p->inode, e->inode);
    QCOMPARE(p->device, e->device);
}

void TestProcfs::devNull()
{
    Fd fd(::open("/dev/null", O_WRONLY | O_CLOEXEC));
    QVERIFY(fd.fd >= 0);
    struct stat st {
    };
    QCOMPARE(::stat("/dev/null", &st), 0);

    const auto read = readFdTable(0);
    QCOMPARE(read.err, 0);
    const FdEntry *e = findFd(read.table, fd.fd);
    QVERIFY(e);
    QCOMPARE(str(fdKindName(e->kind)), "chr");
    QCOMPARE(str(e->target), "/dev/null");
    QCOMPARE(str(fdAccessName(e->access)), "w");
    QCOMPARE(e->inode, std::uint64_t(st.st_ino));
    QCOMPARE(e->device, std::uint64_t(st.st_dev));
}

void TestProcfs::pipe()
{
    int ends[2];
    QCOMPARE(::pipe2(ends, O_CLOEXEC), 0);
    Fd readEnd(ends[0]), writeEnd(ends[1]);

    const auto read = readFdTable(0);
    QCOMPARE(read.err, 0);
    const FdEntry *r = findFd(read.table, readEnd.fd);
    const FdEntry *w = findFd(read.table, writeEnd.fd);
    QVERIFY(r);
    QVERIFY(w);
    QCOMPARE(str(fdKindName(r->kind)), "pipe");
    QCOMPARE(str(fdKindName(w->kind)), "pipe");
    QVERIFY(r->inode != 0);
    QCOMPARE(r->inode, w->inode);
    QCOMPARE(str(r->target), QStringLiteral("pipe:[%1]").arg(r->inode));
    QCOMPARE(str(fdAccessName(r->access)), "r");
    QCOMPARE(str(fdAccessName(w->access)), "w");
    QVERIFY(r->cloexec);
    QVERIFY(w->cloexec);
}

void TestProcfs::unixSocketPair_data()
{
    QTest::addColumn<int>("type");
    QTest::newRow("stream") << int(SOCK_STREAM);
    QTest::newRow("dgram") << int(SOCK_DGRAM);
    QTest::newRow("seqpacket") << int(SOCK_SEQPACKET);
}

void TestProcfs::unixSocketPair()
{
    QFETCH(int, type);
    int ends[2];
    QCOMPARE(::socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, ends), 0);
    Fd a(ends[0]), b(ends[1]);

    const auto read = readFdTable(0);
    QCOMPARE(read.err, 0);
    for (int fd : {a.fd, b.fd}) {
        const FdEntry *e = findFd(read.table, fd);
        QVERIFY(e);
        QCOMPARE(str(fdKindName(e->kind)), "socket");
        QCOMPARE(str(e->subkind), "unix");
        QCOMPARE(str(e->target), QStringLiteral("socket:[%1]").arg(e->inode));
        QCOMPARE(str(fdAccessName(e->access)), "rw");
    }
    QVERIFY(findFd(read.table, a.fd)->inode != findFd(read.table, b.fd)->inode);
}

void TestProcfs::inetSockets_data()
{
    QTest::addColumn<int>("domain");
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("protocol");
    QTest::addColumn<bool>("listening");
    QTest::addColumn<QString>("subkind");

    // Listed in /proc/PID/net/tcp.
    QTest::newRow("tcp listening") << AF_INET << int(SOCK_STREAM) << 0 << true << "tcp";
    // Unbound sockets are in no net table: named from the socket inode instead.
    QTest::newRow("tcp unbound") << AF_INET << int(SOCK_STREAM) << 0 << false << "tcp";
    QTest::newRow("udp unbound") << AF_INET << int(SOCK_DGRAM) << 0 << false << "udp";
    QTest::newRow("tcp6 listening") << AF_INET6 << int(SOCK_STREAM) << 0 << true << "tcp6";
    QTest::newRow("udp6 unbound") << AF_INET6 << int(SOCK_DGRAM) << 0 << false << "udp6";
    QTest::newRow("netlink") << AF_NETLINK << int(SOCK_RAW) << 0 << false << "netlink";
}

void TestProcfs::inetSockets()
{
    QFETCH(int, domain);
    QFETCH(int, type);
    QFETCH(int, protocol);
    QFETCH(bool, listening);
    QFETCH(QString, subkind);

    Fd sock(::socket(domain, type | SOCK_CLOEXEC, protocol));
    if (sock.fd < 0 && errno == EAFNOSUPPORT) QSKIP("address family not supported by this kernel");
    QVERIFY(sock.fd >= 0);
    if (listening) {
        if (bindLoopback(sock.fd, domain) != 0)
            QSKIP(qPrintable(QStringLiteral("cannot bind to loopback: %1").arg(errno)));
        QCOMPARE(::listen(sock.fd, 1), 0);
    }

    const auto read = readFdTable(0);
    QCOMPARE(read.err, 0);
    const FdEntry *e = findFd(read.table, sock.fd);
    QVERIFY(e);
    QCOMPARE(str(fdKindName(e->kind)), "socket");
    QCOMPARE(str(e->subkind), subkind);
    QVERIFY(e->cloexec);
}

void TestProcfs::anonInodes_data()
{
    QTest::addColumn<QByteArray>("kind");
    for (const char *kind : {"eventfd", "timerfd", "signalfd", "eventpoll", "inotify", "pidfd"})
        QTest::newRow(kind) << QByteArray(kind);
}

void TestProcfs::anonInodes()
{
    QFETCH(QByteArray, kind);
    Fd fd(makeAnonFd(kind));
    if (fd.fd < 0 && errno == ENOSYS) QSKIP("not supported by this kernel");
    QVERIFY(fd.fd >= 0);

    const auto read = readFdTable(0);
    QCOMPARE(read.err, 0);
    const FdEntry *e = findFd(read.table, fd.fd);
    QVERIFY(e);
    QVERIFY2(e->target.starts_with("anon_inode:"), e->target.c_str());
    QCOMPARE(str(fdKindName(e->kind)), "anon_inode");
    QCOMPARE(str(e->subkind), QString::fromLatin1(kind));
    QVERIFY(e->cloexec);
}

void TestProcfs::childTable()
{
    int block[2], ready[2];
    QCOMPARE(::pipe2(block, O_CLOEXEC), 0);
    Fd blockRead(block[0]), blockWrite(block[1]);
    QCOMPARE(::pipe2(ready, O_CLOEXEC), 0);
    Fd readyRead(ready[0]), readyWrite(ready[1]);
    Fd given(::memfd_create("spawnlab-given", 0));
    QVERIFY(given.fd >= 0);
    struct stat givenStat {
    };
    QCOMPARE(::fstat(given.fd, &givenStat), 0);

    // readFdTable(child) opens its handles on the lowest free fds of *this*
    // process; the child holds the given file there, and it must not be skipped.
    Fd probe1(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    Fd probe2(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    const int low1 = probe1.fd, low2 = probe2.fd;
    QVERIFY(low1 >= 0 && low2 >= 0);
    probe1.reset();
    probe2.reset();

    ChildGuard child;
    child.pid = ::fork();
    QVERIFY(child.pid >= 0);
    if (child.pid == 0) {
        // Only async-signal-safe calls from here on.
        if (::dup2(given.fd, low1) < 0 || ::dup2(given.fd, low2) < 0) ::_exit(2);
        ::close(block[1]);
        char c = 'r';
        if (::write(ready[1], &c, 1) != 1) ::_exit(3);
        while (::read(block[0], &c, 1) < 0 && errno == EINTR) {
        }
        ::_exit(0);
    }
    readyWrite.reset();
    char c = 0;
    ssize_t n;
    while ((n = ::read(readyRead.fd, &c, 1)) < 0 && errno == EINTR) {
    }
    QCOMPARE(n, ssize_t(1));

    const auto read = readFdTable(child.pid);
    QCOMPARE(read.err, 0);
    for (int fd : {given.fd, low1, low2}) {
        const FdEntry *e = findFd(read.table, fd);
        QVERIFY2(e, qPrintable(QStringLiteral("fd %1 missing in the child's table").arg(fd)));
        QCOMPARE(str(fdKindName(e->kind)), "file");
        QCOMPARE(str(e->target), "/memfd:spawnlab-given (deleted)");
        QCOMPARE(e->inode, std::uint64_t(givenStat.st_ino));
        QCOMPARE(str(fdAccessName(e->access)), "rw");
    }
    // The child closed its write end; ours is still open: this is the child's table.
    QVERIFY(findFd(read.table, blockRead.fd));
    QVERIFY(!findFd(read.table, blockWrite.fd));
    QVERIFY(findFd(readFdTable(0).table, blockWrite.fd));

    blockWrite.reset();
    int status = 0;
    QCOMPARE(::waitpid(child.pid, &status, 0), child.pid);
    child.pid = -1;
    QVERIFY(WIFEXITED(status));
    QCOMPARE(WEXITSTATUS(status), 0);
}

void TestProcfs::missingPid_data()
{
    QTest::addColumn<int>("pid");
    QFile pidMax("/proc/sys/kernel/pid_max");
    QVERIFY(pidMax.open(QIODevice::ReadOnly));
    bool ok = false;
    const int max = pidMax.readAll().trimmed().toInt(&ok);
    QVERIFY(ok);
    QTest::newRow("pid_max") << max; // pids run up to pid_max - 1
    QTest::newRow("INT_MAX") << INT_MAX;
    QTest::newRow("negative") << -1;
}

void TestProcfs::missingPid()
{
    QFETCH(int, pid);
    const auto read = readFdTable(pid);
    QCOMPARE(read.err, ENOENT);
    QVERIFY(read.table.empty());
}

void TestProcfs::permissionDenied()
{
    struct stat init {
    };
    QCOMPARE(::stat("/proc/1", &init), 0);
    const uid_t stranger = init.st_uid == 65534 ? 65533 : 65534;
    // Root may read any table, so as root we read as a stranger for a moment: only
    // the effective uid changes, and it (and dumpability, which the change clears)
    // is restored however the test ends.
    struct RestoreRoot {
        bool active = false;
        ~RestoreRoot()
        {
            if (active && ::seteuid(0) == 0) ::prctl(PR_SET_DUMPABLE, 1);
        }
    } restore;
    if (::geteuid() == 0) {
        QCOMPARE(::seteuid(stranger), 0);
        restore.active = true;
    } else if (init.st_uid == ::geteuid()) {
        QSKIP("pid 1 runs as this user");
    }
    const auto read = readFdTable(1);
    QCOMPARE(read.err, EACCES);
    QVERIFY(read.table.empty());
}

void TestProcfs::sortedAndComplete_data()
{
    QTest::addColumn<int>("pid");
    QTest::newRow("self") << 0;
    QTest::newRow("own pid") << int(::getpid());
}

void TestProcfs::sortedAndComplete()
{
    QFETCH(int, pid);
    // A gap and a high fd, so that order is not just the order of creation.
    Fd high(::fcntl(STDERR_FILENO, F_DUPFD, 200));
    Fd low(::open("/dev/null", O_RDONLY));
    QVERIFY(high.fd >= 200);
    QVERIFY(low.fd >= 0);

    const auto read = readFdTable(pid);
    QCOMPARE(read.err, 0);
    for (std::size_t i = 1; i < read.table.size(); ++i)
        QVERIFY(read.table[i - 1].fd < read.table[i].fd);

    // The table is exactly the set of fds open here, now that readFdTable has
    // closed its own: none of those may have been listed.
    std::set<int> listed, open;
    for (const auto &e : read.table) {
        listed.insert(e.fd);
        const int fdFlags = ::fcntl(e.fd, F_GETFD);
        QVERIFY2(fdFlags >= 0,
                 qPrintable(QStringLiteral("fd %1 (%2) is not open").arg(e.fd).arg(str(e.target))));
        QCOMPARE(e.cloexec, bool(fdFlags & FD_CLOEXEC));
    }
    for (int fd = 0; fd <= high.fd + 64; ++fd)
        if (::fcntl(fd, F_GETFD) >= 0) open.insert(fd);
    QCOMPARE(listed.size(), open.size());
    QVERIFY(listed == open);
    QVERIFY(listed.count(high.fd));
    QVERIFY(listed.count(low.fd));
}

QTEST_APPLESS_MAIN(TestProcfs)
#include "tst_procfs.moc"
