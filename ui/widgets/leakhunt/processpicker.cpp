// SPDX-License-Identifier: GPL-3.0-or-later
#include "leakhunt/processpicker.h"

#include "models/trace/processlistmodel.h"
#include "rowtableview.h"

#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace spawnlab {

ProcessPicker::ProcessPicker(QWidget *parent)
    : QDialog(parent), m_model(new ProcessListModel(this)), m_proxy(new QSortFilterProxyModel(this))
{
    setWindowTitle(tr("Attach to a process"));
    resize(900, 560);
    m_model->refresh();
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1); // any column
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortRole(Qt::DisplayRole);
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("filter: pid, user, program or command line"));
    m_filter->setClearButtonEnabled(true);
    m_table = rowTableView(this, m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ProcessListModel::Pid, Qt::AscendingOrder);
    m_table->resizeColumnsToContents();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_accept = buttons->button(QDialogButtonBox::Ok);
    m_accept->setText(tr("Attach"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_table);
    layout->addWidget(buttons);
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_table, &QTableView::doubleClicked, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

qint64 ProcessPicker::chosenPid() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? current.data(ProcessListModel::PidRole).toLongLong() : 0;
}

void ProcessPicker::setPurpose(const QString &title, const QString &acceptText)
{
    setWindowTitle(title);
    m_accept->setText(acceptText);
}

} // namespace spawnlab
