// SPDX-License-Identifier: GPL-3.0-or-later
#include "spawnlab/fd_shuffle.h"

#include <algorithm>

namespace spawnlab {
namespace {

// Whether an fd action reads a source fd (dup, null, pipe_in, pipe_out).
bool copiesSource(FdActionKind kind)
{
    return kind != FdActionKind::Open && kind != FdActionKind::Close;
}

} // namespace

bool FdShuffle::overwrites(int fd) const
{
    return std::binary_search(targets.begin(), targets.end(), fd);
}

bool FdShuffle::keeps(int fd) const
{
    return std::binary_search(kept.begin(), kept.end(), fd);
}

FdShuffle planFdShuffle(const SpawnPlan &plan, const std::vector<int> &sourceFds)
{
    FdShuffle s;
    s.sources = sourceFds;
    s.sources.resize(
        std::size_t(std::count_if(plan.fds.begin(), plan.fds.end(),
                                  [](const FdAction &a) { return copiesSource(a.action); })),
        -1);

    // Targets an action changes; a dup onto the same number changes nothing.
    // Sorted vectors, not sets: this runs before every spawn.
    s.targets.reserve(plan.fds.size());
    std::size_t next = 0;
    for (const FdAction &a : plan.fds) {
        if (copiesSource(a.action) && s.sources[next++] == a.fd) continue;
        s.targets.push_back(a.fd);
    }
    std::sort(s.targets.begin(), s.targets.end());
    s.targets.erase(std::unique(s.targets.begin(), s.targets.end()), s.targets.end());

    s.moves.reserve(s.sources.size() + plan.fds.size() + plan.passFds.size());
    for (int source = 0; source < int(s.sources.size()); ++source)
        if (s.overwrites(s.sources[source]))
            s.moves.push_back({FdMoveKind::CopyAway, -1, source, s.sources[source]});

    next = 0;
    for (std::size_t i = 0; i < plan.fds.size(); ++i) {
        const FdAction &a = plan.fds[i];
        const int index = int(i);
        if (a.action == FdActionKind::Open) {
            s.moves.push_back({FdMoveKind::Open, index, -1, a.fd});
        } else if (a.action == FdActionKind::Close) {
            s.moves.push_back({FdMoveKind::Close, index, -1, a.fd});
        } else {
            const int source = int(next++);
            const bool same = s.sources[source] == a.fd;
            s.moves.push_back(
                {same ? FdMoveKind::Inherit : FdMoveKind::Dup2, index, same ? -1 : source, a.fd});
        }
        if (a.action != FdActionKind::Close && a.fd >= 3) s.kept.push_back(a.fd);
    }
    for (std::size_t i = 0; i < plan.passFds.size(); ++i) {
        s.moves.push_back({FdMoveKind::Inherit, int(i), -1, plan.passFds[i], true});
        if (plan.passFds[i] >= 3) s.kept.push_back(plan.passFds[i]);
    }
    std::sort(s.kept.begin(), s.kept.end());
    s.kept.erase(std::unique(s.kept.begin(), s.kept.end()), s.kept.end());
    return s;
}

FdShuffle planFdShuffle(const SpawnPlan &plan)
{
    std::vector<int> sources;
    for (const FdAction &a : plan.fds)
        if (copiesSource(a.action)) sources.push_back(a.action == FdActionKind::Dup ? a.from : -1);
    return planFdShuffle(plan, sources);
}

} // namespace spawnlab
