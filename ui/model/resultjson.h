// RunResult and FdTable as the JSON that `spawnlab-cli run` and `fds --json`
// print (DESIGN.md "Plan file and CLI — the contract").
#pragma once

#include "spawnlab/procfs.h"
#include "spawnlab/result.h"

#include <QJsonArray>
#include <QJsonObject>

namespace spawnlab {

QJsonObject fdEntryToJson(const FdEntry &entry);
QJsonArray fdTableToJson(const FdTable &table);
QJsonObject resultToJson(const RunResult &result);

// Indented text with the keys in the order above (pid first, fd first), one fd
// entry or trace step per line: what the CLI prints.
QByteArray resultJsonText(const RunResult &result);
QByteArray fdTableJsonText(const FdTable &table);

} // namespace spawnlab
