// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/tablemodel.h"

namespace spawnlab {

TableModel::TableModel(QList<Column> columns, QObject *parent)
    : QAbstractTableModel(parent), m_columns(std::move(columns))
{
}

int TableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : rowTotal();
}

int TableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant TableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical)
        return role == Qt::DisplayRole ? rowHeader(section) : QVariant();
    if (section < 0 || section >= m_columns.size()) return {};
    const Column &c = m_columns.at(section);
    if (role == Qt::DisplayRole) return c.title;
    if (role == Qt::ToolTipRole && !c.toolTip.isEmpty()) return c.toolTip;
    return {};
}

QVariant TableModel::data(const QModelIndex &index, int role) const
{
    if (!isCell(index)) return {};
    if (role == Qt::DisplayRole || role == Qt::EditRole)
        return cell(index.row(), index.column(), role == Qt::EditRole);
    return roleData(index.row(), index.column(), role);
}

QVariant TableModel::rowHeader(int) const
{
    return {};
}

QVariant TableModel::roleData(int, int, int) const
{
    return {};
}

bool TableModel::isCell(const QModelIndex &index) const
{
    return index.isValid() && checkIndex(index, CheckIndexOption::IndexIsValid);
}

void TableModel::rowsChanged(int first, int last)
{
    if (first <= last) Q_EMIT dataChanged(index(first, 0), index(last, columnCount() - 1));
}

void TableModel::allRowsChanged()
{
    rowsChanged(0, rowTotal() - 1);
}

} // namespace spawnlab
