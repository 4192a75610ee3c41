// SPDX-License-Identifier: GPL-3.0-or-later
// Two fd tables of the child (e.g. before and after close_fds) as one row per
// fd number: kept, closed, added or changed, with what it was and became.
#pragma once

#include "spawnlab/fddiff.h"

#include "models/tablemodel.h"

namespace spawnlab {

class FdDiffModel : public TableModel
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

private:
    int rowTotal() const override { return int(m_rows.size()); }
    QVariant cell(int row, int column, bool forEdit) const override;
    QVariant roleData(int row, int column, int role) const override;
    std::vector<FdDiffRow> m_rows;
};

} // namespace spawnlab
