// SPDX-License-Identifier: GPL-3.0-or-later
// Permission bits as people read them, "rw-r--r--", and octal typed in (the
// octal text, "0644", is qsOctal in qs.h).
#pragma once

#include <QString>

#include <optional>

namespace spawnlab {

QString rwxText(unsigned mode); // "rw-r--r--" (setuid/setgid/sticky as s/S, t/T)
std::optional<unsigned> parseOctal(const QString &text, unsigned max); // "644", "0644"

} // namespace spawnlab
