// SPDX-License-Identifier: GPL-3.0-or-later
// Reading /proc text files: whole files through a directory handle, lines and
// blank-separated fields, numbers that must be whole.
#pragma once

#include "unique_fd.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spawnlab::detail {

template <typename T> std::optional<T> parseNumber(std::string_view text, int base = 10)
{
    T value{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// Takes the first line off `rest`.
inline std::string_view nextLine(std::string_view &rest)
{
    auto eol = rest.find('\n');
    auto line = rest.substr(0, eol);
    rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
    return line;
}

inline std::string_view field(std::string_view line, int index)
{
    constexpr std::string_view blanks = " \t";
    for (std::size_t start = line.find_first_not_of(blanks); start != std::string_view::npos;
         start = line.find_first_not_of(blanks, start)) {
        auto end = std::min(line.find_first_of(blanks, start), line.size());
        if (index-- == 0) return line.substr(start, end - start);
        start = end;
    }
    return {};
}

// The value of "Key:" in a status-like file ("Uid:\t0\t0\t0\t0" -> "0\t0\t0\t0").
inline std::string_view keyValue(std::string_view text, std::string_view key)
{
    while (!text.empty()) {
        auto line = nextLine(text);
        if (line.size() > key.size() && line.starts_with(key) && line[key.size()] == ':')
            return line.substr(key.size() + 1);
    }
    return {};
}

struct FileText {
    std::string text;
    int err = 0;
};

inline FileText readFile(int dirFd, const std::string &path)
{
    FileText file;
    UniqueFd fd(::openat(dirFd, path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        file.err = errno;
        return file;
    }
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n > 0)
            file.text.append(buf, std::size_t(n));
        else if (n == 0)
            return file;
        else if (errno != EINTR) {
            file.err = errno;
            return file;
        }
    }
}

// /proc/PID/comm without its newline; "" when it cannot be read.
inline std::string commOf(pid_t pid)
{
    std::string comm = readFile(AT_FDCWD, "/proc/" + std::to_string(pid) + "/comm").text;
    if (!comm.empty() && comm.back() == '\n') comm.pop_back();
    return comm;
}

// The value of "Key:" in /proc/PID/status, leading blanks dropped ("" if absent).
inline std::string statusField(pid_t pid, std::string_view key)
{
    const std::string text = readFile(AT_FDCWD, "/proc/" + std::to_string(pid) + "/status").text;
    std::string_view value = keyValue(text, key);
    value.remove_prefix(std::min(value.find_first_not_of(" \t"), value.size()));
    return std::string(value);
}

// A NUL-separated /proc/PID file ("cmdline", "environ"), item by item; {}
// when it cannot be read.
inline std::vector<std::string> procStrings(pid_t pid, const char *file)
{
    const std::string text = readFile(AT_FDCWD, "/proc/" + std::to_string(pid) + "/" + file).text;
    std::vector<std::string> out;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t end = std::min(text.find('\0', at), text.size());
        out.push_back(text.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

// readlink(2) as a string; "" when it fails.
inline std::string readLink(const std::string &path)
{
    char buffer[4096];
    const ssize_t n = ::readlink(path.c_str(), buffer, sizeof buffer);
    return n > 0 ? std::string(buffer, std::size_t(n)) : std::string();
}

} // namespace spawnlab::detail
