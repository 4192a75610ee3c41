// SPDX-License-Identifier: GPL-3.0-or-later
// spawnlab-cli run PLAN.json: runs a plan and prints its result as JSON
// (DESIGN.md "Plan file and CLI — the contract").
#pragma once

#include <span>

// Exit codes: 0 exec succeeded, 1 a child step failed (or the result could not
// be written), 2 a bad command line or plan (nothing ran); killed by SIGINT,
// SIGTERM or SIGHUP after killing and reaping the child.
int runCommand(std::span<char *const> args);
