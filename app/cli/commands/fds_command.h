// SPDX-License-Identifier: GPL-3.0-or-later
// spawnlab-cli fds PID [--json]: a process's fd table, lsof-like or as JSON.
#pragma once

#include <span>

// Exit codes: 0 the whole table was printed, 1 it could not be read whole (no
// such process, denied, a zombie or kernel thread, it exited meanwhile) or
// not written, 2 a bad command line.
int fdsCommand(std::span<char *const> args);
