// SPDX-License-Identifier: GPL-3.0-or-later
// A run's result as a person reads it (`spawnlab-cli run --format text`): the
// strategy and why, the child's steps (with every_step, what each changed in
// its fd table), the error with the plan field it came from, the exit, captured output, the fds
// that leaked in, notes, timings. JSON (resultjson.h) stays what scripts read.
#pragma once

#include "spawnlab/plan.h"
#include "spawnlab/result.h"

#include <QString>

namespace spawnlab {

QString resultText(const SpawnPlan &plan, const RunResult &result);

} // namespace spawnlab
