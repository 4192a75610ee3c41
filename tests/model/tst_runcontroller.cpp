// SPDX-License-Identifier: GPL-3.0-or-later
// RunController: runs happen off the calling thread, the event loop keeps
// turning while a child hangs, Kill and timeouts end it, and a result from a
// superseded or discarded run never arrives. Every wait is on a real signal;
// its timeout only bounds a failure.
#include "run/childhandle.h"
#include "run/runcontroller.h"

#include "spawnlab/launch.h"

#include <QElapsedTimer>
#include <QFile>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

using namespace spawnlab;

namespace {

constexpr int kBoundMs = 10000; // a failure bound, never a pause: children sleep longer

SpawnPlan plan(std::vector<std::string> argv, int timeoutMs = 0)
{
    SpawnPlan p;
    p.argv = std::move(argv);
    p.timeoutMs = timeoutMs;
    return p;
}

RunResult resultOf(const QSignalSpy &spy, int i = 0)
{
    return spy.at(i).at(1).value<RunResult>();
}

// The spy has recorded `count` signals, or does within the bound. (wait()
// alone would miss a signal that came before it was called.)
bool seen(QSignalSpy &spy, int count = 1)
{
    while (spy.count() < count)
        if (!spy.wait(kBoundMs)) return false;
    return true;
}

// The process exists and has not exited (a zombie has: it only waits to be reaped).
bool alive(pid_t pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly)) return false;
    const QByteArray text = stat.readAll();
    const qsizetype end = text.lastIndexOf(") ");
    return end > 0 && text.size() > end + 2 && text.at(end + 2) != 'Z';
}

// Gone entirely: exited and reaped, not even a zombie.
bool reaped(pid_t pid)
{
    return ::kill(pid, 0) == -1 && errno == ESRCH;
}

} // namespace

class TestRunController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void runsAndReports();
    void hangingChildKeepsTheLoopTurningAndKillEndsIt();
    void timeoutKillsTheChild();
    void supersededResultIsDropped();
    void discardedResultIsDropped();
    void destructorReapsARunningChild();
    void childHandleKeepsAKillAskedForBeforeAttach();
};

void TestRunController::runsAndReports()
{
    RunController runs;
    QSignalSpy started(&runs, &RunController::started);
    QSignalSpy spawned(&runs, &RunController::spawned);
    QSignalSpy finished(&runs, &RunController::finished);
    QSignalSpy running(&runs, &RunController::runningChanged);
    const quint64 generation = runs.start(plan({"true"}));
    QVERIFY(runs.isRunning());
    QVERIFY(seen(finished));
    QCOMPARE(started.count(), 1);
    QCOMPARE(spawned.count(), 1);
    QCOMPARE(finished.at(0).at(0).toULongLong(), generation);
    const RunResult result = resultOf(finished);
    QVERIFY(result.execOk());
    QVERIFY(result.exit && result.exit->exited && result.exit->code == 0);
    QCOMPARE(spawned.at(0).at(1).toLongLong(), qint64(result.pid));
    QVERIFY(!runs.isRunning());
    QCOMPARE(running.count(), 2); // true, then false
}

void TestRunController::hangingChildKeepsTheLoopTurningAndKillEndsIt()
{
    RunController runs;
    QSignalSpy spawned(&runs, &RunController::spawned);
    QSignalSpy finished(&runs, &RunController::finished);
    runs.start(plan({"sleep", "30"}));
    QVERIFY(seen(spawned));
    const pid_t pid = pid_t(spawned.at(0).at(1).toLongLong());
    // The loop turns while the child sleeps: a timer keeps firing.
    QTimer timer;
    QSignalSpy ticks(&timer, &QTimer::timeout);
    timer.start(10);
    QVERIFY(seen(ticks, 10));
    QVERIFY(finished.isEmpty());
    QVERIFY(alive(pid));
    runs.kill();
    QVERIFY(seen(finished)); // long before the child's 30 s are up
    const RunResult result = resultOf(finished);
    QVERIFY(result.exit && !result.exit->exited);
    QCOMPARE(result.exit->signal, SIGKILL);
    QVERIFY(!result.exit->timedOut);
    QVERIFY(reaped(pid));
}

void TestRunController::timeoutKillsTheChild()
{
    RunController runs;
    QSignalSpy finished(&runs, &RunController::finished);
    runs.start(plan({"sleep", "30"}, 200));
    QVERIFY(seen(finished));
    const RunResult result = resultOf(finished);
    QVERIFY(result.exit && result.exit->timedOut);
    QCOMPARE(result.exit->signal, SIGKILL);
}

// The first run is superseded while its child sleeps; the second run's child
// reads a pipe only this test can close, so it is still the current run when
// the first one's result comes back: that result must be dropped, and the
// second's delivered once the test lets its child finish.
void TestRunController::supersededResultIsDropped()
{
    RunController runs;
    QSignalSpy spawned(&runs, &RunController::spawned);
    QSignalSpy finished(&runs, &RunController::finished);
    QSignalSpy dropped(&runs, &RunController::resultDropped);
    const quint64 first = runs.start(plan({"sleep", "30"}));
    QVERIFY(seen(spawned));

    int gate[2];
    QCOMPARE(pipe2(gate, O_CLOEXEC), 0);
    auto closeGate = qScopeGuard([&gate] {
        for (int fd : gate)
            if (fd >= 0) close(fd);
    });
    SpawnPlan reader = plan({"cat"});
    FdAction in, out;
    in.fd = 0;
    in.action = FdActionKind::Dup;
    in.from = gate[0];
    out.fd = 1;
    out.action = FdActionKind::Null;
    reader.fds = {in, out};
    const quint64 second = runs.start(reader);
    QVERIFY(second > first);

    QVERIFY2(seen(dropped),
             qPrintable(QStringLiteral("%1 result(s) delivered instead").arg(finished.count())));
    QCOMPARE(dropped.at(0).at(0).toULongLong(), first);
    QVERIFY(finished.isEmpty());
    QVERIFY(runs.isRunning());

    close(gate[1]); // cat reads EOF and exits
    gate[1] = -1;
    QVERIFY(seen(finished));
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).toULongLong(), second);
    const RunResult result = resultOf(finished);
    QVERIFY(result.execOk());
    QVERIFY(result.exit && result.exit->exited && result.exit->code == 0);
    QCOMPARE(dropped.count(), 1);
}

// Discarded while nothing else runs: the result comes back to no current run
// and is dropped; the child was killed.
void TestRunController::discardedResultIsDropped()
{
    RunController runs;
    QSignalSpy spawned(&runs, &RunController::spawned);
    QSignalSpy finished(&runs, &RunController::finished);
    QSignalSpy dropped(&runs, &RunController::resultDropped);
    QSignalSpy running(&runs, &RunController::runningChanged);
    const quint64 generation = runs.start(plan({"sleep", "30"}));
    QVERIFY(seen(spawned));
    const pid_t pid = pid_t(spawned.at(0).at(1).toLongLong());
    runs.discard();
    QVERIFY(!runs.isRunning());
    QVERIFY2(seen(dropped),
             qPrintable(QStringLiteral("%1 result(s) delivered instead").arg(finished.count())));
    QCOMPARE(dropped.at(0).at(0).toULongLong(), generation);
    QCOMPARE(finished.count(), 0);
    QCOMPARE(running.count(), 2);
    QVERIFY(reaped(pid));
}

void TestRunController::destructorReapsARunningChild()
{
    QElapsedTimer elapsed;
    elapsed.start();
    pid_t pid = -1;
    {
        RunController runs;
        QSignalSpy spawned(&runs, &RunController::spawned);
        runs.start(plan({"sleep", "30"}));
        QVERIFY(seen(spawned));
        pid = pid_t(spawned.at(0).at(1).toLongLong());
        QVERIFY(alive(pid));
    }
    QVERIFY(elapsed.elapsed() < 20000); // killed, not waited for
    QVERIFY(reaped(pid));               // no zombie either
}

// A Kill pressed while the child is being created (before its pid is known)
// is kept and sent on attach; the handle signals through its own copy of the
// core's pidfd; after detach it does nothing.
void TestRunController::childHandleKeepsAKillAskedForBeforeAttach()
{
    ChildHandle handle;
    handle.signal(SIGKILL);
    RunOptions options;
    int corePidfd = -1;
    options.onSpawned = [&](pid_t pid, int pidfd) {
        corePidfd = pidfd;
        handle.attach(pid, pidfd);
    };
    const RunResult r = run(plan({"sleep", "30"}), options);
    QVERIFY(corePidfd >= 0);
    QVERIFY(r.exit && !r.exit->exited); // long before its 30 s
    QCOMPARE(r.exit->signal, SIGKILL);
    handle.detach();
    QCOMPARE(handle.pid(), pid_t(-1));
    handle.signal(SIGKILL); // nothing left to signal, and nothing kept
    QCOMPARE(handle.pid(), pid_t(-1));
}

QTEST_GUILESS_MAIN(TestRunController)
#include "tst_runcontroller.moc"
