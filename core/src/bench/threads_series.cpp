// SPDX-License-Identifier: GPL-3.0-or-later
// Spawn throughput with N threads of one process spawning at once. fork takes
// the parent's mmap lock for writing while it copies the page tables, so
// forks from many threads queue behind each other; vfork and clone_vm copy
// nothing and should scale with the cores. A window is a fixed time in which
// every thread spawns in a loop; spawns per second is what completed over the
// time the window really took (the last spawn ends after the deadline).
#include "series.h"

#include <algorithm>
#include <chrono>
#include <latch>
#include <memory>
#include <span>
#include <thread>

namespace spawnlab::bench {

using namespace detail;

namespace {

using Clock = std::chrono::steady_clock;

// What one thread did in one window.
struct ThreadWork {
    CellSamples samples;
    Clock::time_point finished;
};

// One window of `samplers.size()` threads; false when it was cancelled.
bool runWindow(std::span<const std::unique_ptr<Sampler>> samplers, double seconds,
               const std::atomic<bool> *cancel, CellSamples &cell, std::vector<double> &rates)
{
    const std::size_t n = samplers.size();
    std::vector<ThreadWork> work(n);
    std::latch ready{static_cast<std::ptrdiff_t>(n)}, go{1};
    Clock::time_point deadline;
    std::vector<std::jthread> threads;
    threads.reserve(n);
    for (std::size_t t = 0; t < n; ++t)
        threads.emplace_back([&, t] {
            ready.count_down();
            go.wait();
            do
                work[t].samples.add(samplers[t]->take());
            while (Clock::now() < deadline && !cancelled(cancel));
            work[t].finished = Clock::now();
        });
    ready.wait(); // thread start-up is not part of the window
    const Clock::time_point start = Clock::now();
    deadline =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    go.count_down();
    threads.clear(); // joins
    if (cancelled(cancel)) return false;

    Clock::time_point end = start;
    std::size_t completed = 0;
    for (ThreadWork &w : work) {
        end = std::max(end, w.finished);
        completed += w.samples.roundTrip.size();
        cell.failures += w.samples.failures;
        if (cell.firstError.empty()) cell.firstError = w.samples.firstError;
        cell.roundTrip.insert(cell.roundTrip.end(), w.samples.roundTrip.begin(),
                              w.samples.roundTrip.end());
    }
    const double elapsed = std::chrono::duration<double>(end - start).count();
    if (elapsed > 0) rates.push_back(double(completed) / elapsed);
    return true;
}

// Per strategy, one sampler for each thread: a sampler holds its plan and buffers.
using Teams = std::vector<std::vector<std::unique_ptr<Sampler>>>;

Teams makeTeams(const std::vector<std::string> &strategies, const std::string &target, int most,
                std::string &error)
{
    Teams teams(strategies.size());
    for (std::size_t j = 0; j < strategies.size(); ++j)
        for (int t = 0; t < most; ++t) {
            teams[j].push_back(makeSampler(strategies[j], target));
            if (!teams[j].back()) {
                error = "unknown strategy \"" + strategies[j] + "\"";
                return {};
            }
        }
    return teams;
}

// A group's warm-up, then its windows with `n` threads, each strategy of the
// group taking one window per round, starting with a different one each
// round. False, with `out` saying why, when the series stops.
bool sampleGroup(const ThreadsConfig &config, Teams &teams, const std::vector<int> &group, int n,
                 std::vector<CellSamples> &cells, std::vector<std::vector<double>> &rates,
                 Outcome &out)
{
    for (int w = 0; w < config.warmup; ++w)
        for (const int j : group) {
            if (cancelled(config.cancel)) return out.cancelled = true, false;
            const Sample s = teams[std::size_t(j)].front()->take();
            if (!s.ok) return out.error = config.strategies[std::size_t(j)] + ": " + s.error, false;
        }
    const int size = int(group.size());
    for (int window = 0; window < config.runs; ++window)
        for (int turn = 0; turn < size; ++turn) {
            const auto j = std::size_t(group[std::size_t((window + turn) % size)]);
            const std::span team(teams[j].data(), std::size_t(n));
            if (!runWindow(team, config.windowSeconds, config.cancel, cells[j], rates[j]))
                return out.cancelled = true, false;
        }
    return true;
}

} // namespace

Outcome runThreadsSeries(const ThreadsConfig &config)
{
    Outcome out;
    const std::string target = resolveTarget(config.target, out.error);
    if (!out.error.empty()) return out;
    if (config.strategies.empty() || config.threads.empty() || config.runs < 1 ||
        !(config.windowSeconds > 0)) {
        out.error = "nothing to measure: give at least one strategy, one thread count, one "
                    "window and a window length above 0";
        return out;
    }
    const int most = *std::max_element(config.threads.begin(), config.threads.end());
    if (*std::min_element(config.threads.begin(), config.threads.end()) < 1) {
        out.error = "a thread count must be at least 1";
        return out;
    }
    const int k = int(config.strategies.size());
    Teams samplers = makeTeams(config.strategies, target, most, out.error);
    if (!out.error.empty()) return out;
    if (config.rssMb > 0 && config.onNote)
        config.onNote("allocating and touching a " + std::to_string(config.rssMb) + " MiB ballast");
    const Ballast ballast = Ballast::allocate(config.rssMb, config.thp, out.error);
    if (!out.error.empty()) return out;

    const std::vector<std::vector<int>> groups = strategyGroups(config.strategies);
    Point base;
    base.series = "threads";
    base.rssMb = config.rssMb;
    base.rssKbMeasured = residentKb();
    base.anonHugeKb = anonHugeKb();
    base.thp = std::string(thpName(config.thp));
    const int total = int(config.threads.size()) * k;
    int done = 0;
    for (const int n : config.threads) {
        std::vector<CellSamples> cells(static_cast<std::size_t>(k));
        std::vector<std::vector<double>> rates(static_cast<std::size_t>(k));
        for (const std::vector<int> &group : groups)
            if (!sampleGroup(config, samplers, group, n, cells, rates, out)) return out;
        for (int j = 0; j < k; ++j) {
            const CellSamples &cell = cells[std::size_t(j)];
            if (cell.roundTrip.empty()) {
                out.error = config.strategies[j] + " with " + std::to_string(n) +
                            " threads: every spawn failed: " + cell.firstError;
                return out;
            }
            Point p = base;
            p.strategy = config.strategies[j];
            p.threads = n;
            p.failures = cell.failures;
            p.stats = computeStats(cell.roundTrip);
            p.spawnsPerSecond = computeStats(rates[std::size_t(j)]);
            out.points.push_back(p);
            if (config.onPoints) config.onPoints({p}, ++done, total);
        }
        if (config.onProgress) config.onProgress(done, total);
    }
    return out;
}

} // namespace spawnlab::bench
