// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/closefdschart.h"

#include "qs.h"

#include "bench/latencychart.h"

#include <map>

namespace spawnlab {

CloseFdsChart::CloseFdsChart(QWidget *parent) : BenchChart(parent)
{
    const QList<QCPAxisRect *> rects = splitIntoRow(2, &m_title);
    m_openFds = rects[0];
    m_nofile = rects[1];
    for (QCPAxisRect *rect : rects)
        setLogAxis(rect->axis(QCPAxis::atBottom), true);
    m_openFds->axis(QCPAxis::atBottom)->setLabel(tr("fds open in the spawning process"));
    m_nofile->axis(QCPAxis::atBottom)->setLabel(tr("its RLIMIT_NOFILE (soft)"));
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
        const QString method = qs(key.second);
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
                              .arg(method, suffix, qs(p.strategy))
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
    QString title = tr("close_fds cost: why the method matters");
    finishRebuild(m_title, title, "close_fds", tr(" — run the close_fds series"),
                  {m_openFds, m_nofile});
}

} // namespace spawnlab
