// SPDX-License-Identifier: GPL-3.0-or-later
// Every signal by name with what it means, and what the plan does with it in
// the child: blocked in the mask, disposition back to default, or ignored.
#pragma once

#include "plan/planfile.h"

#include "spawnlab/plan.h"

#include "models/tablemodel.h"

namespace spawnlab {

class SignalModel : public TableModel
{
    Q_OBJECT
public:
    enum Column { Signal, Blocked, Default, Ignore, Description, ColumnCount };
    enum Role {
        SignalRole = Qt::UserRole, // int signal number
        ProblemRole,               // QString
    };

    explicit SignalModel(QObject *parent = nullptr);

    void setSpec(const SignalSpec &spec);
    // Lists are in signal-number order; reset_handlers is not this model's.
    SignalSpec spec() const;
    // Without a mask the child keeps the parent's: the Blocked column is off.
    void setMaskSet(bool set);
    bool maskSet() const { return m_maskSet; }
    void setProblems(const QList<PlanIssue> &problems);
    int rowOfSignal(int sig) const;

    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

Q_SIGNALS:
    void edited();

private:
    int rowTotal() const override { return int(m_rows.size()); }
    QVariant cell(int row, int column, bool forEdit) const override;
    QVariant roleData(int row, int column, int role) const override;
    struct Row {
        int sig = 0;
        QString name;
        QString description;
        bool blocked = false;
        bool setDefault = false;
        bool ignore = false;
        QString problem;
    };
    bool &flag(Row &row, int column);
    bool uncatchable(const Row &row) const;

    QList<Row> m_rows;
    bool m_maskSet = false;
};

} // namespace spawnlab
