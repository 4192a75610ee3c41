// SPDX-License-Identifier: GPL-3.0-or-later
// The child's setup steps as a waterfall: one row per step, a bar from the end
// of the step before to the end of this one (µs since the parent's spawn
// call), the failed step in red; dashed lines where the parent saw the spawn
// return and exec confirmed. Painted with the palette's colours.
#pragma once

#include "spawnlab/result.h"

#include <QWidget>

class QPainter;

namespace spawnlab {

class TimelineChart : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineChart(QWidget *parent = nullptr);

    // `failedRow`: the step that stopped the child, or -1.
    void setRun(const std::vector<TraceStep> &steps, const Timings &timings, int failedRow);
    void setSelectedRow(int row);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void rowClicked(int row);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    struct Scale;
    void paintAxis(QPainter &p, const Scale &scale) const;
    void paintRow(QPainter &p, const Scale &scale, std::size_t i) const;
    void paintMarkers(QPainter &p, const Scale &scale) const;
    int rowHeight() const;
    int labelWidth() const;
    double endUs() const;
    QString label(const TraceStep &step) const;

    std::vector<TraceStep> m_steps;
    Timings m_timings;
    int m_selected = -1;
    int m_failed = -1;
};

} // namespace spawnlab
