// SPDX-License-Identifier: GPL-3.0-or-later
#include "explain/explaintext.h"

#include "qs.h"

#include "spawnlab/names.h"

#include <QStringList>

namespace spawnlab {

QString explanationText(const StrategyExplanation &e)
{
    QStringList out;
    out << qs(strategyName(e.strategy));
    // The reason says itself whether auto chose ("auto -> clone_vm: ...").
    out << e.reason;
    QStringList planned, absent;
    for (const StepExplanation &s : e.steps)
        (s.inPlan ? planned : absent) << s.name;
    out << (e.traced ? QStringLiteral("This child runs: ")
                     : QStringLiteral("glibc runs, untraced: ")) +
               planned.join(QStringLiteral(" → "));
    for (const ExplainSection &section : e.sections)
        out << QString() << section.title << section.text;
    out << QString() << QStringLiteral("The child's steps, in the order it runs them");
    for (const StepExplanation &s : e.steps) {
        if (!s.inPlan) continue;
        out << QString() << QStringLiteral("%1: %2").arg(s.name, s.kernel)
            << QStringLiteral("  Why here: ") + s.order;
    }
    if (!absent.isEmpty())
        out << QString()
            << QStringLiteral("Not in this plan: ") + absent.join(QStringLiteral(", "));
    return out.join(u'\n') + u'\n';
}

} // namespace spawnlab
