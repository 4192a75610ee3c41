// SPDX-License-Identifier: GPL-3.0-or-later
// The soft RLIMIT_NOFILE as a bound on fd numbers: every fd this process can
// open is below it. Clamped to INT_MAX (RLIM_INFINITY too, which the kernel
// never allows for NOFILE, whose ceiling is fs.nr_open).
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <climits>

namespace spawnlab::detail {

inline int softFdLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return INT_MAX;
    return int(std::min<rlim_t>(limit.rlim_cur, INT_MAX));
}

} // namespace spawnlab::detail
