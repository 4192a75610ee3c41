// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/timelineview.h"

#include "lab/stepfdsview.h"
#include "lab/timelinechart.h"
#include "models/steptimelinemodel.h"

#include "spawnlab/names.h"

#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace spawnlab {
namespace {

// The failed step's row reads as failed in any palette: bold, with the
// style's critical icon, rather than a colour of our own.
class StepDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (!index.data(StepTimelineModel::FailedRole).toBool()) return;
        option->font.setBold(true);
        if (index.column() == StepTimelineModel::StepName && option->widget) {
            option->icon = option->widget->style()->standardIcon(QStyle::SP_MessageBoxCritical);
            option->features |= QStyleOptionViewItem::HasDecoration;
        }
    }
};

} // namespace

TimelineView::TimelineView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    layout->addWidget(m_caption);

    auto *splitter = m_splitter = new QSplitter(Qt::Vertical, this);
    auto *scroll = new QScrollArea(splitter);
    scroll->setWidgetResizable(true);
    m_chart = new TimelineChart(scroll);
    m_chart->setObjectName(QStringLiteral("timelineChart"));
    scroll->setWidget(m_chart);
    m_model = new StepTimelineModel(this);
    auto *bottom = new QSplitter(Qt::Horizontal, splitter);
    bottom->setChildrenCollapsible(false);
    m_table = new QTableView(bottom);
    m_table->setObjectName(QStringLiteral("stepTable"));
    m_table->setModel(m_model);
    m_table->setItemDelegate(new StepDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionResizeMode(StepTimelineModel::Argument,
                                                      QHeaderView::Stretch);
    m_table->setWordWrap(false);
    m_stepFds = new StepFdsView(bottom);
    bottom->setStretchFactor(0, 1);
    bottom->setStretchFactor(1, 1);
    splitter->addWidget(scroll);
    splitter->addWidget(bottom);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    connect(m_chart, &TimelineChart::rowClicked, m_table, &QTableView::selectRow);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, m_chart,
            [this](const QModelIndex &current) {
                m_chart->setSelectedRow(current.row());
                if (current.isValid()) m_stepFds->showTable(fdStepTableAt(m_result, current.row()));
                if (current.isValid())
                    Q_EMIT stepSelected(Step(current.data(StepTimelineModel::StepRole).toInt()));
            });
    // Walking the tables selects the fd step each was taken after (the
    // first, taken before any, selects its stop).
    connect(m_stepFds, &StepFdsView::tableChosen, this, [this](int stopRow) {
        const bool afterFdStep =
            stopRow > 0 && isFdStep(m_result.steps[std::size_t(stopRow) - 1].step);
        m_table->selectRow(afterFdStep ? stopRow - 1 : stopRow);
    });
    clear(tr("Run the plan to see each step the child took between fork and exec."));
}

void TimelineView::setResult(const RunResult &result)
{
    const bool childFailed = result.error && result.error->step != Step::Spawn;
    m_model->setSteps(result.steps, childFailed);
    m_result = result;
    m_stepFds->setTables(result.fdSteps);
    m_chart->setRun(result.steps, result.timings, m_model->failedRow());
    for (int c : {StepTimelineModel::StepName, StepTimelineModel::Result, StepTimelineModel::Time,
                  StepTimelineModel::Duration})
        m_table->resizeColumnToContents(c);
    // A result sentence ("ENOENT: No such file or directory — not fatal") would
    // leave the stretched Argument, the path or name the step used, no room:
    // cut it at a quarter of the table (its tooltip has it whole).
    const int resultCap =
        std::max(m_table->fontMetrics().averageCharWidth() * 16, m_table->viewport()->width() / 4);
    if (m_table->columnWidth(StepTimelineModel::Result) > resultCap)
        m_table->setColumnWidth(StepTimelineModel::Result, resultCap);
    QString caption;
    if (result.steps.empty())
        caption = result.strategy == Strategy::PosixSpawn
                      ? tr("posix_spawn: glibc ran the child's steps itself, so there is no trace.")
                      : tr("No child was started, so there are no steps.");
    else
        caption = tr("%n step(s) in the child, from the spawn call to exec. ", nullptr,
                     int(result.steps.size())) +
                  (m_model->failedRow() >= 0
                       ? tr("Step %1 failed; the child stopped there and exited with 127.")
                             .arg(m_model->failedRow() + 1)
                   : result.execOk() ? tr("exec succeeded.")
                                     : QString());
    if (!result.childFds.empty())
        caption += tr(
            " A stop step includes the time spawnlab took to read the stopped child's fd table.");
    m_caption->setText(caption);
    // The chart as tall as its rows need, up to two thirds; the table gets the rest.
    const int total = m_splitter->height();
    const int chart = qMin(m_chart->sizeHint().height() + 4, total * 2 / 3);
    m_splitter->setSizes({chart, total - chart});
    if (m_model->failedRow() >= 0) m_table->selectRow(m_model->failedRow());
}

void TimelineView::selectStep(Step step)
{
    auto stepAt = [this](int row) {
        return Step(m_model->index(row, 0).data(StepTimelineModel::StepRole).toInt());
    };
    QItemSelectionModel *selection = m_table->selectionModel();
    const int current = selection->currentIndex().row();
    if (current >= 0 && selection->isRowSelected(current) && stepAt(current) == step) return;
    for (int row = 0; row < m_model->rowCount(); ++row)
        if (stepAt(row) == step) {
            m_table->selectRow(row);
            return;
        }
    selection->clearSelection();
    selection->clearCurrentIndex(); // the chart drops its mark too
}

void TimelineView::clear(const QString &message)
{
    m_model->setSteps({}, false);
    m_chart->setRun({}, {}, -1);
    m_result = RunResult{};
    m_stepFds->setTables({});
    m_caption->setText(message);
}

} // namespace spawnlab
