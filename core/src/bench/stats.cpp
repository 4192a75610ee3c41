// SPDX-License-Identifier: GPL-3.0-or-later
// computeStats: the one place samples become statistics (see bench.h for the
// percentile definition).
#include "spawnlab/bench.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace spawnlab::bench {
namespace {

// Type-7 quantile of sorted, non-empty samples.
double quantile(const std::vector<double> &sorted, double p)
{
    const double h = double(sorted.size() - 1) * p;
    const std::size_t below = std::size_t(std::floor(h));
    if (below + 1 >= sorted.size()) return sorted.back();
    return sorted[below] + (h - double(below)) * (sorted[below + 1] - sorted[below]);
}

} // namespace

Stats computeStats(std::vector<double> samples)
{
    Stats s;
    if (samples.empty()) return s;
    std::sort(samples.begin(), samples.end());
    s.count = samples.size();
    s.min = samples.front();
    s.p10 = quantile(samples, 0.10);
    s.median = quantile(samples, 0.50);
    s.p90 = quantile(samples, 0.90);
    s.p99 = quantile(samples, 0.99);
    s.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / double(samples.size());
    return s;
}

LineFit fitLine(const std::vector<double> &x, const std::vector<double> &y)
{
    LineFit fit;
    const std::size_t n = std::min(x.size(), y.size());
    if (n < 2) return fit;
    const double meanX = std::accumulate(x.begin(), x.begin() + n, 0.0) / double(n);
    const double meanY = std::accumulate(y.begin(), y.begin() + n, 0.0) / double(n);
    double sxx = 0, sxy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sxx += (x[i] - meanX) * (x[i] - meanX);
        sxy += (x[i] - meanX) * (y[i] - meanY);
    }
    if (sxx == 0) return fit;
    fit.valid = true;
    fit.slope = sxy / sxx;
    fit.intercept = meanY - fit.slope * meanX;
    return fit;
}

} // namespace spawnlab::bench
