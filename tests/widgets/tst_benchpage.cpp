// SPDX-License-Identifier: GPL-3.0-or-later
// The Benchmark page offscreen: a recorded result (tests/widgets/data, a real run
// of spawnlab-cli bench) drawn per strategy with bands, tooltips, the fork
// cost and log axes; comparison; every export; the setup's checks and its
// settings; and a tiny real run streamed through the page with its progress.
#include "bench/benchpage.h"
#include "bench/benchsetup.h"
#include "bench/closefdschart.h"
#include "bench/latencychart.h"
#include "bench/memorychart.h"
#include "bench/runtimeschart.h"
#include "bench/threadschart.h"
#include "qs.h"
#include "run/benchcontroller.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace spawnlab;
namespace bench = spawnlab::bench;

namespace {

const QString kRecorded =
    QStringLiteral(SPAWNLAB_SOURCE_DIR "/tests/widgets/data/bench_result.json");

// The pixel of a chart's point: where a user would hover.
QPoint pixelOf(BenchChart *chart, QCPAxisRect *rect, double x, double y)
{
    const QPointF px(rect->axis(QCPAxis::atBottom)->coordToPixel(x),
                     rect->axis(QCPAxis::atLeft)->coordToPixel(y));
    Q_UNUSED(chart);
    return px.toPoint();
}

int legendNames(QCustomPlot *plot, const QString &name)
{
    int n = 0;
    for (int i = 0; i < plot->legend->itemCount(); ++i)
        if (auto *item = qobject_cast<QCPPlottableLegendItem *>(plot->legend->item(i)))
            n += item->plottable()->name() == name;
    return n;
}

} // namespace

class TestBenchPage : public QObject
{
    Q_OBJECT

    std::unique_ptr<BenchPage> shown()
    {
        auto page = std::make_unique<BenchPage>();
        page->resize(1400, 900);
        page->show();
        if (!QTest::qWaitForWindowExposed(page.get())) qFatal("the page was never exposed");
        return page;
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void recordedResultIsDrawn()
    {
        auto page = shown();
        QString error;
        QVERIFY2(page->openResult(kRecorded, &error), qPrintable(error));
        LatencyChart *chart = page->latencyChart();
        const BenchResult &r = page->result();
        // One median curve per strategy; the core's four have a band, the raw baselines are dotted.
        QCOMPARE(chart->curveCount(), 6);
        for (const char *s : {"fork", "vfork", "clone_vm", "posix_spawn", "raw_fork", "raw_vfork"})
            QCOMPARE(legendNames(chart, QString::fromLatin1(s)), 1);
        QCOMPARE(chart->graphCount(), 4 * 3 + 2);
        for (int i = 0; i < chart->graphCount(); ++i) {
            const QCPGraph *g = chart->graph(i);
            if (g->name().startsWith("raw_")) QCOMPARE(g->pen().style(), Qt::DotLine);
            if (g->name() == "fork") QCOMPARE(g->pen().style(), Qt::SolidLine);
        }
        QVERIFY2(chart->title().contains(QRegularExpression("fork: \\d+\\.\\d ms per GiB")),
                 qPrintable(chart->title()));
        const bench::LineFit fit = forkCostFit(r);
        QVERIFY(fit.valid && fit.slope > 1); // fork grows with RSS, even in a debug build
        QVERIFY(chart->forkCostText().contains(QString::number(fit.slope, 'f', 1)));

        // Hovering a point says what it is: take the one farthest from all others.
        auto pixel = [&](const bench::Point &p) {
            return pixelOf(chart, chart->axisRect(), double(p.rssKbMeasured) / 1024.0,
                           p.stats.median / 1000.0);
        };
        const auto all = r.select("rss");
        bench::Point loneliest;
        double widest = -1;
        for (const bench::Point &p : all) {
            double nearest = 1e9;
            for (const bench::Point &q : all)
                if (&p != &q)
                    nearest = std::min(nearest, double((pixel(p) - pixel(q)).manhattanLength()));
            if (nearest > widest) {
                widest = nearest;
                loneliest = p;
            }
        }
        const QString tip = chart->tooltipAt(pixel(loneliest));
        const QString expected = QStringLiteral("%1 at %2 MiB ballast")
                                     .arg(QString::fromStdString(loneliest.strategy))
                                     .arg(loneliest.rssMb);
        QVERIFY2(tip.startsWith(expected), qPrintable(tip + " / " + expected));
        QVERIFY(tip.contains("median") && tip.contains("p10–p90"));
        QVERIFY(chart->tooltipAt(QPoint(2, 2)).isEmpty());

        // The close_fds chart: per method, against open fds and against RLIMIT_NOFILE.
        CloseFdsChart *fds = page->closeFdsChart();
        QCOMPARE(fds->curveCount(), 6); // 3 methods x 2 axes
        QCOMPARE(legendNames(fds, "close_range"), 1);
        QCOMPARE(fds->openFdsRect()->axis(QCPAxis::atBottom)->scaleType(), QCPAxis::stLogarithmic);
        QVERIFY(!fds->openFdsRect()->graphs().isEmpty());
        QVERIFY(!fds->nofileRect()->graphs().isEmpty());
        QVERIFY2(!fds->title().contains("run the"), qPrintable(fds->title()));

        // The result holds no memory, threads or runtimes points: those charts
        // say which series to run, although the result is not empty.
        for (BenchChart *empty : std::initializer_list<BenchChart *>{
                 page->memoryChart(), page->threadsChart(), page->runtimesChart()}) {
            QVERIFY2(empty->title().contains(" — run the "), qPrintable(empty->title()));
        }
        QVERIFY2(!chart->title().contains("run the"), qPrintable(chart->title()));
    }

    void axesAndPhase()
    {
        auto page = shown();
        QString error;
        QVERIFY(page->openResult(kRecorded, &error));
        LatencyChart *chart = page->latencyChart();
        QCOMPARE(chart->xAxis->scaleType(), QCPAxis::stLinear);
        QCOMPARE(chart->yAxis->scaleType(), QCPAxis::stLogarithmic);
        page->logRssBox()->setChecked(true);
        QCOMPARE(chart->xAxis->scaleType(), QCPAxis::stLogarithmic);
        chart->setLogLatency(false);
        QCOMPARE(chart->yAxis->scaleType(), QCPAxis::stLinear);
        // raw_fork has no exec-confirmed points: one curve fewer.
        chart->setPhase(bench::Phase::ExecConfirmed);
        QCOMPARE(chart->curveCount(), 5);
        QCOMPARE(legendNames(chart, "raw_fork"), 0);
    }

    void comparison()
    {
        auto page = shown();
        QString error;
        QVERIFY(page->openResult(kRecorded, &error));
        QVERIFY(page->compareWith(kRecorded, &error));
        QCOMPARE(page->latencyChart()->curveCount(), 12);
        QCOMPARE(legendNames(page->latencyChart(), "vfork (bench_result)"), 1);
        // Dashed curves have no band: 4 x 3 + 2 + 6.
        QCOMPARE(page->latencyChart()->graphCount(), 20);
        page->clearComparison();
        QCOMPARE(page->latencyChart()->curveCount(), 6);
        QVERIFY(!page->compareWith("/nonexistent.json", &error));
        QVERIFY2(error.contains("/nonexistent.json"), qPrintable(error));
        QCOMPARE(page->latencyChart()->curveCount(), 6);
    }

    void badFileIsRefusedAndNothingIsLost()
    {
        auto page = shown();
        QTemporaryDir dir;
        QString error;
        QVERIFY(page->openResult(kRecorded, &error));
        const std::size_t before = page->result().points.size();
        const QString bad = dir.filePath("bad.json");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"spawnlab_bench\": 1, \"points\": [{\"strategy\": 5}]}");
        f.close();
        QVERIFY(!page->openResult(bad, &error));
        QVERIFY2(error.contains("points[0].strategy: expected a string, got 5"), qPrintable(error));
        QCOMPARE(page->result().points.size(), before);
    }

    void exports()
    {
        auto page = shown();
        QString error;
        QVERIFY(page->openResult(kRecorded, &error));
        QTemporaryDir dir;
        using E = BenchPage::Export;
        // Every chart, each shown in its tab.
        for (int tab = 0; tab < page->chartTabs()->count(); ++tab) {
            page->chartTabs()->setCurrentIndex(tab);
            const QString png = dir.filePath(QString("c%1.png").arg(tab));
            QVERIFY2(page->exportTo(E::ChartPng, png, &error), qPrintable(error));
            const QImage image(png);
            QVERIFY(!image.isNull());
            QVERIFY(image.width() >= 1000);
            const QString path = dir.filePath(QString("c%1.pdf").arg(tab));
            QVERIFY2(page->exportTo(E::ChartPdf, path, &error), qPrintable(error));
            QFile pdf(path);
            QVERIFY(pdf.open(QIODevice::ReadOnly));
            QVERIFY(pdf.read(5) == "%PDF-");
            QVERIFY(pdf.size() > 2000);
        }
        QVERIFY(page->exportTo(E::Csv, dir.filePath("p.csv"), &error));
        QFile csv(dir.filePath("p.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        QVERIFY(lines.front().startsWith("strategy,rss_mb,rss_kb_measured,runs,"));
        QCOMPARE(std::size_t(lines.size()), page->result().points.size() + 1);
        QVERIFY(page->exportTo(E::Json, dir.filePath("r.json"), &error));
        const BenchLoad again = loadBenchResultFile(dir.filePath("r.json"));
        QVERIFY2(again.ok(), qPrintable(again.error));
        QCOMPARE(again.result.points.size(), page->result().points.size());
        QCOMPARE(again.result.meta.series, std::string("rss,close_fds"));
        QVERIFY(!page->exportTo(E::Json, dir.filePath("no/such/dir.json"), &error));
        QVERIFY2(error.contains("no/such/dir.json"), qPrintable(error));
    }

    // The setup shows the core's defaults, the ones the CLI takes when unset.
    void setupStartsFromTheCoreDefaults()
    {
        const BenchSetup setup;
        const bench::RssConfig rss;
        const BenchRequest r = setup.memoryRequest();
        QCOMPARE(r.sizesMb, (QList<quint64>(rss.sizesMb.begin(), rss.sizesMb.end())));
        QCOMPARE(r.runs, rss.runs);
        QCOMPARE(r.passes, rss.passes);
        QCOMPARE(r.vmas, rss.vmaCount);
        const bench::ThreadsConfig threads;
        const BenchRequest t = setup.threadsRequest();
        QCOMPARE(t.threads, (QList<int>(threads.threads.begin(), threads.threads.end())));
        QCOMPARE(t.runs, threads.runs);
        QCOMPARE(t.windowSeconds, threads.windowSeconds);
        const bench::CloseFdsConfig closeFds;
        const BenchRequest c = setup.closeFdsRequest();
        QCOMPARE(c.openFds, (QList<qint64>(closeFds.openFds.begin(), closeFds.openFds.end())));
        QCOMPARE(c.nofile, (QList<qint64>(closeFds.nofile.begin(), closeFds.nofile.end())));
        QCOMPARE(c.runs, closeFds.runs);
        QStringList methods;
        for (const std::string &m : closeFds.methods)
            methods << qs(m);
        QCOMPARE(c.closeMethods, methods);
    }

    void setupChecksItsFields()
    {
        BenchSetup setup;
        QVERIFY(setup.runRssButton()->isEnabled());
        setup.sizesEdit()->setText("0,,256");
        QVERIFY(!setup.runRssButton()->isEnabled());
        QVERIFY(setup.runCloseFdsButton()->isEnabled()); // the other series is fine
        QCOMPARE(setup.problems().front().field, QString("rss.sizes"));
        setup.sizesEdit()->setText("0,9999999999");
        QVERIFY(setup.problems().front().message.contains("more than this machine can hold"));
        QVERIFY(!setup.runRssButton()->isEnabled());
        setup.sizesEdit()->setText("0, 64");
        QVERIFY(setup.runRssButton()->isEnabled());
        QCOMPARE(setup.rssRequest().sizesMb, (QList<quint64>{0, 64}));
        for (const char *s : {"fork", "vfork", "clone_vm", "posix_spawn", "raw_fork", "raw_vfork"})
            setup.strategyBox(s)->setChecked(false);
        QCOMPARE(setup.problems().front().field, QString("rss.strategies"));
        QVERIFY(!setup.runRssButton()->isEnabled());
        setup.strategyBox("vfork")->setChecked(true);
        QCOMPARE(setup.rssRequest().strategies, QStringList{"vfork"});
        setup.findChild<QLineEdit *>("target")->setText("/nonexistent/prog");
        QCOMPARE(setup.problems().front().field, QString("target"));
        QVERIFY(!setup.runRssButton()->isEnabled() && !setup.runCloseFdsButton()->isEnabled());
    }

    void setupIsRemembered()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        {
            BenchSetup setup;
            setup.sizesEdit()->setText("0,512");
            setup.rssRunsBox()->setValue(77);
            setup.strategyBox("posix_spawn")->setChecked(false);
            setup.saveSettings(settings);
        }
        BenchSetup restored;
        restored.restoreSettings(settings);
        QCOMPARE(restored.sizesEdit()->text(), QString("0,512"));
        QCOMPARE(restored.rssRunsBox()->value(), 77);
        QVERIFY(!restored.strategyBox("posix_spawn")->isChecked());
        QVERIFY(restored.strategyBox("fork")->isChecked());
    }

    // A real run through the page: indeterminate until the worker's first
    // report, then a fraction; the points land in the chart.
    void tinyRealRun()
    {
        auto page = shown();
        page->controller()->setWorkerProgram(QStringLiteral(SPAWNLAB_CLI));
        BenchSetup *setup = page->setup();
        for (const char *s : {"fork", "clone_vm", "posix_spawn", "raw_fork", "raw_vfork"})
            setup->strategyBox(s)->setChecked(false);
        setup->sizesEdit()->setText("0,16");
        setup->rssRunsBox()->setValue(3);
        setup->passesBox()->setValue(2);
        QSignalSpy progress(page->controller(), &BenchController::progress);
        QSignalSpy finished(page->controller(), &BenchController::finished);
        QSignalSpy running(page.get(), &BenchPage::runningChanged);
        page->runRss();
        QVERIFY(page->isRunning());
        QCOMPARE(running.count(), 1);
        QCOMPARE(page->progressBar()->maximum(), 0); // indeterminate
        QVERIFY(!setup->runRssButton()->isEnabled());
        QVERIFY(progress.wait(60000));
        // 2 sizes visited in each of 2 passes, the first before any point.
        QCOMPARE(page->progressBar()->maximum(), 4);
        QVERIFY(page->result().isEmpty());
        QVERIFY(finished.wait(60000) || !finished.isEmpty());
        QCOMPARE(page->progressBar()->value(), 4);
        QVERIFY(setup->runRssButton()->isEnabled());
        QCOMPARE(page->latencyChart()->curveCount(), 1);
        QCOMPARE(page->result().select("rss").size(), std::size_t(2));
        QVERIFY2(page->statusLabel()->text().startsWith("Done: 6 points"),
                 qPrintable(page->statusLabel()->text()));
    }

    // The memory and threads series run from the page: each brings its chart
    // to the front and draws there, and the other series' points stay.
    void memoryAndThreadsRealRuns()
    {
        auto page = shown();
        page->controller()->setWorkerProgram(QStringLiteral(SPAWNLAB_CLI));
        BenchSetup *setup = page->setup();
        for (const char *s : {"clone_vm", "posix_spawn", "raw_fork", "raw_vfork"})
            setup->strategyBox(s)->setChecked(false);
        setup->sizesEdit()->setText("0,16");
        setup->rssRunsBox()->setValue(2);
        setup->shapeBox("touched")->setChecked(false);
        setup->shapeBox("vmas")->setChecked(false);
        QSignalSpy finished(page->controller(), &BenchController::finished);
        page->run("memory");
        QVERIFY(page->isRunning());
        QCOMPARE(page->chartTabs()->currentWidget(), page->memoryChart());
        QVERIFY(finished.wait(60000));
        const QList<QCPAxisRect *> rects = page->memoryChart()->shapeRects();
        QVERIFY(rects[0]->graphs().isEmpty() && rects[2]->graphs().isEmpty());
        QVERIFY(!rects[1]->graphs().isEmpty());         // reserved
        QCOMPARE(page->memoryChart()->curveCount(), 2); // vfork, fork
        QCOMPARE(page->result().select("memory").size(), std::size_t(4));

        setup->shapeBox("reserved")->setChecked(false);
        QVERIFY(!setup->runButton("memory")->isEnabled()); // no shape left
        QCOMPARE(setup->problems().front().field, QString("memory.shapes"));
        setup->threadsEdit()->setText("1,0");
        QVERIFY(!setup->runButton("threads")->isEnabled());
        setup->threadsEdit()->setText("1,2");
        QVERIFY(setup->runButton("threads")->isEnabled());
        setup->findChild<QSpinBox *>("windows")->setValue(2);
        setup->findChild<QDoubleSpinBox *>("windowSeconds")->setValue(0.02);
        page->run("threads");
        QCOMPARE(page->chartTabs()->currentWidget(), page->threadsChart());
        QVERIFY(finished.wait(60000));
        QCOMPARE(page->threadsChart()->curveCount(), 2);
        const auto points = page->result().select("threads");
        QCOMPARE(points.size(), std::size_t(4));
        for (const bench::Point &p : points) {
            QCOMPARE(p.spawnsPerSecond.count, std::size_t(2));
            QVERIFY(p.spawnsPerSecond.median > 0);
        }
        QCOMPARE(page->result().select("memory").size(), std::size_t(4)); // kept
        const QString tip = page->threadsChart()->tooltipAt(
            pixelOf(page->threadsChart(), page->threadsChart()->axisRect(), 2,
                    points.back().spawnsPerSecond.median));
        QVERIFY2(tip.contains("with 2 threads") && tip.contains("spawns/s"), qPrintable(tip));

        // Runtimes: Python (scripts/setup installs it) beside the core's strategies.
        setup->strategyBox("vfork")->setChecked(false); // strategies are not the runtimes'
        setup->strategyBox("fork")->setChecked(false);
        for (const char *r : {"go", "node"})
            setup->runtimeBox(r)->setChecked(false);
        QVERIFY(setup->runtimeBox("python")->isChecked()); // installed: checked
        QVERIFY(setup->runButton("runtimes")->isEnabled());
        setup->sizesEdit()->setText("0");
        page->run("runtimes");
        QCOMPARE(page->chartTabs()->currentWidget(), page->runtimesChart());
        QVERIFY(finished.wait(60000));
        const auto runtimes = page->result().select("runtimes");
        QCOMPARE(runtimes.size(), std::size_t(1));
        QCOMPARE(runtimes.front().api, "subprocess.run");
        QCOMPARE(page->runtimesChart()->curveCount(), 1);
        QCOMPARE(legendNames(page->runtimesChart(), "python subprocess.run"), 1);
        setup->runtimeBox("python")->setChecked(false);
        QVERIFY(!setup->runButton("runtimes")->isEnabled());
    }
};

QTEST_MAIN(TestBenchPage)
#include "tst_benchpage.moc"
