// SPDX-License-Identifier: GPL-3.0-or-later
// Octal permission bits as people read them: "0644" and "rw-r--r--".
#pragma once

#include <QString>

#include <optional>

namespace spawnlab {

QString octalText(unsigned bits); // "0644"
QString rwxText(unsigned mode);   // "rw-r--r--" (setuid/setgid/sticky as s/S, t/T)
std::optional<unsigned> parseOctal(const QString &text, unsigned max); // "644", "0644"

} // namespace spawnlab
