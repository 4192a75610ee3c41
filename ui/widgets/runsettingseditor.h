// Run section: the creation strategy with the reason auto would pick (and what
// posix_spawn cannot express), the stop points to inspect, and the timeout.
#pragma once

#include "plansection.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;

namespace spawnlab {

class RunSettingsEditor : public PlanSection
{
    Q_OBJECT
public:
    explicit RunSettingsEditor(QWidget *parent = nullptr);

    QString title() const override { return tr("Run options"); }
    QStringList fieldPrefixes() const override;
    void load(const SpawnPlan &plan) override;
    void apply(SpawnPlan &plan, QList<PlanIssue> &issues) const override;
    void refresh(const SpawnPlan &plan, const QList<PlanIssue> &problems) override;

private:
    QComboBox *m_strategy = nullptr;
    QLabel *m_reason = nullptr;
    QLabel *m_posixSpawn = nullptr;
    QList<QCheckBox *> m_inspect; // in InspectPoint order
    QSpinBox *m_timeout = nullptr;
};

} // namespace spawnlab
