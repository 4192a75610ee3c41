// SPDX-License-Identifier: GPL-3.0-or-later
// Process section: session and process group, umask (octal with an rwx
// preview of what files and directories get) and resource limits.
#pragma once

#include "editor/plansection.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableView;

namespace spawnlab {

class RlimitModel;

class ProcessEditor : public PlanSection
{
    Q_OBJECT
public:
    explicit ProcessEditor(QWidget *parent = nullptr);

    void load(const SpawnPlan &plan) override;
    void apply(SpawnPlan &plan, QList<PlanIssue> &issues) const override;
    void refresh(const SpawnPlan &plan, const QList<PlanIssue> &problems) override;

    RlimitModel *rlimitModel() const { return m_rlimits; }

private:
    QWidget *createSessionGroup();
    QWidget *createUmaskGroup();
    QWidget *createLimitsGroup();
    void updateUmaskPreview();

    QCheckBox *m_setsid = nullptr;
    QCheckBox *m_setPgid = nullptr;
    QSpinBox *m_pgid = nullptr;
    QCheckBox *m_setUmask = nullptr;
    QLineEdit *m_umask = nullptr;
    QLabel *m_umaskPreview = nullptr;
    RlimitModel *m_rlimits = nullptr;
    QTableView *m_rlimitTable = nullptr;
};

} // namespace spawnlab
