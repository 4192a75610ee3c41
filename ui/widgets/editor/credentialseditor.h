// SPDX-License-Identifier: GPL-3.0-or-later
// Credentials section: uid, gid and supplementary groups for the child, picked
// by name from the system's user and group databases (or typed as numbers).
#pragma once

#include "editor/plansection.h"

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace spawnlab {

class CredentialsEditor : public PlanSection
{
    Q_OBJECT
public:
    explicit CredentialsEditor(QWidget *parent = nullptr);

    void load(const SpawnPlan &plan) override;
    void apply(SpawnPlan &plan, QList<PlanIssue> &issues) const override;
    void refresh(const SpawnPlan &plan, const QList<PlanIssue> &problems) override;

private:
    void fillGroups(const std::vector<gid_t> &checked);
    void updateEnabled();

    QGroupBox *m_box = nullptr;
    QCheckBox *m_setUid = nullptr;
    QComboBox *m_uid = nullptr;
    QCheckBox *m_setGid = nullptr;
    QComboBox *m_gid = nullptr;
    QCheckBox *m_setGroups = nullptr;
    QLineEdit *m_groupFilter = nullptr;
    QListWidget *m_groups = nullptr;
    QLabel *m_summary = nullptr;
};

} // namespace spawnlab
