// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/fdactionmodel.h"
#include "qs.h"

#include "spawnlab/names.h"

#include <algorithm>

namespace spawnlab {
namespace {

QString flagsText(int flags)
{
    QStringList names;
    for (const auto &n : openFlagNames(flags))
        names << qs(n);
    return names.join(u'|');
}

} // namespace

FdActionModel::FdActionModel(QObject *parent)
    : TableModel({{tr("Child fd")}, {tr("Action")}, {tr("What the child gets")}}, parent)
{
}

void FdActionModel::setActions(const std::vector<FdAction> &actions)
{
    beginResetModel();
    m_actions = actions;
    m_problems = QStringList(qsizetype(actions.size()));
    endResetModel();
}

void FdActionModel::setAction(int row, const FdAction &action)
{
    m_actions.at(std::size_t(row)) = action;
    rowsChanged(row, row);
    Q_EMIT edited();
}

int FdActionModel::appendAction(FdActionKind kind)
{
    int next = 0;
    for (const FdAction &a : m_actions)
        next = std::max(next, a.fd + 1);
    FdAction action;
    action.fd = next;
    action.action = kind;
    const int row = int(m_actions.size());
    beginInsertRows({}, row, row);
    m_actions.push_back(action);
    m_problems.append(QString());
    endInsertRows();
    Q_EMIT edited();
    return row;
}

void FdActionModel::setParentTable(const FdTable &table)
{
    m_parent = table;
    if (!m_actions.empty()) Q_EMIT dataChanged(index(0, Detail), index(rowCount() - 1, Detail));
}

void FdActionModel::setProblems(const QList<PlanIssue> &problems)
{
    for (int row = 0; row < rowCount(); ++row) {
        const QString prefix = QStringLiteral("fds[%1]").arg(row);
        QStringList lines;
        for (const PlanIssue &p : problems)
            if (p.field == prefix || p.field.startsWith(prefix + u'.'))
                lines << p.field.mid(prefix.size() + 1) + QStringLiteral(": ") + p.message;
        const QString text = lines.join(u'\n');
        if (text != m_problems[row]) {
            m_problems[row] = text;
            rowsChanged(row, row);
        }
    }
}

QString FdActionModel::describe(const FdAction &a, const FdTable &parent)
{
    switch (a.action) {
    case FdActionKind::Dup: {
        auto it = std::find_if(parent.begin(), parent.end(),
                               [&a](const FdEntry &e) { return e.fd == a.from; });
        const QString target = it == parent.end() ? QStringLiteral("not open") : qs(it->target);
        if (a.from == a.fd)
            return QStringLiteral("keep the parent's fd %1 (%2), CLOEXEC cleared")
                .arg(a.from)
                .arg(target);
        return QStringLiteral("copy of the parent's fd %1 (%2)").arg(a.from).arg(target);
    }
    case FdActionKind::Open:
        return QStringLiteral("%1  %2  mode %3")
            .arg(qs(a.path), flagsText(a.flags))
            .arg(a.mode, 4, 8, QLatin1Char('0'));
    case FdActionKind::Close:
        return QStringLiteral("closed in the child");
    case FdActionKind::Null:
        return QStringLiteral("/dev/null: reads give EOF, writes vanish");
    case FdActionKind::PipeOut:
        return QStringLiteral("pipe: spawnlab captures what the child writes");
    case FdActionKind::PipeIn:
        return QStringLiteral("pipe: spawnlab writes %1 bytes, then closes").arg(a.input.size());
    }
    return {};
}

QVariant FdActionModel::roleData(int row, int, int role) const
{
    const QString &problem = m_problems.at(row);
    if (role == ActionRole) return int(m_actions.at(std::size_t(row)).action);
    if (role == ProblemRole) return problem;
    if (role == Qt::ToolTipRole && !problem.isEmpty()) return problem;
    return {};
}

QVariant FdActionModel::cell(int row, int column, bool) const
{
    const FdAction &a = m_actions.at(std::size_t(row));
    switch (Column(column)) {
    case ChildFd:
        return a.fd;
    case Action:
        return qs(fdActionName(a.action));
    case Detail:
        return describe(a, m_parent);
    case ColumnCount:
        break;
    }
    return {};
}

Qt::ItemFlags FdActionModel::flags(const QModelIndex &index) const
{
    if (!isCell(index)) return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() != Detail) f |= Qt::ItemIsEditable;
    return f;
}

bool FdActionModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid)) return false;
    FdAction a = m_actions.at(std::size_t(index.row()));
    if (index.column() == ChildFd) {
        bool ok = false;
        const int fd = value.toInt(&ok);
        if (!ok || fd < 0) return false;
        a.fd = fd;
    } else if (index.column() == Action) {
        auto kind = parseFdAction(value.toString().toStdString());
        if (!kind) return false;
        a.action = *kind;
    } else {
        return false;
    }
    setAction(index.row(), a);
    return true;
}

bool FdActionModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count < 1 || row + count > rowCount()) return false;
    beginRemoveRows({}, row, row + count - 1);
    m_actions.erase(m_actions.begin() + row, m_actions.begin() + row + count);
    m_problems.remove(row, count);
    endRemoveRows();
    Q_EMIT edited();
    return true;
}

bool FdActionModel::moveRows(const QModelIndex &sourceParent, int sourceRow, int count,
                             const QModelIndex &destinationParent, int destinationChild)
{
    if (sourceParent.isValid() || destinationParent.isValid() || count != 1 || sourceRow < 0 ||
        sourceRow >= rowCount() || destinationChild < 0 || destinationChild > rowCount() ||
        destinationChild == sourceRow || destinationChild == sourceRow + 1)
        return false;
    if (!beginMoveRows({}, sourceRow, sourceRow, {}, destinationChild)) return false;
    const int to = destinationChild > sourceRow ? destinationChild - 1 : destinationChild;
    FdAction moved = m_actions[std::size_t(sourceRow)];
    m_actions.erase(m_actions.begin() + sourceRow);
    m_actions.insert(m_actions.begin() + to, moved);
    m_problems.move(sourceRow, to);
    endMoveRows();
    Q_EMIT edited();
    return true;
}

QVariant FdActionModel::rowHeader(int row) const
{
    return row;
}

} // namespace spawnlab
