#include "plan/jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace spawnlab {
namespace {

// Appends without an intermediate copy: a captured string can be 100 MB of JSON.
void appendScalar(QByteArray &out, const QJsonValue &value)
{
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    out.append(QByteArrayView(json).sliced(1, json.size() - 2));
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
    explicit Writer(const QStringList &keyOrder) : m_order(keyOrder) {}

    void write(const QJsonValue &value, int indent)
    {
        if (value.isArray()) {
            const QJsonArray a = value.toArray();
            out += '[';
            for (qsizetype i = 0; i < a.size(); ++i) {
                separator(i, value, indent);
                write(a[i], indent + 4);
            }
            close(']', value, indent);
        } else if (value.isObject()) {
            const QJsonObject o = value.toObject();
            const QStringList keys = ordered(o.keys());
            out += '{';
            for (qsizetype i = 0; i < keys.size(); ++i) {
                separator(i, value, indent);
                appendScalar(out, keys[i]);
                out += ": ";
                write(o.value(keys[i]), indent + 4);
            }
            close('}', value, indent);
        } else {
            appendScalar(out, value);
        }
    }

    QByteArray out;

private:
    QStringList ordered(QStringList keys) const
    {
        const auto rank = [this](const QString &k) {
            const qsizetype i = m_order.indexOf(k);
            return i < 0 ? m_order.size() : i;
        };
        std::stable_sort(keys.begin(), keys.end(),
                         [&](const QString &a, const QString &b) { return rank(a) < rank(b); });
        return keys;
    }

    void separator(qsizetype i, const QJsonValue &container, int indent)
    {
        if (isFlat(container))
            out += i ? ", " : "";
        else
            out += (i ? ",\n" : "\n") + QByteArray(indent + 4, ' ');
    }

    void close(char bracket, const QJsonValue &container, int indent)
    {
        const bool empty =
            container.isArray() ? container.toArray().isEmpty() : container.toObject().isEmpty();
        if (!isFlat(container) && !empty) out += '\n' + QByteArray(indent, ' ');
        out += bracket;
    }

    const QStringList &m_order;
};

} // namespace

QByteArray indentedJson(const QJsonValue &value, const QStringList &keyOrder)
{
    Writer writer(keyOrder);
    writer.write(value, 0);
    return writer.out + '\n';
}

} // namespace spawnlab
