// SPDX-License-Identifier: GPL-3.0-or-later
// Another process's fd table, opened from a peer in the fd tables ("who holds
// the other end?"): read when opened, with its own peers and leak risks.
#pragma once

#include <QDialog>

#include <sys/types.h>

class QLabel;
class QTableView;

namespace spawnlab {

class FdTableModel;

class ProcessFdsDialog : public QDialog
{
    Q_OBJECT
public:
    // Reads pid's table now; a table that cannot be read shows why instead.
    explicit ProcessFdsDialog(pid_t pid, QWidget *parent = nullptr);

    FdTableModel *model() const { return m_model; }
    QString status() const;

private:
    FdTableModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace spawnlab
