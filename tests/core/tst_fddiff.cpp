// SPDX-License-Identifier: GPL-3.0-or-later
// diffFdTables, sameFile and leakRisk on real tables: this process's own
// before and after dup2/fcntl, and a forked child's stops (before/after
// close_fds, after exec) taken by spawnlab::run.
#include "fd_actions.h"
#include "scoped.h"
#include "spawnlab/fddiff.h"
#include "spawnlab/launch.h"

#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace spawnlab;
using namespace spawnlab::test;

namespace {

// An fd number nothing holds right now, away from the low ones run() uses.
int freeFd()
{
    Fd any(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    int fd = ::fcntl(any.fd, F_DUPFD, 100);
    ::close(fd);
    return fd;
}

FdTable ownTable()
{
    FdTableRead read = readFdTable(0);
    return read.err ? FdTable{} : read.table;
}

const FdEntry *entryAt(const FdTable &table, int fd)
{
    for (const FdEntry &e : table)
        if (e.fd == fd) return &e;
    return nullptr;
}

const FdDiffRow *rowAt(const std::vector<FdDiffRow> &rows, int fd)
{
    for (const FdDiffRow &r : rows)
        if (r.fd == fd) return &r;
    return nullptr;
}

QString change(const std::vector<FdDiffRow> &rows, int fd)
{
    const FdDiffRow *row = rowAt(rows, fd);
    return row ? QString::fromUtf8(fdChangeName(row->change).data()) : QStringLiteral("no row");
}

QStringList notes(const std::vector<FdDiffRow> &rows, int fd)
{
    QStringList out;
    if (const FdDiffRow *row = rowAt(rows, fd))
        for (const auto &n : row->notes)
            out << QString::fromStdString(n);
    return out;
}

QString target(const FdTable &table, int fd)
{
    const FdEntry *e = entryAt(table, fd);
    return e ? QString::fromStdString(e->target) : QString();
}

// Every row but the listed fds says "kept" with no notes.
bool othersKept(const std::vector<FdDiffRow> &rows, std::initializer_list<int> touched)
{
    for (const FdDiffRow &r : rows)
        if (std::find(touched.begin(), touched.end(), r.fd) == touched.end() &&
            (r.change != FdChange::Kept || !r.notes.empty()))
            return false;
    return true;
}

// One row per fd of either table, in ascending order.
bool coversBoth(const std::vector<FdDiffRow> &rows, const FdTable &a, const FdTable &b)
{
    std::set<int> fds;
    for (const FdTable *t : {&a, &b})
        for (const FdEntry &e : *t)
            fds.insert(e.fd);
    std::vector<int> rowFds;
    for (const FdDiffRow &r : rows)
        rowFds.push_back(r.fd);
    return rowFds == std::vector<int>(fds.begin(), fds.end());
}

SpawnPlan truePlan(std::vector<InspectPoint> stops)
{
    SpawnPlan plan;
    plan.argv = {"/bin/true"};
    plan.strategy = Strategy::Fork; // the only strategy with all three stops
    plan.inspect = std::move(stops);
    return plan;
}

QString why(const RunResult &r)
{
    QString text = r.error ? QString::fromStdString(r.error->message) : QString();
    for (const auto &note : r.notes)
        text += "; " + QString::fromStdString(note);
    return text;
}

} // namespace

class TestFdDiff : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(dir.isValid()); }

    // run() waits for and reaps every child, stopped ones included: after each
    // test this process has no child at all (no zombie, none stopped).
    void cleanup()
    {
        siginfo_t info{};
        const int rc =
            ::waitid(P_ALL, 0, &info, WEXITED | WSTOPPED | WCONTINUED | WNOHANG | WNOWAIT);
        QVERIFY2(rc == -1 && errno == ECHILD,
                 qPrintable(QStringLiteral("a child is left: pid %1, si_code %2")
                                .arg(info.si_pid)
                                .arg(info.si_code)));
    }

    // --- rows from two snapshots of this process ---

    void cloexecAndStatusFlagsFlipped()
    {
        Fd a(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        Fd b(::open("/dev/null", O_RDONLY));
        Pipe p(O_CLOEXEC);
        QVERIFY(a.fd >= 0 && b.fd >= 0 && p.read.fd >= 0);
        const FdTable before = ownTable();
        QVERIFY(::fcntl(a.fd, F_SETFD, 0) == 0);
        QVERIFY(::fcntl(b.fd, F_SETFD, FD_CLOEXEC) == 0);
        QVERIFY(::fcntl(p.read.fd, F_SETFL, O_NONBLOCK) == 0);
        const FdTable after = ownTable();
        QVERIFY(!before.empty() && !after.empty());

        const auto rows = diffFdTables(before, after);
        QVERIFY(coversBoth(rows, before, after));
        QCOMPARE(change(rows, a.fd), "changed");
        QCOMPARE(notes(rows, a.fd), QStringList{"CLOEXEC cleared: now inherited across exec"});
        QCOMPARE(change(rows, b.fd), "changed");
        QCOMPARE(notes(rows, b.fd), QStringList{"CLOEXEC set: now closed at exec"});
        QCOMPARE(change(rows, p.read.fd), "changed");
        QCOMPARE(notes(rows, p.read.fd), QStringList{"O_NONBLOCK set"});
        QVERIFY(othersKept(rows, {a.fd, b.fd, p.read.fd}));
    }

    void dup2OverAnotherFile()
    {
        Pipe p(O_CLOEXEC);
        Fd n(::open("/dev/null", O_RDONLY));
        QVERIFY(p.write.fd >= 0 && n.fd >= 0);
        const FdTable before = ownTable();
        QVERIFY(::dup2(p.write.fd, n.fd) == n.fd);
        const FdTable after = ownTable();

        const auto rows = diffFdTables(before, after);
        const QString w = QString::number(p.write.fd), to = QString::number(n.fd);
        QCOMPARE(change(rows, n.fd), "changed");
        // dup2 clears CLOEXEC, but /dev/null had none either: no CLOEXEC note.
        QCOMPARE(notes(rows, n.fd),
                 QStringList({"now " + target(before, p.write.fd) + " (write end), was /dev/null",
                              "the open file of fd " + w + " (dup2 " + w + " -> " + to + ")",
                              "access r -> w"}));
        QVERIFY(othersKept(rows, {n.fd}));
    }

    void renumberedByDup2()
    {
        Pipe p(O_CLOEXEC);
        QVERIFY(p.write.fd >= 0);
        const int from = p.write.fd, to = freeFd();
        const FdTable before = ownTable();
        QVERIFY(::dup2(from, to) == to);
        ::close(from);
        p.write.fd = to;
        const FdTable after = ownTable();

        const auto rows = diffFdTables(before, after);
        QVERIFY(coversBoth(rows, before, after));
        const QString f = QString::number(from), t = QString::number(to);
        const QString pipe = target(before, from) + " (write end)";
        QCOMPARE(change(rows, from), "closed");
        QCOMPARE(notes(rows, from),
                 QStringList({"closed; was " + pipe, "had CLOEXEC: exec closes it",
                              "its open file is now at fd " + t}));
        QCOMPARE(change(rows, to), "added");
        QCOMPARE(notes(rows, to),
                 QStringList({"new: " + pipe,
                              "the open file of fd " + f + " (dup2 " + f + " -> " + t + ")",
                              "CLOEXEC cleared: now inherited across exec"}));
        QVERIFY(!rowAt(rows, to)->before && rowAt(rows, to)->after);
        QVERIFY(rowAt(rows, from)->before && !rowAt(rows, from)->after);
        QVERIFY(othersKept(rows, {from, to}));
    }

    // Another fd on /dev/null all along is no sign of a move.
    void closedWhileSameFileStaysOpen()
    {
        Fd kept(::open("/dev/null", O_RDONLY));
        Fd closing(::open("/dev/null", O_RDONLY));
        QVERIFY(kept.fd >= 0 && closing.fd >= 0);
        const int fd = closing.fd;
        const FdTable before = ownTable();
        ::close(std::exchange(closing.fd, -1));
        const FdTable after = ownTable();
        QVERIFY(sameFile(*entryAt(before, fd), *entryAt(after, kept.fd)));
        const auto rows = diffFdTables(before, after);
        QCOMPARE(change(rows, fd), "closed");
        QCOMPARE(notes(rows, fd), QStringList{"closed; was /dev/null"});
        QVERIFY(othersKept(rows, {fd}));
    }

    // Same inode, another open file: only the access mode tells them apart.
    void sameFileOtherAccess()
    {
        const QByteArray path = dir.filePath("access").toLocal8Bit();
        Fd w(::open(path.constData(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
        Fd r(::open(path.constData(), O_RDONLY));
        QVERIFY(w.fd >= 0 && r.fd >= 0);
        const FdTable before = ownTable();
        QVERIFY(sameFile(*entryAt(before, w.fd), *entryAt(before, r.fd)));
        QVERIFY(::dup2(w.fd, r.fd) == r.fd);
        const FdTable after = ownTable();

        const auto rows = diffFdTables(before, after);
        const QString a = QString::number(w.fd), b = QString::number(r.fd);
        QCOMPARE(change(rows, r.fd), "changed");
        QCOMPARE(notes(rows, r.fd),
                 QStringList({"the open file of fd " + a + " (dup2 " + a + " -> " + b + ")",
                              "access r -> w"}));
        QVERIFY(othersKept(rows, {r.fd}));
    }

    void identicalTablesAreAllKept()
    {
        const FdTable t = ownTable();
        QVERIFY(!t.empty());
        const auto rows = diffFdTables(t, t);
        QCOMPARE(rows.size(), t.size());
        QVERIFY(othersKept(rows, {}));
        QVERIFY(diffFdTables({}, {}).empty());
    }

    // Thousands of dups of one file, half of them closed: every row right, and
    // no "moved" note, since the survivors held that file all along.
    void manyDupsOfOneFile()
    {
        rlimit saved{};
        QVERIFY(::getrlimit(RLIMIT_NOFILE, &saved) == 0);
        rlimit raised = saved;
        raised.rlim_cur = std::min<rlim_t>(saved.rlim_max, 8192);
        QVERIFY(::setrlimit(RLIMIT_NOFILE, &raised) == 0);
        auto restore = qScopeGuard([&] { ::setrlimit(RLIMIT_NOFILE, &saved); });
        const int count = int(raised.rlim_cur) - 200;
        if (count < 500) QSKIP("RLIMIT_NOFILE's hard limit is too low for thousands of fds");

        Fd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        std::vector<int> dups;
        auto closeDups = qScopeGuard([&] {
            for (int fd : dups)
                ::close(fd);
        });
        for (int i = 0; i < count; ++i) {
            dups.push_back(::fcntl(null.fd, i % 2 ? F_DUPFD_CLOEXEC : F_DUPFD, 0));
            QVERIFY(dups.back() >= 0);
        }
        const FdTable before = ownTable();
        QVERIFY(before.size() >= std::size_t(count));
        std::set<int> closed;
        for (std::size_t i = 0; i < dups.size(); i += 2) {
            ::close(dups[i]);
            closed.insert(std::exchange(dups[i], -1));
        }
        std::erase(dups, -1);
        const FdTable after = ownTable();

        const auto rows = diffFdTables(before, after);
        QVERIFY(coversBoth(rows, before, after));
        for (const FdDiffRow &r : rows) {
            if (!closed.count(r.fd)) {
                QVERIFY2(r.change == FdChange::Kept && r.notes.empty(),
                         qPrintable(QString::number(r.fd)));
                continue;
            }
            QCOMPARE(r.change, FdChange::Closed);
            QCOMPARE(r.notes, std::vector<std::string>{"closed; was /dev/null"});
        }
    }

    // --- leakRisk on this process's real fds ---

    void leakRiskByKind()
    {
        Pipe inheritable(0), closing(O_CLOEXEC);
        int sv[2];
        QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
        Fd sock(sv[0]), peer(sv[1]);
        Fd file(::open(dir.filePath("leak").toLocal8Bit().constData(), O_RDWR | O_CREAT, 0600));
        Fd root(::open("/", O_RDONLY | O_DIRECTORY));
        Fd event(::eventfd(0, 0));
        QVERIFY(inheritable.write.fd >= 0 && closing.write.fd >= 0 && file.fd >= 0 &&
                root.fd >= 0 && event.fd >= 0);
        const FdTable table = ownTable();

        auto risk = [&](int fd) {
            const FdEntry *e = entryAt(table, fd);
            auto r = e ? leakRisk(*e) : std::nullopt;
            return r ? QString::fromStdString(*r) : QString();
        };
        for (int fd :
             {inheritable.write.fd, inheritable.read.fd, sock.fd, file.fd, root.fd, event.fd}) {
            QVERIFY2(risk(fd).startsWith("inheritable: no CLOEXEC, so a child started with "
                                         "close_fds=false"),
                     qPrintable(risk(fd)));
        }
        QVERIFY2(risk(inheritable.write.fd).contains("pipe write end") &&
                     risk(inheritable.write.fd).contains("never sees EOF"),
                 qPrintable(risk(inheritable.write.fd)));
        QVERIFY(risk(inheritable.read.fd).contains("pipe read end"));
        QVERIFY2(risk(sock.fd).contains("unix socket") &&
                     risk(sock.fd).contains("connection stays open"),
                 qPrintable(risk(sock.fd)));
        QVERIFY(risk(file.fd).contains("file stays open") && risk(file.fd).contains("write"));
        QVERIFY(risk(root.fd).contains("directory"));
        QVERIFY(risk(event.fd).contains("eventfd"));

        QVERIFY(risk(closing.write.fd).isNull());
        QVERIFY(risk(closing.read.fd).isNull());
        // Stdio is inherited on purpose: the same pipe end as fd 0, 1 or 2 is no risk.
        for (int fd : {0, 1, 2}) {
            FdEntry stdio = *entryAt(table, inheritable.write.fd);
            stdio.fd = fd;
            QVERIFY(!leakRisk(stdio));
        }
        // With peers it names who keeps the pipe alive, except the table's own process.
        FdEntry held = *entryAt(table, inheritable.write.fd);
        held.peers = {
            {::getpid(), "self", inheritable.read.fd, int(FdAccess::Read), false, "same pipe"},
            {812, "sleep", 1, int(FdAccess::Write), false, "same pipe"},
            {813, "cat", 0, int(FdAccess::Read), false, "same pipe"}};
        const QString named = QString::fromStdString(*leakRisk(held, ::getpid()));
        QVERIFY2(
            named.endsWith("; sleep (pid 812) holds it too; cat (pid 813) holds its other end"),
            qPrintable(named));
        QVERIFY(!named.contains("self"));
        QVERIFY(QString::fromStdString(*leakRisk(held)).contains("self (pid"));
    }

    // --- the child's stops, through spawnlab::run ---

    void closeFdsClosesInheritablePipe()
    {
        Pipe p(0);
        QVERIFY(p.write.fd >= 0);
        const RunResult r =
            run(truePlan({InspectPoint::BeforeCloseFds, InspectPoint::AfterCloseFds}));
        QVERIFY2(r.execOk(), qPrintable(why(r)));
        QVERIFY2(r.childFds.size() == 2, qPrintable(why(r)));
        const FdTable &before = r.childFds.at(InspectPoint::BeforeCloseFds);
        const FdTable &after = r.childFds.at(InspectPoint::AfterCloseFds);

        const auto rows = diffFdTables(before, after);
        QVERIFY(coversBoth(rows, before, after));
        const QString pipe = target(r.parentFds, p.write.fd);
        QVERIFY(pipe.startsWith("pipe:["));
        QCOMPARE(change(rows, p.write.fd), "closed");
        QCOMPARE(notes(rows, p.write.fd), QStringList{"closed; was " + pipe + " (write end)"});
        QCOMPARE(change(rows, p.read.fd), "closed");
        QCOMPARE(notes(rows, p.read.fd), QStringList{"closed; was " + pipe + " (read end)"});
        for (const FdEntry &e : before)
            if (e.fd <= 2) QCOMPARE(change(rows, e.fd), "kept");
        // Whatever survived close_fds (the error pipe) is kept, untouched.
        for (const FdEntry &e : after)
            QCOMPARE(change(rows, e.fd), "kept");

        // The parent's table says the same in advance.
        QVERIFY(leakRisk(*entryAt(r.parentFds, p.write.fd))->find("pipe write end") !=
                std::string::npos);
    }

    void passFdsKeepsPipe()
    {
        Pipe p(0), q(O_CLOEXEC);
        QVERIFY(p.write.fd >= 0 && q.write.fd >= 0);
        SpawnPlan plan = truePlan(
            {InspectPoint::BeforeCloseFds, InspectPoint::AfterCloseFds, InspectPoint::AfterExec});
        plan.passFds = {p.write.fd, q.write.fd};
        const RunResult r = run(plan);
        QVERIFY2(r.execOk() && r.childFds.size() == 3, qPrintable(why(r)));
        const FdTable &before = r.childFds.at(InspectPoint::BeforeCloseFds);
        const FdTable &after = r.childFds.at(InspectPoint::AfterCloseFds);
        const FdTable &exec = r.childFds.at(InspectPoint::AfterExec);

        // pass_fds made q's write end inheritable before the first stop.
        const auto setup = diffFdTables(r.parentFds, before);
        QCOMPARE(change(setup, q.write.fd), "changed");
        QCOMPARE(notes(setup, q.write.fd),
                 QStringList{"CLOEXEC cleared: now inherited across exec"});
        QCOMPARE(change(setup, p.write.fd), "kept");

        const auto closing = diffFdTables(before, after);
        QCOMPARE(change(closing, p.write.fd), "kept");
        QCOMPARE(change(closing, q.write.fd), "kept");
        QCOMPARE(change(closing, p.read.fd), "closed");
        QCOMPARE(change(closing, q.read.fd), "closed");

        const auto execRows = diffFdTables(after, exec);
        QVERIFY(coversBoth(execRows, after, exec));
        QCOMPARE(change(execRows, p.write.fd), "kept");
        QCOMPARE(change(execRows, q.write.fd), "kept");
        // Nothing but stdio and the passed fds reaches the program.
        std::set<int> expected{p.write.fd, q.write.fd}, got;
        for (const FdEntry &e : r.parentFds)
            if (e.fd <= 2 && !e.cloexec) expected.insert(e.fd);
        for (const FdEntry &e : exec)
            got.insert(e.fd);
        QCOMPARE(got, expected);
        for (const FdEntry &e : after)
            if (e.fd > 2 && e.fd != p.write.fd && e.fd != q.write.fd) {
                QCOMPARE(change(execRows, e.fd), "closed");
                QVERIFY(notes(execRows, e.fd).contains("had CLOEXEC: exec closes it"));
            }
    }

    void dupOfCloexecFdNamesItsSource()
    {
        const QByteArray path = dir.filePath("dup-source").toLocal8Bit();
        Fd source(::open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
        QVERIFY(source.fd >= 0);
        const int spare = freeFd();
        SpawnPlan plan = truePlan({InspectPoint::BeforeCloseFds});
        plan.fds = {dupFrom(1, source.fd), dupFrom(spare, source.fd)};
        const RunResult r = run(plan);
        QVERIFY2(r.execOk() && r.childFds.size() == 1, qPrintable(why(r)));
        const FdTable &child = r.childFds.at(InspectPoint::BeforeCloseFds);

        // The plan's dups ran before the first stop: compare with the parent.
        const auto rows = diffFdTables(r.parentFds, child);
        const QString s = QString::number(source.fd), n = QString::number(spare);
        QCOMPARE(change(rows, 1), "changed");
        const QStringList one = notes(rows, 1);
        // "now PATH, was <the parent's stdout>", then where the file came from,
        // then maybe an access change (a stdout pipe was w, the file is rw).
        QVERIFY2(
            one.size() >= 2 &&
                one[0].startsWith("now " + QString(path) + ", was " + target(r.parentFds, 1)) &&
                one[1] == "the open file of fd " + s + " (dup2 " + s + " -> 1)",
            qPrintable(one.join(" | ")));
        QCOMPARE(change(rows, spare), "added");
        QCOMPARE(notes(rows, spare),
                 QStringList({"new: " + QString(path),
                              "the open file of fd " + s + " (dup2 " + s + " -> " + n + ")",
                              "CLOEXEC cleared: now inherited across exec"}));
        QCOMPARE(change(rows, source.fd), "kept");
    }

    void cloexecFdKeptByCloseFdsFalseIsClosedAtExec()
    {
        Fd closing(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        Pipe leak(0);
        QVERIFY(closing.fd >= 0 && leak.write.fd >= 0);
        SpawnPlan plan = truePlan({InspectPoint::AfterCloseFds, InspectPoint::AfterExec});
        plan.closeFds = false;
        const RunResult r = run(plan);
        QVERIFY2(r.execOk() && r.childFds.size() == 2, qPrintable(why(r)));
        const FdTable &after = r.childFds.at(InspectPoint::AfterCloseFds);
        const FdTable &exec = r.childFds.at(InspectPoint::AfterExec);

        QVERIFY(entryAt(after, closing.fd) && entryAt(after, closing.fd)->cloexec);
        const auto rows = diffFdTables(after, exec);
        QCOMPARE(change(rows, closing.fd), "closed");
        QCOMPARE(notes(rows, closing.fd),
                 QStringList({"closed; was /dev/null", "had CLOEXEC: exec closes it"}));
        // The leak the parent's table warned about reached the program.
        QCOMPARE(change(rows, leak.write.fd), "kept");
        QVERIFY(leakRisk(*entryAt(r.parentFds, leak.write.fd)));
        QVERIFY(!leakRisk(*entryAt(r.parentFds, closing.fd)));
    }

    // The parent's read end and the child's write end (at another fd number)
    // are one pipe: one inode on one device.
    void childPipeEndIsTheParentsPipe()
    {
        Pipe p(O_CLOEXEC), other(O_CLOEXEC);
        QVERIFY(p.write.fd >= 0 && other.write.fd >= 0);
        const int childFd = freeFd();
        SpawnPlan plan = truePlan({InspectPoint::AfterExec});
        plan.fds = {dupFrom(childFd, p.write.fd)};
        const RunResult r = run(plan);
        QVERIFY2(r.execOk() && r.childFds.size() == 1, qPrintable(why(r)));
        const FdEntry *childEnd = entryAt(r.childFds.at(InspectPoint::AfterExec), childFd);
        const FdEntry *readEnd = entryAt(r.parentFds, p.read.fd);
        const FdEntry *unrelated = entryAt(r.parentFds, other.read.fd);
        QVERIFY(childEnd && readEnd && unrelated);
        QCOMPARE(childEnd->kind, FdKind::Pipe);
        QCOMPARE(childEnd->access, FdAccess::Write);
        QCOMPARE(readEnd->access, FdAccess::Read);
        QVERIFY(sameFile(*readEnd, *childEnd));
        QCOMPARE(readEnd->inode, childEnd->inode);
        QVERIFY(!sameFile(*unrelated, *childEnd));
        QCOMPARE(unrelated->device, childEnd->device); // both on pipefs: the inode decides
        QVERIFY(!entryAt(r.childFds.at(InspectPoint::AfterExec), p.write.fd));
    }
};

QTEST_GUILESS_MAIN(TestFdDiff)
#include "tst_fddiff.moc"
