// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/trace/findingmodel.h"

#include "qs.h"

#include <QStringList>

namespace spawnlab {

FindingModel::FindingModel(QObject *parent)
    : TableModel({{tr("Severity")},
                  {tr("Process"), tr("The process that inherited the fd at its exec")},
                  {tr("fd")},
                  {tr("Finding")}},
                 parent)
{
}

void FindingModel::setReport(const TraceReport &report)
{
    beginResetModel();
    m_rows.clear();
    for (const LeakFinding &f : report.findings) {
        const TracedExec &e = report.execs.at(f.execIndex);
        m_rows.push_back({f, e.pid, e.argv.empty() ? e.exe : e.argv.front()});
    }
    endResetModel();
}

void FindingModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

QString FindingModel::text() const
{
    QStringList paragraphs;
    for (const Row &r : m_rows)
        paragraphs << qs(severityName(r.finding.severity)).toUpper() + QStringLiteral("  ") +
                          qs(r.finding.message);
    return paragraphs.join(QStringLiteral("\n\n"));
}

QVariant FindingModel::roleData(int r, int, int role) const
{
    const Row &row = m_rows[std::size_t(r)];
    switch (role) {
    case PidRole:
        return row.pid;
    case FdRole:
        return row.finding.fd;
    case SeverityRole:
        return int(row.finding.severity);
    case Qt::ToolTipRole:
        return qs(row.finding.message);
    default:
        return {};
    }
}

QVariant FindingModel::cell(int r, int column, bool) const
{
    const Row &row = m_rows[std::size_t(r)];
    switch (Column(column)) {
    case SeverityColumn:
        return qs(severityName(row.finding.severity));
    case Process:
        return QStringLiteral("%1 (%2)").arg(qsBaseName(row.program)).arg(row.pid);
    case Fd:
        return row.finding.fd;
    case Finding:
        return qs(row.finding.message);
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace spawnlab
