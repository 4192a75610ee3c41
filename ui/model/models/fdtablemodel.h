// SPDX-License-Identifier: GPL-3.0-or-later
// One fd table (the parent's, or the child's at a stop point) as rows with
// kind, target and CLOEXEC. Optionally compared with the table of the stage
// before it, so each row says whether it was kept, added or changed, and the
// fds that stage closed stay as rows marked closed (a student sees what went
// missing where it went missing). One open file can be highlighted wherever it
// appears (sameFile). Colours are the view's business: the model only says
// what a row is.
#pragma once

#include "spawnlab/fddiff.h"
#include "spawnlab/procfs.h"

#include "models/tablemodel.h"

#include <unistd.h>

#include <optional>

namespace spawnlab {

class FdTableModel : public TableModel
{
    Q_OBJECT
public:
    // Target: what the fd is (fdDescription); Held: the other processes
    // holding it (the entry's peers, found by HolderIndex).
    enum Column { Fd, Kind, Target, Cloexec, Access, Held, Note, ColumnCount };
    enum Role {
        FdRole = Qt::UserRole, // int
        ChangeRole,            // int FdChange against the previous stage; -1 without one
        SameFileRole,          // bool: the highlighted open file
        LeakRiskRole,          // QString: why the parent's fd would leak, or empty
        PresentRole,           // bool: false for a closed fd kept as a row
    };

    explicit FdTableModel(QObject *parent = nullptr);

    // `leakMarks`: mark inheritable fds (>= 3, no CLOEXEC: they survive exec)
    // except the `intended` ones, which the plan passes on purpose.
    void setTable(const FdTable &table, bool leakMarks = false,
                  const std::vector<int> &intended = {});
    // Marks rows against `previous` and adds its closed fds (nullopt: neither).
    void setPrevious(const std::optional<FdTable> &previous);
    void setHighlight(const std::optional<FdEntry> &entry);
    // The process the table is of (default: this one): Held elsewhere leaves its fds out.
    void setOwner(pid_t pid);
    const FdTable &table() const { return m_table; }
    // The entry a row shows; for a closed fd, as it was before.
    const FdEntry &entry(int row) const { return m_rows.at(std::size_t(row)).entry; }
    int rowOfFd(int fd) const; // -1 if absent

private:
    int rowTotal() const override { return int(m_rows.size()); }
    QVariant cell(int row, int column, bool forEdit) const override;
    QVariant roleData(int row, int column, int role) const override;
    struct Row {
        FdEntry entry;
        bool present = true;
        int change = -1; // FdChange, -1 without a previous table
        QString notes;
        QString leak;
    };
    void rebuild();

    FdTable m_table;
    bool m_leakMarks = false;
    std::vector<int> m_intended;
    std::vector<Row> m_rows; // sorted by fd
    std::optional<FdTable> m_previous;
    std::optional<FdEntry> m_highlight;
    pid_t m_owner = ::getpid();
};

QString fdEntrySummary(const FdEntry &entry); // "pipe:[123] (w, CLOEXEC)"
// "sleep (pid 812) fd 1, w — same pipe"
QString fdPeerText(const FdPeer &peer);
// The other processes in entry.peers, narrow: "sleep (812)", "sh (811) +2".
QString fdHeldByText(const FdEntry &entry, pid_t self);
// The entry's full record as tooltip lines: socket fields, anon fields, peers.
QStringList fdEntryDetails(const FdEntry &entry);
// "fd N: summary", kind, offset and inode, then the details: what the Lab's
// tooltip and the leak hunt's fd pane show.
QStringList fdEntryRecord(const FdEntry &entry);

} // namespace spawnlab
