// SPDX-License-Identifier: GPL-3.0-or-later
// The base of the benchmark's charts: a QCustomPlot whose median curves carry
// one tooltip per point, drawn over a p10-p90 band, in colours that read on
// light and dark palettes, with PNG/PDF export.
#pragma once

#include "bench/qcustomplot_include.h"
#include "plan/benchresult.h"

#include <QHash>
#include <QVector>
#include <map>
#include <string>
#include <vector>

namespace spawnlab {

class BenchChart : public QCustomPlot
{
    Q_OBJECT
public:
    explicit BenchChart(QWidget *parent = nullptr);

    // What the chart draws: a result, and a saved one dashed beside it (an
    // empty one removes it).
    void setResult(const BenchResult &result);
    void setComparison(const BenchResult &result, const QString &name);
    void setLogLatency(bool log);
    bool logLatency() const { return m_logLatency; }

    // One series drawn on `rect`'s axes: xs ascending, values in the chart's units.
    struct Curve {
        QString name;
        QColor color;
        QVector<double> x, p10, median, p90;
        QStringList tooltips;  // one per point
        bool dashed = false;   // a saved result drawn for comparison
        bool baseline = false; // a raw baseline: dotted, no band
        bool inLegend = true;
    };
    QCPGraph *addCurve(QCPAxisRect *rect, const Curve &curve);
    // A curve for one strategy's (or runtime's) points: its name with
    // `suffix`, its colour, dashed for a comparison, dotted for a raw baseline.
    static Curve strategyCurve(const std::string &strategy, const QString &suffix, bool dashed);
    // Adds one point at `x`: its median and p10-p90 round trip in ms.
    static void addLatency(Curve &curve, double x, const bench::Point &p);
    // `points` per strategy, keyed by where `order` lists it (unlisted last).
    static std::map<std::size_t, std::vector<bench::Point>>
    byStrategy(const std::vector<bench::Point> &points,
               const std::vector<std::string> &order = bench::knownStrategies());

    // The tooltip of the median point nearest `pos` (within a few pixels), or "".
    QString tooltipAt(const QPoint &pos) const;
    int curveCount() const { return int(m_tooltips.size()); }

    // A fixed colour per name (strategy or close method), the same in every chart.
    static QColor colorFor(const QString &name);

    // Both return false with `error` naming the file when it cannot be written.
    bool exportPng(const QString &path, QString *error);
    bool exportPdf(const QString &path, QString *error);
    // The chart's title as drawn (with its hint while the chart is empty).
    QString title() const { return m_titleText; }

protected:
    virtual void rebuild() = 0; // draws m_result and m_comparison again
    void clearCurves();
    // Axis labels, grid and legend in the palette's colours (dark mode included).
    void styleAxisRect(QCPAxisRect *rect);
    void setLogAxis(QCPAxis *axis, bool log);
    // Both axes fitted to the rect's curves, with room around the points (a log
    // axis cannot start at zero).
    void padAxes(QCPAxisRect *rect);
    // A title row above the plot layout, in the palette's text colour.
    QCPTextElement *addTitle();
    // The default axis rect and `count - 1` more side by side under a title
    // (set in `*title`), each with only its bottom and left axes, and the
    // legend in a column of its own at the right: inside a rect it would
    // cover a curve. Returns the rects, left to right.
    QList<QCPAxisRect *> splitIntoRow(int count, QCPTextElement **title);
    // One result's curves; the comparison's are dashed, `suffix` after their names.
    virtual void addResult(const BenchResult &result, const QString &suffix, bool dashed) = 0;
    // The end of every rebuild(): the result's and the comparison's curves,
    // the title (with `emptyHint` when neither has points of `series`, the
    // chart's own: none at all, or only another series'), axes fitted
    // to the points and padded, replotted.
    void finishRebuild(QCPTextElement *title, QString text, const std::string &series,
                       const QString &emptyHint, const QList<QCPAxisRect *> &rects);
    void mouseMoveEvent(QMouseEvent *event) override;
    void changeEvent(QEvent *event) override;

    BenchResult m_result, m_comparison;
    QString m_comparisonName;
    bool m_logLatency = true;

private:
    QHash<QCPGraph *, QStringList> m_tooltips;
    QString m_titleText;
};

} // namespace spawnlab
