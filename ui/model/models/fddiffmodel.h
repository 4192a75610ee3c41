// Two fd tables of the child (e.g. before and after close_fds) as one row per
// fd number: kept, closed, added or changed, with what it was and became.
#pragma once

#include "spawnlab/fddiff.h"

#include <QAbstractTableModel>

namespace spawnlab {

class FdDiffModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Fd, Change, Before, After, Notes, ColumnCount };
    enum Role {
        FdRole = Qt::UserRole, // int
        ChangeRole,            // int FdChange
    };

    explicit FdDiffModel(QObject *parent = nullptr);

    void setTables(const FdTable &before, const FdTable &after);
    void clear();
    const std::vector<FdDiffRow> &rows() const { return m_rows; }
    int count(FdChange change) const;
    // "3 closed (5, 7, 9) · 3 kept · 1 changed": the diff in one line.
    QString summary() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<FdDiffRow> m_rows;
};

} // namespace spawnlab
