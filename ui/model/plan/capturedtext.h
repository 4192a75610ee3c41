// SPDX-License-Identifier: GPL-3.0-or-later
// What the Result view shows for a pipe_out fd's kept bytes: the text when it is
// valid UTF-8, else a hex dump (offset, 16 bytes, their printable ASCII), as
// `xxd` shows binary data; and one line on how much was written and kept.
#pragma once

#include "spawnlab/result.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <string>

namespace spawnlab {

// The text, when `bytes` are valid UTF-8 (so JSON carries them as text, not
// base64); nullopt otherwise.
std::optional<QString> utf8Text(const std::string &bytes);

// At most `maxDumpBytes` of binary output are dumped; a last line says how
// many more there are.
QString capturedText(const std::string &bytes, qsizetype maxDumpBytes = 64 * 1024);

inline bool isUtf8(const std::string &bytes)
{
    return utf8Text(bytes).has_value();
}

// How many of fd's bytes the result kept (0 when none are there).
std::size_t keptBytes(const RunResult &r, int fd);

// "104857600 bytes written, the first 16777216 kept; the rest was counted", or
// empty when all of it was kept.
QString captureSummary(std::uint64_t written, std::uint64_t kept);

} // namespace spawnlab
