// SPDX-License-Identifier: GPL-3.0-or-later
#include "plan/capturedtext.h"

#include <QObject>
#include <QStringDecoder>

namespace spawnlab {
namespace {

QString hexDump(const std::string &bytes, qsizetype maxBytes)
{
    const qsizetype shown = std::min(qsizetype(bytes.size()), maxBytes);
    QString out;
    for (qsizetype offset = 0; offset < shown; offset += 16) {
        QString hex, ascii;
        for (qsizetype i = offset; i < offset + 16; ++i) {
            if (i < shown) {
                const unsigned char c = static_cast<unsigned char>(bytes[std::size_t(i)]);
                hex += QStringLiteral("%1 ").arg(c, 2, 16, QLatin1Char('0'));
                ascii += c >= 0x20 && c < 0x7f ? QChar(c) : QChar('.');
            } else {
                hex += QStringLiteral("   ");
            }
            if (i == offset + 7) hex += QLatin1Char(' ');
        }
        out += QStringLiteral("%1  %2 %3\n").arg(offset, 8, 16, QLatin1Char('0')).arg(hex, ascii);
    }
    if (qsizetype(bytes.size()) > shown)
        out += QObject::tr("… %1 more bytes not shown\n").arg(qsizetype(bytes.size()) - shown);
    return out;
}

} // namespace

std::optional<QString> utf8Text(const std::string &bytes)
{
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = utf8.decode(QByteArrayView(bytes.data(), qsizetype(bytes.size())));
    if (utf8.hasError()) return std::nullopt;
    return text;
}

QString capturedText(const std::string &bytes, qsizetype maxDumpBytes)
{
    if (auto text = utf8Text(bytes)) return *text;
    return QObject::tr("(not UTF-8: a hex dump of the %1 bytes kept)\n").arg(bytes.size()) +
           hexDump(bytes, maxDumpBytes);
}

std::size_t keptBytes(const RunResult &r, int fd)
{
    const auto it = r.captured.find(fd);
    return it == r.captured.end() ? 0 : it->second.size();
}

QString captureSummary(std::uint64_t written, std::uint64_t kept)
{
    if (written <= kept) return {};
    return QObject::tr("%1 bytes written, the first %2 kept; the rest was counted")
        .arg(written)
        .arg(kept);
}

} // namespace spawnlab
