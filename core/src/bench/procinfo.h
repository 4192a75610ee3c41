// SPDX-License-Identifier: GPL-3.0-or-later
// Small readers of /proc and /sys for the benchmark.
#pragma once

#include <string>

namespace spawnlab::bench::detail {

// The number after `key` in a "Key:   123 kB" file such as /proc/self/status;
// -1 if the file or the key is missing.
long long readKbField(const char *path, const std::string &key);

long long memAvailableKb();

// The first line of a file, without its newline; "" if unreadable.
std::string readFirstLine(const char *path);

} // namespace spawnlab::bench::detail
