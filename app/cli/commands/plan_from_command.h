// SPDX-License-Identifier: GPL-3.0-or-later
// spawnlab-cli plan-from PID: a plan that re-creates how PID was started.
#pragma once

#include <span>

// Exit codes: 0 the plan was printed, 1 the process could not be read (or the
// output not written), 2 a bad command line.
int planFromCommand(std::span<char *const> args);
