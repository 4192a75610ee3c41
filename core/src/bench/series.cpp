// SPDX-License-Identifier: GPL-3.0-or-later
#include "series.h"

#include <climits>
#include <cstdlib>

namespace spawnlab::bench {

SeriesConfig seriesDefaults(const std::string &series)
{
    if (series == "close_fds") return CloseFdsConfig();
    if (series == "threads") return ThreadsConfig();
    if (series == "runtimes") return RuntimesConfig();
    return RssConfig();
}

} // namespace spawnlab::bench

namespace spawnlab::bench::detail {

std::string resolveTarget(const std::string &requested, std::string &error)
{
    const std::string path = requested.empty() ? defaultTarget() : requested;
    error = checkTarget(path);
    if (!error.empty()) return {};
    char resolved[PATH_MAX];
    if (!realpath(path.c_str(), resolved)) return path;
    return resolved;
}

bool cancelled(const std::atomic<bool> *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

std::vector<std::vector<int>> strategyGroups(const std::vector<std::string> &strategies)
{
    std::vector<std::vector<int>> groups(2);
    for (std::size_t j = 0; j < strategies.size(); ++j) {
        const bool copies = strategies[j] == "fork" || strategies[j] == "raw_fork";
        groups[copies ? 1 : 0].push_back(int(j));
    }
    std::erase_if(groups, [](const std::vector<int> &g) { return g.empty(); });
    return groups;
}

void CellSamples::add(const Sample &s)
{
    if (!s.ok) {
        if (firstError.empty()) firstError = s.error;
        ++failures;
        return;
    }
    roundTrip.push_back(s.roundTripUs);
    if (s.execConfirmedUs >= 0) execConfirmed.push_back(s.execConfirmedUs);
    if (s.spawnReturnedUs >= 0) spawnReturned.push_back(s.spawnReturnedUs);
}

std::vector<Point> cellPoints(const Point &base, const CellSamples &cell)
{
    std::vector<Point> points;
    Point p = base;
    p.failures = cell.failures;
    p.phase = Phase::RoundTrip;
    p.stats = computeStats(cell.roundTrip);
    points.push_back(p);
    for (const auto &[phase, samples] : {std::pair{Phase::ExecConfirmed, &cell.execConfirmed},
                                         {Phase::SpawnReturned, &cell.spawnReturned}}) {
        if (samples->empty()) continue;
        p.phase = phase;
        p.stats = computeStats(*samples);
        points.push_back(p);
    }
    return points;
}

} // namespace spawnlab::bench::detail
