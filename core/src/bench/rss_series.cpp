// SPDX-License-Identifier: GPL-3.0-or-later
// Spawn latency against the parent's RSS: for each size a ballast, then per
// block of strategies a warm-up and interleaved rounds. With several passes the sizes
// are visited again (alternately up and down), each pass taking its share of
// the runs, so slow drift on a shared machine is spread over every size
// instead of landing on one. Points are returned in the order of the sizes.
#include "series.h"

#include <memory>

namespace spawnlab::bench {

using namespace detail;

namespace {

bool copiesAddressSpace(const std::string &strategy)
{
    return strategy == "fork" || strategy == "raw_fork";
}

struct SizeState {
    Point base;
    std::vector<CellSamples> cells; // one per strategy
    std::vector<Point> points;      // once its last pass is done
};

} // namespace

Outcome runRssSeries(const RssConfig &config)
{
    Outcome out;
    auto note = [&config](const std::string &text) {
        if (config.onNote) config.onNote(text);
    };
    const std::string target = resolveTarget(config.target, out.error);
    if (!out.error.empty()) return out;
    if (config.strategies.empty() || config.sizesMb.empty() || config.runs < 1) {
        out.error = "nothing to measure: give at least one strategy, one size and one run";
        return out;
    }
    std::vector<std::unique_ptr<Sampler>> samplers;
    for (const auto &name : config.strategies) {
        samplers.push_back(makeSampler(name, target));
        if (!samplers.back()) {
            out.error = "unknown strategy \"" + name + "\"";
            return out;
        }
    }

    const int k = int(samplers.size());
    // A fork leaves the parent's pages write-protected (copy-on-write) and its
    // page tables to be freed; whatever spawn comes next pays for that. So the
    // strategies that copy the address space are sampled in a block of their
    // own, after the ones that share it, each block behind its own warm-up.
    std::vector<std::vector<int>> groups(2);
    for (int j = 0; j < k; ++j)
        groups[copiesAddressSpace(config.strategies[j]) ? 1 : 0].push_back(j);
    std::erase_if(groups, [](const std::vector<int> &g) { return g.empty(); });

    // Warm-up, then rounds in which each strategy of the group takes one
    // sample, starting with a different one each round. False when it stops.
    auto sampleGroup = [&](const std::vector<int> &group, int runs,
                           std::vector<CellSamples> &cells) {
        const int n = int(group.size());
        for (int w = 0; w < config.warmup; ++w)
            for (const int j : group) {
                if (cancelled(config.cancel)) {
                    out.cancelled = true;
                    return false;
                }
                const Sample s = samplers[j]->take();
                if (!s.ok) {
                    out.error = config.strategies[j] + ": " + s.error;
                    return false;
                }
            }
        for (int round = 0; round < runs; ++round)
            for (int turn = 0; turn < n; ++turn) {
                if (cancelled(config.cancel)) {
                    out.cancelled = true;
                    return false;
                }
                const int j = group[(round + turn) % n];
                cells[j].add(samplers[j]->take());
            }
        return true;
    };
    const int sizeCount = int(config.sizesMb.size());
    const int passes = std::max(1, std::min(config.passes, config.runs));
    std::vector<SizeState> sizes(std::size_t(sizeCount),
                                 SizeState{{}, std::vector<CellSamples>(k), {}});
    int done = 0, visits = 0;
    for (int pass = 0; pass < passes; ++pass) {
        const int runs = config.runs * (pass + 1) / passes - config.runs * pass / passes;
        for (int step = 0; step < sizeCount; ++step) {
            const int index = pass % 2 == 0 ? step : sizeCount - 1 - step;
            const std::uint64_t mib = config.sizesMb[std::size_t(index)];
            SizeState &size = sizes[std::size_t(index)];
            if (mib > 0) note("allocating and touching a " + std::to_string(mib) + " MiB ballast");
            Ballast ballast = Ballast::allocate(mib, config.thp, out.error);
            if (!out.error.empty()) return out;
            size.base.rssMb = mib;
            size.base.rssKbMeasured = residentKb();
            size.base.anonHugeKb = anonHugeKb();
            size.base.thp = std::string(thpName(config.thp));
            note("at " + std::to_string(mib) + " MiB: VmRSS " +
                 std::to_string(size.base.rssKbMeasured) + " kB, AnonHugePages " +
                 std::to_string(size.base.anonHugeKb) + " kB" +
                 (passes > 1
                      ? " (pass " + std::to_string(pass + 1) + " of " + std::to_string(passes) + ")"
                      : ""));

            for (const std::vector<int> &group : groups)
                if (!sampleGroup(group, runs, size.cells)) return out;
            if (config.onProgress) config.onProgress(++visits, passes * sizeCount);
            if (pass + 1 < passes) continue;

            for (int j = 0; j < k; ++j) {
                if (size.cells[j].roundTrip.empty()) {
                    out.error =
                        config.strategies[j] + ": every sample failed: " + size.cells[j].firstError;
                    return out;
                }
                size.base.strategy = config.strategies[j];
                std::vector<Point> points = cellPoints(size.base, size.cells[j]);
                size.points.insert(size.points.end(), points.begin(), points.end());
                if (config.onPoints) config.onPoints(points, ++done, k * sizeCount);
            }
        }
    }
    for (const SizeState &size : sizes)
        out.points.insert(out.points.end(), size.points.begin(), size.points.end());
    return out;
}

} // namespace spawnlab::bench
