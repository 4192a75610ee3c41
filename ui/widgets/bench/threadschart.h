// SPDX-License-Identifier: GPL-3.0-or-later
// The threads series: spawns per second against the number of threads of one
// process spawning at once, per strategy, the median over the windows with
// its p10-p90 band. fork's copy holds the parent's mmap lock, so its line
// flattens while vfork and clone_vm climb with the cores.
#pragma once

#include "bench/benchchart.h"

namespace spawnlab {

class ThreadsChart : public BenchChart
{
    Q_OBJECT
public:
    explicit ThreadsChart(QWidget *parent = nullptr);

private:
    void rebuild() override;
    void addResult(const BenchResult &result, const QString &suffix, bool dashed) override;

    QCPTextElement *m_title = nullptr;
};

} // namespace spawnlab
