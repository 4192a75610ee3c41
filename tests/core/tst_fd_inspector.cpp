// SPDX-License-Identifier: GPL-3.0-or-later
// What the fd inspector says about sockets, anon inodes and deleted files, and
// who else holds an fd (the holders index), each checked against what the
// kernel reports for real objects this test makes.
#include "loopback.h"
#include "scoped.h"
#include "spawnlab/fd_json.h"
#include "spawnlab/holders.h"
#include "spawnlab/pidfd.h"
#include "spawnlab/procfs.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>

using namespace spawnlab;
using namespace spawnlab::test;

namespace {

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

const FdEntry &entryOf(const FdTable &table, int fd)
{
    static const FdEntry none;
    auto it =
        std::find_if(table.begin(), table.end(), [fd](const FdEntry &e) { return e.fd == fd; });
    return it == table.end() ? none : *it;
}

FdTable ownTable()
{
    const FdTableRead read = readFdTable(0);
    return read.table;
}

// The address the kernel gives `fd` (getsockname / getpeername) as the
// inspector spells it: "127.0.0.1:PORT", "[::1]:PORT".
QString addressOf(int fd, bool peer)
{
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    auto *sa = reinterpret_cast<sockaddr *>(&addr);
    if ((peer ? ::getpeername(fd, sa, &len) : ::getsockname(fd, sa, &len)) != 0) return {};
    char text[INET6_ADDRSTRLEN] = {};
    if (addr.ss_family == AF_INET6) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&addr);
        ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
        return QStringLiteral("[%1]:%2").arg(text).arg(ntohs(in6->sin6_port));
    }
    auto *in = reinterpret_cast<sockaddr_in *>(&addr);
    ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    return QStringLiteral("%1:%2").arg(text).arg(ntohs(in->sin_port));
}

// A bound loopback socket of `type` (listening when a stream).
int loopbackSocket(int domain, int type)
{
    const int fd = ::socket(domain, type | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (bindLoopback(fd, domain) != 0 || (type == SOCK_STREAM && ::listen(fd, 4) != 0)) {
        ::close(fd);
        return -1;
    }
    return fd;
}

int portOf(int fd)
{
    return addressOf(fd, false).section(':', -1).toInt();
}

// A unix socket bound to `path` (a leading '@' for an abstract name).
int unixSocket(int type, const QByteArray &path)
{
    const int fd = ::socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::copy(path.begin(), path.end(), addr.sun_path);
    if (path.startsWith('@')) addr.sun_path[0] = '\0';
    const auto len = socklen_t(offsetof(sockaddr_un, sun_path) + std::size_t(path.size()) +
                               (path.startsWith('@') ? 0 : 1));
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&addr), len) != 0 ||
        (type == SOCK_STREAM && ::listen(fd, 4) != 0))
        return -1;
    return fd;
}

// A forked child that keeps what it inherited but `closeInChild`, says so on
// `ready`, and waits on `block` until the test kills it.
pid_t holdingChild(int closeInChild, int ready, int block)
{
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(closeInChild);
        char c = 'r';
        if (::write(ready, &c, 1) != 1) ::_exit(1);
        (void)::read(block, &c, 1); // returns when the test closes its end or kills us
        ::_exit(0);
    }
    return pid;
}

bool hasPeer(const FdEntry &e, pid_t pid, int fd, const std::string &relation)
{
    return std::any_of(e.peers.begin(), e.peers.end(), [&](const FdPeer &p) {
        return p.pid == pid && p.fd == fd && p.relation == relation;
    });
}

} // namespace

class TestFdInspector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void inetSockets_data();
    void inetSockets();
    void connectedPair_data();
    void connectedPair();
    void unixSockets_data();
    void unixSockets();
    void socketPair();
    void anonInodes();
    void memfdAndDeletedFile();
    void peersAcrossProcesses();
    void holders();
    void json();
    void peersMatchLsof();
    void holderQueryErrors_data();
    void holderQueryErrors();
};

void TestFdInspector::inetSockets_data()
{
    QTest::addColumn<int>("domain");
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<QString>("state");
    QTest::newRow("tcp listener") << AF_INET << int(SOCK_STREAM) << "tcp"
                                  << "LISTEN";
    QTest::newRow("tcp6 listener") << AF_INET6 << int(SOCK_STREAM) << "tcp6"
                                   << "LISTEN";
    QTest::newRow("udp") << AF_INET << int(SOCK_DGRAM) << "udp"
                         << "UNCONNECTED";
    QTest::newRow("udp6") << AF_INET6 << int(SOCK_DGRAM) << "udp6"
                          << "UNCONNECTED";
}

void TestFdInspector::inetSockets()
{
    QFETCH(int, domain);
    QFETCH(int, type);
    QFETCH(QString, protocol);
    QFETCH(QString, state);
    Fd sock(loopbackSocket(domain, type));
    if (sock.fd < 0) QSKIP("no loopback for this address family here");

    const FdTable table = ownTable();
    const FdEntry &e = entryOf(table, sock.fd);
    QCOMPARE(str(e.socket.protocol), protocol);
    QCOMPARE(str(e.socket.type), type == SOCK_STREAM ? "stream" : "dgram");
    QCOMPARE(str(e.socket.local), addressOf(sock.fd, false));
    QCOMPARE(e.socket.localPort, portOf(sock.fd));
    QCOMPARE(str(e.socket.remote), QString());
    QCOMPARE(str(e.socket.state), state);
    QCOMPARE(str(fdDescription(e)),
             QStringLiteral("%1 %2 (%3)").arg(protocol, addressOf(sock.fd, false), state));
}

void TestFdInspector::connectedPair_data()
{
    QTest::addColumn<int>("domain");
    QTest::newRow("tcp") << AF_INET;
    QTest::newRow("tcp6") << AF_INET6;
}

// Both ends of a loopback connection: each one's remote is the other's local.
void TestFdInspector::connectedPair()
{
    QFETCH(int, domain);
    Fd listener(loopbackSocket(domain, SOCK_STREAM));
    if (listener.fd < 0) QSKIP("no loopback for this address family here");
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    QCOMPARE(::getsockname(listener.fd, reinterpret_cast<sockaddr *>(&addr), &len), 0);
    Fd client(::socket(domain, SOCK_STREAM | SOCK_CLOEXEC, 0));
    QCOMPARE(::connect(client.fd, reinterpret_cast<sockaddr *>(&addr), len), 0);
    Fd server(::accept4(listener.fd, nullptr, nullptr, SOCK_CLOEXEC));
    QVERIFY(server.fd >= 0);

    const FdTable table = ownTable();
    const FdEntry &c = entryOf(table, client.fd), &s = entryOf(table, server.fd);
    QCOMPARE(str(c.socket.state), "ESTABLISHED");
    QCOMPARE(str(c.socket.local), addressOf(client.fd, false));
    QCOMPARE(str(c.socket.remote), addressOf(client.fd, true));
    QCOMPARE(s.socket.local, c.socket.remote);
    QCOMPARE(s.socket.remote, c.socket.local);
    QCOMPARE(c.socket.remotePort, portOf(listener.fd));

    // The index pairs them: each end's peer is the other.
    FdTable mine = table;
    HolderIndex::scan().addPeers(::getpid(), mine);
    QVERIFY(hasPeer(entryOf(mine, client.fd), ::getpid(), server.fd, "socket peer"));
    QVERIFY(hasPeer(entryOf(mine, server.fd), ::getpid(), client.fd, "socket peer"));
    QVERIFY(entryOf(mine, listener.fd).peers.empty());
}

void TestFdInspector::unixSockets_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<bool>("abstract");
    QTest::addColumn<QString>("state");
    QTest::newRow("stream path") << int(SOCK_STREAM) << false << "LISTEN";
    QTest::newRow("dgram path") << int(SOCK_DGRAM) << false << "UNCONNECTED";
    QTest::newRow("stream abstract") << int(SOCK_STREAM) << true << "LISTEN";
    QTest::newRow("dgram abstract") << int(SOCK_DGRAM) << true << "UNCONNECTED";
}

void TestFdInspector::unixSockets()
{
    QFETCH(int, type);
    QFETCH(bool, abstract);
    QFETCH(QString, state);
    QTemporaryDir dir;
    const QByteArray path = abstract ? QByteArray("@spawnlab-test-") +
                                           QByteArray::number(getpid()) + QByteArray::number(type)
                                     : dir.filePath("s.sock").toUtf8();
    Fd sock(unixSocket(type, path));
    QVERIFY(sock.fd >= 0);

    const FdTable table = ownTable();
    const FdEntry &e = entryOf(table, sock.fd);
    QCOMPARE(str(e.socket.protocol), "unix");
    QCOMPARE(str(e.socket.type), type == SOCK_STREAM ? "stream" : "dgram");
    QCOMPARE(str(e.socket.local), QString::fromUtf8(path));
    QCOMPARE(str(e.socket.state), state);

    // holders finds it by unix:PATH, and a path socket by its path too.
    const HolderIndex index = HolderIndex::scan();
    for (const std::string &what : {"unix:" + path.toStdString(), path.toStdString()}) {
        if (abstract && what == path.toStdString()) continue;
        const auto parsed = parseHolderQuery(what);
        QVERIFY2(parsed.error.empty(), parsed.error.c_str());
        const auto found = index.find(parsed.query);
        QVERIFY2(found.error.empty(), found.error.c_str());
        QCOMPARE(int(found.holders.size()), 1);
        QCOMPARE(found.holders[0].pid, ::getpid());
        QCOMPARE(found.holders[0].entry.fd, sock.fd);
    }
}

void TestFdInspector::socketPair()
{
    int ends[2];
    QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends), 0);
    Fd a(ends[0]), b(ends[1]);
    FdTable table = ownTable();
    const FdEntry &ea = entryOf(table, a.fd), &eb = entryOf(table, b.fd);
    QCOMPARE(str(ea.socket.state), "CONNECTED");
    // sock_diag's peer inode is the other end's, as fstat gives it.
    struct stat sb {
    };
    QCOMPARE(::fstat(b.fd, &sb), 0);
    QCOMPARE(ea.socket.peerInode, std::uint64_t(sb.st_ino));
    QCOMPARE(eb.socket.peerInode, ea.inode);
    HolderIndex::scan().addPeers(::getpid(), table);
    QVERIFY(hasPeer(entryOf(table, a.fd), ::getpid(), b.fd, "socket peer"));
}

void TestFdInspector::anonInodes()
{
    Pipe watched(O_CLOEXEC);
    Fd event(::eventfd(7, EFD_CLOEXEC));
    Fd epoll(::epoll_create1(EPOLL_CLOEXEC));
    for (int fd : {watched.read.fd, event.fd}) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = fd;
        QCOMPARE(::epoll_ctl(epoll.fd, EPOLL_CTL_ADD, fd, &ev), 0);
    }
    Fd timer(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
    const itimerspec spec{{1, 500000000}, {3600, 0}};
    QCOMPARE(::timerfd_settime(timer.fd, 0, &spec, nullptr), 0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGTERM);
    Fd sigfd(::signalfd(-1, &set, SFD_CLOEXEC));
    Fd inotify(::inotify_init1(IN_CLOEXEC));
    QVERIFY(::inotify_add_watch(inotify.fd, "/", IN_CREATE) >= 0);
    QVERIFY(::inotify_add_watch(inotify.fd, "/tmp", IN_DELETE) >= 0);
    Fd pidfd(pidfd_open(::getpid(), 0));

    const FdTable table = ownTable();
    const FdEntry &e = entryOf(table, event.fd);
    QCOMPARE(e.anon.count, 7);
    QCOMPARE(str(fdDescription(e)), "eventfd, count 7");
    const FdEntry &p = entryOf(table, epoll.fd);
    QCOMPARE(p.anon.watchedFds, (std::vector<int>{std::min(watched.read.fd, event.fd),
                                                  std::max(watched.read.fd, event.fd)}));
    const FdEntry &t = entryOf(table, timer.fd);
    QCOMPARE(str(t.anon.clock), "CLOCK_MONOTONIC");
    QCOMPARE(t.anon.intervalNs, 1500000000LL);
    QVERIFY2(t.anon.valueNs > 3500LL * 1000000000 && t.anon.valueNs <= 3600LL * 1000000000,
             qPrintable(QString::number(t.anon.valueNs)));
    QVERIFY2(str(fdDescription(t)).endsWith("every 1.5 s"), fdDescription(t).c_str());
    const FdEntry &s = entryOf(table, sigfd.fd);
    QCOMPARE(s.anon.signals, (std::vector<int>{SIGUSR2, SIGTERM}));
    QCOMPARE(str(fdDescription(s)), "signalfd for SIGUSR2, SIGTERM");
    QCOMPARE(entryOf(table, inotify.fd).anon.watches, 2);
    QCOMPARE(str(fdDescription(entryOf(table, inotify.fd))), "inotify, 2 watches");
    if (pidfd.fd >= 0) {
        QCOMPARE(entryOf(table, pidfd.fd).anon.pid, ::getpid());
        QCOMPARE(str(fdDescription(entryOf(table, pidfd.fd))),
                 QStringLiteral("pidfd of pid %1").arg(::getpid()));
    }
}

void TestFdInspector::memfdAndDeletedFile()
{
    Fd memfd(::memfd_create("spawnlab-ballast", MFD_CLOEXEC));
    QTemporaryDir dir;
    const QByteArray path = dir.filePath("gone").toUtf8();
    Fd deleted(::open(path.constData(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
    QVERIFY(deleted.fd >= 0);
    Fd kept(::open(path.constData(), O_RDONLY | O_CLOEXEC));
    const FdTable before = ownTable();
    QCOMPARE(str(entryOf(before, deleted.fd).subkind), QString());
    QCOMPARE(::unlink(path.constData()), 0);

    const FdTable table = ownTable();
    QCOMPARE(str(entryOf(table, memfd.fd).subkind), "memfd");
    QCOMPARE(str(fdDescription(entryOf(table, memfd.fd))), "memfd:spawnlab-ballast");
    QCOMPARE(str(entryOf(table, deleted.fd).subkind), "deleted");
    QCOMPARE(str(entryOf(table, deleted.fd).target), QString::fromUtf8(path) + " (deleted)");
}

// A pipe whose write end a child holds: each end lists the other process's fd.
void TestFdInspector::peersAcrossProcesses()
{
    Pipe data(O_CLOEXEC), ready(O_CLOEXEC), block(O_CLOEXEC);
    ChildGuard child;
    child.pid = holdingChild(data.read.fd, ready.write.fd, block.read.fd);
    QVERIFY(child.pid > 0);
    char c = 0;
    QCOMPARE(::read(ready.read.fd, &c, 1), ssize_t(1));

    FdTable table = ownTable();
    const HolderIndex index = HolderIndex::scan();
    index.addPeers(::getpid(), table);
    const FdEntry &readEnd = entryOf(table, data.read.fd);
    QVERIFY(hasPeer(readEnd, child.pid, data.write.fd, "same pipe"));
    QVERIFY(hasPeer(readEnd, ::getpid(), data.write.fd, "same pipe"));
    QVERIFY(!hasPeer(readEnd, child.pid, data.read.fd, "same pipe")); // the child closed it
    const auto peer = std::find_if(readEnd.peers.begin(), readEnd.peers.end(),
                                   [&](const FdPeer &p) { return p.pid == child.pid; });
    QCOMPARE(FdAccess(peer->access), FdAccess::Write);
    QVERIFY(peer->comm.size() > 0);

    // pipe:INODE and PID:FD name the same two processes.
    for (const std::string &what :
         {"pipe:[" + std::to_string(readEnd.inode) + "]",
          std::to_string(::getpid()) + ":" + std::to_string(data.read.fd)}) {
        const auto found = index.find(parseHolderQuery(what).query);
        QVERIFY2(found.error.empty(), found.error.c_str());
        QVERIFY(std::any_of(found.holders.begin(), found.holders.end(),
                            [&](const Holder &h) { return h.pid == child.pid; }));
    }
}

void TestFdInspector::holders()
{
    Fd listener(loopbackSocket(AF_INET, SOCK_STREAM));
    QVERIFY(listener.fd >= 0);
    QTemporaryDir dir;
    const QByteArray path = dir.filePath("held").toUtf8();
    Fd file(::open(path.constData(), O_CREAT | O_RDWR | O_CLOEXEC, 0600));
    const HolderIndex index = HolderIndex::scan();
    QVERIFY(index.processesRead() > 0);

    const auto byPort =
        index.find(parseHolderQuery("tcp:" + std::to_string(portOf(listener.fd))).query);
    QCOMPARE(int(byPort.holders.size()), 1);
    QCOMPARE(byPort.holders[0].entry.fd, listener.fd);
    QVERIFY(byPort.holders[0].entry.cloexec);
    const auto byPath = index.find(parseHolderQuery(path.toStdString()).query);
    QCOMPARE(int(byPath.holders.size()), 1);
    QCOMPARE(byPath.holders[0].entry.fd, file.fd);
    QCOMPARE(byPath.holders[0].pid, ::getpid());

    const auto missing = index.find(parseHolderQuery(path.toStdString() + "-not-there").query);
    QVERIFY2(str(missing.error).contains("ENOENT"), missing.error.c_str());
    const auto closedFd = index.find(parseHolderQuery(std::to_string(::getpid()) + ":99999").query);
    QVERIFY2(str(closedFd.error).contains("has no fd 99999"), closedFd.error.c_str());
}

// fdEntryJson carries what the entry holds, and stays valid JSON (UTF-8) for
// a path of arbitrary bytes.
void TestFdInspector::json()
{
    Fd listener(loopbackSocket(AF_INET, SOCK_STREAM));
    QTemporaryDir dir;
    const QByteArray odd = dir.path().toUtf8() + "/bad-\xff-name";
    Fd file(::open(odd.constData(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
    QVERIFY(listener.fd >= 0 && file.fd >= 0);
    const FdTable table = ownTable();

    QJsonParseError error{};
    const QJsonObject tcp =
        QJsonDocument::fromJson(QByteArray::fromStdString(fdEntryJson(entryOf(table, listener.fd))),
                                &error)
            .object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(tcp["socket"]["local"].toString(), addressOf(listener.fd, false));
    QCOMPARE(tcp["socket"]["state"].toString(), "LISTEN");
    QCOMPARE(tcp["description"].toString(), str(fdDescription(entryOf(table, listener.fd))));
    QVERIFY(!tcp.contains("leak_risk"));

    const std::string text = fdEntryJson(entryOf(table, file.fd), true);
    const QJsonObject bad =
        QJsonDocument::fromJson(QByteArray::fromStdString(text), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY2(bad["target"].toString().endsWith(QStringLiteral("/bad-\uFFFD-name")),
             qPrintable(bad["target"].toString()));
    QVERIFY(bad["leak_risk"].isNull()); // CLOEXEC

    const QJsonObject whole =
        QJsonDocument::fromJson(QByteArray::fromStdString(fdTableJson(::getpid(), table)), &error)
            .object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(whole["pid"].toInt(), int(::getpid()));
    QCOMPARE(whole["fds"].toArray().size(), qsizetype(table.size()));
}

// lsof +E's endpoints for a pipe, a unix socket pair and a loopback TCP
// connection, each end also held by a forked child: every endpoint lsof names
// is one of our peers, and what we add is the same socket held elsewhere
// (lsof lists only the other end's holders).
void TestFdInspector::peersMatchLsof()
{
    const QString lsof = QStandardPaths::findExecutable(QStringLiteral("lsof"));
    if (lsof.isEmpty()) QSKIP("lsof is not installed (scripts/setup installs it)");
    Pipe data(O_CLOEXEC), ready(O_CLOEXEC), block(O_CLOEXEC);
    int pair[2];
    QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
    Fd pairA(pair[0]), pairB(pair[1]);
    Fd listener(loopbackSocket(AF_INET, SOCK_STREAM));
    QVERIFY(listener.fd >= 0);
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    QCOMPARE(::getsockname(listener.fd, reinterpret_cast<sockaddr *>(&addr), &len), 0);
    Fd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    QCOMPARE(::connect(client.fd, reinterpret_cast<sockaddr *>(&addr), len), 0);
    Fd server(::accept4(listener.fd, nullptr, nullptr, SOCK_CLOEXEC));
    ChildGuard child;
    child.pid = holdingChild(data.read.fd, ready.write.fd, block.read.fd);
    char c = 0;
    QCOMPARE(::read(ready.read.fd, &c, 1), ssize_t(1));

    const QList<int> fds{data.read.fd, data.write.fd, pairA.fd, pairB.fd, client.fd, server.fd};
    QStringList fdList;
    for (int fd : fds)
        fdList << QString::number(fd);
    QProcess run;
    run.start(lsof,
              {"-a", "-p", QString::number(::getpid()), "-d", fdList.join(','), "+E", "-F", "fn"});
    QVERIFY(run.waitForFinished(30000));
    // p<pid> starts a process, f<fd> an fd; its n line ends with the endpoints
    // "PID,COMMAND,FDmode". +E also lists the holding child's own fds: skip them.
    std::map<int, std::set<std::pair<pid_t, int>>> endpoints;
    int current = -1;
    bool ours = false;
    const QRegularExpression endpoint(QStringLiteral("(\\d+),[^, ]*,(\\d+)[rwu]"));
    for (const QString &line : QString::fromUtf8(run.readAllStandardOutput()).split('\n')) {
        if (line.startsWith('p')) ours = line.mid(1).toInt() == ::getpid();
        if (line.startsWith('f')) current = line.mid(1).toInt();
        if (!ours || !line.startsWith('n')) continue;
        for (const auto &m : endpoint.globalMatch(line))
            endpoints[current].insert({pid_t(m.captured(1).toInt()), m.captured(2).toInt()});
    }

    FdTable table = ownTable();
    HolderIndex::scan().addPeers(::getpid(), table);
    for (int fd : fds) {
        const FdEntry &e = entryOf(table, fd);
        std::set<std::pair<pid_t, int>> peers;
        for (const FdPeer &p : e.peers)
            if (p.relation != "same socket") peers.insert({p.pid, p.fd});
        QVERIFY2(!endpoints[fd].empty(),
                 qPrintable(QStringLiteral("lsof named no endpoint of fd %1").arg(fd)));
        QCOMPARE(peers, endpoints[fd]);
    }
}

void TestFdInspector::holderQueryErrors_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << ""
                           << "WHAT is empty";
    QTest::newRow("port word") << "tcp:http"
                               << "port must be a number from 1 to 65535";
    QTest::newRow("port zero") << "udp:0"
                               << "port must be a number from 1 to 65535";
    QTest::newRow("port big") << "tcp:65536"
                              << "port must be a number from 1 to 65535";
    QTest::newRow("unix empty") << "unix:"
                                << "give the socket's path";
    QTest::newRow("pipe word") << "pipe:abc"
                               << "inode must be a number";
    QTest::newRow("pid zero") << "0:3"
                              << "pid must be a number";
    QTest::newRow("fd word") << "12:x"
                             << "fd must be a number";
}

void TestFdInspector::holderQueryErrors()
{
    QFETCH(QString, what);
    QFETCH(QString, error);
    const auto parsed = parseHolderQuery(what.toStdString());
    QVERIFY2(str(parsed.error).contains(error), parsed.error.c_str());
}

QTEST_GUILESS_MAIN(TestFdInspector)
#include "tst_fd_inspector.moc"
