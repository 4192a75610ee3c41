// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/trace/processlistmodel.h"

#include "qs.h"

#include <pwd.h>

#include <map>

namespace spawnlab {

ProcessListModel::ProcessListModel(QObject *parent)
    : TableModel({{tr("pid")},
                  {tr("User")},
                  {tr("Program")},
                  {tr("fds"), tr("Open fds; empty where this user may not read them")},
                  {tr("Command line")}},
                 parent)
{
}

void ProcessListModel::refresh()
{
    beginResetModel();
    m_rows = listProcesses();
    m_users.clear();
    std::map<uid_t, QString> names;
    for (const ProcessSummary &p : m_rows) {
        auto known = names.find(p.uid);
        if (known == names.end()) {
            const passwd *pw = ::getpwuid(p.uid);
            known = names
                        .emplace(p.uid,
                                 pw ? QString::fromLocal8Bit(pw->pw_name) : QString::number(p.uid))
                        .first;
        }
        m_users.push_back(known->second);
    }
    endResetModel();
}

QVariant ProcessListModel::data(const QModelIndex &index, int role) const
{
    if (!isCell(index)) return {};
    const ProcessSummary &p = m_rows[std::size_t(index.row())];
    if (role == PidRole) return qint64(p.pid);
    if (role == Qt::ToolTipRole) return qs(p.command);
    if (role != Qt::DisplayRole) return {};
    switch (Column(index.column())) {
    case Pid:
        return qint64(p.pid);
    case User:
        return m_users[std::size_t(index.row())];
    case Program:
        return qs(p.comm);
    case Fds:
        return p.fdCount >= 0 ? QVariant(p.fdCount) : QVariant();
    case Command:
        return qs(p.command);
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace spawnlab
