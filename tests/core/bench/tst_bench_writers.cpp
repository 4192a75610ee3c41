// SPDX-License-Identifier: GPL-3.0-or-later
// The JSON and CSV writers: the contract's keys, valid JSON, CSV columns that
// line up, quoting.
#include "spawnlab/bench.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace spawnlab::bench;

namespace {

Point samplePoint()
{
    Point p;
    p.strategy = "vfork";
    p.rssMb = 1024;
    p.rssKbMeasured = 1050123;
    p.anonHugeKb = 0;
    p.stats = computeStats({100, 200, 300, 400, 500});
    return p;
}

QJsonObject parseObject(const std::string &text)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(text), &error);
    if (error.error != QJsonParseError::NoError) qWarning() << error.errorString() << text.c_str();
    return doc.object();
}

QStringList csvLines(const std::string &csv)
{
    return QString::fromStdString(csv).split('\n', Qt::SkipEmptyParts);
}

} // namespace

class TestBenchWriters : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pointJsonHasTheContractKeys()
    {
        const std::string line = pointJson(samplePoint());
        QVERIFY(line.find('\n') == std::string::npos);
        const QJsonObject o = parseObject(line);
        QCOMPARE(o["strategy"].toString(), "vfork");
        QCOMPARE(o["rss_mb"].toInt(), 1024);
        QCOMPARE(o["rss_kb_measured"].toInt(), 1050123);
        QCOMPARE(o["runs"].toInt(), 5);
        QCOMPARE(o["min_us"].toDouble(), 100.0);
        QCOMPARE(o["p10_us"].toDouble(), 140.0);
        QCOMPARE(o["median_us"].toDouble(), 300.0);
        QCOMPARE(o["p90_us"].toDouble(), 460.0);
        QCOMPARE(o["p99_us"].toDouble(), 496.0);
        QCOMPARE(o["mean_us"].toDouble(), 300.0);
        QCOMPARE(o["phase"].toString(), "round_trip");
        QCOMPARE(o["series"].toString(), "rss");
        QVERIFY(!o.contains("close_method")); // only in the close_fds series
    }

    void pointJsonRoundsToNanoseconds()
    {
        Point p = samplePoint();
        p.stats.median = 123.456789;
        QCOMPARE(parseObject(pointJson(p))["median_us"].toDouble(), 123.457);
    }

    void closeFdsPointJson()
    {
        Point p = samplePoint();
        p.series = "close_fds";
        p.phase = Phase::ExecConfirmed;
        p.closeMethod = "brute";
        p.axis = "nofile";
        p.openFds = 6;
        p.nofile = 1048576;
        const QJsonObject o = parseObject(pointJson(p));
        QCOMPARE(o["phase"].toString(), "exec_confirmed");
        QCOMPARE(o["close_method"].toString(), "brute");
        QCOMPARE(o["axis"].toString(), "nofile");
        QCOMPARE(o["open_fds"].toInt(), 6);
        QCOMPARE(o["nofile"].toInt(), 1048576);
    }

    // The memory, threads and runtimes series add their keys (DESIGN.md, the
    // bench contract); a point of another series has none of them.
    void seriesKeys()
    {
        Point memory = samplePoint();
        memory.series = "memory";
        memory.shape = "vmas";
        memory.vmas = 10127;
        QJsonObject o = parseObject(pointJson(memory));
        QCOMPARE(o["shape"].toString(), "vmas");
        QCOMPARE(o["vmas"].toInt(), 10127);
        QVERIFY(!o.contains("threads"));

        Point threads = samplePoint();
        threads.series = "threads";
        threads.threads = 4;
        threads.spawnsPerSecond = computeStats({1000, 2000, 3000});
        o = parseObject(pointJson(threads));
        QCOMPARE(o["threads"].toInt(), 4);
        QCOMPARE(o["spawns_per_s"].toDouble(), 2000.0);
        QCOMPARE(o["spawns_per_s_p10"].toDouble(), 1200.0);
        QCOMPARE(o["spawns_per_s_p90"].toDouble(), 2800.0);
        QCOMPARE(o["windows"].toInt(), 3);
        QVERIFY(!o.contains("shape") && !o.contains("api"));

        Point runtime = samplePoint();
        runtime.series = "runtimes";
        runtime.strategy = "python";
        runtime.api = "subprocess.run";
        runtime.version = "3.11.2";
        o = parseObject(pointJson(runtime));
        QCOMPARE(o["api"].toString(), "subprocess.run");
        QCOMPARE(o["version"].toString(), "3.11.2");

        const QJsonObject plain = parseObject(pointJson(samplePoint()));
        for (const char *key : {"shape", "vmas", "threads", "spawns_per_s", "api", "version"})
            QVERIFY2(!plain.contains(key), key);
    }

    void reportJsonHasMetadataAndPoints()
    {
        Meta meta;
        meta.kernel = "Linux 6.1 \"quoted\"\\";
        meta.cpu = "x, 2 online";
        meta.thp = "on";
        meta.thpSystem = "madvise";
        meta.target = "/opt/spawnlab-noop";
        meta.series = "rss";
        meta.runs = 5;
        meta.warmup = 1;
        meta.notes = {"a\nnote"};
        Point second = samplePoint();
        second.strategy = "raw_vfork";
        const QJsonObject o = parseObject(reportJson(meta, {samplePoint(), second}));
        QCOMPARE(o["kernel"].toString(), "Linux 6.1 \"quoted\"\\");
        QCOMPARE(o["thp"].toString(), "on");
        QCOMPARE(o["thp_system"].toString(), "madvise");
        QCOMPARE(o["target"].toString(), "/opt/spawnlab-noop");
        QCOMPARE(o["runs"].toInt(), 5);
        QCOMPARE(o["notes"].toArray().first().toString(), "a\nnote");
        const QJsonArray points = o["points"].toArray();
        QCOMPARE(points.size(), 2);
        QCOMPARE(points[1].toObject()["strategy"].toString(), "raw_vfork");

        QCOMPARE(parseObject(reportJson(meta, {}))["points"].toArray().size(), 0);
    }

    void csvColumnsLineUp()
    {
        Point closeFds = samplePoint();
        closeFds.series = "close_fds";
        closeFds.closeMethod = "close_range";
        closeFds.axis = "open_fds";
        closeFds.openFds = 1000;
        closeFds.nofile = 1088;
        const QStringList lines = csvLines(reportCsv({samplePoint(), closeFds}));
        QCOMPARE(lines.size(), 3);
        const QStringList header = lines[0].split(',');
        QCOMPARE(header.mid(0, 10),
                 QStringList({"strategy", "rss_mb", "rss_kb_measured", "runs", "min_us", "p10_us",
                              "median_us", "p90_us", "p99_us", "mean_us"}));
        for (int i = 1; i < lines.size(); ++i)
            QCOMPARE(lines[i].split(',').size(), header.size());
        const QStringList row = lines[1].split(',');
        QCOMPARE(row[header.indexOf("strategy")], "vfork");
        QCOMPARE(row[header.indexOf("median_us")], "300");
        QCOMPARE(row[header.indexOf("close_method")], "");
        QCOMPARE(row[header.indexOf("open_fds")], "");
        const QStringList second = lines[2].split(',');
        QCOMPARE(second[header.indexOf("close_method")], "close_range");
        QCOMPARE(second[header.indexOf("open_fds")], "1000");
        QCOMPARE(second[header.indexOf("nofile")], "1088");
    }

    void csvQuotesFieldsWithCommas()
    {
        Point p = samplePoint();
        p.strategy = "odd,\"name\"";
        QVERIFY(csvRow(p).rfind("\"odd,\"\"name\"\"\",", 0) == 0);
    }
};

QTEST_GUILESS_MAIN(TestBenchWriters)
#include "tst_bench_writers.moc"
