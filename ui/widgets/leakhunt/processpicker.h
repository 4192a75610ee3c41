// SPDX-License-Identifier: GPL-3.0-or-later
// "Attach to process…": every process in a table (pid, user, program, fds,
// command line) with a filter that matches any column; OK or a double-click
// gives the chosen pid.
#pragma once

#include <QDialog>

class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace spawnlab {

class ProcessListModel;

class ProcessPicker : public QDialog
{
    Q_OBJECT
public:
    explicit ProcessPicker(QWidget *parent = nullptr);

    qint64 chosenPid() const; // 0: none
    // What the dialog is for: "Attach to a process" / "Attach" by default.
    void setPurpose(const QString &title, const QString &acceptText);
    QLineEdit *filterEdit() const { return m_filter; }
    QTableView *table() const { return m_table; }

private:
    ProcessListModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QLineEdit *m_filter = nullptr;
    QTableView *m_table = nullptr;
    QPushButton *m_accept = nullptr;
};

} // namespace spawnlab
