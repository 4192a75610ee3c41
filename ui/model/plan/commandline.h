// SPDX-License-Identifier: GPL-3.0-or-later
// A command line as a person types it in a shell, to argv and back: words
// split on blanks, '...' taken literally, "..." with \" \\ \$ \` escapes, a
// backslash outside quotes escaping the next character. No expansion.
#pragma once

#include <QString>
#include <QStringList>

namespace spawnlab {

// The words; an unterminated quote or a trailing backslash is an error
// (`error` says which), and gives no words.
QStringList splitCommandLine(const QString &line, QString *error = nullptr);

// Words quoted so that splitCommandLine gives them back ('it'\''s').
QString joinCommandLine(const QStringList &words);

} // namespace spawnlab
