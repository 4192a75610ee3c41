// SPDX-License-Identifier: GPL-3.0-or-later
#include "plan/commandline.h"

#include <QObject>

namespace spawnlab {

QStringList splitCommandLine(const QString &line, QString *error)
{
    QStringList words;
    QString word;
    bool inWord = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (c == u' ' || c == u'\t' || c == u'\n') {
            if (inWord) words << word;
            word.clear();
            inWord = false;
            continue;
        }
        inWord = true;
        if (c == u'\'') {
            const qsizetype end = line.indexOf(u'\'', i + 1);
            if (end < 0) {
                if (error) *error = QObject::tr("a ' is not closed");
                return {};
            }
            word += line.mid(i + 1, end - i - 1);
            i = end;
        } else if (c == u'"') {
            for (++i;; ++i) {
                if (i >= line.size()) {
                    if (error) *error = QObject::tr("a \" is not closed");
                    return {};
                }
                if (line[i] == u'"') break;
                if (line[i] == u'\\' && i + 1 < line.size() &&
                    QStringLiteral("\"\\$`").contains(line[i + 1]))
                    ++i;
                word += line[i];
            }
        } else if (c == u'\\') {
            if (++i >= line.size()) {
                if (error) *error = QObject::tr("the line ends with a \\");
                return {};
            }
            word += line[i];
        } else {
            word += c;
        }
    }
    if (inWord) words << word;
    return words;
}

QString joinCommandLine(const QStringList &words)
{
    QStringList quoted;
    for (const QString &w : words) {
        const bool plain = !w.isEmpty() && std::all_of(w.begin(), w.end(), [](QChar c) {
            return c.isLetterOrNumber() || QStringLiteral("-_./=:,+@%").contains(c);
        });
        quoted << (plain ? w : u'\'' + QString(w).replace(u'\'', QStringLiteral("'\\''")) + u'\'');
    }
    return quoted.join(u' ');
}

} // namespace spawnlab
