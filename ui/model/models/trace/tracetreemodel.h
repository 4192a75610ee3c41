// SPDX-License-Identifier: GPL-3.0-or-later
// The traced process tree: each process under the one that forked it, with
// its argv, how it ended, and how many leaked fds it got at its exec(s).
#pragma once

#include "spawnlab/trace.h"

#include <QAbstractItemModel>

#include <vector>

namespace spawnlab {

class TraceTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { Pid, Program, Ended, Leaks, ColumnCount };
    enum Role {
        PidRole = Qt::UserRole, // qint64
        LeaksRole,              // int: leaked fds it inherited
        HighlightedRole,        // bool: it made the fd selected elsewhere
    };

    explicit TraceTreeModel(QObject *parent = nullptr);

    void setReport(const TraceReport &report);
    void clear();
    // Marks the process that made the fd selected elsewhere (0: none): its
    // HighlightedRole is true (the view shows it bold), its tooltip says why.
    void setHighlightedPid(qint64 pid);
    qint64 highlightedPid() const { return m_highlighted; }
    QModelIndex indexOfPid(qint64 pid) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Node {
        TracedProcess process;
        int leaks = 0;
        int parent = -1; // node index; -1: a root
        int row = 0;     // among its parent's children
        std::vector<int> children;
    };
    const std::vector<int> &childrenOf(const QModelIndex &parent) const;

    std::vector<Node> m_nodes;
    std::vector<int> m_roots;
    qint64 m_highlighted = 0;
};

} // namespace spawnlab
