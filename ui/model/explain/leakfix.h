// SPDX-License-Identifier: GPL-3.0-or-later
// A leak hunt finding explained: why the fd crossed the exec, what that
// costs, and what fixes it, in the language of the program that made it
// (C, Python, a shell, Go, Node) and on the spawning side.
#pragma once

#include "spawnlab/trace.h"

#include <QString>

namespace spawnlab {

// Plain text, a few short paragraphs.
QString explainFinding(const TraceReport &report, const LeakFinding &finding);

} // namespace spawnlab
