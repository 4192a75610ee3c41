// SPDX-License-Identifier: GPL-3.0-or-later
// The core speaks UTF-8 std::string/string_view; Qt speaks QString. One
// conversion for every model and widget.
#pragma once

#include <QString>
#include <QStringList>

#include <string_view>

namespace spawnlab {

inline QString qs(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// A mode or umask as the plan file and the code exports write it: "0644".
inline QString qsOctal(unsigned bits)
{
    return QStringLiteral("%1").arg(bits, 4, 8, QLatin1Char('0'));
}

// Numbers as the bench fields and options list them: "0,256,1024".
template <class Numbers> QString qsNumberList(const Numbers &values)
{
    QStringList items;
    for (const auto &v : values)
        items << QString::number(v);
    return items.join(u',');
}

// A program's name as the GUI shows it: the last component of its path.
inline QString qsBaseName(std::string_view path)
{
    return qs(path).section(QLatin1Char('/'), -1);
}

} // namespace spawnlab
