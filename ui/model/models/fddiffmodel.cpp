// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/fddiffmodel.h"
#include "qs.h"

#include "models/fdtablemodel.h"

#include <algorithm>

namespace spawnlab {
namespace {

QString side(const std::optional<FdEntry> &e)
{
    return e ? fdEntrySummary(*e) : QStringLiteral("—");
}

} // namespace

FdDiffModel::FdDiffModel(QObject *parent)
    : TableModel({{tr("fd")}, {tr("Change")}, {tr("Before")}, {tr("After")}, {tr("What happened")}},
                 parent)
{
}

void FdDiffModel::setTables(const FdTable &before, const FdTable &after)
{
    beginResetModel();
    m_rows = diffFdTables(before, after);
    endResetModel();
}

void FdDiffModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int FdDiffModel::count(FdChange change) const
{
    return int(std::count_if(m_rows.begin(), m_rows.end(),
                             [change](const FdDiffRow &r) { return r.change == change; }));
}

QString FdDiffModel::summary() const
{
    QStringList parts;
    for (FdChange change : {FdChange::Closed, FdChange::Added, FdChange::Changed, FdChange::Kept}) {
        QStringList fds;
        for (const FdDiffRow &r : m_rows)
            if (r.change == change) fds << QString::number(r.fd);
        if (fds.isEmpty()) continue;
        QString part = QStringLiteral("%1 %2").arg(fds.size()).arg(qs(fdChangeName(change)));
        if (change != FdChange::Kept)
            part += QStringLiteral(" (fd %1)").arg(fds.join(QStringLiteral(", ")));
        parts << part;
    }
    return parts.isEmpty() ? tr("both tables are empty") : parts.join(QStringLiteral(" · "));
}

static QStringList notesOf(const FdDiffRow &row)
{
    QStringList notes;
    for (const auto &n : row.notes)
        notes << qs(n);
    return notes;
}

QVariant FdDiffModel::roleData(int r, int, int role) const
{
    const FdDiffRow &row = m_rows[std::size_t(r)];
    switch (role) {
    case FdRole:
        return row.fd;
    case ChangeRole:
        return int(row.change);
    case Qt::ToolTipRole:
        return row.notes.empty() ? QVariant() : QVariant(notesOf(row).join(u'\n'));
    default:
        return {};
    }
}

QVariant FdDiffModel::cell(int r, int column, bool) const
{
    const FdDiffRow &row = m_rows[std::size_t(r)];
    switch (Column(column)) {
    case Fd:
        return row.fd;
    case Change:
        return qs(fdChangeName(row.change));
    case Before:
        return side(row.before);
    case After:
        return side(row.after);
    case Notes:
        return notesOf(row).join(QStringLiteral("; "));
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace spawnlab
