// SPDX-License-Identifier: GPL-3.0-or-later
// Where `run`, `code` and `explain` get their plan: a file or "-" (standard
// input), each problem printed as "FILE: field: message".
#pragma once

#include "spawnlab/plan.h"

#include <QString>

#include <optional>

namespace cli {

// The plan of `file`, warnings printed; nullopt (errors printed) if it cannot
// be read or is not a plan.
std::optional<spawnlab::SpawnPlan> readPlan(const QString &file);

// validate() against this process; false (problems printed, as from
// `source`) if the plan cannot run here.
bool planRunsHere(const QString &source, const spawnlab::SpawnPlan &plan);

} // namespace cli
