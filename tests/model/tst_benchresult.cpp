// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark results in the GUI's model: points and reports read back exactly
// what the core's writers print, errors name the key, the fork cost fit.
#include "plan/benchresult.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace spawnlab;
namespace bench = spawnlab::bench;

namespace {

bench::Point rssPoint(const std::string &strategy, std::uint64_t mib, double medianUs)
{
    bench::Point p;
    p.strategy = strategy;
    p.rssMb = mib;
    p.rssKbMeasured = (long long)(mib * 1024 + 6000);
    p.anonHugeKb = 2048;
    p.thp = "on";
    p.failures = 1;
    p.stats = bench::computeStats({medianUs - 10, medianUs, medianUs + 30});
    return p;
}

bench::Point closeFdsPoint()
{
    bench::Point p;
    p.series = "close_fds";
    p.strategy = "clone_vm";
    p.phase = bench::Phase::ExecConfirmed;
    p.closeMethod = "brute";
    p.axis = "nofile";
    p.openFds = 7;
    p.nofile = 65536;
    p.stats = bench::computeStats({1.25, 2.5, 100});
    return p;
}

// One point of each of the memory, threads and runtimes series.
std::vector<bench::Point> newSeriesPoints()
{
    bench::Point memory = rssPoint("fork", 256, 5315.2);
    memory.series = "memory";
    memory.shape = "reserved";
    memory.vmas = 128;
    bench::Point threads = rssPoint("clone_vm", 0, 98.5);
    threads.series = "threads";
    threads.threads = 8;
    threads.spawnsPerSecond = bench::computeStats({8156.25, 7643.5, 16912.125});
    bench::Point runtime = rssPoint("node", 1024, 44000);
    runtime.series = "runtimes";
    runtime.api = "child_process.spawnSync";
    runtime.version = "v20.20.2";
    return {memory, threads, runtime};
}

void compareStats(const bench::Stats &a, const bench::Stats &b)
{
    QCOMPARE(a.count, b.count);
    // The writers round to nanoseconds.
    for (auto [x, y] : {std::pair{a.min, b.min},
                        {a.p10, b.p10},
                        {a.median, b.median},
                        {a.p90, b.p90},
                        {a.p99, b.p99},
                        {a.mean, b.mean}})
        QVERIFY2(std::abs(x - y) < 0.0006, qPrintable(QString("%1 vs %2").arg(x).arg(y)));
}

void comparePoints(const bench::Point &a, const bench::Point &b)
{
    QCOMPARE(a.series, b.series);
    QCOMPARE(a.strategy, b.strategy);
    QCOMPARE(a.phase, b.phase);
    QCOMPARE(a.rssMb, b.rssMb);
    QCOMPARE(a.rssKbMeasured, b.rssKbMeasured);
    QCOMPARE(a.anonHugeKb, b.anonHugeKb);
    QCOMPARE(a.thp, b.thp);
    QCOMPARE(a.failures, b.failures);
    QCOMPARE(a.closeMethod, b.closeMethod);
    QCOMPARE(a.axis, b.axis);
    QCOMPARE(a.openFds, b.openFds);
    QCOMPARE(a.nofile, b.nofile);
    QCOMPARE(a.shape, b.shape);
    QCOMPARE(a.vmas, b.vmas);
    QCOMPARE(a.threads, b.threads);
    QCOMPARE(a.api, b.api);
    QCOMPARE(a.version, b.version);
    compareStats(a.stats, b.stats);
    QCOMPARE(a.spawnsPerSecond.count, b.spawnsPerSecond.count);
    if (a.threads >= 0)
        for (auto [x, y] : {std::pair{a.spawnsPerSecond.median, b.spawnsPerSecond.median},
                            {a.spawnsPerSecond.p10, b.spawnsPerSecond.p10},
                            {a.spawnsPerSecond.p90, b.spawnsPerSecond.p90}})
            QVERIFY2(std::abs(x - y) < 0.0006, qPrintable(QString("%1 vs %2").arg(x).arg(y)));
}

QString loadError(const QByteArray &text)
{
    return loadBenchResult(text).error;
}

} // namespace

class TestBenchResult : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pointRoundTrip()
    {
        std::vector<bench::Point> points = newSeriesPoints();
        points.push_back(rssPoint("vfork", 256, 410.123456));
        points.push_back(closeFdsPoint());
        for (const bench::Point &p : points) {
            const QByteArray line = QByteArray::fromStdString(bench::pointJson(p));
            QString error;
            auto back = pointFromJson(QJsonDocument::fromJson(line).object(), "p", &error);
            QVERIFY2(back, qPrintable(error));
            comparePoints(*back, p);
        }
    }

    void reportRoundTrip()
    {
        bench::Meta meta;
        meta.series = "rss";
        meta.kernel = "Linux 6.1";
        meta.cpu = "a CPU, 2 online";
        meta.glibc = "2.36";
        meta.machine = "vm (QEMU)";
        meta.vulnerabilities = {{"meltdown", "Not affected"},
                                {"retbleed", "Vulnerable"},
                                {"spectre_v2", "Mitigation: Retpolines"}};
        meta.thp = "off";
        meta.thpSystem = "madvise";
        meta.target = "/bin/true";
        meta.runs = 50;
        meta.warmup = 4;
        meta.passes = 2;
        meta.notes = {"RLIMIT_NOFILE 1048576 is above the hard limit"};
        const std::vector<bench::Point> points{rssPoint("fork", 0, 800),
                                               rssPoint("fork", 1024, 25000), closeFdsPoint()};
        const BenchLoad load =
            loadBenchResult(QByteArray::fromStdString(bench::reportJson(meta, points)));
        QVERIFY2(load.ok(), qPrintable(load.error));
        const bench::Meta &m = load.result.meta;
        QCOMPARE(m.kernel, meta.kernel);
        QCOMPARE(m.cpu, meta.cpu);
        QCOMPARE(m.glibc, meta.glibc);
        QCOMPARE(m.machine, meta.machine);
        QCOMPARE(m.vulnerabilities, meta.vulnerabilities);
        QCOMPARE(environmentText(m), QStringLiteral("Linux 6.1 · a CPU, 2 online · glibc 2.36 · "
                                                    "vm (QEMU) · THP madvise · mitigations: 1 on, "
                                                    "1 vulnerable"));
        QVERIFY(
            environmentText(m, true).endsWith(QLatin1String("spectre_v2: Mitigation: Retpolines")));
        QCOMPARE(m.thp, meta.thp);
        QCOMPARE(m.thpSystem, meta.thpSystem);
        QCOMPARE(m.target, meta.target);
        QCOMPARE(m.runs, 50);
        QCOMPARE(m.warmup, 4);
        QCOMPARE(m.passes, 2);
        QCOMPARE(m.notes, meta.notes);
        QCOMPARE(load.result.points.size(), points.size());
        for (std::size_t i = 0; i < points.size(); ++i)
            comparePoints(load.result.points[i], points[i]);

        // Saved again, it names both series and reads back the same.
        const QByteArray again = benchResultJson(load.result);
        QVERIFY(again.contains("\"series\": \"rss,close_fds\""));
        QCOMPARE(loadBenchResult(again).result.points.size(), points.size());
    }

    void jsonLines()
    {
        const std::string text = bench::pointJson(rssPoint("clone_vm", 0, 400)) + "\n\n" +
                                 bench::pointJson(closeFdsPoint()) + "\n";
        const BenchLoad load = loadBenchResult(QByteArray::fromStdString(text));
        QVERIFY2(load.ok(), qPrintable(load.error));
        QCOMPARE(load.result.points.size(), std::size_t(2));
        QVERIFY(load.result.hasSeries("rss"));
        QCOMPARE(load.result.select("close_fds", bench::Phase::ExecConfirmed).size(),
                 std::size_t(1));
        QVERIFY(load.result.select("close_fds").empty()); // no round trip among them
    }

    // The worker's jsonl: its metadata first (bench::metaJson), then the points.
    void jsonLinesWithMetadata()
    {
        bench::Meta meta;
        meta.series = "rss";
        meta.kernel = "Linux 6.1";
        meta.vulnerabilities = {{"retbleed", "Vulnerable"}};
        meta.target = "/bin/true";
        meta.runs = 7;
        meta.passes = 2;
        meta.notes = {"a note"};
        const std::string text = bench::metaJson(meta) + "\n" +
                                 bench::pointJson(rssPoint("vfork", 0, 400)) + "\n" +
                                 bench::notesJson({"found late"}) + "\n";
        QCOMPARE(std::count(text.begin(), text.end(), '\n'), 3); // each one line
        const BenchLoad load = loadBenchResult(QByteArray::fromStdString(text));
        QVERIFY2(load.ok(), qPrintable(load.error));
        QCOMPARE(load.result.points.size(), std::size_t(1));
        QCOMPARE(load.result.meta.kernel, meta.kernel);
        QCOMPARE(load.result.meta.vulnerabilities, meta.vulnerabilities);
        QCOMPARE(load.result.meta.target, meta.target);
        QCOMPARE(load.result.meta.runs, 7);
        QCOMPARE(load.result.meta.passes, 2);
        QCOMPARE(load.result.meta.notes, (std::vector<std::string>{"a note", "found late"}));
    }

    void removeSeries()
    {
        BenchResult r;
        r.points = {rssPoint("fork", 0, 1), closeFdsPoint(), rssPoint("vfork", 0, 1)};
        r.removeSeries("rss");
        QCOMPARE(r.points.size(), std::size_t(1));
        QCOMPARE(r.points.front().series, std::string("close_fds"));
    }

    void errorsNameTheKey_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("error");
        const QByteArray good = QByteArray::fromStdString(bench::pointJson(rssPoint("fork", 0, 9)));
        QTest::newRow("not json") << QByteArray("{\"spawnlab_bench\": ") << "not JSON";
        QTest::newRow("wrong version") << QByteArray("{\"spawnlab_bench\": 2, \"points\": []}")
                                       << "spawnlab_bench: expected 1";
        QTest::newRow("points not a list") << QByteArray("{\"spawnlab_bench\": 1, \"points\": {}}")
                                           << "points: expected a list, got an object";
        QTest::newRow("median a string")
            << QByteArray("{\"spawnlab_bench\": 1, \"points\": [" + good + ", " +
                          QByteArray(good).replace("\"median_us\":9", "\"median_us\":\"9\"") + "]}")
            << "points[1].median_us: expected a number, got \"9\"";
        QTest::newRow("negative runs") << QByteArray(good).replace("\"runs\":3", "\"runs\":-3")
                                       << "line 1.runs: expected a whole number >= 0, got -3";
        QTest::newRow("bad phase") << QByteArray(good).replace("round_trip", "sometime")
                                   << "line 1.phase: \"sometime\" is not round_trip";
        QTest::newRow("bad series")
            << QByteArray(good).replace("\"rss\"", "\"mem\"")
            << "line 1.series: \"mem\" is not one of rss, memory, threads, close_fds, runtimes";
        QTest::newRow("second line broken")
            << QByteArray(good + "\n[1]\n") << "line 2: not a JSON object";
        QTest::newRow("a list") << QByteArray("[1, 2]") << "expected a spawnlab-cli bench report";
        QTest::newRow("no strategy") << QByteArray("{\"median_us\": 3}") << "line 1.strategy";
        QTest::newRow("metadata of another version")
            << QByteArray("{\"spawnlab_bench\": 2}\n" + good)
            << "line 1: spawnlab_bench: expected 1";
    }

    void errorsNameTheKey()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, error);
        const QString got = loadError(text);
        QVERIFY2(got.contains(error), qPrintable(got));
    }

    void csvIsTheCoreWriters()
    {
        BenchResult r;
        r.points = {rssPoint("fork", 0, 800), closeFdsPoint()};
        QCOMPARE(benchResultCsv(r), QByteArray::fromStdString(bench::reportCsv(r.points)));
    }

    void filesAreWrittenWholeOrNotAtAll()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("r.json");
        QString error;
        QVERIFY(writeFileAtomically(path, "{}", &error));
        QVERIFY(!writeFileAtomically(dir.filePath("missing/r.json"), "{}", &error));
        QVERIFY2(error.contains("missing/r.json"), qPrintable(error));
        const BenchLoad load = loadBenchResultFile(dir.filePath("nope.json"));
        QVERIFY(load.error.startsWith("cannot read "));
    }

    // fork at VmRSS 0, 1 and 2 GiB: 1, 25 and 49 ms -> 24 ms per GiB.
    void forkCost()
    {
        BenchResult r;
        for (int gib = 0; gib < 3; ++gib) {
            bench::Point p = rssPoint("fork", 0, 1000.0 + 24000.0 * gib);
            p.rssKbMeasured = gib * 1024 * 1024;
            r.points.push_back(p);
            r.points.push_back(rssPoint("vfork", std::uint64_t(gib) * 1024, 400)); // not fork
        }
        const bench::LineFit fit = forkCostFit(r);
        QVERIFY(fit.valid);
        QCOMPARE(fit.slope, 24.0);
        QCOMPARE(fit.intercept, 1.0);
        QVERIFY(!forkCostFit(r, "posix_spawn").valid);
    }
};

QTEST_GUILESS_MAIN(TestBenchResult)
#include "tst_benchresult.moc"
