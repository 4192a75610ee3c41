// RunResult and FdTable as the JSON that `spawnlab-cli run` and `fds --json`
// print (DESIGN.md "Plan file and CLI — the contract").
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
// entry or trace step per line: what the CLI prints. `fds --json` entries carry
// "leak_risk".
QByteArray resultJsonText(const RunResult &result);
// `fds --json`: {"pid": PID, "fds": [entries]}.
QByteArray fdTableJsonText(pid_t pid, const FdTable &table);

} // namespace spawnlab
