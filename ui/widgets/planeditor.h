// The plan editor: a list of sections (program, environment, fds, ...) beside
// the selected one. Each edit goes from the section into the PlanDocument,
// which validates it; problems come back to mark fields and sections.
#pragma once

#include "planfile.h"

#include <QHash>
#include <QWidget>

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
};

} // namespace spawnlab
