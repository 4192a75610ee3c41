// SPDX-License-Identifier: GPL-3.0-or-later
// The child's setup trace: each step, its argument, its result and when it
// finished (µs since the parent's spawn call), with the time it took.
#pragma once

#include "spawnlab/result.h"

#include "models/tablemodel.h"

namespace spawnlab {

// inspect every_step: the index in result.fdSteps of the child's table at
// trace row `row`: the one taken right after the row's fd step, else the last
// one taken before the row (the first, before any); -1 without tables.
int fdStepTableAt(const RunResult &result, int row);
bool isFdStep(Step step); // open, dup2, close, inherit, close_fds

class StepTimelineModel : public TableModel
{
    Q_OBJECT
public:
    enum Column { StepName, Argument, Result, Time, Duration, ColumnCount };
    enum Role {
        StepRole = Qt::UserRole, // int Step
        ErrnoRole,               // int, 0 for success
        TimeUsRole,              // double: when the step finished
        DurationUsRole,          // double: since the step before (or the spawn call)
        FailedRole,              // bool: the step that stopped the child
    };

    explicit StepTimelineModel(QObject *parent = nullptr);

    // `childFailed`: the run's error came from a child step, which is then the
    // last one with an errno. Earlier errnos were not fatal: execve trying the
    // next PATH entry after ENOENT, as execvp does.
    void setSteps(const std::vector<TraceStep> &steps, bool childFailed);
    const std::vector<TraceStep> &steps() const { return m_steps; }
    int failedRow() const { return m_failedRow; } // -1 when the child did not fail

private:
    QVariant
    rowHeader(int row) const override; // steps numbered from 1, as the Explain tab says them
    int rowTotal() const override { return int(m_steps.size()); }
    QVariant cell(int row, int column, bool forEdit) const override;
    QVariant roleData(int row, int column, int role) const override;
    double duration(std::size_t row) const;

    std::vector<TraceStep> m_steps;
    int m_failedRow = -1;
};

QString errnoSentence(int err); // "ENOENT: No such file or directory"; 0: "no errno"

} // namespace spawnlab
