// SPDX-License-Identifier: GPL-3.0-or-later
// Typed reads from a parsed JSON document that record what was wrong and where
// instead of throwing: every message names the key path ("fds[2].from") and
// what was expected.
#pragma once

#include "plan/planfile.h"

#include "qs.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace spawnlab {

QString keyPath(const QString &parent, const QString &key); // "env" + "set" -> "env.set"
QString indexPath(const QString &parent, qsizetype index);  // "argv" + 1 -> "argv[1]"
QString describeJson(const QJsonValue &value);              // "\"x\"", "1.5", "a list"

class JsonReader
{
public:
    JsonReader(QList<PlanIssue> &errors, QList<PlanIssue> &warnings)
        : m_errors(errors), m_warnings(warnings)
    {
    }

    void error(const QString &field, const QString &message) { m_errors.append({field, message}); }
    void warn(const QString &field, const QString &message) { m_warnings.append({field, message}); }

    // Calls read(key, value, path) for each key of `object`; keys it returns false
    // for are unknown, and warned about.
    template <typename F> void members(const QJsonObject &object, const QString &path, F read)
    {
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString at = keyPath(path, it.key());
            if (!read(it.key(), it.value(), at)) warn(at, QStringLiteral("unknown key, ignored"));
        }
    }

    std::optional<QJsonObject> object(const QJsonValue &v, const QString &path);
    std::optional<QJsonArray> array(const QJsonValue &v, const QString &path);
    std::optional<bool> boolean(const QJsonValue &v, const QString &path);
    std::optional<qint64> integer(const QJsonValue &v, const QString &path, qint64 min, qint64 max);
    // Strings headed for a C API cannot hold NUL; data written to a pipe can.
    std::optional<std::string> string(const QJsonValue &v, const QString &path,
                                      bool allowNul = false);
    // An octal string such as `example` ("0077") that is at most `max`.
    std::optional<unsigned> octal(const QJsonValue &v, const QString &path, unsigned max,
                                  const QString &example);

    // A spelling from names.h: `parse` maps it; `hint` ("expected one of ...")
    // follows the message when it is not empty.
    template <typename T>
    std::optional<T> spelling(const QJsonValue &v, const QString &path, const QString &kind,
                              const std::function<std::optional<T>(std::string_view)> &parse,
                              const QString &hint = {})
    {
        auto text = string(v, path);
        if (!text) return std::nullopt;
        if (auto value = parse(*text)) return value;
        QString message = QStringLiteral("unknown %1 \"%2\"").arg(kind, qs(*text));
        if (!hint.isEmpty()) message += QStringLiteral("; ") + hint;
        error(path, message);
        return std::nullopt;
    }

    // Reads every item of a list with `read(item, path)`; nullopt if the value is
    // not a list or any item failed (each failure is recorded).
    template <typename T>
    std::optional<std::vector<T>>
    list(const QJsonValue &v, const QString &path,
         const std::function<std::optional<T>(const QJsonValue &, const QString &)> &read)
    {
        auto items = array(v, path);
        if (!items) return std::nullopt;
        std::vector<T> out;
        bool ok = true;
        for (qsizetype i = 0; i < items->size(); ++i) {
            if (auto value = read(items->at(i), indexPath(path, i)))
                out.push_back(*value);
            else
                ok = false;
        }
        return ok ? std::optional(std::move(out)) : std::nullopt;
    }

private:
    void expected(const QString &path, const QString &what, const QJsonValue &got);

    QList<PlanIssue> &m_errors;
    QList<PlanIssue> &m_warnings;
};

} // namespace spawnlab
