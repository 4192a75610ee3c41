// SPDX-License-Identifier: GPL-3.0-or-later
// A saved leak hunt report (`spawnlab-cli trace --out FILE`, the page's
// Export) read back into a TraceReport, so the Leak hunt page can open it.
#pragma once

#include "spawnlab/trace.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace spawnlab {

// The report, or nullopt with `error` naming what is wrong ("execs[2].inherited:
// not a list"); keys it does not know are ignored.
std::optional<TraceReport> readTraceReport(const QByteArray &json, QString *error);

} // namespace spawnlab
