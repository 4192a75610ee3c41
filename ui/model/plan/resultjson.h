// SPDX-License-Identifier: GPL-3.0-or-later
// RunResult and FdTable as the JSON that `spawnlab-cli run` prints (DESIGN.md
// "Plan file and CLI — the contract"); fd entries come from core's fdEntryJson,
// which `fds --json` prints directly.
#pragma once

#include "spawnlab/procfs.h"
#include "spawnlab/result.h"

#include <QJsonArray>
#include <QJsonObject>

namespace spawnlab {

QJsonObject fdEntryToJson(const FdEntry &entry);
// withLeakRisk adds "leak_risk" (null or leakRisk's sentence) to each entry: for
// tables of a process that may start children (the parent, `fds PID`).
QJsonArray fdTableToJson(const FdTable &table, bool withLeakRisk = false);
// Adds "fd_diffs": {"close_fds": [rows], "exec": [rows]} next to "fd_tables".
QJsonObject resultToJson(const RunResult &result);

// Indented text with the keys in the order above (pid first, fd first), one fd
// entry or trace step per line: what the CLI prints.
QByteArray resultJsonText(const RunResult &result);

} // namespace spawnlab
