// SPDX-License-Identifier: GPL-3.0-or-later
// The child's step timeline: the waterfall chart above, the table of steps
// (argument, result, time) below and, with inspect every_step, the child's fd
// table at the selected step beside it; selecting in one selects in the others.
// stepSelected / selectStep link the selection to other views (Explain).
#pragma once

#include "spawnlab/result.h"

#include <QWidget>

class QLabel;
class QSplitter;
class QTableView;

namespace spawnlab {

class StepFdsView;
class StepTimelineModel;
class TimelineChart;

class TimelineView : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineView(QWidget *parent = nullptr);

    void setResult(const RunResult &result);
    void clear(const QString &message);
    StepTimelineModel *model() const { return m_model; }
    QTableView *stepTable() const { return m_table; }
    StepFdsView *stepFds() const { return m_stepFds; }

public Q_SLOTS:
    // Selects the first row of `step`, unless the selected row already is one;
    // clears the selection when the run has no such step.
    void selectStep(spawnlab::Step step);

Q_SIGNALS:
    void stepSelected(spawnlab::Step step); // the selected row changed to a step

private:
    StepTimelineModel *m_model = nullptr;
    TimelineChart *m_chart = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_caption = nullptr;
    QSplitter *m_splitter = nullptr;
    StepFdsView *m_stepFds = nullptr;
    RunResult m_result; // its steps and fdSteps: which table a row shows
};

} // namespace spawnlab
