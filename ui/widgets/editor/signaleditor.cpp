// SPDX-License-Identifier: GPL-3.0-or-later
#include "editor/signaleditor.h"

#include "qs.h"

#include "editor/itemdelegates.h"
#include "editor/optiontip.h"
#include "models/signalmodel.h"
#include "problemlabel.h"
#include "rowtableview.h"

#include "spawnlab/names.h"

#include <QCheckBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace spawnlab {
namespace {

QString names(const std::vector<int> &signals_)
{
    QStringList out;
    for (int sig : signals_)
        out << qs(signalName(sig));
    return out.isEmpty() ? QStringLiteral("none") : out.join(QStringLiteral(", "));
}

} // namespace

SignalEditor::SignalEditor(QWidget *parent)
    : PlanSection(tr("Signals"), {QStringLiteral("signals")}, parent)
{
    m_model = new SignalModel(this);
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_model);
    proxy->setFilterKeyColumn(-1);
    proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    auto *layout = new QVBoxLayout(this);
    m_setMask = optionField(
        new QCheckBox(tr("Set the child's signal mask (else it keeps spawnlab's)"), this),
        "setSignalMask", "signals.block");
    m_resetHandlers = optionField(new QCheckBox(tr("Reset caught handlers to default first"), this),
                                  "resetHandlers", "signals.reset_handlers");
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter signals (name or meaning)…"));
    m_filter->setClearButtonEnabled(true);
    m_table = rowTableView(this, proxy); // its check boxes are the edits
    m_table->setObjectName(QStringLiteral("signalTable"));
    m_table->setItemDelegate(new ProblemDelegate(SignalModel::ProblemRole, m_table));
    // Meanings wrap rather than cut off: the pane is narrow and they are the point.
    m_table->setWordWrap(true);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setObjectName(QStringLiteral("signalSummary"));

    layout->addWidget(m_setMask);
    layout->addWidget(m_resetHandlers);
    layout->addWidget(m_filter);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);
    layout->addWidget(new ProblemLabel({QStringLiteral("signals")}, this));

    connect(m_setMask, &QCheckBox::toggled, this, [this](bool on) {
        m_model->setMaskSet(on);
        Q_EMIT edited();
    });
    connect(m_resetHandlers, &QCheckBox::toggled, this, &PlanSection::edited);
    connect(m_filter, &QLineEdit::textChanged, proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_model, &SignalModel::edited, this, &PlanSection::edited);
    for (int c : {SignalModel::Blocked, SignalModel::Default, SignalModel::Ignore})
        m_table->resizeColumnToContents(c);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setColumnWidth(
        SignalModel::Signal,
        m_table->fontMetrics().horizontalAdvance(QStringLiteral("SIGRTMIN+15 (49)")) + 16);
}

void SignalEditor::load(const SpawnPlan &plan)
{
    const QSignalBlocker b1(m_setMask), b2(m_resetHandlers);
    m_model->setSpec(plan.signals);
    m_setMask->setChecked(plan.signals.block.has_value());
    m_resetHandlers->setChecked(plan.signals.resetHandlers);
}

void SignalEditor::apply(SpawnPlan &plan, QList<PlanIssue> &issues) const
{
    Q_UNUSED(issues);
    SignalSpec spec = m_model->spec();
    spec.resetHandlers = m_resetHandlers->isChecked();
    plan.signals = spec;
}

void SignalEditor::refresh(const SpawnPlan &plan, const QList<PlanIssue> &problems)
{
    m_model->setProblems(problems);
    const SignalSpec &s = plan.signals;
    m_summary->setText(tr("Mask: %1 · default: %2 · ignored: %3")
                           .arg(s.block ? names(*s.block) : tr("spawnlab's (unchanged)"),
                                names(s.setDefault), names(s.ignore)));
}

} // namespace spawnlab
