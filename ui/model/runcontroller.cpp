#include "runcontroller.h"

#include "childhandle.h"

#include "spawnlab/launch.h"

#include <QThread>

#include <csignal>

namespace spawnlab {

// The worker attaches the child and writes the result; the GUI thread signals
// the child through the handle.
struct RunController::Job {
    quint64 generation = 0;
    QThread *thread = nullptr;
    RunResult result;
    ChildHandle child;
};

RunController::RunController(QObject *parent) : QObject(parent) {}

RunController::~RunController()
{
    for (const auto &job : m_jobs)
        job->child.signal(SIGKILL);
    for (const auto &job : m_jobs) {
        job->thread->wait();
        delete job->thread;
    }
}

quint64 RunController::start(const SpawnPlan &plan)
{
    discard();
    auto job = std::make_shared<Job>();
    job->generation = ++m_generation;
    job->thread = QThread::create([this, job, plan] {
        RunOptions options;
        options.onSpawned = [this, job](pid_t pid, int pidfd) {
            job->child.attach(pid, pidfd);
            // Queued to this object's thread; dropped if the controller is gone.
            QMetaObject::invokeMethod(
                this,
                [this, job, pid] {
                    if (job == m_current) Q_EMIT spawned(job->generation, pid);
                },
                Qt::QueuedConnection);
        };
        job->result = run(plan, options);
        job->child.detach(); // reaped: its pid is no longer its own
    });
    // The worker's finished() is delivered to this object's thread, queued.
    connect(job->thread, &QThread::finished, this, [this, job] { onThreadFinished(job); });
    m_jobs.append(job);
    m_current = job;
    job->thread->start();
    Q_EMIT started(job->generation);
    Q_EMIT runningChanged(true);
    return job->generation;
}

void RunController::kill()
{
    if (m_current) m_current->child.signal(SIGKILL);
}

void RunController::discard()
{
    if (!m_current) return;
    m_current->child.signal(SIGKILL);
    m_current.reset();
    Q_EMIT runningChanged(false);
}

qint64 RunController::childPid() const
{
    if (!m_current) return -1;
    return m_current->child.pid();
}

void RunController::onThreadFinished(const std::shared_ptr<Job> &job)
{
    m_jobs.removeOne(job);
    job->thread->deleteLater();
    if (job != m_current) { // discarded or superseded: stale
        Q_EMIT resultDropped(job->generation);
        return;
    }
    m_current.reset();
    Q_EMIT runningChanged(false);
    Q_EMIT finished(job->generation, job->result);
}

} // namespace spawnlab
