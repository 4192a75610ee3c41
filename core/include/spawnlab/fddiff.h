// SPDX-License-Identifier: GPL-3.0-or-later
// Comparing fd tables: what close_fds or exec did to the child's table, and
// which of the parent's fds a child would inherit.
#pragma once

#include "spawnlab/procfs.h"

#include <optional>
#include <string>
#include <vector>

namespace spawnlab {

enum class FdChange { Kept, Closed, Added, Changed };

// One fd number across two tables. `notes` say in words what changed
// ("CLOEXEC cleared", "now /dev/null, was pipe:[123]", "the open file of fd 7").
struct FdDiffRow {
    int fd = -1;
    FdChange change = FdChange::Kept;
    std::optional<FdEntry> before;
    std::optional<FdEntry> after;
    std::vector<std::string> notes;
};

// Rows for every fd in either table, sorted by fd.
std::vector<FdDiffRow> diffFdTables(const FdTable &before, const FdTable &after);

// The same open file (inode and device) in two entries, e.g. both ends of a
// pipe or an fd and its dup in another process.
bool sameFile(const FdEntry &a, const FdEntry &b);

// A parent fd a close_fds=false child would inherit (no CLOEXEC), with why it
// matters; nullopt for fds that are safe (CLOEXEC) or stdio (0-2, inherited on purpose).
// With peers, it names the other processes that keep the object alive; `owner`
// (the process holding parentFd) is left out: its own fds are in its table.
std::optional<std::string> leakRisk(const FdEntry &parentFd, pid_t owner = 0);

std::string_view fdChangeName(FdChange c); // "kept", "closed", "added", "changed"

} // namespace spawnlab
