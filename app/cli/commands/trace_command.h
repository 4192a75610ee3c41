// SPDX-License-Identifier: GPL-3.0-or-later
// spawnlab-cli trace [OPTIONS] -- PROGRAM ARGS... | trace --attach PID: the
// leak hunter (core/src/trace) on a program's whole process tree.
#pragma once

#include <span>

// Exit codes: the launched program's own (128 + N when signal N killed it;
// 0 for --attach); 1 the trace could not start or the report not be written;
// 2 a bad command line; 3 with --fail-on-leak when there are findings.
int traceCommand(std::span<char *const> args);
