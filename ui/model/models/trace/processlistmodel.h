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
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    int rowTotal() const override { return int(m_rows.size()); }
    std::vector<ProcessSummary> m_rows;
    std::vector<QString> m_users;
};

} // namespace spawnlab
