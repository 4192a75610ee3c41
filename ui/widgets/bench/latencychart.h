// SPDX-License-Identifier: GPL-3.0-or-later
// Spawn latency against the parent's RSS: per strategy the median round trip
// (or spawn -> exec confirmed) with its p10-p90 band, against the VmRSS the
// worker measured; a saved result dashed beside it; fork's fitted cost in ms
// per GiB in the title.
#pragma once

#include "bench/benchchart.h"

namespace spawnlab {

class LatencyChart : public BenchChart
{
    Q_OBJECT
public:
    explicit LatencyChart(QWidget *parent = nullptr);

    void setLogRss(bool log);
    void setPhase(bench::Phase phase);

    bool logRss() const { return m_logRss; }
    // "fork: 23.9 ms per GiB of parent RSS (least squares over 4 sizes)", or "" without a fit.
    QString forkCostText() const;

private:
    void rebuild() override;
    void addResult(const BenchResult &result, const QString &suffix, bool dashed) override;

    bool m_logRss = false;
    bench::Phase m_phase = bench::Phase::RoundTrip;
    QCPTextElement *m_title = nullptr;
};

// "4096 MiB (VmRSS 4101 MiB)": the x of a point, for tooltips.
QString rssText(const bench::Point &p);
// "median 0.418 ms, p10-p90 0.391-0.472 ms, ..." over several lines.
QString statsText(const bench::Point &p);
// The latency axis' label for a phase: "round trip (ms)", ...
QString phaseAxisLabel(bench::Phase phase);

} // namespace spawnlab
