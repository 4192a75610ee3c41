// SPDX-License-Identifier: GPL-3.0-or-later
// spawnlab-cli bench: runs the benchmark in this process (the worker whose RSS
// grows) and prints its points (DESIGN.md "Plan file and CLI — the contract").
#pragma once

#include <span>

// Exit codes: 0 done, 1 the benchmark failed (e.g. a size the machine cannot
// hold) or stdout could not be written, 2 a bad argument (the message names
// the option), 128 + the signal when SIGINT, SIGTERM or SIGHUP interrupted it.
int benchCommand(std::span<char *const> args);
