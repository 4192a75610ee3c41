// SPDX-License-Identifier: GPL-3.0-or-later
#include "problemlabel.h"

#include "plan/plandocument.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QStyle>

namespace spawnlab {

ProblemLabel::ProblemLabel(const QStringList &prefixes, QWidget *parent, QLineEdit *buddy)
    : QWidget(parent), m_prefixes(prefixes), m_buddy(buddy)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *icon = new QLabel(this);
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(size, size));
    icon->setAlignment(Qt::AlignTop);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(icon);
    layout->addWidget(m_text, 1);
    setVisible(false);
}

void ProblemLabel::showProblems(const QList<PlanIssue> &problems)
{
    QStringList lines;
    for (const PlanIssue &issue : issuesUnder(problems, m_prefixes))
        lines << issueText(issue);
    const QString text = lines.join(u'\n');
    m_text->setText(text);
    setVisible(!text.isEmpty());
    if (!m_buddy) return;
    if (text.isEmpty()) {
        delete m_buddyMark;
        m_buddyMark = nullptr;
        return;
    }
    if (!m_buddyMark)
        m_buddyMark = m_buddy->addAction(style()->standardIcon(QStyle::SP_MessageBoxWarning),
                                         QLineEdit::TrailingPosition);
    m_buddyMark->setToolTip(text);
}

QString ProblemLabel::text() const
{
    return m_text->text();
}

void showProblemsIn(QWidget *root, const QList<PlanIssue> &problems)
{
    for (ProblemLabel *label : root->findChildren<ProblemLabel *>())
        label->showProblems(problems);
}

} // namespace spawnlab
