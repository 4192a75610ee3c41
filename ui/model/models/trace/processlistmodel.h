// SPDX-License-Identifier: GPL-3.0-or-later
// Every process, for the Leak hunt page's "attach to" picker: pid, user,
// program, command line and how many fds it holds.
#pragma once

#include "spawnlab/processes.h"

#include "models/tablemodel.h"

namespace spawnlab {

class ProcessListModel : public TableModel
{
    Q_OBJECT
public:
    enum Column { Pid, User, Program, Fds, Command, ColumnCount };
    enum Role { PidRole = Qt::UserRole }; // qint64

    explicit ProcessListModel(QObject *parent = nullptr);

    void refresh(); // reads /proc again

private:
    int rowTotal() const override { return int(m_rows.size()); }
    QVariant cell(int row, int column, bool forEdit) const override;
    QVariant roleData(int row, int column, int role) const override;
    std::vector<ProcessSummary> m_rows;
    std::vector<QString> m_users;
};

} // namespace spawnlab
