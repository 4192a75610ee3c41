// SPDX-License-Identifier: GPL-3.0-or-later
// Signals section: every signal by name with its meaning; whether the child's
// mask blocks it and whether its disposition goes to default or ignore; and
// whether caught handlers are reset first.
#pragma once

#include "editor/plansection.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace spawnlab {

class SignalModel;
class SignalFilterModel;

class SignalEditor : public PlanSection
{
    Q_OBJECT
public:
    explicit SignalEditor(QWidget *parent = nullptr);

    void load(const SpawnPlan &plan) override;
    void apply(SpawnPlan &plan, QList<PlanIssue> &issues) const override;
    void refresh(const SpawnPlan &plan, const QList<PlanIssue> &problems) override;

    SignalModel *model() const { return m_model; }

private:
    SignalModel *m_model = nullptr;
    QCheckBox *m_setMask = nullptr;
    QCheckBox *m_resetHandlers = nullptr;
    QLineEdit *m_filter = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_summary = nullptr;
};

} // namespace spawnlab
