// SPDX-License-Identifier: GPL-3.0-or-later
#include "explain/modetext.h"

namespace spawnlab {

QString rwxText(unsigned mode)
{
    QString out(9, u'-');
    const char letters[] = "rwxrwxrwx";
    for (int i = 0; i < 9; ++i)
        if (mode & (0400u >> i)) out[i] = QLatin1Char(letters[i]);
    auto special = [&out](int pos, bool on, char lower, char upper) {
        if (on) out[pos] = QLatin1Char(out[pos] == u'x' ? lower : upper);
    };
    special(2, mode & 04000, 's', 'S');
    special(5, mode & 02000, 's', 'S');
    special(8, mode & 01000, 't', 'T');
    return out;
}

std::optional<unsigned> parseOctal(const QString &text, unsigned max)
{
    const QString t = text.trimmed();
    if (t.isEmpty()) return std::nullopt;
    bool ok = false;
    const unsigned value = t.toUInt(&ok, 8);
    if (!ok || value > max) return std::nullopt;
    return value;
}

} // namespace spawnlab
