// SPDX-License-Identifier: GPL-3.0-or-later
#include "plan/jsonwriter.h"

#include "spawnlab/json_text.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QVariant>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace spawnlab {
namespace {

// Written by hand rather than through a QJsonDocument per value, which was
// most of the writer's time (a result can hold thousands of fd entries).
void appendString(QByteArray &out, const QString &text)
{
    out += QByteArray::fromStdString(jsonString(text.toStdString()));
}

void appendScalar(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        out += value.toBool() ? "true" : "false";
        break;
    case QJsonValue::Double: {
        // Whole numbers keep every digit (an rlimit near 2^63 must round-trip).
        const QVariant number = value.toVariant();
        const double d = value.toDouble();
        if (number.typeId() == QMetaType::LongLong)
            out += QByteArray::number(number.toLongLong());
        else if (!std::isfinite(d))
            out += "null"; // as QJsonDocument writes them
        else if (d == std::trunc(d) && std::fabs(d) < 9007199254740992.0)
            out += QByteArray::number(qint64(d));
        else
            out += QByteArray::number(d, 'g', QLocale::FloatingPointShortest);
        break;
    }
    case QJsonValue::String:
        appendString(out, value.toString());
        break;
    default:
        out += "null";
    }
}

bool isFlat(const QJsonValue &value)
{
    const auto plain = [](const QJsonValue &v) { return !v.isArray() && !v.isObject(); };
    if (value.isArray()) {
        const QJsonArray a = value.toArray();
        return std::all_of(a.begin(), a.end(), plain);
    }
    const QJsonObject o = value.toObject();
    return std::all_of(o.begin(), o.end(), plain);
}

class Writer
{
public:
    explicit Writer(const QStringList &keyOrder)
    {
        for (qsizetype i = 0; i < keyOrder.size(); ++i)
            m_rank.insert(keyOrder[i], i);
    }

    void write(const QJsonValue &value, int indent)
    {
        if (value.isArray()) {
            const QJsonArray a = value.toArray();
            const bool flat = isFlat(value); // once: per element it made 19 000 fds quadratic
            out += '[';
            for (qsizetype i = 0; i < a.size(); ++i) {
                separator(i, flat, indent);
                write(a[i], indent + 4);
            }
            close(']', flat, a.isEmpty(), indent);
        } else if (value.isObject()) {
            const QJsonObject o = value.toObject();
            const bool flat = isFlat(value);
            const QStringList keys = ordered(o.keys());
            out += '{';
            for (qsizetype i = 0; i < keys.size(); ++i) {
                separator(i, flat, indent);
                appendString(out, keys[i]);
                out += ": ";
                write(o.value(keys[i]), indent + 4);
            }
            close('}', flat, o.isEmpty(), indent);
        } else {
            appendScalar(out, value);
        }
    }

    QByteArray out;

private:
    // Each key's rank looked up once, not at every comparison of the sort.
    QStringList ordered(const QStringList &keys) const
    {
        std::vector<std::pair<qsizetype, qsizetype>> ranked; // (rank, index in keys)
        ranked.reserve(std::size_t(keys.size()));
        for (qsizetype i = 0; i < keys.size(); ++i)
            ranked.emplace_back(m_rank.value(keys[i], m_rank.size()), i);
        std::stable_sort(ranked.begin(), ranked.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        QStringList out;
        out.reserve(keys.size());
        for (const auto &[rank, i] : ranked)
            out.append(keys[i]);
        return out;
    }

    void separator(qsizetype i, bool flat, int indent)
    {
        if (flat)
            out += i ? ", " : "";
        else
            out += (i ? ",\n" : "\n") + QByteArray(indent + 4, ' ');
    }

    void close(char bracket, bool flat, bool empty, int indent)
    {
        if (!flat && !empty) out += '\n' + QByteArray(indent, ' ');
        out += bracket;
    }

    QHash<QString, qsizetype> m_rank;
};

} // namespace

QByteArray indentedJson(const QJsonValue &value, const QStringList &keyOrder)
{
    Writer writer(keyOrder);
    writer.write(value, 0);
    return writer.out + '\n';
}

} // namespace spawnlab
