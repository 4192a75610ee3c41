// SPDX-License-Identifier: GPL-3.0-or-later
// spawnlab-cli holders WHAT [--json]: every process and fd that holds a path,
// a port, a unix socket, a pipe or another process's fd.
#pragma once

#include <span>

// Exit codes: 0 at least one holder was printed, 1 none holds WHAT (or WHAT
// names a path or fd that does not exist, or output failed), 2 a bad command line.
int holdersCommand(std::span<char *const> args);
