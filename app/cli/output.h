// SPDX-License-Identifier: GPL-3.0-or-later
// Everything spawnlab-cli prints goes through here, so that a result that
// could not be written (a full disk, /dev/full, a closed stdout) fails the
// command instead of vanishing behind exit code 0.
#pragma once

#include <string_view>

namespace cli {

constexpr int exitFailed = 1;
constexpr int exitUsage = 2;

// Makes sure fds 0, 1 and 2 are open before anything else is, so that no file
// the CLI opens later lands on them and receives its output. A closed one is
// reopened on /dev/null the other way round (stdout read-only), so writing to
// it still fails as writing to a closed fd would.
void keepStdioOpen();

// Writes `text` to stdout and flushes it; false, and remembered for
// finishOutput, when that failed. After a failure nothing more is written.
bool writeOut(std::string_view text);

// Diagnostics on stderr. Their own failure cannot be reported anywhere.
void writeErr(std::string_view text);

// `code`, or exitFailed with a message on stderr if writing stdout failed,
// or closing it does (the last buffered write can fail only then).
int finishOutput(int code);

} // namespace cli
