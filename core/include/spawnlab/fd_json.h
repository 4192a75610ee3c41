// SPDX-License-Identifier: GPL-3.0-or-later
// fd entries as JSON text, written once here for every writer: `fds --json`
// and `holders --json` print it directly (19 000 entries in well under a
// second), the result writer parses each entry into its QJsonObject.
#pragma once

#include "spawnlab/procfs.h"

#include <string>

namespace spawnlab {

// One entry as a one-line object: fd, target, kind, subkind, description,
// cloexec, access, pos, inode, device ("major:minor"), then "socket" (sockets),
// "anon" (anon inodes, what fdinfo said), "peers" (when any), and with
// `withLeakRisk` "leak_risk" (null or leakRisk's sentence; `owner` as leakRisk's).
std::string fdEntryJson(const FdEntry &entry, bool withLeakRisk = false, pid_t owner = 0);

// `fds --json`: {"pid": N, "fds": [...]}, one entry per line, with leak risks.
std::string fdTableJson(pid_t pid, const FdTable &table);

} // namespace spawnlab
