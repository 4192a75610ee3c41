// SPDX-License-Identifier: GPL-3.0-or-later
// Text from the system (paths, argv, comm: any bytes) made safe to write:
// as a JSON string literal, for the writers that build JSON text directly
// (bench points, the result and fd table writer), and for a terminal.
#pragma once

#include <string>
#include <string_view>

namespace spawnlab {

// Quotes `s`, escaping '"', '\\', \n, \t and other control bytes (\u00XX);
// valid UTF-8 as it is, each byte of an invalid sequence as U+FFFD (a path
// may hold any bytes; JSON text may not).
std::string jsonString(std::string_view s);

// `s` for a line of text output, as lsof writes a name: \n, \t and \r
// escaped, other control bytes (C0, DEL, C1) and each byte of an invalid
// UTF-8 sequence as \xNN, valid UTF-8 as it is. A file named "a<newline>b" stays on one line.
std::string terminalText(std::string_view s);

// Whether every byte of `s` is part of a valid UTF-8 sequence, so JSON can
// carry it as it is.
bool isUtf8(std::string_view s);

} // namespace spawnlab
