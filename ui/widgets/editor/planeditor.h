// SPDX-License-Identifier: GPL-3.0-or-later
// The plan editor: a list of sections (program, environment, fds, ...) beside
// the selected one. Each edit goes from the section into the PlanDocument,
// which validates it; problems come back to mark fields and sections. A failed
// run's error marks its field the same way.
#pragma once

#include "plan/planfile.h"

#include "spawnlab/result.h"

#include <QHash>
#include <QWidget>

#include <optional>

class QListWidget;
class QStackedWidget;

namespace spawnlab {

class PlanDocument;
class PlanSection;

class PlanEditor : public QWidget
{
    Q_OBJECT
public:
    explicit PlanEditor(PlanDocument *document, QWidget *parent = nullptr);
    // An open cell editor commits when its window closes, which happens in
    // ~QWidget, after this class's members are gone: stop listening first.
    ~PlanEditor() override;

    const QList<PlanSection *> &sections() const { return m_sections; }
    template <typename T> T *section() const
    {
        for (PlanSection *s : m_sections)
            if (auto *t = qobject_cast<T *>(s)) return t;
        return nullptr;
    }
    void showSection(int index);
    // Shows the section that edits `field` ("fds[2].from").
    void showField(const QString &field);

    // After a run: its error marks the field it came from (ChildError::field) as
    // a problem of the plan would, without blocking Run, until the plan changes
    // or the next run. No error, or one no field caused, marks nothing.
    void setRunError(const std::optional<ChildError> &error);
    // What the fields show: the plan's problems, then the last run's error.
    QList<PlanIssue> marks() const;

private:
    void addSection(PlanSection *section);
    void sectionEdited(PlanSection *section);
    void reload();
    void refresh();

    PlanDocument *m_document;
    QListWidget *m_nav = nullptr;
    QStackedWidget *m_stack = nullptr;
    QList<PlanSection *> m_sections;
    // Inputs each section could not turn into plan values yet.
    QHash<PlanSection *, QList<PlanIssue>> m_sectionIssues;
    std::optional<PlanIssue> m_runError;
};

} // namespace spawnlab
