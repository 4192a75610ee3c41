// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/benchchart.h"

#include "qs.h"

#include <QToolTip>

#include <cmath>

namespace spawnlab {

BenchChart::BenchChart(QWidget *parent) : QCustomPlot(parent)
{
    setMinimumSize(360, 240);
    setMouseTracking(true); // hover tooltips without a button held
    setNoAntialiasingOnDrag(true);
}

void BenchChart::setResult(const BenchResult &result)
{
    m_result = result;
    rebuild();
}

void BenchChart::setComparison(const BenchResult &result, const QString &name)
{
    m_comparison = result;
    m_comparisonName = name;
    rebuild();
}

void BenchChart::setLogLatency(bool log)
{
    m_logLatency = log;
    rebuild();
}

BenchChart::Curve BenchChart::strategyCurve(const std::string &strategy, const QString &suffix,
                                            bool dashed)
{
    Curve c;
    c.name = qs(strategy) + suffix;
    c.color = colorFor(qs(strategy));
    c.dashed = dashed;
    c.baseline = bench::isRawStrategy(strategy);
    return c;
}

void BenchChart::addLatency(Curve &curve, double x, const bench::Point &p)
{
    curve.x << x;
    curve.p10 << p.stats.p10 / 1000.0;
    curve.median << p.stats.median / 1000.0;
    curve.p90 << p.stats.p90 / 1000.0;
}

std::map<std::size_t, std::vector<bench::Point>>
BenchChart::byStrategy(const std::vector<bench::Point> &points,
                       const std::vector<std::string> &order)
{
    std::map<std::size_t, std::vector<bench::Point>> groups;
    for (const bench::Point &p : points) {
        const auto at = std::find(order.begin(), order.end(), p.strategy) - order.begin();
        groups[std::size_t(at)].push_back(p);
    }
    return groups;
}

QColor BenchChart::colorFor(const QString &name)
{
    // Picked to stay apart from each other and readable on white and near-black.
    static const QHash<QString, QColor> colors{
        {QStringLiteral("fork"), QColor(214, 69, 65)},
        {QStringLiteral("vfork"), QColor(46, 134, 222)},
        {QStringLiteral("clone_vm"), QColor(39, 174, 96)},
        {QStringLiteral("posix_spawn"), QColor(155, 89, 182)},
        {QStringLiteral("raw_fork"), QColor(230, 126, 34)},
        {QStringLiteral("raw_vfork"), QColor(22, 160, 160)},
        {QStringLiteral("close_range"), QColor(39, 174, 96)},
        {QStringLiteral("proc"), QColor(46, 134, 222)},
        {QStringLiteral("brute"), QColor(214, 69, 65)},
        {QStringLiteral("python"), QColor(196, 150, 0)},
        {QStringLiteral("go"), QColor(121, 85, 72)},
        {QStringLiteral("node"), QColor(216, 27, 96)},
    };
    return colors.value(name, QColor(127, 140, 141));
}

QCPGraph *BenchChart::addCurve(QCPAxisRect *rect, const Curve &curve)
{
    QCPAxis *x = rect->axis(QCPAxis::atBottom), *y = rect->axis(QCPAxis::atLeft);
    if (!curve.dashed && !curve.baseline) {
        // The p10-p90 band: two invisible curves with the space between filled.
        QCPGraph *low = addGraph(x, y);
        QCPGraph *high = addGraph(x, y);
        low->setPen(Qt::NoPen);
        high->setPen(Qt::NoPen);
        QColor fill = curve.color;
        fill.setAlpha(45);
        high->setBrush(fill);
        high->setChannelFillGraph(low);
        low->setData(curve.x, curve.p10, true);
        high->setData(curve.x, curve.p90, true);
        low->removeFromLegend();
        high->removeFromLegend();
        low->setSelectable(QCP::stNone);
        high->setSelectable(QCP::stNone);
    }
    QCPGraph *median = addGraph(x, y);
    median->setName(curve.name);
    QPen pen(curve.color, curve.dashed || curve.baseline ? 1.5 : 2.2);
    if (curve.dashed) pen.setStyle(Qt::DashLine);
    if (curve.baseline) pen.setStyle(Qt::DotLine);
    median->setPen(pen);
    const auto shape = curve.baseline ? QCPScatterStyle::ssSquare
                       : curve.dashed ? QCPScatterStyle::ssCircle
                                      : QCPScatterStyle::ssDisc;
    median->setScatterStyle(QCPScatterStyle(shape, curve.color, curve.dashed ? 5 : 6));
    median->setData(curve.x, curve.median, true);
    if (!curve.inLegend) median->removeFromLegend();
    m_tooltips.insert(median, curve.tooltips);
    legend->setVisible(true);
    return median;
}

QString BenchChart::tooltipAt(const QPoint &pos) const
{
    constexpr double kReachPx = 9;
    double best = kReachPx;
    QString text;
    for (auto it = m_tooltips.constBegin(); it != m_tooltips.constEnd(); ++it) {
        QCPGraph *graph = it.key();
        int i = 0;
        for (auto d = graph->data()->constBegin(); d != graph->data()->constEnd(); ++d, ++i) {
            const QPointF at = graph->coordsToPixels(d->key, d->value);
            const double distance = std::hypot(at.x() - pos.x(), at.y() - pos.y());
            if (distance < best && i < it.value().size()) {
                best = distance;
                text = it.value().at(i);
            }
        }
    }
    return text;
}

void BenchChart::clearCurves()
{
    clearGraphs();
    m_tooltips.clear();
    legend->setVisible(false); // an empty legend is an odd little box
}

void BenchChart::styleAxisRect(QCPAxisRect *rect)
{
    const QPalette p = palette();
    const QColor text = p.color(QPalette::WindowText);
    QColor grid = p.color(QPalette::Mid);
    for (QCPAxis *axis : rect->axes()) {
        axis->setBasePen(QPen(text, 1));
        axis->setTickPen(QPen(text, 1));
        axis->setSubTickPen(QPen(text, 1));
        axis->setLabelColor(text);
        axis->setTickLabelColor(text);
        axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
        axis->grid()->setSubGridPen(QPen(grid.lighter(110), 1, Qt::DotLine));
        axis->grid()->setSubGridVisible(true);
    }
    rect->setBackground(p.color(QPalette::Base));
    legend->setBrush(p.color(QPalette::Base));
    legend->setBorderPen(QPen(grid));
    legend->setTextColor(text);
    setBackground(p.color(QPalette::Window));
}

void BenchChart::setLogAxis(QCPAxis *axis, bool log)
{
    axis->setScaleType(log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (log)
        axis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    else
        axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    axis->setNumberFormat(log ? QStringLiteral("gb") : QStringLiteral("g"));
}

void BenchChart::padAxes(QCPAxisRect *rect)
{
    if (rect->graphs().isEmpty()) {
        // Nothing drawn: a plain range, not whatever the last rescale left.
        for (QCPAxis *axis : {rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft)})
            axis->setRange(axis->scaleType() == QCPAxis::stLogarithmic ? QCPRange(0.1, 1000)
                                                                       : QCPRange(0, 100));
        return;
    }
    // From the curves' data (rescaleAxes would centre a wide range on a single
    // distinct value, a run's first point, reaching below zero).
    for (QCPAxis *axis : {rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft)}) {
        const bool log = axis->scaleType() == QCPAxis::stLogarithmic;
        const QCP::SignDomain domain = log ? QCP::sdPositive : QCP::sdBoth;
        QCPRange r;
        bool any = false;
        for (QCPGraph *graph : rect->graphs()) {
            bool found = false;
            const QCPRange g = axis == graph->keyAxis() ? graph->getKeyRange(found, domain)
                                                        : graph->getValueRange(found, domain);
            if (found && any) r.expand(g);
            if (found && !any) r = g;
            any = any || found;
        }
        if (!any) r = axis->range();
        if (log)
            axis->setRange(r.lower / 1.6, r.upper * 1.6);
        else
            axis->setRange(std::min(0.0, r.lower), r.upper * 1.08 + (r.upper == 0 ? 1 : 0));
    }
}

QCPTextElement *BenchChart::addTitle()
{
    plotLayout()->insertRow(0);
    auto *title =
        new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize() + 1));
    plotLayout()->addElement(0, 0, title);
    return title;
}

QList<QCPAxisRect *> BenchChart::splitIntoRow(int count, QCPTextElement **title)
{
    QCPAxisRect *first = axisRect();
    plotLayout()->take(first);
    plotLayout()->simplify();
    auto *row = new QCPLayoutGrid;
    plotLayout()->addElement(0, 0, row);
    *title = addTitle();
    QList<QCPAxisRect *> rects{first};
    for (int i = 1; i < count; ++i)
        rects << new QCPAxisRect(this);
    for (int i = 0; i < count; ++i) {
        row->addElement(0, i, rects[i]);
        rects[i]->axis(QCPAxis::atTop)->setVisible(false);
        rects[i]->axis(QCPAxis::atRight)->setVisible(false);
    }
    // Over an empty spacer: alone, the legend's small maximum height (none at
    // all while empty) would cap the whole row's.
    first->insetLayout()->take(legend);
    auto *side = new QCPLayoutGrid;
    side->addElement(0, 0, legend);
    side->addElement(1, 0, new QCPLayoutElement(this));
    side->setRowStretchFactor(0, 0.01);
    row->addElement(0, count, side);
    row->setColumnStretchFactor(count, 0.01);
    return rects;
}

void BenchChart::finishRebuild(QCPTextElement *title, QString text, const std::string &series,
                               const QString &emptyHint, const QList<QCPAxisRect *> &rects)
{
    addResult(m_result, QString(), false);
    if (!m_comparison.isEmpty())
        addResult(m_comparison, QStringLiteral(" (%1)").arg(m_comparisonName), true);
    if (!m_result.hasSeries(series) && !m_comparison.hasSeries(series)) text += emptyHint;
    m_titleText = text;
    title->setText(text);
    title->setTextColor(palette().color(QPalette::WindowText));
    for (QCPAxisRect *rect : rects)
        padAxes(rect);
    replot();
}

void BenchChart::mouseMoveEvent(QMouseEvent *event)
{
    QCustomPlot::mouseMoveEvent(event);
    const QString text = tooltipAt(event->pos());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void BenchChart::changeEvent(QEvent *event)
{
    QCustomPlot::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        for (int i = 0; i < axisRectCount(); ++i)
            styleAxisRect(axisRect(i));
        for (auto *title : findChildren<QCPTextElement *>())
            title->setTextColor(palette().color(QPalette::WindowText));
        replot();
    }
}

bool BenchChart::exportPng(const QString &path, QString *error)
{
    const int w = std::max(width(), 1000), h = std::max(height(), 620);
    if (savePng(path, w, h, 2.0)) return true;
    if (error) *error = tr("cannot write the PNG %1").arg(path);
    return false;
}

bool BenchChart::exportPdf(const QString &path, QString *error)
{
    const int w = std::max(width(), 1000), h = std::max(height(), 620);
    if (savePdf(path, w, h, QCP::epNoCosmetic, QStringLiteral("spawnlab"))) return true;
    if (error) *error = tr("cannot write the PDF %1").arg(path);
    return false;
}

} // namespace spawnlab
