// SPDX-License-Identifier: GPL-3.0-or-later
// Runs plans off the GUI thread. spawnlab::run() blocks until the child is
// reaped, which for a hanging child is forever, so each run gets a thread of
// its own; the window only hears typed signals. Each run has a generation: a
// result from a run that was since discarded or superseded is dropped, so the
// view never shows the output of a plan that is no longer the one on screen.
#pragma once

#include "run/jobtracker.h"

#include "spawnlab/plan.h"
#include "spawnlab/result.h"

#include <QObject>

#include <memory>

namespace spawnlab {

class RunController : public QObject
{
    Q_OBJECT
public:
    explicit RunController(QObject *parent = nullptr);
    // Kills children still running and waits for their threads.
    ~RunController() override;

    // Starts `plan` on a worker thread and returns its generation. A run still
    // going is discarded first.
    quint64 start(const SpawnPlan &plan);
    // SIGKILL to the current run's child, if it exists yet. Its result still
    // arrives (killed by SIGKILL).
    void kill();
    // Forget the current run: kill its child and drop its result.
    void discard();

    bool isRunning() const { return m_jobs.current() != nullptr; }
    quint64 generation() const { return m_jobs.generation(); }

    struct Job; // shared with the worker thread

Q_SIGNALS:
    void started(quint64 generation);
    void spawned(quint64 generation, qint64 pid);
    void finished(quint64 generation, const spawnlab::RunResult &result);
    // A run that was discarded or superseded ended; its result was not delivered.
    void resultDropped(quint64 generation);
    void runningChanged(bool running);

private:
    void onThreadFinished(const std::shared_ptr<Job> &job);

    JobTracker<Job> m_jobs;
};

} // namespace spawnlab
