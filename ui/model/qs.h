// SPDX-License-Identifier: GPL-3.0-or-later
// The core speaks UTF-8 std::string/string_view; Qt speaks QString. One
// conversion for every model and widget.
#pragma once

#include <QString>

#include <string_view>

namespace spawnlab {

inline QString qs(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

} // namespace spawnlab
