// SPDX-License-Identifier: GPL-3.0-or-later
// The child's environment as a table: every variable of the parent and of the
// plan, what the plan does with it (keep, set, unset) and what the child gets.
#pragma once

#include "plan/planfile.h"

#include "spawnlab/plan.h"

#include "models/tablemodel.h"

#include <optional>

namespace spawnlab {

class EnvModel : public TableModel
{
    Q_OBJECT
public:
    enum Column { Name, Action, ChildValue, ParentValue, ColumnCount };
    enum Change { Keep, Set, Unset };
    enum Role {
        ChangeRole = Qt::UserRole, // Change
        InChildRole,               // bool: the child has the variable
        ProblemRole,               // QString: why this row is wrong, or empty
    };

    explicit EnvModel(QObject *parent = nullptr);

    // `parentEnv` is "K=V" entries (parentEnvironment(); tests pass their own).
    void setEnv(const EnvSpec &env, const QStringList &parentEnv);
    EnvSpec env() const;
    void setInherit(bool inherit);
    bool inherit() const { return m_inherit; }
    // A new variable the plan sets; returns its row.
    int addVariable(const QString &name, const QString &value = {});
    void setProblems(const QList<PlanIssue> &problems); // env.set.K / env.unset[i]
    static QString changeName(Change change);           // "keep", "set", "unset"

    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    // Only variables the plan added can go; a parent's variable is unset instead.
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

Q_SIGNALS:
    void edited(); // by the user, through setData/addVariable/removeRows

private:
    int rowTotal() const override { return int(m_rows.size()); }
    QVariant cell(int row, int column, bool forEdit) const override;
    QVariant roleData(int row, int column, int role) const override;
    struct Row {
        QString name;
        std::optional<QString> parentValue;
        Change change = Keep;
        QString value; // when Set
        QString problem;
    };
    bool inChild(const Row &row) const;

    QList<Row> m_rows; // sorted by name, plan-added rows appended
    bool m_inherit = true;
};

} // namespace spawnlab
