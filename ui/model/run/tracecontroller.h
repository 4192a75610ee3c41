// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the leak hunter (core's Tracer) off the GUI thread, one trace at a
// time. The tracer blocks until the traced tree is gone, so each trace gets a
// thread of its own; the page hears typed signals: the traced pid, snapshots
// of the report while it grows (at most ten a second), the final report.
// Each trace has a generation: signals from a trace since stopped and
// superseded are dropped. Stop kills a launched tree and detaches from an
// attached one; so does destroying the controller (quitting while tracing).
#pragma once

#include "run/jobtracker.h"

#include "spawnlab/trace.h"

#include <QObject>

#include <memory>

namespace spawnlab {

class TraceController : public QObject
{
    Q_OBJECT
public:
    explicit TraceController(QObject *parent = nullptr);
    ~TraceController() override; // stops every trace and waits for its thread

    // Starts tracing `options` (a command or an attach) and returns its generation.
    // A trace still going is stopped and its result dropped.
    quint64 start(const TraceOptions &options);
    // Stops the current trace; its report (so far) still arrives.
    void stop();

    bool isRunning() const { return m_jobs.current() != nullptr; }
    quint64 generation() const { return m_jobs.generation(); }

    struct Job; // shared with the worker thread

Q_SIGNALS:
    void started(quint64 generation, qint64 pid);
    // The report so far (processes, execs; findings come with the end).
    void progress(quint64 generation, std::shared_ptr<const spawnlab::TraceReport> report);
    void finished(quint64 generation, const spawnlab::TraceReport &report);
    void runningChanged(bool running);

private:
    void onThreadFinished(const std::shared_ptr<Job> &job);

    JobTracker<Job> m_jobs;
};

} // namespace spawnlab
