// SPDX-License-Identifier: GPL-3.0-or-later
// Which way to create the child, and what posix_spawn cannot express.
#include "spawnlab/launch.h"

#include <algorithm>

namespace spawnlab {

StrategyChoice chooseStrategy(const SpawnPlan &plan)
{
    if (plan.strategy != Strategy::Auto) return {plan.strategy, "requested by the plan"};
    if (plan.credentials)
        return {Strategy::Fork, "auto -> fork: credentials requested; vfork and clone_vm would "
                                "share the parent's memory across a uid change"};
    return {Strategy::CloneVm,
            "auto -> clone_vm: nothing needs a copy of the parent's memory, so the child shares "
            "it (no page tables copied, cost flat in the parent's RSS) on a stack of its own"};
}

// posix_spawn can close everything from one fd up (closefrom_np) and single fds,
// so kept fds are fine as long as the gaps below the highest one are few.
constexpr int kMaxPosixSpawnCloseGaps = 4096;

std::vector<std::string> posixSpawnLimits(const SpawnPlan &plan)
{
    std::vector<std::string> limits;
    if (plan.umask) limits.emplace_back("umask: posix_spawn has no umask attribute");
    if (!plan.signals.ignore.empty())
        limits.emplace_back("signals.ignore: posix_spawn can reset signals to default "
                            "(POSIX_SPAWN_SETSIGDEF) but cannot ignore them");
    if (plan.credentials)
        limits.emplace_back("credentials: posix_spawn can only reset to the real ids "
                            "(POSIX_SPAWN_RESETIDS), not set uid, gid or groups");
    if (!plan.rlimits.empty())
        limits.emplace_back("rlimits: posix_spawn has no resource-limit attribute");
    if (!plan.inspect.empty())
        limits.emplace_back("inspect: glibc runs posix_spawn's child steps itself; it cannot "
                            "stop the child between them");
    if (plan.closeFds && plan.closeMethod != CloseMethod::Auto)
        limits.emplace_back("close_method: posix_spawn closes fds its own way "
                            "(posix_spawn_file_actions_addclosefrom_np)");
    if (plan.closeFds) {
        int highestKept = 2;
        for (const auto &a : plan.fds)
            highestKept = std::max(highestKept, a.fd);
        for (int fd : plan.passFds)
            highestKept = std::max(highestKept, fd);
        if (highestKept - 2 > kMaxPosixSpawnCloseGaps)
            limits.emplace_back("close_fds: posix_spawn would need one close action per fd "
                                "below the highest kept fd (" +
                                std::to_string(highestKept) + ")");
    }
    return limits;
}

} // namespace spawnlab
