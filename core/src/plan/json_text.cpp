// SPDX-License-Identifier: GPL-3.0-or-later
#include "spawnlab/json_text.h"

#include <cstdio>

namespace spawnlab {
namespace {

// The length of the valid UTF-8 sequence at the start of `s`, 0 if there is
// none (a stray continuation byte, an overlong form, a surrogate, past U+10FFFF).
std::size_t utf8Length(std::string_view s)
{
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char b = byte(0);
    std::size_t n = b < 0x80           ? 1
                    : (b >> 5) == 0x6  ? 2
                    : (b >> 4) == 0xe  ? 3
                    : (b >> 3) == 0x1e ? 4
                                       : 0;
    if (n == 0 || n > s.size()) return 0;
    unsigned long cp = n == 1 ? b : b & (0x7f >> n);
    for (std::size_t i = 1; i < n; ++i) {
        if ((byte(i) & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i) & 0x3f);
    }
    static const unsigned long least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return n;
}

} // namespace

std::string jsonString(std::string_view s)
{
    std::string out = "\"";
    out.reserve(s.size() + 2);
    for (std::size_t i = 0; i < s.size();) {
        const char c = s[i];
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
                out += escaped;
            } else if (const std::size_t n = utf8Length(s.substr(i)); n > 0) {
                out.append(s.substr(i, n));
                i += n;
                continue;
            } else {
                out += "\xef\xbf\xbd"; // U+FFFD: JSON text must be UTF-8
            }
        }
        ++i;
    }
    return out + "\"";
}

std::string terminalText(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c >= 0x20 && c != 0x7f ? utf8Length(s.substr(i)) : 0;
        // U+0080..U+009F are controls too (a terminal may read U+009B as CSI).
        if (n == 2 && c == 0xc2 && static_cast<unsigned char>(s[i + 1]) < 0xa0) n = 0;
        if (n > 0) {
            out.append(s.substr(i, n));
            i += n;
            continue;
        }
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\r') {
            out += "\\r";
        } else {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", unsigned(c));
            out += escaped;
        }
        ++i;
    }
    return out;
}

bool isUtf8(std::string_view s)
{
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8Length(s.substr(i));
        if (n == 0) return false;
        i += n;
    }
    return true;
}

} // namespace spawnlab
