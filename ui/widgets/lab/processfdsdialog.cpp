// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/processfdsdialog.h"

#include "qs.h"

#include "models/fdtablemodel.h"
#include "rowtableview.h"

#include "spawnlab/holders.h"
#include "spawnlab/procfs.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QGuiApplication>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace spawnlab {

ProcessFdsDialog::ProcessFdsDialog(pid_t pid, QWidget *parent) : QDialog(parent)
{
    QFile comm(QStringLiteral("/proc/%1/comm").arg(pid));
    const QString name =
        comm.open(QIODevice::ReadOnly) ? QString::fromUtf8(comm.readAll()).trimmed() : QString();
    setWindowTitle(tr("fds of %1 (pid %2)").arg(name.isEmpty() ? tr("process") : name).arg(pid));
    resize(900, 520);

    auto *layout = new QVBoxLayout(this);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);
    m_model = new FdTableModel(this);
    m_model->setOwner(pid);
    m_view = rowTableView(this, m_model);
    m_view->setObjectName(QStringLiteral("processFds"));
    layout->addWidget(m_view, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    // The scan of every process takes a few hundred milliseconds: say so.
    QGuiApplication::setOverrideCursor(Qt::WaitCursor);
    FdTableRead read = readFdTable(pid);
    if (read.error == FdTableError::None) {
        const HolderIndex index = HolderIndex::scan();
        index.addPeers(pid, read.table);
        m_model->setTable(read.table, true);
        m_status->setText(
            tr("%n fd(s), read just now from /proc/%1/fd.", "", int(read.table.size())).arg(pid));
    } else {
        m_status->setText(qs(read.message));
    }
    QGuiApplication::restoreOverrideCursor();
    m_view->resizeColumnsToContents();
    m_view->setColumnWidth(FdTableModel::Target, 320);
}

QString ProcessFdsDialog::status() const
{
    return m_status->text();
}

} // namespace spawnlab
