// SPDX-License-Identifier: GPL-3.0-or-later
#include "editor/fdeditor.h"
#include "qs.h"

#include "editor/fdactionform.h"
#include "editor/itemdelegates.h"
#include "editor/optiontip.h"
#include "models/fdactionmodel.h"
#include "problemlabel.h"
#include "rowtableview.h"

#include "spawnlab/fddiff.h"
#include "spawnlab/names.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace spawnlab {
FdEditor::FdEditor(QWidget *parent)
    : PlanSection(tr("File descriptors"),
                  {QStringLiteral("fds"), QStringLiteral("close_fds"), QStringLiteral("pass_fds"),
                   QStringLiteral("close_method")},
                  parent)
{
    m_model = new FdActionModel(this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(createListBox());
    layout->addWidget(createFormBox());
    layout->addWidget(createCloseBox());
    layout->addStretch();

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &FdEditor::showSelected);
    connect(m_model, &FdActionModel::edited, this, &PlanSection::edited);
    connect(m_model, &QAbstractItemModel::modelReset, this, &FdEditor::showSelected);
    connect(m_form, &FdActionForm::changed, this, &FdEditor::formChanged);
    showSelected();
}

// The plan's fd actions in order, with Add (one entry per action kind),
// Remove, Up and Down.
QGroupBox *FdEditor::createListBox()
{
    auto *listBox = new QGroupBox(tr("Child fds (set up before exec)"), this);
    setOptionTip(listBox, "fds");
    auto *listLayout = new QVBoxLayout(listBox);
    m_table = rowTableView(listBox, m_model); // the form below edits
    m_table->setObjectName(QStringLiteral("fdTable"));
    m_table->setItemDelegate(new ProblemDelegate(FdActionModel::ProblemRole, m_table));
    m_table->setMinimumHeight(110);
    m_table->setMaximumHeight(190);
    listLayout->addWidget(m_table);

    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add fd"), listBox);
    add->setObjectName(QStringLiteral("fdAdd"));
    auto *addMenu = new QMenu(add);
    for (FdActionKind kind : kFdActionKinds) {
        QAction *action = addMenu->addAction(qs(fdActionName(kind)));
        action->setObjectName(QStringLiteral("fdAdd_") + qs(fdActionName(kind)));
        action->setToolTip(optionHelp(QStringLiteral("fds.") + qs(fdActionName(kind))));
        connect(action, &QAction::triggered, this, [this, kind] {
            const int row = m_model->appendAction(kind);
            m_table->selectRow(row);
        });
    }
    addMenu->setToolTipsVisible(true);
    add->setMenu(addMenu);
    m_remove = new QPushButton(tr("Remove"), listBox);
    m_up = new QPushButton(tr("Up"), listBox);
    m_down = new QPushButton(tr("Down"), listBox);
    for (QPushButton *b : {add, m_remove, m_up, m_down})
        buttons->addWidget(b);
    buttons->addStretch();
    listLayout->addLayout(buttons);
    listLayout->addWidget(new ProblemLabel({QStringLiteral("fds")}, listBox));

    connect(m_remove, &QPushButton::clicked, this, [this] {
        const int row = m_table->currentIndex().row();
        if (row < 0) return;
        m_formIssues.clear();
        m_model->removeRow(row);
        showSelected();
    });
    connect(m_up, &QPushButton::clicked, this, [this] { moveSelected(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveSelected(+1); });
    return listBox;
}

// The form that edits the selected fd action.
QGroupBox *FdEditor::createFormBox()
{
    m_formBox = new QGroupBox(tr("Selected fd"), this);
    m_formBox->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    auto *formLayout = new QVBoxLayout(m_formBox);
    m_form = new FdActionForm(m_formBox);
    formLayout->addWidget(m_form);
    return m_formBox;
}

// close_fds, its method, pass_fds and spawnlab's own fds they are checked against.
QGroupBox *FdEditor::createCloseBox()
{
    auto *closeBox = new QGroupBox(tr("Every other fd"), this);
    auto *closeForm = new QFormLayout(closeBox);
    m_closeFds = optionField(new QCheckBox(tr("close_fds: close every other fd ≥ 3"), closeBox),
                             "closeFds", "close_fds");
    closeForm->addRow(m_closeFds);
    m_closeMethod = new QComboBox(closeBox);
    m_closeMethod->setObjectName(QStringLiteral("closeMethod"));
    for (CloseMethod m : kCloseMethods)
        m_closeMethod->addItem(qs(closeMethodName(m)));
    setOptionTip(m_closeMethod, "close_method");
    closeForm->addRow(tr("Close method:"), m_closeMethod);
    m_passFds = optionField(new QListWidget(closeBox), "passFds", "pass_fds");
    m_passFds->setMaximumHeight(130);
    closeForm->addRow(tr("Keep (pass_fds):"), m_passFds);
    auto *reread = new QPushButton(tr("Re-read spawnlab's fds"), closeBox);
    reread->setToolTip(
        tr("spawnlab's own fd table changes (e.g. Tools ▸ Open leaky fds): read it again"));
    m_parentNote = new QLabel(closeBox);
    m_parentNote->setWordWrap(true);
    closeForm->addRow(reread, m_parentNote);
    closeForm->addRow(new ProblemLabel(
        {QStringLiteral("close_fds"), QStringLiteral("pass_fds"), QStringLiteral("close_method")},
        closeBox));

    connect(m_closeFds, &QCheckBox::toggled, this, [this](bool on) {
        m_closeMethod->setEnabled(on);
        m_passFds->setEnabled(on);
        Q_EMIT edited();
    });
    connect(m_closeMethod, &QComboBox::currentIndexChanged, this, &PlanSection::edited);
    connect(m_passFds, &QListWidget::itemChanged, this, &PlanSection::edited);
    connect(reread, &QPushButton::clicked, this, [this] {
        rereadParentFds();
        Q_EMIT edited(); // validate() checks dup sources against the new table
    });
    return closeBox;
}

void FdEditor::rereadParentFds()
{
    std::vector<int> kept;
    for (int i = 0; i < m_passFds->count(); ++i)
        if (m_passFds->item(i)->checkState() == Qt::Checked)
            kept.push_back(m_passFds->item(i)->data(Qt::UserRole).toInt());
    m_parent = readFdTable(0).table;
    m_model->setParentTable(m_parent);
    {
        const QSignalBlocker blocker(m_passFds);
        fillPassFds(kept);
    }
    const long inheritable = std::count_if(
        m_parent.begin(), m_parent.end(), [](const FdEntry &e) { return leakRisk(e).has_value(); });
    m_parentNote->setText(tr("spawnlab has %1 fds open now; %2 of them ≥ 3 without CLOEXEC "
                             "would leak into a child with close_fds off.")
                              .arg(m_parent.size())
                              .arg(inheritable));
    showSelected();
}

void FdEditor::showEvent(QShowEvent *event)
{
    PlanSection::showEvent(event);
    rereadParentFds();
}

void FdEditor::fillPassFds(const std::vector<int> &passFds)
{
    m_passFds->clear();
    std::vector<int> fds;
    for (const FdEntry &e : m_parent)
        if (e.fd >= 3) fds.push_back(e.fd);
    for (int fd : passFds)
        if (std::find(fds.begin(), fds.end(), fd) == fds.end()) fds.push_back(fd);
    std::sort(fds.begin(), fds.end());
    for (int fd : fds) {
        auto it = std::find_if(m_parent.begin(), m_parent.end(),
                               [fd](const FdEntry &e) { return e.fd == fd; });
        QString text = it == m_parent.end() ? tr("%1 — not open in spawnlab").arg(fd)
                                            : QStringLiteral("%1 — %2").arg(fd).arg(qs(it->target));
        if (it != m_parent.end() && !it->cloexec) text += tr("  (inheritable)");
        auto *item = new QListWidgetItem(text, m_passFds);
        item->setData(Qt::UserRole, fd);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
        const bool kept = std::find(passFds.begin(), passFds.end(), fd) != passFds.end();
        item->setCheckState(kept ? Qt::Checked : Qt::Unchecked);
    }
}

void FdEditor::load(const SpawnPlan &plan)
{
    m_formIssues.clear();
    m_parent = readFdTable(0).table;
    m_model->setParentTable(m_parent);
    m_model->setActions(plan.fds);
    const QSignalBlocker b1(m_closeFds), b2(m_closeMethod), b3(m_passFds);
    m_closeFds->setChecked(plan.closeFds);
    m_closeMethod->setCurrentIndex(int(plan.closeMethod));
    m_closeMethod->setEnabled(plan.closeFds);
    m_passFds->setEnabled(plan.closeFds);
    fillPassFds(plan.passFds);
    if (!plan.fds.empty()) m_table->selectRow(0);
    m_table->resizeColumnToContents(FdActionModel::ChildFd);
    m_table->resizeColumnToContents(FdActionModel::Action);
    showSelected();
}

void FdEditor::apply(SpawnPlan &plan, QList<PlanIssue> &issues) const
{
    plan.fds = m_model->actions();
    for (auto it = m_formIssues.begin(); it != m_formIssues.end(); ++it)
        if (!it.value().isEmpty())
            issues.append({QStringLiteral("fds[%1]").arg(it.key()), it.value()});
    plan.closeFds = m_closeFds->isChecked();
    plan.closeMethod = CloseMethod(m_closeMethod->currentIndex());
    plan.passFds.clear();
    for (int i = 0; i < m_passFds->count(); ++i)
        if (m_passFds->item(i)->checkState() == Qt::Checked)
            plan.passFds.push_back(m_passFds->item(i)->data(Qt::UserRole).toInt());
}

void FdEditor::refresh(const SpawnPlan &plan, const QList<PlanIssue> &problems)
{
    Q_UNUSED(plan);
    m_model->setProblems(problems);
}

void FdEditor::showSelected()
{
    const int row = m_table->currentIndex().row();
    m_formBox->setEnabled(row >= 0);
    m_remove->setEnabled(row >= 0);
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row + 1 < m_model->rowCount());
    m_formBox->setTitle(row >= 0 ? tr("Selected fd (fds[%1])").arg(row) : tr("Selected fd (none)"));
    if (row >= 0) m_form->setAction(m_model->action(row), m_parent);
}

void FdEditor::formChanged()
{
    const int row = m_table->currentIndex().row();
    if (row < 0) return;
    m_formIssues[row] = m_form->issue();
    m_model->setAction(row, m_form->action()); // emits edited()
}

void FdEditor::moveSelected(int by)
{
    const int row = m_table->currentIndex().row();
    const int to = row + by;
    if (row < 0 || to < 0 || to >= m_model->rowCount()) return;
    m_formIssues.clear();
    m_model->moveRow({}, row, {}, by > 0 ? to + 1 : to);
    m_table->selectRow(to);
}

} // namespace spawnlab
