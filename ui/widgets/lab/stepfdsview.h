// SPDX-License-Identifier: GPL-3.0-or-later
// inspect every_step in the Timeline: the child's fd table at one moment of
// its setup, the change from the moment before marked (added, changed,
// closed), with a slider and Previous / Next to walk through the moments.
// This is how a swap 1<->2 or a cycle reads, move by move.
#pragma once

#include "spawnlab/result.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QSlider;
class QTableView;

namespace spawnlab {

class FdTableModel;

class StepFdsView : public QWidget
{
    Q_OBJECT
public:
    explicit StepFdsView(QWidget *parent = nullptr);

    void setTables(const std::vector<FdStepTable> &tables);
    int tableCount() const { return int(m_tables.size()); }
    int currentTable() const { return m_current; }
    QTableView *tableView() const { return m_view; }
    QLabel *titleLabel() const { return m_title; }

public Q_SLOTS:
    void showTable(int index); // clamped; -1 shows nothing

Q_SIGNALS:
    // The slider or Previous / Next moved to another moment (its trace row).
    void tableChosen(int traceRow);

private:
    std::vector<FdStepTable> m_tables;
    int m_current = -1;
    FdTableModel *m_model = nullptr;
    QLabel *m_title = nullptr;
    QTableView *m_view = nullptr;
    QSlider *m_slider = nullptr;
    QPushButton *m_previous = nullptr;
    QPushButton *m_next = nullptr;
};

} // namespace spawnlab
