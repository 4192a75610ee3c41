// SPDX-License-Identifier: GPL-3.0-or-later
#include "editor/planeditor.h"

#include "qs.h"

#include "editor/argveditor.h"
#include "editor/credentialseditor.h"
#include "editor/environmenteditor.h"
#include "editor/fdeditor.h"
#include "editor/processeditor.h"
#include "editor/runsettingseditor.h"
#include "editor/signaleditor.h"
#include "plan/plandocument.h"
#include "problemlabel.h"

#include <QHBoxLayout>
#include <QListWidget>
#include <QScrollArea>
#include <QStackedWidget>
#include <QStyle>

namespace spawnlab {

PlanEditor::PlanEditor(PlanDocument *document, QWidget *parent)
    : QWidget(parent), m_document(document)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_nav = new QListWidget(this);
    m_nav->setObjectName(QStringLiteral("sectionList"));
    m_nav->setSelectionMode(QAbstractItemView::SingleSelection);
    m_nav->setTextElideMode(Qt::ElideNone);
    m_nav->setWordWrap(true);
    m_stack = new QStackedWidget(this);
    layout->addWidget(m_nav);
    layout->addWidget(m_stack, 1);

    addSection(new ArgvEditor);
    addSection(new EnvironmentEditor);
    addSection(new FdEditor);
    addSection(new CredentialsEditor);
    addSection(new SignalEditor);
    addSection(new ProcessEditor);
    addSection(new RunSettingsEditor);
    // Wide enough for the longest title, no wider: the section gets the rest.
    int width = 0;
    for (PlanSection *s : m_sections)
        width = qMax(width, m_nav->fontMetrics().horizontalAdvance(s->title()));
    m_nav->setFixedWidth(width + style()->pixelMetric(QStyle::PM_SmallIconSize) + 36);

    connect(m_nav, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    connect(m_document, &PlanDocument::planReplaced, this, &PlanEditor::reload);
    connect(m_document, &PlanDocument::planChanged, this, [this] {
        m_runError.reset(); // the error was about the plan as it was run
        refresh();
    });
    connect(m_document, &PlanDocument::problemsChanged, this, &PlanEditor::refresh);
    m_nav->setCurrentRow(0);
    reload();
    refresh();
}

PlanEditor::~PlanEditor()
{
    for (PlanSection *s : m_sections)
        disconnect(s, nullptr, this, nullptr);
}

void PlanEditor::addSection(PlanSection *section)
{
    auto *scroll = new QScrollArea(m_stack);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(section);
    m_stack->addWidget(scroll);
    auto *item = new QListWidgetItem(section->title(), m_nav);
    item->setSizeHint(QSize(0, m_nav->fontMetrics().height() * 2 + 4));
    m_sections << section;
    connect(section, &PlanSection::edited, this, [this, section] { sectionEdited(section); });
}

void PlanEditor::showSection(int index)
{
    m_nav->setCurrentRow(index);
}

void PlanEditor::showField(const QString &field)
{
    for (int i = 0; i < m_sections.size(); ++i)
        for (const QString &prefix : m_sections[i]->fieldPrefixes())
            if (fieldUnder(field, prefix)) return showSection(i);
}

void PlanEditor::setRunError(const std::optional<ChildError> &error)
{
    m_runError.reset();
    if (error && !error->field.empty())
        m_runError =
            PlanIssue{qs(error->field), tr("the last run failed here: %1").arg(qs(error->message))};
    refresh();
}

QList<PlanIssue> PlanEditor::marks() const
{
    QList<PlanIssue> out = m_document->problems();
    if (m_runError) out.append(*m_runError);
    return out;
}

void PlanEditor::sectionEdited(PlanSection *section)
{
    SpawnPlan plan = m_document->plan();
    QList<PlanIssue> issues;
    section->apply(plan, issues);
    m_sectionIssues[section] = issues;
    QList<PlanIssue> all;
    for (PlanSection *s : m_sections)
        all += m_sectionIssues.value(s);
    m_document->setPlan(plan, all);
}

void PlanEditor::reload()
{
    m_sectionIssues.clear();
    for (PlanSection *s : m_sections)
        s->load(m_document->plan());
}

void PlanEditor::refresh()
{
    const QList<PlanIssue> problems = marks();
    for (int i = 0; i < m_sections.size(); ++i) {
        PlanSection *s = m_sections[i];
        s->refresh(m_document->plan(), problems);
        showProblemsIn(s, problems);
        const QList<PlanIssue> mine = issuesUnder(problems, s->fieldPrefixes());
        QListWidgetItem *item = m_nav->item(i);
        item->setIcon(mine.isEmpty() ? QIcon()
                                     : style()->standardIcon(QStyle::SP_MessageBoxWarning));
        QStringList lines;
        for (const PlanIssue &p : mine)
            lines << issueText(p);
        item->setToolTip(lines.join(u'\n'));
    }
}

} // namespace spawnlab
