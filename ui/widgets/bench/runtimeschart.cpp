// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/runtimeschart.h"

#include "qs.h"

#include "bench/latencychart.h"

#include <map>

namespace spawnlab {
namespace {

double rssMib(const bench::Point &p)
{
    return p.rssKbMeasured >= 0 ? double(p.rssKbMeasured) / 1024.0 : double(p.rssMb);
}

} // namespace

RuntimesChart::RuntimesChart(QWidget *parent) : BenchChart(parent)
{
    m_title = addTitle();
    xAxis->setLabel(tr("the spawning process's RSS (MiB, VmRSS measured)"));
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignVCenter | Qt::AlignRight);
    rebuild();
}

void RuntimesChart::addResult(const BenchResult &result, const QString &suffix, bool dashed)
{
    // Runtimes first, then the core's strategies (round trips, as the runtimes' are),
    // each in the order the benchmark lists them.
    std::vector<bench::Point> core;
    for (const bench::Point &p : result.select("rss"))
        if (!bench::isRawStrategy(p.strategy)) core.push_back(p);
    for (auto &[order, points] : byStrategy(result.select("runtimes"), bench::knownRuntimes()))
        addRuntimeCurve(points, suffix, dashed, false);
    for (auto &[order, points] : byStrategy(core))
        addRuntimeCurve(points, suffix, dashed, true);
}

void RuntimesChart::addRuntimeCurve(std::vector<bench::Point> &points, const QString &suffix,
                                    bool dashed, bool core)
{
    std::sort(points.begin(), points.end(),
              [](const auto &a, const auto &b) { return rssMib(a) < rssMib(b); });
    const bench::Point &first = points.front();
    const QString name = qs(first.strategy);
    Curve c = strategyCurve(first.strategy, suffix, dashed);
    c.name =
        (core ? tr("%1 (spawnlab)").arg(name) : QStringLiteral("%1 %2").arg(name, qs(first.api))) +
        suffix;
    c.baseline = core; // dotted, no band: the reference, not the subject
    for (const bench::Point &p : points) {
        addLatency(c, rssMib(p), p);
        const QString version = p.version.empty() ? QString() : QStringLiteral(" ") + qs(p.version);
        c.tooltips
            << QStringLiteral("%1%2 at %3\n%4").arg(c.name, version, rssText(p), statsText(p));
    }
    addCurve(axisRect(), c);
}

void RuntimesChart::rebuild()
{
    clearCurves();
    styleAxisRect(axisRect());
    setLogAxis(yAxis, m_logLatency);
    yAxis->setLabel(tr("round trip (ms)"));
    QString title = tr("What your runtime pays per spawn, measured inside it (median, p10–p90 "
                       "band; dotted: spawnlab's strategies)");
    finishRebuild(m_title, title, "runtimes", tr(" — run the runtimes series"), {axisRect()});
}

} // namespace spawnlab
