// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/tracecontroller.h"

#include <QElapsedTimer>
#include <QThread>

namespace spawnlab {

struct TraceController::Job {
    quint64 generation = 0;
    QThread *thread = nullptr;
    std::unique_ptr<Tracer> tracer; // made on the GUI thread: stop() reaches it
    TraceReport report;
};

TraceController::TraceController(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<std::shared_ptr<const spawnlab::TraceReport>>();
}

TraceController::~TraceController()
{
    m_jobs.stopAll([](Job &job) { job.tracer->requestStop(); });
}

quint64 TraceController::start(const TraceOptions &options)
{
    if (const std::shared_ptr<Job> old = m_jobs.drop()) old->tracer->requestStop();
    const std::shared_ptr<Job> job = m_jobs.begin();
    job->tracer = std::make_unique<Tracer>(options);
    // Queued to this object's thread; dropped once the trace is not current.
    auto post = [this, job](auto deliver) {
        QMetaObject::invokeMethod(
            this,
            [this, job, deliver] {
                if (m_jobs.isCurrent(job)) deliver();
            },
            Qt::QueuedConnection);
    };
    job->thread = QThread::create([this, job, post] {
        job->tracer->onStarted = [this, job, post](pid_t pid) {
            post([this, job, pid] { Q_EMIT started(job->generation, pid); });
        };
        // At most every 100 ms (the tracer's tick), so copies stay cheap.
        job->tracer->onProgress = [this, job, post](const TraceReport &r) {
            auto snapshot = std::make_shared<const TraceReport>(r);
            post([this, job, snapshot] { Q_EMIT progress(job->generation, snapshot); });
        };
        job->report = job->tracer->run();
        // The hooks hold the job: let go of them, or job and tracer keep each other.
        job->tracer->onStarted = nullptr;
        job->tracer->onProgress = nullptr;
    });
    connect(job->thread, &QThread::finished, this, [this, job] { onThreadFinished(job); });
    job->thread->start();
    Q_EMIT runningChanged(true);
    return job->generation;
}

void TraceController::stop()
{
    if (m_jobs.current()) m_jobs.current()->tracer->requestStop();
}

void TraceController::onThreadFinished(const std::shared_ptr<Job> &job)
{
    if (!m_jobs.end(job)) return; // stopped and superseded: stale
    Q_EMIT runningChanged(false);
    Q_EMIT finished(job->generation, job->report);
}

} // namespace spawnlab
