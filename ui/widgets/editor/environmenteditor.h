// SPDX-License-Identifier: GPL-3.0-or-later
// Environment section: inherit toggle, a filterable table of every variable
// (the parent's and the plan's) with what the plan does to it and what the
// child ends up with.
#pragma once

#include "editor/plansection.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace spawnlab {

class EnvModel;
class EnvFilterModel;

class EnvironmentEditor : public PlanSection
{
    Q_OBJECT
public:
    explicit EnvironmentEditor(QWidget *parent = nullptr);

    void load(const SpawnPlan &plan) override;
    void apply(SpawnPlan &plan, QList<PlanIssue> &issues) const override;
    void refresh(const SpawnPlan &plan, const QList<PlanIssue> &problems) override;

    EnvModel *model() const { return m_model; }

private:
    void addVariable();
    void removeOrUnset();

    EnvModel *m_model = nullptr;
    EnvFilterModel *m_filter = nullptr;
    QCheckBox *m_inherit = nullptr;
    QLineEdit *m_search = nullptr;
    QCheckBox *m_changesOnly = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_summary = nullptr;
};

} // namespace spawnlab
