// SPDX-License-Identifier: GPL-3.0-or-later
// A JSON string literal from UTF-8 text, for the writers that build JSON
// text directly (bench points, the result and fd table writer).
#pragma once

#include <string>
#include <string_view>

namespace spawnlab {

// Quotes `s`, escaping '"', '\\', \n, \t and other control bytes (\u00XX);
// valid UTF-8 as it is, each byte of an invalid sequence as U+FFFD (a path
// may hold any bytes; JSON text may not).
std::string jsonString(std::string_view s);

} // namespace spawnlab
