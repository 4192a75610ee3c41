// SPDX-License-Identifier: GPL-3.0-or-later
// fd tables and holders as lsof-like text for `spawnlab-cli fds` and `holders`.
#pragma once

#include "spawnlab/holders.h"
#include "spawnlab/procfs.h"

#include <string>

namespace spawnlab {

// Columns FD, MODE (r, w, rw or path, then ",cloexec" when set), TYPE, NODE,
// NAME (fdDescription: a socket's addresses and state, a pidfd's pid, ...);
// then, after a blank line, one "fd N may leak, inheritable: ..." line per fd
// a child could inherit by mistake (leakRisk), and one "fd N is also held by
// ..." line per fd with peers.
// `pid` is the table's process (left out of the leak lines' holders).
std::string fdTableText(const FdTable &table, pid_t pid);

// Columns PID, COMM, FD, MODE, TYPE, NAME: one row per holder.
std::string holdersText(const std::vector<Holder> &holders);

// "3 processes could not be read (pids 1, 2, 3): ..." for a scan that was denied some.
std::string deniedSentence(const HolderIndex &index);

} // namespace spawnlab
