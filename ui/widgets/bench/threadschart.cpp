// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/threadschart.h"

#include "qs.h"

#include <map>

namespace spawnlab {

ThreadsChart::ThreadsChart(QWidget *parent) : BenchChart(parent)
{
    m_title = addTitle();
    xAxis->setLabel(tr("threads spawning at once in one process"));
    yAxis->setLabel(tr("spawns per second (all threads)"));
    // Whole threads only; more ticks than fit become multiples of a step.
    auto ticker = QSharedPointer<QCPAxisTickerFixed>(new QCPAxisTickerFixed);
    ticker->setTickStep(1);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    xAxis->setTicker(ticker);
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    rebuild();
}

void ThreadsChart::addResult(const BenchResult &result, const QString &suffix, bool dashed)
{
    for (auto &[order, points] : byStrategy(result.select("threads"))) {
        std::sort(points.begin(), points.end(),
                  [](const auto &a, const auto &b) { return a.threads < b.threads; });
        const QString strategy = qs(points.front().strategy);
        Curve c = strategyCurve(points.front().strategy, suffix, dashed);
        for (const bench::Point &p : points) {
            const bench::Stats &rate = p.spawnsPerSecond;
            c.x << double(p.threads);
            c.p10 << rate.p10;
            c.median << rate.median;
            c.p90 << rate.p90;
            c.tooltips << tr("%1%2 with %3 threads: %4 spawns/s (p10–p90 %5–%6) over %7 "
                             "windows\nmedian round trip %8 ms, %9 spawns%10")
                              .arg(strategy, suffix)
                              .arg(p.threads)
                              .arg(rate.median, 0, 'f', 0)
                              .arg(rate.p10, 0, 'f', 0)
                              .arg(rate.p90, 0, 'f', 0)
                              .arg(rate.count)
                              .arg(p.stats.median / 1000.0, 0, 'f', 3)
                              .arg(p.stats.count)
                              .arg(p.failures ? tr(", %1 failed").arg(p.failures) : QString());
        }
        addCurve(axisRect(), c);
    }
}

void ThreadsChart::rebuild()
{
    clearCurves();
    styleAxisRect(axisRect());
    QString title = tr("Spawn throughput with threads spawning at once (median over windows, "
                       "p10–p90 band)");
    finishRebuild(m_title, title, "threads", tr(" — run the threads series"), {axisRect()});
    // Rates start at zero: a log-free y axis from 0 shows how far each falls short.
    yAxis->setRangeLower(0);
    replot();
}

} // namespace spawnlab
