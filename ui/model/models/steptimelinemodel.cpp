// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/steptimelinemodel.h"

#include "qs.h"

#include "spawnlab/json_text.h"
#include "spawnlab/names.h"

#include <cstring>

namespace spawnlab {

bool isFdStep(Step step)
{
    return step >= Step::Open && step <= Step::CloseFds;
}

int fdStepTableAt(const RunResult &result, int row)
{
    const std::vector<FdStepTable> &tables = result.fdSteps;
    if (tables.empty()) return -1;
    const bool fdStep = row >= 0 && std::size_t(row) < result.steps.size() &&
                        isFdStep(result.steps[std::size_t(row)].step);
    // An fd step's table is taken at the stop that follows it.
    int at = 0;
    for (std::size_t k = 0; k < tables.size(); ++k)
        if (tables[k].traceRow <= row || (fdStep && tables[k].traceRow == row + 1)) at = int(k);
    return at;
}

QString errnoSentence(int err)
{
    if (err == 0) return QObject::tr("no errno"); // ended, not failed: the exit says how
    return qs(errnoName(err)) + QStringLiteral(": ") + QString::fromLocal8Bit(strerror(err));
}

StepTimelineModel::StepTimelineModel(QObject *parent)
    : TableModel(
          {{tr("Step")}, {tr("Argument")}, {tr("Result")}, {tr("At (µs)")}, {tr("Took (µs)")}},
          parent)
{
}

void StepTimelineModel::setSteps(const std::vector<TraceStep> &steps, bool childFailed)
{
    beginResetModel();
    m_steps = steps;
    m_failedRow = -1;
    if (childFailed)
        for (std::size_t i = m_steps.size(); i-- > 0;)
            if (m_steps[i].err != 0) {
                m_failedRow = int(i);
                break;
            }
    endResetModel();
}

double StepTimelineModel::duration(std::size_t row) const
{
    return m_steps[row].tUs - (row == 0 ? 0.0 : m_steps[row - 1].tUs);
}

QVariant StepTimelineModel::roleData(int r, int column, int role) const
{
    const std::size_t row = std::size_t(r);
    const TraceStep &s = m_steps[row];
    switch (role) {
    case StepRole:
        return int(s.step);
    case ErrnoRole:
        return s.err;
    case TimeUsRole:
        return s.tUs;
    case DurationUsRole:
        return duration(row);
    case FailedRole:
        return r == m_failedRow;
    case Qt::ToolTipRole: // the whole text where a narrow column cuts it
        if (column == Argument || column == Result) return cell(r, column, false);
        return {};
    case Qt::TextAlignmentRole:
        if (column == Time || column == Duration)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant StepTimelineModel::cell(int r, int column, bool) const
{
    const std::size_t row = std::size_t(r);
    const TraceStep &s = m_steps[row];
    switch (Column(column)) {
    case StepName: {
        const auto name = stepName(s.step);
        return qs(name);
    }
    case Argument: // a path with a newline stays on its line
        return qs(terminalText(s.arg));
    case Result:
        if (s.err == 0) return QStringLiteral("ok");
        if (r == m_failedRow) return errnoSentence(s.err);
        return errnoSentence(s.err) +
               (s.step == Step::Execve ? tr(" — tries the next PATH entry") : tr(" — not fatal"));
    case Time:
        return QString::number(s.tUs, 'f', 1);
    case Duration:
        return QStringLiteral("+") + QString::number(duration(row), 'f', 1);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant StepTimelineModel::rowHeader(int row) const
{
    return row + 1;
}

} // namespace spawnlab
