// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/envmodel.h"

#include "qs.h"

#include "plan/childenvironment.h"

#include <QMap>

namespace spawnlab {

EnvModel::EnvModel(QObject *parent)
    : TableModel({{tr("Variable")}, {tr("Plan")}, {tr("In the child")}, {tr("In spawnlab")}},
                 parent)
{
}

void EnvModel::setEnv(const EnvSpec &env, const QStringList &parentEnv)
{
    beginResetModel();
    QMap<QString, Row> rows;
    for (const QString &entry : parentEnv) {
        const qsizetype eq = entry.indexOf(u'=');
        Row &row = rows[entry.left(eq)];
        row.name = entry.left(eq);
        row.parentValue = eq < 0 ? QString() : entry.mid(eq + 1);
    }
    for (const auto &name : env.unset) {
        Row &row = rows[qs(name)];
        row.name = qs(name);
        row.change = Unset;
    }
    for (const auto &[name, value] : env.set) {
        Row &row = rows[qs(name)];
        row.name = qs(name);
        row.change = Set;
        row.value = qs(value);
    }
    m_rows = rows.values();
    m_inherit = env.inherit;
    endResetModel();
}

EnvSpec EnvModel::env() const
{
    EnvSpec spec;
    spec.inherit = m_inherit;
    for (const Row &row : m_rows) {
        if (row.change == Set)
            spec.set.emplace_back(row.name.toStdString(), row.value.toStdString());
        else if (row.change == Unset)
            spec.unset.push_back(row.name.toStdString());
    }
    return spec;
}

void EnvModel::setInherit(bool inherit)
{
    if (m_inherit == inherit) return;
    m_inherit = inherit;
    if (!m_rows.isEmpty()) allRowsChanged();
}

int EnvModel::addVariable(const QString &name, const QString &value)
{
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(Row{name, std::nullopt, Set, value, {}});
    endInsertRows();
    Q_EMIT edited();
    return row;
}

void EnvModel::setProblems(const QList<PlanIssue> &problems)
{
    for (int i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        QString problem;
        const QString setField = QStringLiteral("env.set.") + row.name;
        int unsetIndex = 0;
        for (int j = 0; j < i; ++j)
            unsetIndex += m_rows[j].change == Unset;
        const QString unsetField = QStringLiteral("env.unset[%1]").arg(unsetIndex);
        for (const PlanIssue &p : problems)
            if ((row.change == Set &&
                 (p.field == setField || (row.name.isEmpty() && p.field == u"env.set"))) ||
                (row.change == Unset && p.field == unsetField))
                problem += (problem.isEmpty() ? QString() : QStringLiteral("\n")) + p.message;
        if (problem != row.problem) {
            row.problem = problem;
            rowsChanged(i, i);
        }
    }
}

QString EnvModel::changeName(Change change)
{
    switch (change) {
    case Keep:
        return QStringLiteral("keep");
    case Set:
        return QStringLiteral("set");
    case Unset:
        return QStringLiteral("unset");
    }
    return {};
}

bool EnvModel::inChild(const Row &row) const
{
    return row.change == Set || (row.change == Keep && m_inherit && row.parentValue);
}

QVariant EnvModel::roleData(int r, int column, int role) const
{
    const Row &row = m_rows.at(r);
    switch (role) {
    case ChangeRole:
        return int(row.change);
    case InChildRole:
        return inChild(row);
    case ProblemRole:
        return row.problem;
    case Qt::ToolTipRole:
        if (!row.problem.isEmpty()) return row.problem;
        if (column == Action)
            return QStringLiteral("keep: the child gets the parent's value (if inherited); "
                                  "set: the plan's value; unset: removed from the child");
        return {};
    default:
        return {};
    }
}

QVariant EnvModel::cell(int r, int column, bool forEdit) const
{
    const Row &row = m_rows.at(r);
    switch (Column(column)) {
    case Name:
        return row.name;
    case Action:
        return changeName(row.change);
    case ChildValue:
        if (forEdit) return row.change == Set ? row.value : row.parentValue.value_or(QString());
        if (row.change == Set) return row.value;
        if (row.change == Unset) return QStringLiteral("(unset)");
        if (!row.parentValue) return QStringLiteral("(not set)");
        return m_inherit ? *row.parentValue : QStringLiteral("(not inherited)");
    case ParentValue:
        return row.parentValue.value_or(QStringLiteral("(not set)"));
    case ColumnCount:
        break;
    }
    return {};
}

Qt::ItemFlags EnvModel::flags(const QModelIndex &index) const
{
    if (!isCell(index)) return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    const Row &row = m_rows.at(index.row());
    if (index.column() == Action || index.column() == ChildValue) f |= Qt::ItemIsEditable;
    if (index.column() == Name && !row.parentValue) f |= Qt::ItemIsEditable;
    return f;
}

bool EnvModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid)) return false;
    Row &row = m_rows[index.row()];
    switch (index.column()) {
    case Name:
        if (row.parentValue) return false;
        row.name = value.toString();
        break;
    case Action: {
        const QString text = value.toString();
        if (text == u"keep")
            row.change = Keep;
        else if (text == u"set") {
            if (row.change != Set) row.value = row.parentValue.value_or(QString());
            row.change = Set;
        } else if (text == u"unset")
            row.change = Unset;
        else
            return false;
        break;
    }
    case ChildValue:
        row.change = Set;
        row.value = value.toString();
        break;
    default:
        return false;
    }
    rowsChanged(index.row(), index.row());
    Q_EMIT edited();
    return true;
}

bool EnvModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count < 1 || row + count > m_rows.size()) return false;
    for (int i = row; i < row + count; ++i)
        if (m_rows[i].parentValue) return false;
    beginRemoveRows({}, row, row + count - 1);
    m_rows.remove(row, count);
    endRemoveRows();
    Q_EMIT edited();
    return true;
}

} // namespace spawnlab
