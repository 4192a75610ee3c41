// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/latencychart.h"

#include "qs.h"

#include <cmath>
#include <map>

namespace spawnlab {
namespace {

double rssMib(const bench::Point &p)
{
    return p.rssKbMeasured >= 0 ? double(p.rssKbMeasured) / 1024.0 : double(p.rssMb);
}

QString ms(double us)
{
    return QString::number(us / 1000.0, 'f', us < 10000 ? 3 : 1);
}

} // namespace

QString rssText(const bench::Point &p)
{
    QString text = QStringLiteral("%1 MiB ballast").arg(p.rssMb);
    if (p.rssKbMeasured >= 0)
        text += QStringLiteral(" (VmRSS %1 MiB)").arg(double(p.rssKbMeasured) / 1024.0, 0, 'f', 0);
    return text;
}

QString statsText(const bench::Point &p)
{
    const bench::Stats &s = p.stats;
    QString text = QObject::tr("median %1 ms, p10–p90 %2–%3 ms\nmin %4 ms, p99 %5 ms, mean %6 ms\n"
                               "%7 runs")
                       .arg(ms(s.median), ms(s.p10), ms(s.p90), ms(s.min), ms(s.p99), ms(s.mean))
                       .arg(s.count);
    if (p.failures) text += QObject::tr(", %1 failed").arg(p.failures);
    return text;
}

QString phaseAxisLabel(bench::Phase phase)
{
    switch (phase) {
    case bench::Phase::ExecConfirmed:
        return QObject::tr("spawn → exec confirmed (ms)");
    case bench::Phase::SpawnReturned:
        return QObject::tr("spawn → the call returned (ms)");
    case bench::Phase::RoundTrip:
        break;
    }
    return QObject::tr("round trip (ms)");
}

LatencyChart::LatencyChart(QWidget *parent) : BenchChart(parent)
{
    m_title = addTitle();
    xAxis->setLabel(tr("parent RSS (MiB, VmRSS measured in the worker)"));
    // fork climbs through the top left and the flat strategies hug the bottom:
    // the legend goes where neither is.
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignVCenter | Qt::AlignRight);
    rebuild();
}

void LatencyChart::setLogRss(bool log)
{
    m_logRss = log;
    rebuild();
}

void LatencyChart::setPhase(bench::Phase phase)
{
    m_phase = phase;
    rebuild();
}

QString LatencyChart::forkCostText() const
{
    const bench::LineFit fit = forkCostFit(m_result);
    if (!fit.valid) return {};
    return tr("fork: %1 ms per GiB of parent RSS").arg(fit.slope, 0, 'f', 1);
}

void LatencyChart::addResult(const BenchResult &result, const QString &suffix, bool dashed)
{
    for (auto &[order, points] : byStrategy(result.select("rss", m_phase))) {
        std::sort(points.begin(), points.end(),
                  [](const auto &a, const auto &b) { return rssMib(a) < rssMib(b); });
        const QString strategy = qs(points.front().strategy);
        Curve c = strategyCurve(points.front().strategy, suffix, dashed);
        for (const bench::Point &p : points) {
            addLatency(c, rssMib(p), p);
            c.tooltips
                << QStringLiteral("%1%2 at %3\n%4").arg(strategy, suffix, rssText(p), statsText(p));
        }
        addCurve(axisRect(), c);
    }
}

void LatencyChart::rebuild()
{
    clearCurves();
    styleAxisRect(axisRect());
    setLogAxis(xAxis, m_logRss);
    setLogAxis(yAxis, m_logLatency);
    yAxis->setLabel(phaseAxisLabel(m_phase));

    const QString what[] = {tr("Spawn → exec → exit → reaped"), tr("Spawn → exec confirmed"),
                            tr("Spawn → the spawning call returned")};
    QString title = tr("%1 against the parent's RSS (median, p10–p90 band)")
                        .arg(what[static_cast<int>(m_phase)]);
    if (const QString cost = forkCostText(); !cost.isEmpty()) title += QStringLiteral(" — ") + cost;
    finishRebuild(m_title, title, "rss", tr(" — run the RSS series or open a saved result"),
                  {axisRect()});
}

} // namespace spawnlab
