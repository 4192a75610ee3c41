// SPDX-License-Identifier: GPL-3.0-or-later
// Every resource limit (prlimit(1) names): whether the plan sets it, the soft
// and hard values it asks for, and what spawnlab's own limits are now.
#pragma once

#include "plan/planfile.h"

#include "spawnlab/plan.h"

#include "models/tablemodel.h"

namespace spawnlab {

class RlimitModel : public TableModel
{
    Q_OBJECT
public:
    enum Column { Resource, Soft, Hard, Current, Description, ColumnCount };
    enum Role {
        ResourceRole = Qt::UserRole, // int RLIMIT_*
        ProblemRole,                 // QString
    };

    explicit RlimitModel(QObject *parent = nullptr);

    void setLimits(const std::vector<RlimitSetting> &limits);
    std::vector<RlimitSetting> limits() const; // sorted by name, as plan files load
    void setProblems(const QList<PlanIssue> &problems);
    int rowOfResource(int resource) const;

    static QString limitText(rlim_t value);                       // "unlimited", "1024"
    static std::optional<rlim_t> parseLimit(const QString &text); // "unlimited"/"infinity"/number

    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

Q_SIGNALS:
    void edited();

private:
    int rowTotal() const override { return int(m_rows.size()); }
    QVariant cell(int row, int column, bool forEdit) const override;
    QVariant roleData(int row, int column, int role) const override;
    struct Row {
        int resource = 0;
        QString name;
        bool set = false;
        rlim_t soft = 0;
        rlim_t hard = 0;
        rlimit current{};
        QString problem;
    };
    QList<Row> m_rows;
};

} // namespace spawnlab
