// SPDX-License-Identifier: GPL-3.0-or-later
// Running spawnlab-probe through the core, so a test can ask the child what it
// really got (fds, cwd, environment, umask, masks, ids, session, limits).
#pragma once

#include "helper_copies.h"

#include "spawnlab/launch.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <vector>

namespace spawnlab::test {

QString probePath(); // helperPath("spawnlab-probe")

// The strategies a semantic test runs under, as QTest data rows "fork", ...
void addStrategyRows();
Strategy strategyFromData(); // the current row's strategy

struct ProbeRun {
    RunResult result;
    QJsonObject report; // empty when the probe did not run to the end

    QMap<int, QString> fds() const;               // fd -> link target
    QString status(const QString &key) const;     // a /proc/self/status field
    quint64 statusMask(const QString &key) const; // SigBlk, SigIgn as bits
};

// A temporary directory every user can write into (children that change uid
// write their report there) and the plans that exec the probe.
class ProbeFixture
{
public:
    ProbeFixture();
    bool isValid() const { return dir_.isValid(); }
    QString path(const QString &name) const { return dir_.filePath(name); }

    // A plan that execs the probe, writing its report into this fixture's dir.
    SpawnPlan plan(Strategy strategy, const QStringList &extraArgs = {}) const;
    ProbeRun run(const SpawnPlan &plan) const;
    ProbeRun run(const PreparedPlan &plan) const;

private:
    ProbeRun collect(RunResult result) const; // with the report the probe wrote

    QTemporaryDir dir_;
};

// Replaces this process's fds 0, 1 and 2 with the given fds for its lifetime,
// so a test can spawn from a parent whose stdio it knows. QTest output goes to
// the replaced fds meanwhile: check results after the swap ends.
class StdioSwap
{
public:
    StdioSwap(int in, int out, int err);
    ~StdioSwap();

private:
    int saved_[3];
};

// Count of this process's open fds, read from /proc/self/fd.
int openFdCount();
// True when this process has a child that exited and was not reaped.
bool hasZombieChild();

} // namespace spawnlab::test
