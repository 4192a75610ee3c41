// SPDX-License-Identifier: GPL-3.0-or-later
// Builds one JSON object as text, `"key": value` pairs in order: for the
// writers that print JSON directly (fd tables, the trace report).
#pragma once

#include "spawnlab/json_text.h"

#include <string>
#include <string_view>
#include <vector>

namespace spawnlab::detail {

class JsonObject
{
public:
    JsonObject &raw(const char *key, const std::string &json)
    {
        m_out += m_out.size() > 1 ? ", \"" : "\"";
        m_out += key;
        m_out += "\": ";
        m_out += json;
        return *this;
    }
    JsonObject &text(const char *key, std::string_view value)
    {
        return raw(key, jsonString(value));
    }
    JsonObject &number(const char *key, long long value) { return raw(key, std::to_string(value)); }
    JsonObject &flag(const char *key, bool value) { return raw(key, value ? "true" : "false"); }
    std::string done() { return m_out + "}"; }

private:
    std::string m_out = "{";
};

// "[a, b]" from JSON values already written.
inline std::string jsonArray(const std::vector<std::string> &items, const char *separator = ", ")
{
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i ? separator : "") + items[i];
    return out + "]";
}

} // namespace spawnlab::detail
