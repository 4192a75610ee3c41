// SPDX-License-Identifier: GPL-3.0-or-later
// One section of the plan editor (program, environment, fds, ...). A section
// loads its fields from a plan, writes them back into a plan on edit, and
// refreshes what it derives from the whole plan (PATH preview, strategy
// reason, problem marks). Only the edited section writes, so a section that
// normalises (sorts signal lists, say) never rewrites fields it did not touch.
#pragma once

#include "plan/planfile.h"

#include "spawnlab/plan.h"

#include <QWidget>

namespace spawnlab {

class PlanSection : public QWidget
{
    Q_OBJECT
public:
    // `fieldPrefixes`: the plan keys the section edits; problems under them
    // mark the section.
    PlanSection(QString title, QStringList fieldPrefixes, QWidget *parent)
        : QWidget(parent), m_title(std::move(title)), m_fieldPrefixes(std::move(fieldPrefixes))
    {
    }

    QString title() const { return m_title; }
    QStringList fieldPrefixes() const { return m_fieldPrefixes; }
    // Fills the widgets; emits nothing.
    virtual void load(const SpawnPlan &plan) = 0;
    // Writes this section's fields; inputs that are not plan values yet (an
    // empty umask) become `issues` with the field they are about.
    virtual void apply(SpawnPlan &plan, QList<PlanIssue> &issues) const = 0;
    // After every change of the plan or its problems.
    virtual void refresh(const SpawnPlan &plan, const QList<PlanIssue> &problems)
    {
        Q_UNUSED(plan);
        Q_UNUSED(problems);
    }

Q_SIGNALS:
    void edited();

private:
    QString m_title;
    QStringList m_fieldPrefixes;
};

} // namespace spawnlab
