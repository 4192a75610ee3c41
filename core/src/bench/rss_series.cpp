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

// One walk of an rss or memory series: its samplers, its sizes and what they
// have measured so far.
class SizeWalk
{
public:
    SizeWalk(const RssConfig &config, std::string series)
        : m_config(config), m_series(std::move(series)), m_memory(m_series == "memory")
    {
    }

    Outcome run()
    {
        if (!makeSamplers()) return std::move(m_out);
        for (const MemoryShape shape : m_config.shapes)
            for (const std::uint64_t mib : m_config.sizesMb)
                m_sizes.push_back(
                    SizeState{shape, mib, {}, std::vector<CellSamples>(m_samplers.size()), {}});
        m_passes = passesRun(m_config.passes, m_config.runs);
        const int sizeCount = int(m_sizes.size());
        for (int pass = 0; pass < m_passes; ++pass) {
            const int runs =
                m_config.runs * (pass + 1) / m_passes - m_config.runs * pass / m_passes;
            for (int step = 0; step < sizeCount; ++step) {
                const int index = pass % 2 == 0 ? step : sizeCount - 1 - step;
                if (!visit(m_sizes[std::size_t(index)], pass, runs)) return finish();
            }
        }
        return finish();
    }

private:
    void note(const std::string &text) const
    {
        if (m_config.onNote) m_config.onNote(text);
    }

    // False, with the error set, when the config cannot be walked.
    bool makeSamplers()
    {
        const std::string target = resolveTarget(m_config.target, m_out.error);
        if (!m_out.error.empty()) return false;
        if (m_config.strategies.empty() || m_config.sizesMb.empty() || m_config.runs < 1) {
            m_out.error = "nothing to measure: give at least one strategy, one size and one run";
            return false;
        }
        for (const auto &name : m_config.strategies) {
            m_samplers.push_back(makeSampler(name, target));
            if (!m_samplers.back()) {
                m_out.error = "unknown strategy \"" + name + "\"";
                return false;
            }
        }
        if (m_config.shapes.empty()) {
            m_out.error = "nothing to measure: give at least one memory shape";
            return false;
        }
        m_groups = strategyGroups(m_config.strategies);
        return true;
    }

    // One visit of a size: its ballast, `runs` samples of every strategy and,
    // in the last pass, its points. False when the walk stops.
    bool visit(SizeState &size, int pass, int runs)
    {
        if (size.mib > 0 || size.shape == MemoryShape::Vmas)
            note(describeBallast(size, m_config.vmaCount));
        Ballast ballast =
            Ballast::allocate(size.mib, size.shape, m_config.vmaCount, m_config.thp, m_out.error);
        if (!m_out.error.empty()) return false;
        measureBase(size);
        note(visitNote(size, pass));
        for (const std::vector<int> &group : m_groups)
            if (!sampleGroup(group, runs, size.cells)) return false;
        if (m_config.onProgress) m_config.onProgress(++m_visits, m_passes * int(m_sizes.size()));
        return pass + 1 < m_passes || addPoints(size);
    }

    // The point's fields the ballast decides, read with the ballast in place.
    void measureBase(SizeState &size) const
    {
        size.base.series = m_series;
        size.base.rssMb = size.mib;
        size.base.rssKbMeasured = residentKb();
        size.base.anonHugeKb = anonHugeKb();
        size.base.thp = std::string(thpName(m_config.thp));
        if (m_memory) {
            size.base.shape = std::string(memoryShapeName(size.shape));
            size.base.vmas = mappingCount();
        }
    }

    std::string visitNote(const SizeState &size, int pass) const
    {
        std::string text = "at " + std::to_string(size.mib) + " MiB";
        if (m_memory)
            text += " " + size.base.shape + " (" + std::to_string(size.base.vmas) + " mappings)";
        text += ": VmRSS " + std::to_string(size.base.rssKbMeasured) + " kB, AnonHugePages " +
                std::to_string(size.base.anonHugeKb) + " kB";
        if (m_passes > 1)
            text += " (pass " + std::to_string(pass + 1) + " of " + std::to_string(m_passes) + ")";
        return text;
    }

    // Warm-up, then rounds in which each strategy of the group takes one
    // sample, starting with a different one each round. False when it stops.
    bool sampleGroup(const std::vector<int> &group, int runs, std::vector<CellSamples> &cells)
    {
        const int n = int(group.size());
        for (int w = 0; w < m_config.warmup; ++w)
            for (const int j : group) {
                if (stopped()) return false;
                const Sample s = m_samplers[std::size_t(j)]->take();
                if (!s.ok && !cancelled(m_config.cancel)) { // a cancel may kill the sample
                    m_out.error = m_config.strategies[std::size_t(j)] + ": " + s.error;
                    return false;
                }
            }
        for (int round = 0; round < runs; ++round)
            for (int turn = 0; turn < n; ++turn) {
                if (stopped()) return false;
                const int j = group[std::size_t((round + turn) % n)];
                cells[std::size_t(j)].add(m_samplers[std::size_t(j)]->take());
            }
        return true;
    }

    bool stopped()
    {
        if (cancelled(m_config.cancel)) m_out.cancelled = true;
        return m_out.cancelled;
    }

    // The size's points, one strategy after another. False when a strategy
    // has no sample to show.
    bool addPoints(SizeState &size)
    {
        const int k = int(m_samplers.size());
        for (int j = 0; j < k; ++j) {
            const CellSamples &cell = size.cells[std::size_t(j)];
            if (cell.roundTrip.empty()) {
                m_out.error = m_config.strategies[std::size_t(j)] +
                              ": every sample failed: " + cell.firstError;
                return false;
            }
            size.base.strategy = m_config.strategies[std::size_t(j)];
            std::vector<Point> points = cellPoints(size.base, cell);
            size.points.insert(size.points.end(), points.begin(), points.end());
            if (m_config.onPoints) m_config.onPoints(points, ++m_done, k * int(m_sizes.size()));
        }
        return true;
    }

    // Every size's finished points, in the sizes' order, also when the run
    // stops early (cancelled, or a strategy failed): what was measured is kept.
    Outcome finish()
    {
        for (const SizeState &size : m_sizes)
            m_out.points.insert(m_out.points.end(), size.points.begin(), size.points.end());
        return std::move(m_out);
    }

    const RssConfig &m_config;
    const std::string m_series;
    const bool m_memory;
    std::vector<std::unique_ptr<Sampler>> m_samplers;
    std::vector<std::vector<int>> m_groups;
    std::vector<SizeState> m_sizes;
    int m_passes = 1;
    int m_done = 0, m_visits = 0;
    Outcome m_out;
};

} // namespace

Outcome runRssSeries(const RssConfig &config)
{
    return SizeWalk(config, "rss").run();
}

Outcome runMemorySeries(const RssConfig &config)
{
    return SizeWalk(config, "memory").run();
}

} // namespace spawnlab::bench
