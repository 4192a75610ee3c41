// RunController: runs happen off the calling thread, the event loop keeps
// turning while a child hangs, Kill and timeouts end it, and a result from a
// superseded or discarded run never arrives.
#include "runcontroller.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <csignal>

using namespace spawnlab;

namespace {

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
    QVERIFY(finished.wait(10000));
    QCOMPARE(started.count(), 1);
    QCOMPARE(spawned.count(), 1);
    QCOMPARE(finished.at(0).at(0).toULongLong(), generation);
    const RunResult result = resultOf(finished);
    QVERIFY(result.execOk);
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
    QVERIFY(spawned.wait(10000));
    // The loop turns while the child sleeps: timers fire on time.
    int ticks = 0;
    QTimer timer;
    connect(&timer, &QTimer::timeout, this, [&ticks] { ++ticks; });
    timer.start(10);
    QTest::qWait(300);
    QVERIFY2(ticks >= 10, qPrintable(QString::number(ticks)));
    QVERIFY(finished.isEmpty());
    QElapsedTimer elapsed;
    elapsed.start();
    runs.kill();
    QVERIFY(finished.wait(5000));
    QVERIFY(elapsed.elapsed() < 5000);
    const RunResult result = resultOf(finished);
    QVERIFY(result.exit && !result.exit->exited);
    QCOMPARE(result.exit->signal, SIGKILL);
}

void TestRunController::timeoutKillsTheChild()
{
    RunController runs;
    QSignalSpy finished(&runs, &RunController::finished);
    runs.start(plan({"sleep", "30"}, 200));
    QVERIFY(finished.wait(10000));
    const RunResult result = resultOf(finished);
    QVERIFY(result.exit && result.exit->timedOut);
}

void TestRunController::supersededResultIsDropped()
{
    RunController runs;
    QSignalSpy finished(&runs, &RunController::finished);
    const quint64 first = runs.start(plan({"sleep", "30"}));
    const quint64 second = runs.start(plan({"true"}));
    QVERIFY(second > first);
    QVERIFY(finished.wait(10000));
    QTest::qWait(500); // the first run's child was killed; its result must not follow
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).toULongLong(), second);
    QVERIFY(resultOf(finished).execOk);
}

void TestRunController::discardedResultIsDropped()
{
    RunController runs;
    QSignalSpy finished(&runs, &RunController::finished);
    QSignalSpy running(&runs, &RunController::runningChanged);
    runs.start(plan({"sleep", "30"}));
    QTest::qWait(100);
    runs.discard();
    QVERIFY(!runs.isRunning());
    QTest::qWait(1000);
    QCOMPARE(finished.count(), 0);
    QCOMPARE(running.count(), 2);
}

void TestRunController::destructorReapsARunningChild()
{
    QElapsedTimer elapsed;
    elapsed.start();
    {
        RunController runs;
        QSignalSpy spawned(&runs, &RunController::spawned);
        runs.start(plan({"sleep", "30"}));
        QVERIFY(spawned.wait(10000));
    }
    QVERIFY(elapsed.elapsed() < 10000); // killed, not waited for
}

QTEST_GUILESS_MAIN(TestRunController)
#include "tst_runcontroller.moc"
