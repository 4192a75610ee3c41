// SPDX-License-Identifier: GPL-3.0-or-later
// The fd tables of a run side by side: spawnlab's (the parent, with leak
// risks), and the child's at each stop point (before close_fds, after
// close_fds, after exec), each marked against the stage before it; below, a
// diff of any two stages. Selecting an fd highlights the same open file in
// every table and lists the other processes that hold it; activating one
// opens that process's table.
#pragma once

#include "spawnlab/result.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QGroupBox;
class QLabel;
class QListWidget;
class QSplitter;
class QStackedWidget;
class QTableView;

namespace spawnlab {

class FdDiffModel;
class FdTableModel;

class FdTablesView : public QWidget
{
    Q_OBJECT
public:
    explicit FdTablesView(QWidget *parent = nullptr);

    // `plan` is the plan that ran: the fds it passes on purpose are no leaks.
    void setResult(const RunResult &result, const SpawnPlan &plan);
    void clear(const QString &message);

    // Stage 0 is the parent, 1..3 the InspectPoints; tests and the window look in.
    FdTableModel *stageModel(int stage) const { return m_stages.at(stage).model; }
    QTableView *stageView(int stage) const { return m_stages.at(stage).view; }
    bool hasStage(int stage) const { return m_stages.at(stage).table.has_value(); }
    FdDiffModel *diffModel() const { return m_diff; }
    QString diffSummary() const;
    void compare(int beforeStage, int afterStage);
    // Selects `fd` in a stage's table, which highlights its open file everywhere.
    void selectFd(int stage, int fd);
    // The selected fd's holders in other processes, one row each.
    QListWidget *peersList() const { return m_peers; }

Q_SIGNALS:
    // A peer was activated: the window opens that process's fd table.
    void processRequested(qint64 pid);

private:
    QSplitter *createStageTables(QWidget *parent);
    QGroupBox *createDiffBox(QWidget *parent);
    QGroupBox *createPeersBox(QWidget *parent);
    void showPeers(const FdEntry &entry, pid_t owner);
    struct Stage {
        QString name;
        std::optional<FdTable> table;
        QGroupBox *box = nullptr;
        QTableView *view = nullptr;
        FdTableModel *model = nullptr;
    };
    QWidget *legend();
    void stageSelected(int stage, int row);
    void updateDiff();

    QList<Stage> m_stages;
    std::vector<int> m_intended;
    QStackedWidget *m_pages = nullptr;
    QLabel *m_placeholder = nullptr;
    QLabel *m_notes = nullptr;
    QComboBox *m_before = nullptr;
    QComboBox *m_after = nullptr;
    QLabel *m_summary = nullptr;
    FdDiffModel *m_diff = nullptr;
    QTableView *m_diffView = nullptr;
    QGroupBox *m_peersBox = nullptr;
    QListWidget *m_peers = nullptr;
};

} // namespace spawnlab
