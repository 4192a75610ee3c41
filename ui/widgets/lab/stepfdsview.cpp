// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/stepfdsview.h"

#include "lab/fdrowdelegate.h"
#include "models/fdtablemodel.h"
#include "qs.h"

#include "spawnlab/names.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QTableView>
#include <QVBoxLayout>

namespace spawnlab {

StepFdsView::StepFdsView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("stepFdsTitle"));
    m_title->setWordWrap(true);
    m_model = new FdTableModel(this);
    m_view = fdTableView(this);
    m_view->setObjectName(QStringLiteral("stepFds"));
    m_view->setModel(m_model);
    m_view->setItemDelegate(new FdRowDelegate(
        {FdTableModel::ChangeRole, FdTableModel::PresentRole, FdTableModel::LeakRiskRole, -1},
        m_view));
    // fd, CLOEXEC and target, tinted by what changed (as in the fd tables
    // tab); the rest, and the change in words, is in each row's tooltip.
    for (int c : {FdTableModel::Kind, FdTableModel::Access, FdTableModel::Held, FdTableModel::Note})
        m_view->setColumnHidden(c, true);
    m_view->horizontalHeader()->moveSection(FdTableModel::Cloexec, FdTableModel::Kind);
    // The target is what a person follows from moment to moment.
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(FdTableModel::Target, QHeaderView::Stretch);

    auto *walk = new QHBoxLayout;
    m_previous = new QPushButton(tr("◀ Previous"), this);
    m_next = new QPushButton(tr("Next ▶"), this);
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName(QStringLiteral("stepSlider"));
    m_slider->setPageStep(1);
    m_slider->setTickPosition(QSlider::TicksBelow);
    walk->addWidget(m_previous);
    walk->addWidget(m_slider, 1);
    walk->addWidget(m_next);
    layout->addWidget(m_title);
    layout->addWidget(m_view, 1);
    layout->addLayout(walk);

    auto choose = [this](int index) {
        showTable(index);
        if (m_current >= 0) Q_EMIT tableChosen(m_tables[std::size_t(m_current)].traceRow);
    };
    connect(m_slider, &QSlider::valueChanged, this, choose);
    connect(m_previous, &QPushButton::clicked, this, [this, choose] { choose(m_current - 1); });
    connect(m_next, &QPushButton::clicked, this, [this, choose] { choose(m_current + 1); });
    setTables({});
}

void StepFdsView::setTables(const std::vector<FdStepTable> &tables)
{
    m_tables = tables;
    m_current = -2; // so that showTable redraws
    const QSignalBlocker blocker(m_slider);
    m_slider->setRange(0, qMax(0, int(tables.size()) - 1));
    showTable(tables.empty() ? -1 : 0);
}

void StepFdsView::showTable(int index)
{
    if (!m_tables.empty())
        index = qBound(0, index, int(m_tables.size()) - 1);
    else
        index = -1;
    if (index == m_current) return;
    m_current = index;
    const bool any = index >= 0;
    m_slider->setEnabled(any);
    m_previous->setEnabled(any && index > 0);
    m_next->setEnabled(any && index + 1 < int(m_tables.size()));
    if (!any) {
        m_model->setPrevious(std::nullopt);
        m_model->setTable({});
        m_title->setText(tr("Tick \"every step\" under Inspect (Run options) and run again to see "
                            "the child's fd table after each of its fd steps."));
        return;
    }
    {
        const QSignalBlocker blocker(m_slider);
        m_slider->setValue(index);
    }
    const FdStepTable &t = m_tables[std::size_t(index)];
    m_model->setTable(t.fds);
    m_model->setPrevious(index > 0 ? std::optional(m_tables[std::size_t(index) - 1].fds)
                                   : std::nullopt);
    const QString moment =
        t.step ? tr("after %1%2")
                     .arg(qs(stepName(*t.step)), t.arg.empty() ? QString() : u' ' + qs(t.arg))
               : tr("before the first fd step");
    m_title->setText(
        tr("The child's fds %1 (moment %2 of %3)%4")
            .arg(moment)
            .arg(index + 1)
            .arg(m_tables.size())
            .arg(index > 0 ? tr(": changes from the moment before are marked") : QString()));
    for (int c : {FdTableModel::Fd, FdTableModel::Cloexec})
        m_view->resizeColumnToContents(c);
}

} // namespace spawnlab
