// SPDX-License-Identifier: GPL-3.0-or-later
#include "editor/environmenteditor.h"

#include "editor/itemdelegates.h"
#include "editor/optiontip.h"
#include "models/envmodel.h"
#include "plan/childenvironment.h"
#include "problemlabel.h"
#include "rowtableview.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace spawnlab {

// Matches the search text in a variable's name or either value; optionally
// only the variables the plan sets or unsets.
class EnvFilterModel : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setChangesOnly(bool on)
    {
        m_changesOnly = on;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QAbstractItemModel *m = sourceModel();
        if (m_changesOnly &&
            m->index(row, 0, parent).data(EnvModel::ChangeRole).toInt() == EnvModel::Keep)
            return false;
        const QString text = filterRegularExpression().pattern();
        if (text.isEmpty()) return true;
        for (int c : {EnvModel::Name, EnvModel::ChildValue, EnvModel::ParentValue})
            if (m->index(row, c, parent).data().toString().contains(text, Qt::CaseInsensitive))
                return true;
        return false;
    }

private:
    bool m_changesOnly = false;
};

EnvironmentEditor::EnvironmentEditor(QWidget *parent)
    : PlanSection(tr("Environment"), {QStringLiteral("env")}, parent)
{
    m_model = new EnvModel(this);
    m_filter = new EnvFilterModel(this);
    m_filter->setSourceModel(m_model);

    auto *layout = new QVBoxLayout(this);
    m_inherit = optionField(new QCheckBox(tr("Inherit spawnlab's environment"), this), "envInherit",
                            "env.inherit");
    layout->addWidget(m_inherit);

    auto *filterRow = new QHBoxLayout;
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Filter variables…"));
    m_search->setClearButtonEnabled(true);
    m_changesOnly = new QCheckBox(tr("Only the plan's changes"), this);
    filterRow->addWidget(m_search, 1);
    filterRow->addWidget(m_changesOnly);
    layout->addLayout(filterRow);

    m_table = rowTableView(this, m_filter); // edited in place: see setEditTriggers below
    m_table->setObjectName(QStringLiteral("envTable"));
    m_table->setItemDelegate(new ProblemDelegate(EnvModel::ProblemRole, m_table));
    m_table->setItemDelegateForColumn(
        EnvModel::Action,
        new ChoiceDelegate({QStringLiteral("keep"), QStringLiteral("set"), QStringLiteral("unset")},
                           EnvModel::ProblemRole, m_table));
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                             QAbstractItemView::SelectedClicked);
    m_table->setToolTip(optionHelp(QStringLiteral("env.set")));
    layout->addWidget(m_table, 1);

    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add variable"), this);
    setOptionTip(add, "env.set");
    auto *remove = new QPushButton(tr("Unset / remove"), this);
    setOptionTip(remove, "env.unset");
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch();
    layout->addLayout(buttons);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    layout->addWidget(new ProblemLabel({QStringLiteral("env")}, this));

    connect(m_inherit, &QCheckBox::toggled, this, [this](bool on) {
        m_model->setInherit(on);
        Q_EMIT edited();
    });
    connect(m_search, &QLineEdit::textChanged, m_filter,
            [this](const QString &text) { m_filter->setFilterFixedString(text); });
    connect(m_changesOnly, &QCheckBox::toggled, this,
            [this](bool on) { m_filter->setChangesOnly(on); });
    connect(add, &QPushButton::clicked, this, &EnvironmentEditor::addVariable);
    connect(remove, &QPushButton::clicked, this, &EnvironmentEditor::removeOrUnset);
    connect(m_model, &EnvModel::edited, this, &PlanSection::edited);
}

void EnvironmentEditor::load(const SpawnPlan &plan)
{
    const QSignalBlocker blocker(m_inherit);
    m_inherit->setChecked(plan.env.inherit);
    m_model->setEnv(plan.env, parentEnvironment());
    m_table->resizeColumnToContents(EnvModel::Action);
    m_table->setColumnWidth(EnvModel::Name, 170);
    m_table->setColumnWidth(EnvModel::ChildValue, 230);
}

void EnvironmentEditor::apply(SpawnPlan &plan, QList<PlanIssue> &issues) const
{
    Q_UNUSED(issues);
    plan.env = m_model->env();
}

void EnvironmentEditor::refresh(const SpawnPlan &plan, const QList<PlanIssue> &problems)
{
    m_model->setProblems(problems);
    const QStringList env = childEnvironment(plan.env, parentEnvironment());
    m_summary->setText(
        tr("The child gets %n variable(s): ", nullptr, int(env.size())) +
        tr("%1 set by the plan, %2 unset, %3.")
            .arg(plan.env.set.size())
            .arg(plan.env.unset.size())
            .arg(plan.env.inherit ? tr("the rest inherited") : tr("nothing inherited")));
}

void EnvironmentEditor::addVariable()
{
    const int row = m_model->addVariable(QStringLiteral("NAME"), QString());
    const QModelIndex index = m_filter->mapFromSource(m_model->index(row, EnvModel::Name));
    m_table->scrollTo(index);
    m_table->setCurrentIndex(index);
    m_table->edit(index);
}

void EnvironmentEditor::removeOrUnset()
{
    const QModelIndex current = m_filter->mapToSource(m_table->currentIndex());
    if (!current.isValid()) return;
    // A variable the plan added goes away; one of spawnlab's is unset instead.
    if (!m_model->removeRow(current.row()))
        m_model->setData(m_model->index(current.row(), EnvModel::Action), QStringLiteral("unset"));
}

} // namespace spawnlab
