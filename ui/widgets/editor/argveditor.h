// SPDX-License-Identifier: GPL-3.0-or-later
// Program section: argv as an editable, reorderable list, the executable, the
// working directory, and where the child's PATH will find the program.
#pragma once

#include "editor/plansection.h"

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace spawnlab {

class ArgvEditor : public PlanSection
{
    Q_OBJECT
public:
    explicit ArgvEditor(QWidget *parent = nullptr);

    void load(const SpawnPlan &plan) override;
    void apply(SpawnPlan &plan, QList<PlanIssue> &issues) const override;
    void refresh(const SpawnPlan &plan, const QList<PlanIssue> &problems) override;

private:
    QWidget *createArgvGroup();
    QWidget *createProgramGroup();
    void addArgument();
    void removeArgument();
    void moveArgument(int by);
    void updateButtons();

    QListWidget *m_argv = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_up = nullptr;
    QPushButton *m_down = nullptr;
    QLineEdit *m_executable = nullptr;
    QLabel *m_resolution = nullptr;
    QLineEdit *m_cwd = nullptr;
    QLabel *m_cwdNote = nullptr;
};

} // namespace spawnlab
