// SPDX-License-Identifier: GPL-3.0-or-later
// BenchController with the real worker (spawnlab-cli bench) on tiny runs: the
// signals arrive in order with real points, Cancel keeps the points so far,
// worker errors come back as one sentence, and stale runs stay silent.
#include "run/benchcontroller.h"

#include <QSignalSpy>

#include <QTest>
#include <sys/resource.h>

using namespace spawnlab;
namespace bench = spawnlab::bench;

namespace {

BenchRequest tinyRss(QList<quint64> sizes)
{
    BenchRequest r;
    r.strategies = {QStringLiteral("vfork"), QStringLiteral("raw_vfork")};
    r.sizesMb = std::move(sizes);
    r.runs = 3;
    r.warmup = 1;
    return r;
}

} // namespace

class TestBenchController : public QObject
{
    Q_OBJECT

    BenchController *make()
    {
        auto *c = new BenchController(this);
        c->setWorkerProgram(QStringLiteral(SPAWNLAB_CLI));
        return c;
    }

private Q_SLOTS:
    void argumentsFollowTheCli()
    {
        BenchRequest r = tinyRss({0, 64});
        r.thp = QStringLiteral("off");
        QCOMPARE(r.arguments().join(u' '),
                 QStringLiteral("--series rss --strategies vfork,raw_vfork --sizes-mb 0,64 "
                                "--passes 1 --thp off --runs 3 --warmup 1 --format jsonl"));
        BenchRequest c;
        c.series = QStringLiteral("close_fds");
        c.closeMethods = {QStringLiteral("close_range")};
        c.nofile = {1024, 4096};
        QCOMPARE(c.arguments().join(u' '),
                 QStringLiteral("--series close_fds --close-methods close_range --nofile "
                                "1024,4096 --format jsonl"));
    }

    void tinyRunStreamsPointsAndProgress()
    {
        BenchController *c = make();
        QSignalSpy started(c, &BenchController::started);
        QSignalSpy points(c, &BenchController::pointAvailable);
        QSignalSpy progress(c, &BenchController::progress);
        QSignalSpy finished(c, &BenchController::finished);
        QSignalSpy failed(c, &BenchController::failed);
        QSignalSpy running(c, &BenchController::runningChanged);
        QStringList order; // "p" progress, "x" point: progress must come before the last pass
        connect(c, &BenchController::progress, this, [&order] { order << "p"; });
        connect(c, &BenchController::pointAvailable, this, [&order] { order << "x"; });
        BenchRequest r = tinyRss({0, 32});
        r.passes = 2;
        c->start(r);
        QVERIFY(c->isRunning());
        QVERIFY(finished.wait(60000));
        QVERIFY2(failed.isEmpty(),
                 failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(started.count(), 1);
        QCOMPARE(running.count(), 2);
        QVERIFY(!c->isRunning());
        // 2 strategies x 2 sizes, each a round trip, an exec-confirmed and a
        // spawn-returned point.
        QCOMPARE(points.count(), 12);
        // One report per visit of a size: 2 sizes x 2 passes, the first pass's before any point.
        QCOMPARE(progress.count(), 4);
        QVERIFY2(order.join("").startsWith("pp"), qPrintable(order.join("")));
        for (int i = 0; i < progress.count(); ++i) {
            QCOMPARE(progress.at(i).at(0).toInt(), i + 1);
            QCOMPARE(progress.at(i).at(1).toInt(), 4);
        }
        const BenchResult result = finished.at(0).at(0).value<BenchResult>();
        QCOMPARE(result.points.size(), std::size_t(12));
        QCOMPARE(result.meta.runs, 3);
        QCOMPARE(result.meta.passes, 2);
        QVERIFY(!result.meta.kernel.empty());
        long long at0 = -1, at32 = -1;
        for (const bench::Point &p : result.select("rss")) {
            QCOMPARE(p.stats.count, std::size_t(3));
            QVERIFY(p.stats.median > 0);
            (p.rssMb == 0 ? at0 : at32) = p.rssKbMeasured;
        }
        // The ballast grew the worker's RSS, measured in the worker.
        QVERIFY2(at32 - at0 > 28 * 1024, qPrintable(QString("%1 -> %2 KiB").arg(at0).arg(at32)));
    }

    void cancelKeepsThePointsSoFar()
    {
        BenchController *c = make();
        QSignalSpy points(c, &BenchController::pointAvailable);
        QSignalSpy cancelled(c, &BenchController::cancelled);
        QSignalSpy finished(c, &BenchController::finished);
        BenchRequest r = tinyRss({0, 1, 2, 3, 4, 5, 6, 7});
        r.strategies = {QStringLiteral("raw_vfork")};
        r.runs = 20000; // minutes: only Cancel ends it soon
        r.warmup = 0;
        c->start(r);
        QVERIFY(points.wait(120000));
        const int before = points.count();
        c->cancel();
        QVERIFY(cancelled.wait(60000));
        QVERIFY(finished.isEmpty());
        const BenchResult result = cancelled.at(0).at(0).value<BenchResult>();
        QVERIFY(result.points.size() >= std::size_t(before));
        QVERIFY(result.points.size() < std::size_t(16)); // it did stop early
        QVERIFY(!c->isRunning());
    }

    // What the worker skipped, and why, stays with the result (and its exported JSON).
    void skippedWorkIsNoted()
    {
        rlimit limit{};
        QCOMPARE(getrlimit(RLIMIT_NOFILE, &limit), 0);
        if (limit.rlim_max >= 1048576 || setrlimit(RLIMIT_NOFILE, &limit) != 0)
            QSKIP("this machine can raise RLIMIT_NOFILE to 1048576: nothing is skipped");
        rlimit raised = limit;
        raised.rlim_max = limit.rlim_max + 1;
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0) {
            setrlimit(RLIMIT_NOFILE, &limit);
            QSKIP("this process may raise its hard limit: nothing is skipped");
        }
        BenchController *c = make();
        QSignalSpy finished(c, &BenchController::finished);
        BenchRequest r;
        r.series = QStringLiteral("close_fds");
        r.strategies = {QStringLiteral("vfork")};
        r.closeMethods = {QStringLiteral("close_range")};
        r.openFds = {10};
        r.nofile = {1048576};
        r.runs = 3;
        r.warmup = 0;
        c->start(r);
        QVERIFY(finished.wait(60000));
        const BenchResult result = finished.at(0).at(0).value<BenchResult>();
        bool noted = false;
        for (const std::string &note : result.meta.notes)
            noted = noted || note.find("measured at the hard limit") != std::string::npos;
        QVERIFY2(noted, result.meta.notes.empty() ? "no notes" : result.meta.notes.front().c_str());
        QVERIFY(!result.points.empty());
    }

    void tooBigForTheMachine()
    {
        BenchController *c = make();
        QSignalSpy failed(c, &BenchController::failed);
        c->start(tinyRss({quint64(1) << 30})); // 1 PiB: in range, above any RAM
        QVERIFY(failed.wait(60000));
        const QString message = failed.at(0).at(0).toString();
        QVERIFY2(message.contains("--sizes-mb") &&
                     message.contains("more than this machine can hold"),
                 qPrintable(message));
        QVERIFY(!message.startsWith("spawnlab-cli:"));
    }

    void badOptionIsReported()
    {
        BenchController *c = make();
        QSignalSpy failed(c, &BenchController::failed);
        BenchRequest r = tinyRss({0});
        r.thp = QStringLiteral("sometimes");
        c->start(r);
        QVERIFY(failed.wait(60000));
        const QString message = failed.at(0).at(0).toString();
        QVERIFY2(message.contains("--thp: \"sometimes\" is not one of"), qPrintable(message));
    }

    void missingWorker()
    {
        BenchController c;
        c.setWorkerProgram(QStringLiteral("/nonexistent/spawnlab-cli"));
        QSignalSpy failed(&c, &BenchController::failed);
        c.start(tinyRss({0}));
        QVERIFY(failed.wait(30000));
        const QString message = failed.at(0).at(0).toString();
        QVERIFY2(message.contains("/nonexistent/spawnlab-cli") && message.contains("ENOENT"),
                 qPrintable(message));
    }

    // A second start supersedes the first: only the second's points and end arrive.
    void supersededRunIsSilent()
    {
        BenchController *c = make();
        QSignalSpy finished(c, &BenchController::finished);
        QSignalSpy cancelled(c, &BenchController::cancelled);
        QSignalSpy failed(c, &BenchController::failed);
        BenchRequest slow = tinyRss({0, 1, 2, 3});
        slow.runs = 20000;
        c->start(slow);
        BenchRequest quick = tinyRss({0});
        quick.strategies = {QStringLiteral("vfork")};
        const quint64 second = c->start(quick);
        QCOMPARE(c->generation(), second);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.count(), 1);
        const BenchResult result = finished.at(0).at(0).value<BenchResult>();
        for (const bench::Point &p : result.points)
            QCOMPARE(p.strategy, std::string("vfork"));
        QCOMPARE(result.points.size(), std::size_t(3));
        QVERIFY(cancelled.isEmpty());
        QVERIFY(failed.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestBenchController)
#include "tst_benchcontroller.moc"
