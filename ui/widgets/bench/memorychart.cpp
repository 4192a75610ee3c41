// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/memorychart.h"

#include "qs.h"

#include "bench/latencychart.h"

#include <map>

namespace spawnlab {
namespace {

QString shapeLabel(bench::MemoryShape shape)
{
    switch (shape) {
    case bench::MemoryShape::Reserved:
        return QObject::tr("reserved, never touched (MiB)");
    case bench::MemoryShape::Vmas:
        return QObject::tr("touched, in many small mappings (MiB)");
    case bench::MemoryShape::Touched:
        break;
    }
    return QObject::tr("touched, one mapping (MiB)");
}

} // namespace

MemoryChart::MemoryChart(QWidget *parent) : BenchChart(parent)
{
    m_rects = splitIntoRow(int(std::size(bench::kMemoryShapes)), &m_title);
    for (int i = 0; i < m_rects.size(); ++i)
        m_rects[i]->axis(QCPAxis::atBottom)->setLabel(shapeLabel(bench::kMemoryShapes[i]));
    rebuild();
}

void MemoryChart::setPhase(bench::Phase phase)
{
    m_phase = phase;
    rebuild();
}

void MemoryChart::addResult(const BenchResult &result, const QString &suffix, bool dashed)
{
    // One plot per shape, each with a curve per strategy.
    std::vector<std::vector<bench::Point>> perShape(std::size(bench::kMemoryShapes));
    for (const bench::Point &p : result.select("memory", m_phase))
        if (const auto shape = bench::parseMemoryShape(p.shape))
            perShape[std::size_t(*shape)].push_back(p);
    for (std::size_t shape = 0; shape < perShape.size(); ++shape)
        for (auto &[order, points] : byStrategy(perShape[shape]))
            addShapeCurve(m_rects[int(shape)], points, suffix, dashed, shape == 0);
}

void MemoryChart::addShapeCurve(QCPAxisRect *rect, std::vector<bench::Point> &points,
                                const QString &suffix, bool dashed, bool inLegend)
{
    std::sort(points.begin(), points.end(),
              [](const auto &a, const auto &b) { return a.rssMb < b.rssMb; });
    const QString strategy = qs(points.front().strategy);
    Curve c = strategyCurve(points.front().strategy, suffix, dashed);
    c.inLegend = inLegend; // one entry per strategy, from the first plot
    for (const bench::Point &p : points) {
        addLatency(c, double(p.rssMb), p);
        c.tooltips << tr("%1%2 at %3, %4: %5 mappings\n%6")
                          .arg(strategy, suffix, rssText(p), qs(p.shape))
                          .arg(p.vmas)
                          .arg(statsText(p));
    }
    addCurve(rect, c);
}

void MemoryChart::rebuild()
{
    clearCurves();
    for (QCPAxisRect *rect : m_rects) {
        styleAxisRect(rect);
        QCPAxis *y = rect->axis(QCPAxis::atLeft);
        setLogAxis(y, m_logLatency);
        y->setLabel(phaseAxisLabel(m_phase));
    }
    QString title = tr("The parent's memory shape: fork copies page tables and mappings, not "
                       "bytes");
    finishRebuild(m_title, title, "memory", tr(" — run the memory series"), m_rects);
    // One latency scale for the three, so the shapes compare at a glance.
    QCPRange shared = m_rects.front()->axis(QCPAxis::atLeft)->range();
    for (QCPAxisRect *rect : m_rects)
        shared.expand(rect->axis(QCPAxis::atLeft)->range());
    for (QCPAxisRect *rect : m_rects)
        rect->axis(QCPAxis::atLeft)->setRange(shared);
    replot();
}

} // namespace spawnlab
