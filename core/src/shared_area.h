// SPDX-License-Identifier: GPL-3.0-or-later
// Memory shared with the child for its trace and error record: MAP_SHARED, so a
// forked child's writes reach the parent. One mapping per thread is reused,
// because spawns from one thread never overlap.
#pragma once

#include "child/child_program.h"

#include <cstddef>

namespace spawnlab::detail {

class SharedArea
{
public:
    // Returns a zeroed SharedState with room for `traceCapacity` records, or
    // nullptr with errno set.
    SharedState *acquire(int traceCapacity);

private:
    SharedState *state_ = nullptr;
};

} // namespace spawnlab::detail
