// SPDX-License-Identifier: GPL-3.0-or-later
// An enum's spellings as one table, read both ways: nameOf for output,
// valueOf for parsing. Every xxxName()/parseXxx() pair in the core is a table
// of these, so a new value is added in one place and both directions agree.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace spawnlab {

template <typename T> struct Spelling {
    T value;
    std::string_view name;
};

// `fallback` for a value the table lacks (an out-of-range cast).
template <typename T, std::size_t N>
constexpr std::string_view nameOf(const std::array<Spelling<T>, N> &table, T value,
                                  std::string_view fallback = {})
{
    for (const auto &s : table)
        if (s.value == value) return s.name;
    return fallback;
}

template <typename T, std::size_t N>
constexpr std::optional<T> valueOf(const std::array<Spelling<T>, N> &table, std::string_view name)
{
    for (const auto &s : table)
        if (s.name == name) return s.value;
    return std::nullopt;
}

} // namespace spawnlab
