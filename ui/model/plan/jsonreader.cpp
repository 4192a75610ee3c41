// SPDX-License-Identifier: GPL-3.0-or-later
#include "plan/jsonreader.h"

#include <QJsonDocument>

#include <cmath>

namespace spawnlab {

QString keyPath(const QString &parent, const QString &key)
{
    return parent.isEmpty() ? key : parent + QLatin1Char('.') + key;
}

QString indexPath(const QString &parent, qsizetype index)
{
    return parent + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

QString describeJson(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        // Qt holds a whole number that fits 64 bits exactly: say it as written.
        // (The plan loader refuses longer whole numbers; what is left is a
        // literal with a fraction or exponent, which the shortest form keeps.)
        const qint64 whole = value.toInteger(0);
        if (whole == value.toInteger(1)) return QString::number(whole);
        return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
    }
    case QJsonValue::String: {
        // Quote and escape exactly as the file would, so odd characters stay visible.
        QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        return QString::fromUtf8(json.mid(1, json.size() - 2));
    }
    case QJsonValue::Array:
        return QStringLiteral("a list");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

void JsonReader::expected(const QString &path, const QString &what, const QJsonValue &got)
{
    error(path, QStringLiteral("expected %1, got %2").arg(what, describeJson(got)));
}

std::optional<QJsonObject> JsonReader::object(const QJsonValue &v, const QString &path)
{
    if (v.isObject()) return v.toObject();
    expected(path, QStringLiteral("an object"), v);
    return std::nullopt;
}

std::optional<QJsonArray> JsonReader::array(const QJsonValue &v, const QString &path)
{
    if (v.isArray()) return v.toArray();
    expected(path, QStringLiteral("a list"), v);
    return std::nullopt;
}

std::optional<bool> JsonReader::boolean(const QJsonValue &v, const QString &path)
{
    if (v.isBool()) return v.toBool();
    expected(path, QStringLiteral("true or false"), v);
    return std::nullopt;
}

std::optional<qint64> JsonReader::integer(const QJsonValue &v, const QString &path, qint64 min,
                                          qint64 max)
{
    const double d = v.toDouble();
    if (!v.isDouble() || !std::isfinite(d) || std::trunc(d) != d) {
        expected(path, QStringLiteral("a whole number"), v);
        return std::nullopt;
    }
    // Qt keeps integer literals as qint64, so toInteger is exact beyond 2^53. It
    // returns the default when no qint64 holds the value: two defaults tell.
    const qint64 value = v.toInteger(0);
    const bool fits = value == v.toInteger(1);
    if (!fits || value < min || value > max) {
        error(path, QStringLiteral("expected a whole number from %1 to %2, got %3")
                        .arg(min)
                        .arg(max)
                        .arg(fits ? QString::number(value) : describeJson(v)));
        return std::nullopt;
    }
    return value;
}

std::optional<std::string> JsonReader::string(const QJsonValue &v, const QString &path,
                                              bool allowNul)
{
    if (!v.isString()) {
        expected(path, QStringLiteral("a string"), v);
        return std::nullopt;
    }
    const QString text = v.toString();
    if (!allowNul && text.contains(QChar(0))) {
        error(path, QStringLiteral("contains a NUL character, which a C string cannot hold"));
        return std::nullopt;
    }
    return text.toStdString();
}

std::optional<unsigned> JsonReader::octal(const QJsonValue &v, const QString &path, unsigned max,
                                          const QString &example)
{
    const QString text = v.toString();
    bool ok = v.isString() && !text.isEmpty() && text.size() <= 12;
    for (QChar c : text)
        ok = ok && c >= QLatin1Char('0') && c <= QLatin1Char('7');
    if (!ok) {
        expected(path, QStringLiteral("an octal string like \"%1\"").arg(example), v);
        return std::nullopt;
    }
    const unsigned value = text.toUInt(nullptr, 8);
    if (value > max) {
        error(
            path,
            QStringLiteral("expected at most \"0%1\", got %2").arg(max, 0, 8).arg(describeJson(v)));
        return std::nullopt;
    }
    return value;
}

} // namespace spawnlab
