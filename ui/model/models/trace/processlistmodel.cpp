// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/trace/processlistmodel.h"

#include "qs.h"

#include "spawnlab/json_text.h"

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

QVariant ProcessListModel::roleData(int r, int, int role) const
{
    const ProcessSummary &p = m_rows[std::size_t(r)];
    if (role == PidRole) return qint64(p.pid);
    if (role == Qt::ToolTipRole) return qs(p.command);
    return {};
}

QVariant ProcessListModel::cell(int r, int column, bool) const
{
    const ProcessSummary &p = m_rows[std::size_t(r)];
    switch (Column(column)) {
    case Pid:
        return qint64(p.pid);
    case User:
        return m_users[std::size_t(r)];
    case Program: // one line whatever the names hold, as lsof writes them
        return qs(terminalText(p.comm));
    case Fds:
        return p.fdCount >= 0 ? QVariant(p.fdCount) : QVariant();
    case Command:
        return qs(terminalText(p.command));
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace spawnlab
