// SPDX-License-Identifier: GPL-3.0-or-later
// Run section: the creation strategy with the reason auto would pick (and what
// posix_spawn cannot express), the stop points to inspect, the timeout and how
// much output to keep.
#pragma once

#include "editor/plansection.h"

#include <cstdint>

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

    void load(const SpawnPlan &plan) override;
    void apply(SpawnPlan &plan, QList<PlanIssue> &issues) const override;
    void refresh(const SpawnPlan &plan, const QList<PlanIssue> &problems) override;

private:
    static int kibShown(std::uint64_t bytes);
    void showExactLimit();

    QComboBox *m_strategy = nullptr;
    QLabel *m_reason = nullptr;
    QLabel *m_posixSpawn = nullptr;
    QList<QCheckBox *> m_inspect; // in InspectPoint order
    QSpinBox *m_timeout = nullptr;
    QSpinBox *m_captureLimit = nullptr;     // KiB
    QLabel *m_captureExact = nullptr;       // shown while a non-KiB limit is kept
    std::uint64_t m_loadedCaptureLimit = 0; // bytes, exactly as the plan had it
};

} // namespace spawnlab
