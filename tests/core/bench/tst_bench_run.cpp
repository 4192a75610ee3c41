// SPDX-License-Identifier: GPL-3.0-or-later
// Tiny real benchmark runs: sane points, progress callbacks, cancel, errors,
// and the close_fds series putting RLIMIT_NOFILE and the fds back.
#include "probe_run.h"

#include "spawnlab/bench.h"

#include <QDir>
#include <QStandardPaths>
#include <QTest>

#include <map>

#include <sys/resource.h>

using namespace spawnlab::bench;
using spawnlab::test::openFdCount;

namespace {

void verifySane(const Point &p, std::size_t runs)
{
    const Stats &s = p.stats;
    QCOMPARE(s.count, runs);
    QCOMPARE(p.failures, 0);
    QVERIFY(s.min > 0);
    QVERIFY(s.min <= s.p10 && s.p10 <= s.median && s.median <= s.p90 && s.p90 <= s.p99);
    QVERIFY(s.mean >= s.min);
    QVERIFY(p.rssKbMeasured > 0);
}

} // namespace

class TestBenchRun : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultTargetExists()
    {
        QVERIFY2(checkTarget(defaultTarget()).empty(), defaultTarget().c_str());
    }

    void twoStrategiesAtZero()
    {
        RssConfig c;
        c.strategies = {"clone_vm", "raw_fork"};
        c.sizesMb = {0};
        c.runs = 3;
        c.warmup = 1;
        std::vector<std::pair<int, int>> progress;
        c.onPoints = [&](const std::vector<Point> &points, int done, int total) {
            QVERIFY(!points.empty());
            progress.emplace_back(done, total);
        };
        const Outcome out = runRssSeries(c);
        QVERIFY2(out.error.empty(), out.error.c_str());
        QVERIFY(!out.cancelled);
        QCOMPARE(progress, (std::vector<std::pair<int, int>>{{1, 2}, {2, 2}}));
        // clone_vm: round_trip, exec_confirmed and spawn_returned; raw_fork
        // cannot confirm exec.
        QCOMPARE(out.points.size(), std::size_t(5));
        QCOMPARE(out.points[0].strategy, "clone_vm");
        QCOMPARE(out.points[0].phase, Phase::RoundTrip);
        QCOMPARE(out.points[1].strategy, "clone_vm");
        QCOMPARE(out.points[1].phase, Phase::ExecConfirmed);
        QCOMPARE(out.points[2].strategy, "clone_vm");
        QCOMPARE(out.points[2].phase, Phase::SpawnReturned);
        QCOMPARE(out.points[3].strategy, "raw_fork");
        QCOMPARE(out.points[3].phase, Phase::RoundTrip);
        QCOMPARE(out.points[4].strategy, "raw_fork");
        QCOMPARE(out.points[4].phase, Phase::SpawnReturned);
        for (const Point &p : out.points) {
            verifySane(p, 3);
            QCOMPARE(p.rssMb, std::uint64_t(0));
            QCOMPARE(p.series, "rss");
        }
        // Each sample's exec confirmation comes before its reaping.
        QVERIFY(out.points[1].stats.min <= out.points[0].stats.min);
        QVERIFY(out.points[1].stats.median <= out.points[0].stats.median);
        // fork returns in the parent before the child has exec'd or exited.
        QVERIFY(out.points[4].stats.median < out.points[3].stats.median);
        QVERIFY(out.points[2].stats.median <= out.points[0].stats.median);
    }

    void everyStrategyRuns()
    {
        RssConfig c;
        c.strategies = knownStrategies();
        c.sizesMb = {0, 16};
        c.runs = 2;
        c.warmup = 0;
        const Outcome out = runRssSeries(c);
        QVERIFY2(out.error.empty(), out.error.c_str());
        QCOMPARE(out.points.size(), std::size_t(2 * (3 * 6 - 1)));
        for (const Point &p : out.points)
            verifySane(p, 2);
        QVERIFY(out.points.back().rssKbMeasured > out.points.front().rssKbMeasured + 12 * 1024);
    }

    // Two passes: sizes visited up then down, points still in the sizes' order,
    // each cell with all its runs.
    void passesSplitTheRuns()
    {
        RssConfig c;
        c.strategies = {"raw_vfork"};
        c.sizesMb = {0, 8};
        c.runs = 5;
        c.warmup = 0;
        c.passes = 2;
        std::vector<std::uint64_t> streamed;
        c.onPoints = [&](const std::vector<Point> &points, int, int) {
            streamed.push_back(points.front().rssMb);
        };
        const Outcome out = runRssSeries(c);
        QVERIFY2(out.error.empty(), out.error.c_str());
        QCOMPARE(streamed, (std::vector<std::uint64_t>{8, 0})); // the last pass goes down
        QCOMPARE(out.points.size(), std::size_t(6));
        QCOMPARE(out.points[0].rssMb, std::uint64_t(0));
        QCOMPARE(out.points[3].rssMb, std::uint64_t(8));
        for (const Point &p : out.points)
            verifySane(p, 5);
    }

    void cancelStopsBeforeAnyPoint()
    {
        std::atomic<bool> cancel{true};
        RssConfig c;
        c.strategies = {"vfork"};
        c.sizesMb = {0};
        c.cancel = &cancel;
        const Outcome out = runRssSeries(c);
        QVERIFY(out.cancelled);
        QVERIFY(out.points.empty());
    }

    // A result names the program it timed by its absolute path.
    void targetsAreAbsolute()
    {
        QCOMPARE(resolveTarget("bin/../x/./prog"), QDir::currentPath().toStdString() + "/x/prog");
        QCOMPARE(resolveTarget("/usr/bin/true"), std::string("/usr/bin/true"));
        QCOMPARE(resolveTarget("floor"), floorTarget());
        QCOMPARE(resolveTarget(""), defaultTarget());
        QCOMPARE(resolveTarget("true"), std::string("true")); // refused by checkTarget
    }

    void errorsAreSentences()
    {
        RssConfig c;
        c.strategies = {"vfork"};
        c.sizesMb = {0};
        c.runs = 1;
        c.target = "/nonexistent/program";
        QVERIFY(runRssSeries(c).error.find("/nonexistent/program") != std::string::npos);

        c.target = "/proc/self/status"; // not executable: exec fails
        QVERIFY(!runRssSeries(c).error.empty());

        c.target.clear();
        c.strategies = {"spoon"};
        QVERIFY(runRssSeries(c).error.find("spoon") != std::string::npos);

        c.strategies = {"vfork"};
        c.sizesMb = {maxBallastMib() + 4096};
        QVERIFY(runRssSeries(c).error.find("does not fit") != std::string::npos);
    }

    void closeFdsSeriesRestoresTheProcess()
    {
        rlimit before{};
        getrlimit(RLIMIT_NOFILE, &before);
        const int fdsBefore = openFdCount();

        CloseFdsConfig c;
        c.strategy = "vfork";
        c.methods = {"close_range", "proc", "brute"};
        c.openFds = {64, 20};
        c.nofile = {2048};
        c.runs = 3;
        c.warmup = 1;
        const Outcome out = runCloseFdsSeries(c);
        QVERIFY2(out.error.empty(), out.error.c_str());
        QCOMPARE(out.points.size(), std::size_t(3 * 3 * 3));
        for (const Point &p : out.points) {
            verifySane(p, 3);
            QCOMPARE(p.series, "close_fds");
            QVERIFY(!p.closeMethod.empty());
        }
        // Sorted: 20 open fds first, then 64, then the nofile axis.
        QCOMPARE(out.points[0].axis, "open_fds");
        QCOMPARE(out.points[0].openFds, 20LL);
        QCOMPARE(out.points[9].openFds, 64LL);
        QCOMPARE(out.points.back().axis, "nofile");
        QCOMPARE(out.points.back().nofile, 2048LL);
        QCOMPARE(out.points.back().closeMethod, "brute");

        rlimit after{};
        getrlimit(RLIMIT_NOFILE, &after);
        QCOMPARE(after.rlim_cur, before.rlim_cur);
        QCOMPARE(after.rlim_max, before.rlim_max);
        QCOMPARE(openFdCount(), fdsBefore);
    }

    // Every (shape, size) in shape-major order, each point saying its shape and
    // the mappings it had: many small mappings show up in vmas.
    void memorySeriesWalksShapes()
    {
        RssConfig c;
        c.strategies = {"vfork"};
        c.sizesMb = {0, 64};
        c.shapes = {MemoryShape::Touched, MemoryShape::Reserved, MemoryShape::Vmas};
        c.vmaCount = 500;
        c.runs = 2;
        c.warmup = 0;
        const Outcome out = runMemorySeries(c);
        QVERIFY2(out.error.empty(), out.error.c_str());
        std::vector<Point> trips;
        for (const Point &p : out.points)
            if (p.phase == Phase::RoundTrip) trips.push_back(p);
        QCOMPARE(trips.size(), std::size_t(6));
        const char *shapes[] = {"touched", "touched", "reserved", "reserved", "vmas", "vmas"};
        for (std::size_t i = 0; i < trips.size(); ++i) {
            verifySane(trips[i], 2);
            QCOMPARE(trips[i].series, "memory");
            QCOMPARE(trips[i].shape, shapes[i]);
            QCOMPARE(trips[i].rssMb, std::uint64_t(i % 2 ? 64 : 0));
        }
        // 64 MiB touched is resident, reserved is not; vmas adds its mappings.
        QVERIFY(trips[1].rssKbMeasured - trips[0].rssKbMeasured > 60 * 1024);
        QVERIFY(trips[3].rssKbMeasured - trips[2].rssKbMeasured < 8 * 1024);
        QVERIFY(trips[5].vmas - trips[1].vmas >= 499);         // 500 in place of one
        QVERIFY(runRssSeries(c).points.front().shape.empty()); // rss points have no shape

        c.shapes.clear();
        QVERIFY(runMemorySeries(c).error.find("shape") != std::string::npos);
    }

    // One point per (threads, strategy); the windows' spawns per second come
    // from every spawn the threads made.
    void threadsSeriesCountsWindows()
    {
        ThreadsConfig c;
        c.strategies = {"clone_vm", "raw_fork"};
        c.threads = {1, 2};
        c.runs = 2;
        c.warmup = 1;
        c.windowSeconds = 0.02;
        std::vector<std::pair<int, int>> progress;
        c.onPoints = [&](const std::vector<Point> &points, int done, int total) {
            QCOMPARE(points.size(), std::size_t(1));
            progress.emplace_back(done, total);
        };
        const Outcome out = runThreadsSeries(c);
        QVERIFY2(out.error.empty(), out.error.c_str());
        QCOMPARE(progress, (std::vector<std::pair<int, int>>{{1, 4}, {2, 4}, {3, 4}, {4, 4}}));
        QCOMPARE(out.points.size(), std::size_t(4));
        for (std::size_t i = 0; i < out.points.size(); ++i) {
            const Point &p = out.points[i];
            QCOMPARE(p.series, "threads");
            QCOMPARE(p.threads, i < 2 ? 1 : 2);
            QCOMPARE(p.strategy, i % 2 ? "raw_fork" : "clone_vm");
            QCOMPARE(p.spawnsPerSecond.count, std::size_t(2));
            QVERIFY(p.spawnsPerSecond.min > 0);
            // At least one spawn per thread per window.
            QVERIFY(p.stats.count >= std::size_t(2 * p.threads));
            QCOMPARE(p.failures, 0);
        }

        c.threads = {0};
        QVERIFY(runThreadsSeries(c).error.find("at least 1") != std::string::npos);
        c.threads = {1};
        c.strategies = {"spoon"};
        QVERIFY(runThreadsSeries(c).error.find("spoon") != std::string::npos);
        std::atomic<bool> cancel{true};
        c.strategies = {"vfork"};
        c.cancel = &cancel;
        c.warmup = 0;
        QVERIFY(runThreadsSeries(c).cancelled);
    }

    // Each runtime installed here measured inside itself: two points, named
    // after the runtime with its api and version, the 64 MiB one holding its
    // ballast; a runtime that is not installed is a note.
    void runtimesSeriesRunsEachRuntime()
    {
        RuntimesConfig c;
        c.sizesMb = {0, 64};
        c.runs = 2;
        c.warmup = 0;
        c.target = floorTarget();
        const Outcome out = runRuntimesSeries(c);
        QVERIFY2(out.error.empty(), out.error.c_str());
        const std::map<std::string, QString> programs{
            {"python", "python3"}, {"go", "go"}, {"node", "node"}};
        for (const std::string &runtime : knownRuntimes()) {
            std::vector<Point> points;
            for (const Point &p : out.points)
                if (p.strategy == runtime) points.push_back(p);
            if (QStandardPaths::findExecutable(programs.at(runtime)).isEmpty()) {
                QVERIFY(points.empty());
                QVERIFY(std::any_of(out.notes.begin(), out.notes.end(), [&](const auto &n) {
                    return n.starts_with(runtime + ": not measured");
                }));
                continue;
            }
            QCOMPARE(points.size(), std::size_t(2));
            for (const Point &p : points) {
                QCOMPARE(p.series, "runtimes");
                QCOMPARE(p.stats.count, std::size_t(2));
                QCOMPARE(p.failures, 0);
                QVERIFY(p.stats.min > 0);
                QVERIFY2(!p.api.empty() && !p.version.empty(), runtime.c_str());
            }
            QCOMPARE(points[1].rssMb, std::uint64_t(64));
            QVERIFY2(points[1].rssKbMeasured - points[0].rssKbMeasured > 60 * 1024,
                     qPrintable(QString("%1: %2 -> %3 kB")
                                    .arg(runtime.c_str())
                                    .arg(points[0].rssKbMeasured)
                                    .arg(points[1].rssKbMeasured)));
        }
        QVERIFY(out.notes.empty() || out.points.size() < 6);
    }

    // What the series cannot measure is said; only when nothing could be
    // measured is it an error.
    void runtimesSeriesNotes()
    {
        RuntimesConfig c;
        c.runtimes = {"python"};
        c.sizesMb = {0};
        c.runs = 2;
        c.warmup = 0;
        c.target = "/bin/false"; // every spawn fails: the driver says so
        Outcome out = runRuntimesSeries(c);
        QVERIFY2(out.error.find("no runtime could be measured") != std::string::npos,
                 out.error.c_str());
        QCOMPARE(out.notes.size(), std::size_t(1));
        QVERIFY2(out.notes.front().find("false failed at 0 MiB") != std::string::npos,
                 out.notes.front().c_str());

        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", "/nonexistent");
        c.target.clear();
        out = runRuntimesSeries(c);
        qputenv("PATH", path);
        QCOMPARE(out.notes.size(), std::size_t(1));
        QCOMPARE(out.notes.front(), "python: not measured, python3 is not found on PATH");

        c.runtimes = {"ruby"};
        QVERIFY(runRuntimesSeries(c).error.find("\"ruby\"") != std::string::npos);
        std::atomic<bool> cancel{true};
        c.runtimes = {"python"};
        c.cancel = &cancel;
        QVERIFY(runRuntimesSeries(c).cancelled);
    }

    void closeFdsSeriesRefusesPosixSpawn()
    {
        CloseFdsConfig c;
        c.strategy = "posix_spawn";
        QVERIFY(runCloseFdsSeries(c).error.find("posix_spawn") != std::string::npos);
        c.strategy = "vfork";
        c.methods = {"auto"};
        QVERIFY(runCloseFdsSeries(c).error.find("auto") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestBenchRun)
#include "tst_bench_run.moc"
