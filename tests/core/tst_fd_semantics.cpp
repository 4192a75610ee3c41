// SPDX-License-Identifier: GPL-3.0-or-later
// fd semantics of a spawn, checked from inside the real child (spawnlab-probe
// reports its own /proc/self/fd), for every strategy that can express the plan.
#include "fd_actions.h"
#include "probe_run.h"

#include "spawnlab/launch.h"
#include "spawnlab/names.h"

#include <QTest>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>

using namespace spawnlab;
using namespace spawnlab::test;

namespace {

bool isCloexec(int fd)
{
    return fcntl(fd, F_GETFD) & FD_CLOEXEC;
}

} // namespace

class TestFdSemantics : public QObject
{
    Q_OBJECT

    ProbeFixture fixture;
    // Three files the test's own stdio is swapped to, so a permutation of
    // 0/1/2 is visible in the child's link targets.
    std::array<int, 3> stdioFiles{-1, -1, -1};
    std::array<QString, 3> stdioPaths;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(fixture.isValid());
        for (int i = 0; i < 3; ++i) {
            stdioPaths[i] = fixture.path(QString("stdio%1").arg(i));
            stdioFiles[i] =
                open(stdioPaths[i].toUtf8().constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
            QVERIFY(stdioFiles[i] >= 0);
        }
    }
    void cleanupTestCase()
    {
        for (int fd : stdioFiles)
            close(fd);
    }

    void stdioPermutations_data()
    {
        QTest::addColumn<int>("strategy");
        QTest::addColumn<QList<int>>("sources"); // child fd i <- parent fd sources[i]; -1 closed
        for (Strategy s :
             {Strategy::Fork, Strategy::Vfork, Strategy::CloneVm, Strategy::PosixSpawn}) {
            std::array<int, 3> perm{0, 1, 2};
            do {
                QTest::addRow("%s %d%d%d", strategyName(s).data(), perm[0], perm[1], perm[2])
                    << int(s) << QList<int>{perm[0], perm[1], perm[2]};
            } while (std::next_permutation(perm.begin(), perm.end()));
            QTest::addRow("%s 10-", strategyName(s).data()) << int(s) << QList<int>{1, 0, -1};
        }
    }
    // Every permutation of the parent's 0/1/2 onto the child's 0/1/2 (cycles
    // and swaps), and a swap with the third one closed.
    void stdioPermutations()
    {
        QFETCH(int, strategy);
        QFETCH(QList<int>, sources);
        SpawnPlan plan = fixture.plan(Strategy(strategy));
        for (int fd = 0; fd < 3; ++fd)
            plan.fds.push_back(sources[fd] < 0 ? fdAction(fd, FdActionKind::Close)
                                               : dupFrom(fd, sources[fd]));
        ProbeRun probe;
        {
            StdioSwap swap(stdioFiles[0], stdioFiles[1], stdioFiles[2]);
            probe = fixture.run(plan);
        }
        QVERIFY2(probe.result.execOk(),
                 probe.result.error ? probe.result.error->message.c_str() : "");
        const auto fds = probe.fds();
        for (int fd = 0; fd < 3; ++fd) {
            if (sources[fd] < 0)
                QVERIFY2(!fds.contains(fd), qPrintable(fds.value(fd)));
            else
                QCOMPARE(fds.value(fd), stdioPaths[sources[fd]]);
        }
    }

    void errorPipeCollision_data() { addStrategyRows(); }
    // The targets cover the next free fd numbers, which the parent's own pipes
    // (error pipe, capture pipe) and /dev/null get: none may be stomped, and a
    // failure must still be reported.
    void errorPipeCollision()
    {
        const Strategy strategy = strategyFromData();
        int lowest = fcntl(0, F_DUPFD, 3);
        QVERIFY(lowest >= 3);
        close(lowest);
        SpawnPlan plan = fixture.plan(strategy, {"--echo"});
        plan.fds = {fdAction(lowest, FdActionKind::Null), fdAction(lowest + 1, FdActionKind::Null),
                    fdAction(lowest + 2, FdActionKind::Null), fdAction(1, FdActionKind::PipeOut),
                    fdAction(0, FdActionKind::PipeIn)};
        plan.fds[4].input = "through the pipes";
        ProbeRun ok = fixture.run(plan);
        QVERIFY(ok.result.execOk());
        QCOMPARE(ok.result.captured.at(1), std::string("through the pipes"));
        for (int fd = lowest; fd < lowest + 3; ++fd)
            QCOMPARE(ok.fds().value(fd), QString("/dev/null"));

        plan.argv[0] = fixture.path("missing-program").toStdString();
        ProbeRun failed = fixture.run(plan);
        QVERIFY(!failed.result.execOk());
        QVERIFY(failed.result.error);
        const Step expected = strategy == Strategy::PosixSpawn ? Step::PosixSpawn : Step::Execve;
        QCOMPARE(failed.result.error->step, expected);
        QCOMPARE(failed.result.error->err, ENOENT);
    }

    void passFds_data() { addStrategyRows(); }
    // pass_fds keeps exactly those fds and makes them inheritable in the child,
    // without changing the parent's flags; close_fds closes the rest.
    void passFds()
    {
        int kept[2], other[2];
        QVERIFY(pipe2(kept, O_CLOEXEC) == 0);
        QVERIFY(pipe2(other, 0) == 0); // inheritable, not passed: must be closed
        SpawnPlan plan = fixture.plan(strategyFromData());
        plan.passFds = {kept[1]};
        ProbeRun probe = fixture.run(plan);
        const auto fds = probe.fds();
        QVERIFY(probe.result.execOk());
        QVERIFY(fds.contains(kept[1]));
        QVERIFY(!fds.contains(kept[0]));
        QVERIFY(!fds.contains(other[0]));
        QVERIFY(!fds.contains(other[1]));
        QCOMPARE(fds.keys(), (QList<int>{0, 1, 2, kept[1]}));
        QVERIFY(isCloexec(kept[1])); // the parent's flag is untouched
        for (int fd : {kept[0], kept[1], other[0], other[1]})
            close(fd);
    }

    void dupOntoItselfClearsCloexec_data() { addStrategyRows(); }
    void dupOntoItselfClearsCloexec()
    {
        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        QVERIFY(fd >= 3);
        SpawnPlan plan = fixture.plan(strategyFromData());
        plan.fds = {dupFrom(fd, fd)};
        ProbeRun probe = fixture.run(plan);
        QVERIFY(probe.result.execOk());
        QCOMPARE(probe.fds().value(fd), QString("/dev/null"));
        QVERIFY(isCloexec(fd));
        close(fd);
    }

    void closeFdsOff_data() { addStrategyRows(); }
    // close_fds=false: inheritable fds reach the program, CLOEXEC ones do not.
    void closeFdsOff()
    {
        int inheritable = open("/dev/null", O_RDONLY);
        int cloexec = open("/dev/null", O_RDONLY | O_CLOEXEC);
        SpawnPlan plan = fixture.plan(strategyFromData());
        plan.closeFds = false;
        ProbeRun probe = fixture.run(plan);
        QVERIFY(probe.result.execOk());
        QVERIFY(probe.fds().contains(inheritable));
        QVERIFY(!probe.fds().contains(cloexec));
        close(inheritable);
        close(cloexec);
    }

    void closeMethods_data()
    {
        QTest::addColumn<int>("strategy");
        QTest::addColumn<int>("method");
        for (Strategy s : {Strategy::Fork, Strategy::Vfork, Strategy::CloneVm})
            for (CloseMethod m : {CloseMethod::CloseRange, CloseMethod::Proc, CloseMethod::Brute})
                QTest::addRow("%s %s", strategyName(s).data(), closeMethodName(m).data())
                    << int(s) << int(m);
    }
    // Every close method closes inheritable fds, including one above the
    // RLIMIT_NOFILE the plan lowers, and keeps the ones the plan names.
    void closeMethods()
    {
        QFETCH(int, strategy);
        QFETCH(int, method);
        rlimit limit{};
        QVERIFY(getrlimit(RLIMIT_NOFILE, &limit) == 0);
        const int high = int(std::min<rlim_t>(limit.rlim_cur, 4096)) - 1;
        int devNull = open("/dev/null", O_RDONLY);
        QVERIFY(dup2(devNull, high) == high);
        int passed = fcntl(devNull, F_DUPFD_CLOEXEC, 40);
        SpawnPlan plan = fixture.plan(Strategy(strategy));
        plan.closeMethod = CloseMethod(method);
        plan.passFds = {passed};
        plan.fds = {fdAction(10, FdActionKind::Null)};
        plan.rlimits = {{RLIMIT_NOFILE, 64, 64}};
        ProbeRun probe = fixture.run(plan);
        QVERIFY2(probe.result.execOk(),
                 probe.result.error ? probe.result.error->message.c_str() : "");
        QCOMPARE(probe.fds().keys(), (QList<int>{0, 1, 2, 10, passed}));
        QCOMPARE(probe.report.value("limits").toObject().value("nofile").toVariant().toList(),
                 (QVariantList{64, 64}));
        for (int fd : {devNull, high, passed})
            close(fd);
    }

    void preparedPlanRunsAgain_data() { addStrategyRows(); }
    // A prepared plan spawns again and again from the /dev/null it opened once:
    // the child gets it where the plan says and nowhere else, and the parent
    // holds that one fd until the plan is gone.
    void preparedPlanRunsAgain()
    {
        const int before = openFdCount();
        const int lowestFree = fcntl(0, F_DUPFD, 0);
        close(lowestFree); // where the prepared plan's /dev/null will land
        SpawnPlan plan = fixture.plan(strategyFromData());
        plan.fds = {fdAction(1, FdActionKind::Null), fdAction(5, FdActionKind::Null)};
        plan.closeFds = false; // a leak of the kept fd would reach the child
        {
            const PreparedPlan prepared(plan);
            QVERIFY(!prepared.error());
            QCOMPARE(openFdCount(), before + 1);
            QVERIFY(isCloexec(lowestFree));
            for (int i = 0; i < 3; ++i) {
                ProbeRun probe = fixture.run(prepared);
                QVERIFY2(probe.result.execOk(),
                         probe.result.error ? probe.result.error->message.c_str() : "");
                QCOMPARE(probe.fds().value(1), QString("/dev/null"));
                QCOMPARE(probe.fds().value(5), QString("/dev/null"));
                QVERIFY(!probe.fds().contains(lowestFree));
                QCOMPARE(openFdCount(), before + 1);
            }
        }
        QCOMPARE(openFdCount(), before);
        QVERIFY(!hasZombieChild());
    }

    // An invalid plan is refused the same way on every run, with no child.
    void preparedPlanKeepsItsError()
    {
        SpawnPlan plan = fixture.plan(Strategy::Vfork);
        plan.fds = {fdAction(-1, FdActionKind::Null)};
        const PreparedPlan prepared(plan);
        QVERIFY(prepared.error());
        for (int i = 0; i < 2; ++i) {
            RunResult r = prepared.run();
            QVERIFY(r.error);
            QCOMPARE(r.error->field, std::string("fds[0].fd"));
            QCOMPARE(r.error->message, run(plan).error->message);
            QVERIFY(r.pid <= 0);
        }
    }

    // A moved-from plan has no plan left to run: it refuses, it does not crash.
    void movedFromPreparedPlanRefuses()
    {
        PreparedPlan from(fixture.plan(Strategy::Vfork));
        QVERIFY(!from.error());
        const PreparedPlan to(std::move(from));
        QVERIFY(!to.error());
        RunResult r = from.run(); // NOLINT(bugprone-use-after-move): what is tested
        QVERIFY(r.error);
        QVERIFY(r.pid <= 0);
    }

    void thousandSpawnsLeakNothing()
    {
        const int before = openFdCount();
        SpawnPlan plan;
        plan.argv = {"/bin/true"};
        plan.fds = {fdAction(1, FdActionKind::PipeOut), fdAction(0, FdActionKind::PipeIn),
                    fdAction(2, FdActionKind::Null)};
        const Strategy strategies[] = {Strategy::Fork, Strategy::Vfork, Strategy::CloneVm,
                                       Strategy::PosixSpawn};
        int failures = 0;
        for (int i = 0; i < 1000; ++i) {
            plan.strategy = strategies[i % 4];
            plan.cwd = i % 10 == 9 ? "/nonexistent" : ""; // failures must not leak either
            RunResult r = run(plan);
            if (r.execOk() != plan.cwd.empty()) ++failures;
            if (r.pid > 0 && !r.exit) // a child that was started must be reaped
                ++failures;
        }
        QCOMPARE(failures, 0);
        QCOMPARE(openFdCount(), before);
        QVERIFY(!hasZombieChild());
    }
};

QTEST_GUILESS_MAIN(TestFdSemantics)
#include "tst_fd_semantics.moc"
