// SPDX-License-Identifier: GPL-3.0-or-later
// File descriptors section: the child's fd list (one row per child fd, its
// action and details), then close_fds with the keep-list (pass_fds) picked
// from spawnlab's own live fd table, and the close method.
#pragma once

#include "editor/plansection.h"

#include "spawnlab/procfs.h"

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTableView;

namespace spawnlab {

class FdActionForm;
class FdActionModel;

class FdEditor : public PlanSection
{
    Q_OBJECT
public:
    explicit FdEditor(QWidget *parent = nullptr);

    void load(const SpawnPlan &plan) override;
    void apply(SpawnPlan &plan, QList<PlanIssue> &issues) const override;
    void refresh(const SpawnPlan &plan, const QList<PlanIssue> &problems) override;

    FdActionModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    // Re-reads spawnlab's fd table (for dup sources and pass_fds).
    void rereadParentFds();

protected:
    void showEvent(QShowEvent *event) override;

private:
    QGroupBox *createListBox();
    QGroupBox *createFormBox();
    QGroupBox *createCloseBox();
    void showSelected();
    void formChanged();
    void fillPassFds(const std::vector<int> &passFds);
    void moveSelected(int by);

    FdActionModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_up = nullptr;
    QPushButton *m_down = nullptr;
    QGroupBox *m_formBox = nullptr;
    FdActionForm *m_form = nullptr;
    QHash<int, QString> m_formIssues; // row -> what its form input lacks
    QCheckBox *m_closeFds = nullptr;
    QComboBox *m_closeMethod = nullptr;
    QListWidget *m_passFds = nullptr;
    QLabel *m_parentNote = nullptr;
    FdTable m_parent;
};

} // namespace spawnlab
