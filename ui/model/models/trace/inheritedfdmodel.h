// SPDX-License-Identifier: GPL-3.0-or-later
// What one process got at its exec(s): each fd >= 3 the new program held,
// its verdict (intended or leaked, and why) and where it was made.
#pragma once

#include "spawnlab/trace.h"

#include "models/tablemodel.h"

namespace spawnlab {

class InheritedFdModel : public TableModel
{
    Q_OBJECT
public:
    enum Column { Program, Fd, What, Verdict, HeldBy, MadeBy, CarriedBy, Why, ColumnCount };
    enum Role {
        FdRole = Qt::UserRole, // int
        LeakedRole,            // bool
        OriginPidRole,         // qint64: the process that made it; 0 unknown
        LeakRiskRole,          // QString: why it leaked, empty when intended (FdRowRoles::leak)
        DetailsRole,           // QString: the fd's whole record, peers, origin and stack
    };

    explicit InheritedFdModel(QObject *parent = nullptr);

    // The fds every exec of `pid` in `report` inherited, exec by exec, each
    // with the other traced programs that got the same object (tracePeers).
    void show(const TraceReport &report, qint64 pid);
    void clear();

private:
    struct Row {
        std::string program;
        pid_t pid = 0;
        InheritedFd fd; // fd.entry.peers: the other traced holders
    };
    QString details(const Row &row) const;
    int rowTotal() const override { return int(m_rows.size()); }
    QVariant cell(int row, int column, bool forEdit) const override;
    QVariant roleData(int row, int column, int role) const override;
    std::vector<Row> m_rows;
};

// "pipe2([3, 4], 0) = 0 in pid 812 (python3)", or why the origin is unknown.
QString originText(const FdOrigin &origin);

} // namespace spawnlab
