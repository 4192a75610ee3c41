// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/closefdschart.h"

#include "bench/latencychart.h"

#include <map>

namespace spawnlab {

CloseFdsChart::CloseFdsChart(QWidget *parent) : BenchChart(parent)
{
    // Title above two axis rects side by side.
    m_openFds = axisRect();
    plotLayout()->take(m_openFds);
    plotLayout()->simplify();
    auto *row = new QCPLayoutGrid;
    plotLayout()->addElement(0, 0, row);
    m_title = addTitle();
    m_nofile = new QCPAxisRect(this);
    row->addElement(0, 0, m_openFds);
    row->addElement(0, 1, m_nofile);
    for (QCPAxisRect *rect : {m_openFds, m_nofile}) {
        rect->axis(QCPAxis::atTop)->setVisible(false);
        rect->axis(QCPAxis::atRight)->setVisible(false);
        setLogAxis(rect->axis(QCPAxis::atBottom), true);
    }
    m_openFds->axis(QCPAxis::atBottom)->setLabel(tr("fds open in the spawning process"));
    m_nofile->axis(QCPAxis::atBottom)->setLabel(tr("its RLIMIT_NOFILE (soft)"));
    // The legend in a column of its own right of both rects: inside either it
    // would cover a curve (they climb to the top on both sides).
    // Over an empty spacer: alone, the legend's small maximum height (none at
    // all while empty) would cap the whole row's.
    m_openFds->insetLayout()->take(legend);
    auto *side = new QCPLayoutGrid;
    side->addElement(0, 0, legend);
    side->addElement(1, 0, new QCPLayoutElement(this));
    side->setRowStretchFactor(0, 0.01);
    row->addElement(0, 2, side);
    row->setColumnStretchFactor(2, 0.01);
    rebuild();
}

void CloseFdsChart::addResult(const BenchResult &result, const QString &suffix, bool dashed)
{
    // (axis, method) -> points along that axis.
    std::map<std::pair<std::string, std::string>, std::vector<bench::Point>> curves;
    for (const bench::Point &p : result.select("close_fds"))
        curves[{p.axis, p.closeMethod}].push_back(p);
    for (auto &[key, points] : curves) {
        const bool byOpenFds = key.first == "open_fds";
        auto xOf = [byOpenFds](const bench::Point &p) {
            return double(byOpenFds ? p.openFds : p.nofile);
        };
        std::sort(points.begin(), points.end(),
                  [&](const auto &a, const auto &b) { return xOf(a) < xOf(b); });
        const QString method = QString::fromStdString(key.second);
        Curve c;
        c.name = method + suffix;
        c.color = colorFor(method);
        c.dashed = dashed;
        c.inLegend = byOpenFds;
        for (const bench::Point &p : points) {
            c.x << xOf(p);
            c.p10 << p.stats.p10 / 1000.0;
            c.median << p.stats.median / 1000.0;
            c.p90 << p.stats.p90 / 1000.0;
            c.tooltips << tr("%1%2 (%3): %4 open fds, RLIMIT_NOFILE %5\n%6")
                              .arg(method, suffix, QString::fromStdString(p.strategy))
                              .arg(p.openFds)
                              .arg(p.nofile)
                              .arg(statsText(p));
        }
        addCurve(byOpenFds ? m_openFds : m_nofile, c);
    }
}

void CloseFdsChart::rebuild()
{
    clearCurves();
    for (QCPAxisRect *rect : {m_openFds, m_nofile}) {
        styleAxisRect(rect);
        QCPAxis *y = rect->axis(QCPAxis::atLeft);
        setLogAxis(y, m_logLatency);
        y->setLabel(tr("round trip (ms)"));
    }
    addResult(m_result, QString(), false);
    if (!m_comparison.isEmpty())
        addResult(m_comparison, QStringLiteral(" (%1)").arg(m_comparisonName), true);
    QString title = tr("close_fds cost: why the method matters");
    if (m_result.isEmpty() && m_comparison.isEmpty()) title += tr(" — run the close_fds series");
    m_title->setText(title);
    m_title->setTextColor(palette().color(QPalette::WindowText));
    rescaleAxes();
    padAxes(m_openFds);
    padAxes(m_nofile);
    replot();
}

} // namespace spawnlab
