// SPDX-License-Identifier: GPL-3.0-or-later
// Spawn latency against the parent's RSS (and, for the memory series, its
// memory's shape): for each size a ballast, then per
// block of strategies a warm-up and interleaved rounds. With several passes the sizes
// are visited again (alternately up and down), each pass taking its share of
// the runs, so slow drift on a shared machine is spread over every size
// instead of landing on one. Points are returned in the order of the sizes.
#include "series.h"

#include <memory>

namespace spawnlab::bench {

using namespace detail;

namespace {

// One (shape, size) of the walk.
struct SizeState {
    MemoryShape shape = MemoryShape::Touched;
    std::uint64_t mib = 0;
    Point base;
    std::vector<CellSamples> cells; // one per strategy
    std::vector<Point> points;      // once its last pass is done
};

std::string describeBallast(const SizeState &size, int vmaCount)
{
    const std::string mib = std::to_string(size.mib) + " MiB";
    switch (size.shape) {
    case MemoryShape::Reserved:
        return "reserving (never touching) " + mib;
    case MemoryShape::Vmas:
        return "allocating and touching " + std::to_string(vmaCount) + " mappings sharing " + mib +
               " (one page each at least)";
    case MemoryShape::Touched:
        break;
    }
    return "allocating and touching a " + mib + " ballast";
}

Outcome walkSizes(const RssConfig &config, const std::string &series)
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

    if (config.shapes.empty()) {
        out.error = "nothing to measure: give at least one memory shape";
        return out;
    }

    const int k = int(samplers.size());
    const std::vector<std::vector<int>> groups = strategyGroups(config.strategies);

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
                if (!s.ok && !cancelled(config.cancel)) { // a cancel may kill the sample
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
    const bool memory = series == "memory";
    std::vector<SizeState> sizes;
    // Every size's finished points, in the sizes' order, also when the run
    // stops early (cancelled, or a strategy failed): what was measured is kept.
    auto finish = [&]() -> Outcome & {
        for (const SizeState &size : sizes)
            out.points.insert(out.points.end(), size.points.begin(), size.points.end());
        return out;
    };
    for (const MemoryShape shape : config.shapes)
        for (const std::uint64_t mib : config.sizesMb)
            sizes.push_back(SizeState{shape, mib, {}, std::vector<CellSamples>(k), {}});
    const int sizeCount = int(sizes.size());
    const int passes = passesRun(config.passes, config.runs);
    int done = 0, visits = 0;
    for (int pass = 0; pass < passes; ++pass) {
        const int runs = config.runs * (pass + 1) / passes - config.runs * pass / passes;
        for (int step = 0; step < sizeCount; ++step) {
            const int index = pass % 2 == 0 ? step : sizeCount - 1 - step;
            SizeState &size = sizes[std::size_t(index)];
            if (size.mib > 0 || size.shape == MemoryShape::Vmas)
                note(describeBallast(size, config.vmaCount));
            Ballast ballast =
                Ballast::allocate(size.mib, size.shape, config.vmaCount, config.thp, out.error);
            if (!out.error.empty()) return finish();
            size.base.series = series;
            size.base.rssMb = size.mib;
            size.base.rssKbMeasured = residentKb();
            size.base.anonHugeKb = anonHugeKb();
            size.base.thp = std::string(thpName(config.thp));
            if (memory) {
                size.base.shape = std::string(memoryShapeName(size.shape));
                size.base.vmas = mappingCount();
            }
            note("at " + std::to_string(size.mib) + " MiB" +
                 (memory
                      ? " " + size.base.shape + " (" + std::to_string(size.base.vmas) + " mappings)"
                      : std::string()) +
                 ": VmRSS " + std::to_string(size.base.rssKbMeasured) + " kB, AnonHugePages " +
                 std::to_string(size.base.anonHugeKb) + " kB" +
                 (passes > 1
                      ? " (pass " + std::to_string(pass + 1) + " of " + std::to_string(passes) + ")"
                      : ""));

            for (const std::vector<int> &group : groups)
                if (!sampleGroup(group, runs, size.cells)) return finish();
            if (config.onProgress) config.onProgress(++visits, passes * sizeCount);
            if (pass + 1 < passes) continue;

            for (int j = 0; j < k; ++j) {
                if (size.cells[j].roundTrip.empty()) {
                    out.error =
                        config.strategies[j] + ": every sample failed: " + size.cells[j].firstError;
                    return finish();
                }
                size.base.strategy = config.strategies[j];
                std::vector<Point> points = cellPoints(size.base, size.cells[j]);
                size.points.insert(size.points.end(), points.begin(), points.end());
                if (config.onPoints) config.onPoints(points, ++done, k * sizeCount);
            }
        }
    }
    return finish();
}

} // namespace

Outcome runRssSeries(const RssConfig &config)
{
    return walkSizes(config, "rss");
}

Outcome runMemorySeries(const RssConfig &config)
{
    return walkSizes(config, "memory");
}

} // namespace spawnlab::bench
