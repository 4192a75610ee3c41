// SPDX-License-Identifier: GPL-3.0-or-later
// spawnlab-cli code --lang L PLAN and spawnlab-cli explain PLAN: what the
// Lab's Code and Explain tabs show, for a plan file or "-" (stdin).
#pragma once

#include <span>

// Exit codes: 0 printed, 1 the output could not be written, 2 a bad command
// line or plan.
int codeCommand(std::span<char *const> args);
int explainCommand(std::span<char *const> args);
