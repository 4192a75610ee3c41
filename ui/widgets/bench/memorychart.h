// SPDX-License-Identifier: GPL-3.0-or-later
// The memory series: spawn latency per strategy against the ballast's size,
// one plot per shape side by side on the same latency scale (touched; reserved
// and never touched; many small mappings), so that fork's cost is seen to
// follow page tables and mappings, not the bytes asked for.
#pragma once

#include "bench/benchchart.h"

namespace spawnlab {

class MemoryChart : public BenchChart
{
    Q_OBJECT
public:
    explicit MemoryChart(QWidget *parent = nullptr);

    void setPhase(bench::Phase phase);
    // Left to right: touched, reserved, vmas (bench::kMemoryShapes).
    QList<QCPAxisRect *> shapeRects() const { return m_rects; }

private:
    void rebuild() override;
    void addResult(const BenchResult &result, const QString &suffix, bool dashed) override;
    // One strategy's points in one shape's plot (sorted here).
    void addShapeCurve(QCPAxisRect *rect, std::vector<bench::Point> &points, const QString &suffix,
                       bool dashed, bool inLegend);

    QList<QCPAxisRect *> m_rects;
    bench::Phase m_phase = bench::Phase::RoundTrip;
    QCPTextElement *m_title = nullptr;
};

} // namespace spawnlab
