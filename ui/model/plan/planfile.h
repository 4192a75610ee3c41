// SPDX-License-Identifier: GPL-3.0-or-later
// Plan files (DESIGN.md "Plan file and CLI — the contract") <-> SpawnPlan.
// Loading never throws: every problem comes back with the key path it is about.
#pragma once

#include "spawnlab/plan.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace spawnlab {

// One problem found while reading a plan file. `field` is the key path as in
// the file ("fds[2].from", "env.set.HOME"), empty for the document as a whole.
struct PlanIssue {
    QString field;
    QString message;
};

struct PlanLoad {
    SpawnPlan plan; // meaningful only when errors is empty
    QList<PlanIssue> errors;
    QList<PlanIssue> warnings; // e.g. unknown keys, which are ignored
    bool ok() const { return errors.isEmpty(); }
};

inline constexpr int planFormatVersion = 1;

// JSON objects have no order, so env.set and rlimits come back sorted by name.
PlanLoad loadPlan(const QByteArray &json);
PlanLoad loadPlanFile(const QString &path); // "-": standard input

// Indented JSON with only the keys that differ from a default plan (argv always);
// loadPlan(savePlan(p)).plan equals p.
QByteArray savePlan(const SpawnPlan &plan);

} // namespace spawnlab
