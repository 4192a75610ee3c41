// SPDX-License-Identifier: GPL-3.0-or-later
// The plan being edited: one SpawnPlan, the file it came from, whether it has
// unsaved changes and every problem that keeps it from running. Editors write
// into it on each edit; views read from it. No widget here, so tests can drive
// it directly.
#pragma once

#include "plan/planfile.h"

#include "spawnlab/plan.h"

#include <QObject>

namespace spawnlab {

class PlanDocument : public QObject
{
    Q_OBJECT
public:
    explicit PlanDocument(QObject *parent = nullptr);

    const SpawnPlan &plan() const { return m_plan; }
    // An edit. `editorIssues` are inputs the editors could not turn into plan
    // values ("umask: 0989 is not octal"); they block Run like validate()'s.
    void setPlan(const SpawnPlan &plan, const QList<PlanIssue> &editorIssues = {});
    // A new plan as if just opened (not modified); editors reload from it.
    void resetPlan(const SpawnPlan &plan, const QString &filePath = {});

    // Never runs anything. On errors the current plan stays and the load says why.
    PlanLoad open(const QString &path);
    // Writes savePlan(plan()); on failure returns false and sets `error`.
    bool save(const QString &path, QString *error = nullptr);

    QString filePath() const { return m_filePath; }
    // Plans opened from the built-in examples (":/plans/...") save elsewhere.
    bool isExample() const { return m_filePath.startsWith(QLatin1String(":/")); }
    bool isModified() const { return m_modified; }

    // validate() may change without an edit (a parent fd was closed): re-check.
    void revalidate();
    QList<PlanIssue> problems() const { return m_problems; }
    bool canRun() const { return m_problems.isEmpty(); }

Q_SIGNALS:
    void planReplaced(); // editors reload everything
    void planChanged();  // after every change, replaced or edited
    void problemsChanged();
    void modifiedChanged(bool modified);
    void filePathChanged(const QString &path);

private:
    void update(const QList<PlanIssue> &editorIssues);
    void setModified(bool modified);

    SpawnPlan m_plan;
    QByteArray m_savedText; // savePlan() of the plan as last opened or saved
    QString m_filePath;
    bool m_modified = false;
    QList<PlanIssue> m_editorIssues;
    QList<PlanIssue> m_problems;
};

// Whether a problem's field ("fds[2].from") lies under `prefix` ("fds", "fds[2]").
bool fieldUnder(const QString &field, const QString &prefix);
QList<PlanIssue> issuesUnder(const QList<PlanIssue> &issues, const QStringList &prefixes);
QString issueText(const PlanIssue &issue); // "field: message"

} // namespace spawnlab
