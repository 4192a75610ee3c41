// SPDX-License-Identifier: GPL-3.0-or-later
#include "problemspanel.h"

#include "plan/plandocument.h"

#include <QLabel>
#include <QListWidget>
#include <QStyle>
#include <QVBoxLayout>

namespace spawnlab {

ProblemsPanel::ProblemsPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_heading = new QLabel(this);
    m_heading->setObjectName(QStringLiteral("problemsHeading"));
    m_heading->setWordWrap(true);
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("problemsList"));
    m_list->setWordWrap(true);
    layout->addWidget(m_heading);
    layout->addWidget(m_list, 1);
    connect(m_list, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        Q_EMIT fieldActivated(item->data(Qt::UserRole).toString());
    });
    connect(m_list, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) {
        Q_EMIT fieldActivated(item->data(Qt::UserRole).toString());
    });
    setProblems({});
}

void ProblemsPanel::setProblems(const QList<PlanIssue> &problems)
{
    m_list->clear();
    const QIcon warning = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (const PlanIssue &p : problems) {
        auto *item = new QListWidgetItem(warning, issueText(p), m_list);
        item->setData(Qt::UserRole, p.field);
        item->setToolTip(tr("Click to show the field"));
    }
    m_heading->setText(problems.isEmpty()
                           ? tr("<b>No problems</b> — the plan can run.")
                           : tr("<b>%n problem(s)</b> — Run is disabled until they are fixed:",
                                nullptr, int(problems.size())));
    m_list->setVisible(!problems.isEmpty());
}

int ProblemsPanel::count() const
{
    return m_list->count();
}

} // namespace spawnlab
