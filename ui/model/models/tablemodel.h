// SPDX-License-Identifier: GPL-3.0-or-later
// What every flat table the views show has in common: a fixed list of titled
// columns (with an optional tooltip), rows that have no children, and a way to
// say that a row changed. Each model gives its rows, what a cell shows and
// any other role it answers; data() checks the index once for all of them.
#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QString>

namespace spawnlab {

class TableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    struct Column {
        Column(QString t, QString tip = {}) : title(std::move(t)), toolTip(std::move(tip)) {}
        QString title;
        QString toolTip; // empty: none
    };

    int rowCount(const QModelIndex &parent = {}) const final;
    int columnCount(const QModelIndex &parent = {}) const final;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const final;

protected:
    // `columns` in the order of the model's Column enum.
    explicit TableModel(QList<Column> columns, QObject *parent = nullptr);

    virtual int rowTotal() const = 0;
    // What the cell shows (Qt::DisplayRole), or with `forEdit` what an editor
    // starts from (Qt::EditRole). Row and column are in range.
    virtual QVariant cell(int row, int column, bool forEdit) const = 0;
    // Any role but display and edit (tooltips, check states, the model's own
    // roles); none unless a model answers it.
    virtual QVariant roleData(int row, int column, int role) const;
    // The vertical header's text for `row`; none unless a model numbers its rows.
    virtual QVariant rowHeader(int row) const;

    // A valid index of this model (QAbstractItemModel::checkIndex).
    bool isCell(const QModelIndex &index) const;
    void rowsChanged(int first, int last); // dataChanged over every column
    void allRowsChanged();

private:
    QList<Column> m_columns;
};

} // namespace spawnlab
