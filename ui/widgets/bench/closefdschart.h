// SPDX-License-Identifier: GPL-3.0-or-later
// The close_fds cost: spawn latency per close method (close_range, getdents64
// on /proc/self/fd, brute close()) against the number of fds open in the
// spawning process (left) and against its RLIMIT_NOFILE (right), log axes.
#pragma once

#include "bench/benchchart.h"

namespace spawnlab {

class CloseFdsChart : public BenchChart
{
    Q_OBJECT
public:
    explicit CloseFdsChart(QWidget *parent = nullptr);

    QCPAxisRect *openFdsRect() const { return m_openFds; }
    QCPAxisRect *nofileRect() const { return m_nofile; }

private:
    void rebuild() override;
    void addResult(const BenchResult &result, const QString &suffix, bool dashed) override;

    QCPAxisRect *m_openFds = nullptr;
    QCPAxisRect *m_nofile = nullptr;
    QCPTextElement *m_title = nullptr;
};

} // namespace spawnlab
