// SPDX-License-Identifier: GPL-3.0-or-later
#include "plan/plandocument.h"

#include "qs.h"

#include <QFile>
#include <QSaveFile>

namespace spawnlab {

PlanDocument::PlanDocument(QObject *parent) : QObject(parent)
{
    m_plan.argv = {"true"};
    m_savedText = savePlan(m_plan);
    update({});
}

void PlanDocument::setPlan(const SpawnPlan &plan, const QList<PlanIssue> &editorIssues)
{
    m_plan = plan;
    // Comparing the saved text (not a flag set on edit) means undoing an edit by
    // hand makes the plan unmodified again.
    setModified(!editorIssues.isEmpty() || savePlan(m_plan) != m_savedText);
    update(editorIssues);
    Q_EMIT planChanged();
}

void PlanDocument::resetPlan(const SpawnPlan &plan, const QString &filePath)
{
    m_plan = plan;
    m_savedText = savePlan(m_plan);
    if (m_filePath != filePath) {
        m_filePath = filePath;
        Q_EMIT filePathChanged(m_filePath);
    }
    setModified(false);
    update({});
    Q_EMIT planReplaced();
    Q_EMIT planChanged();
}

PlanLoad PlanDocument::open(const QString &path)
{
    PlanLoad load = loadPlanFile(path);
    if (load.ok()) resetPlan(load.plan, path);
    return load;
}

bool PlanDocument::save(const QString &path, QString *error)
{
    const QByteArray text = savePlan(m_plan);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
        if (error) *error = file.errorString();
        return false;
    }
    m_savedText = text;
    if (m_filePath != path) {
        m_filePath = path;
        Q_EMIT filePathChanged(m_filePath);
    }
    setModified(!m_editorIssues.isEmpty());
    return true;
}

void PlanDocument::revalidate()
{
    update(m_editorIssues);
}

void PlanDocument::update(const QList<PlanIssue> &editorIssues)
{
    m_editorIssues = editorIssues;
    QList<PlanIssue> problems = editorIssues;
    for (const PlanProblem &p : validate(m_plan))
        problems.append({qs(p.field), qs(p.message)});
    const bool changed = problems.size() != m_problems.size() ||
                         !std::equal(problems.begin(), problems.end(), m_problems.begin(),
                                     [](const PlanIssue &a, const PlanIssue &b) {
                                         return a.field == b.field && a.message == b.message;
                                     });
    m_problems = problems;
    if (changed) Q_EMIT problemsChanged();
}

void PlanDocument::setModified(bool modified)
{
    if (m_modified == modified) return;
    m_modified = modified;
    Q_EMIT modifiedChanged(m_modified);
}

bool fieldUnder(const QString &field, const QString &prefix)
{
    if (!field.startsWith(prefix)) return false;
    if (field.size() == prefix.size()) return true;
    const QChar next = field.at(prefix.size());
    return next == u'.' || next == u'[';
}

QList<PlanIssue> issuesUnder(const QList<PlanIssue> &issues, const QStringList &prefixes)
{
    QList<PlanIssue> out;
    for (const PlanIssue &issue : issues)
        for (const QString &prefix : prefixes)
            if (fieldUnder(issue.field, prefix)) {
                out.append(issue);
                break;
            }
    return out;
}

QString issueText(const PlanIssue &issue)
{
    return issue.field.isEmpty() ? issue.message
                                 : issue.field + QStringLiteral(": ") + issue.message;
}

} // namespace spawnlab
