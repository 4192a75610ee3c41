// SPDX-License-Identifier: GPL-3.0-or-later
// Pieces the two series share.
#pragma once

#include "sampler.h"

#include "spawnlab/bench.h"

#include <atomic>
#include <string>
#include <vector>

namespace spawnlab::bench::detail {

// The target made absolute (so the plan needs no PATH search), or "" with
// `error` set.
std::string resolveTarget(const std::string &requested, std::string &error);

bool cancelled(const std::atomic<bool> *cancel);

// The strategies' indexes in the blocks they are sampled in. A fork leaves the
// parent's pages write-protected (copy-on-write) and its page tables to be
// freed; whatever spawn comes next pays for that. So the strategies that copy
// the address space (fork, raw_fork) form a block of their own, after the ones
// that share it, each block behind its own warm-up. No empty block.
std::vector<std::vector<int>> strategyGroups(const std::vector<std::string> &strategies);

// The samples one cell collected.
struct CellSamples {
    std::vector<double> roundTrip, execConfirmed, spawnReturned;
    int failures = 0;
    std::string firstError;

    void add(const Sample &s);
};

// The round_trip point and, where the strategy tells them, the
// exec_confirmed and spawn_returned ones; `base` carries everything but the phase and the
// statistics.
std::vector<Point> cellPoints(const Point &base, const CellSamples &cell);

} // namespace spawnlab::bench::detail
