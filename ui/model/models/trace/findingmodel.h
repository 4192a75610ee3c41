// SPDX-License-Identifier: GPL-3.0-or-later
// The leak hunt's findings, most severe first: which process got which fd,
// what it costs and where the fd was made.
#pragma once

#include "spawnlab/trace.h"

#include "models/tablemodel.h"

namespace spawnlab {

class FindingModel : public TableModel
{
    Q_OBJECT
public:
    enum Column { SeverityColumn, Process, Fd, Finding, ColumnCount };
    enum Role {
        PidRole = Qt::UserRole, // qint64: the process that inherited it
        FdRole,                 // int
        SeverityRole,           // int Severity
    };

    explicit FindingModel(QObject *parent = nullptr);

    void setReport(const TraceReport &report);
    void clear();
    // Every finding as text, one paragraph each, as the CLI prints them.
    QString text() const;

private:
    struct Row {
        LeakFinding finding;
        qint64 pid;
        std::string program;
    };
    int rowTotal() const override { return int(m_rows.size()); }
    QVariant cell(int row, int column, bool forEdit) const override;
    QVariant roleData(int row, int column, int role) const override;
    std::vector<Row> m_rows;
};

} // namespace spawnlab
