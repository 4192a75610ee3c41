// SPDX-License-Identifier: GPL-3.0-or-later
// The Explain tab's words as plain text, for `spawnlab-cli explain PLAN`: the
// strategy and why, the sections, then each step the plan makes the child run.
#pragma once

#include "explain/strategyexplainer.h"

#include <QString>

namespace spawnlab {

QString explanationText(const StrategyExplanation &explanation);

} // namespace spawnlab
