// SPDX-License-Identifier: GPL-3.0-or-later
// The runtimes series: what Python's subprocess.run, Go's os/exec and Node's
// child_process.spawnSync take per spawn, each measured inside its runtime,
// against that runtime's RSS; beside them, dotted, the core's strategies from
// the RSS series when the result has one, so "your runtime" and "the floor"
// read off one chart.
#pragma once

#include "bench/benchchart.h"

namespace spawnlab {

class RuntimesChart : public BenchChart
{
    Q_OBJECT
public:
    explicit RuntimesChart(QWidget *parent = nullptr);

private:
    void rebuild() override;
    void addResult(const BenchResult &result, const QString &suffix, bool dashed) override;
    // One runtime's points, or one of the core's strategies (dotted), sorted here.
    void addRuntimeCurve(std::vector<bench::Point> &points, const QString &suffix, bool dashed,
                         bool core);

    QCPTextElement *m_title = nullptr;
};

} // namespace spawnlab
