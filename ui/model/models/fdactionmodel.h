// SPDX-License-Identifier: GPL-3.0-or-later
// The plan's fd list: one row per child fd and what the child does to it.
// The fd editor edits details (dup source, open path and flags, pipe input)
// through action()/setAction(); the table itself edits fd and action.
#pragma once

#include "plan/planfile.h"

#include "spawnlab/plan.h"
#include "spawnlab/procfs.h"

#include "models/tablemodel.h"

namespace spawnlab {

class FdActionModel : public TableModel
{
    Q_OBJECT
public:
    enum Column { ChildFd, Action, Detail, ColumnCount };
    enum Role {
        ActionRole = Qt::UserRole, // int FdActionKind
        ProblemRole,               // QString: what validate() says about fds[row]
    };

    explicit FdActionModel(QObject *parent = nullptr);

    void setActions(const std::vector<FdAction> &actions);
    const std::vector<FdAction> &actions() const { return m_actions; }
    FdAction action(int row) const { return m_actions.at(std::size_t(row)); }
    void setAction(int row, const FdAction &action);
    // Adds an fd row after the highest child fd; returns its row.
    int appendAction(FdActionKind kind);
    // The parent's table, to name what a dup's source fd is.
    void setParentTable(const FdTable &table);
    void setProblems(const QList<PlanIssue> &problems); // fds[i]...

    static QString describe(const FdAction &action, const FdTable &parent);

    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;
    // Only the file's order changes: the core orders the moves itself (Go's two
    // passes), so no order can stomp a dup's source.
    bool moveRows(const QModelIndex &sourceParent, int sourceRow, int count,
                  const QModelIndex &destinationParent, int destinationChild) override;

Q_SIGNALS:
    void edited();

private:
    QVariant rowHeader(int row) const override; // fds[row], as the plan file numbers them
    int rowTotal() const override { return int(m_actions.size()); }
    QVariant cell(int row, int column, bool forEdit) const override;
    QVariant roleData(int row, int column, int role) const override;
    std::vector<FdAction> m_actions;
    QStringList m_problems; // per row
    FdTable m_parent;
};

} // namespace spawnlab
