// SPDX-License-Identifier: GPL-3.0-or-later
#include "plan_input.h"

#include "qs.h"

#include "output.h"
#include "plan/planfile.h"

using spawnlab::qs;

namespace cli {
namespace {

// "PLAN.json: field: message", or "PLAN.json: message" for the file as a whole.
void report(const QString &source, const char *kind, const QString &field, const QString &message)
{
    QString line = (source == u"-" ? QStringLiteral("stdin") : source) + QLatin1String(": ") +
                   QLatin1String(kind);
    if (!field.isEmpty()) line += field + QLatin1String(": ");
    writeErr((line + message + QLatin1Char('\n')).toStdString());
}

} // namespace

std::optional<spawnlab::SpawnPlan> readPlan(const QString &file)
{
    spawnlab::PlanLoad load = spawnlab::loadPlanFile(file);
    for (const spawnlab::PlanIssue &w : load.warnings)
        report(file, "warning: ", w.field, w.message);
    for (const spawnlab::PlanIssue &e : load.errors)
        report(file, "", e.field, e.message);
    if (!load.ok()) return std::nullopt;
    return std::move(load.plan);
}

bool planRunsHere(const QString &source, const spawnlab::SpawnPlan &plan)
{
    const auto problems = spawnlab::validate(plan);
    for (const spawnlab::PlanProblem &p : problems)
        report(source, "", qs(p.field), qs(p.message));
    return problems.empty();
}

} // namespace cli
