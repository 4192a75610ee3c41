// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/runcontroller.h"

#include "run/childhandle.h"

#include "spawnlab/holders.h"
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
    m_jobs.stopAll([](Job &job) { job.child.signal(SIGKILL); });
}

quint64 RunController::start(const SpawnPlan &plan)
{
    discard();
    const std::shared_ptr<Job> job = m_jobs.begin();
    job->thread = QThread::create([this, job, plan] {
        RunOptions options;
        options.onSpawned = [this, job](pid_t pid, int pidfd) {
            job->child.attach(pid, pidfd);
            // Queued to this object's thread; dropped if the controller is gone.
            QMetaObject::invokeMethod(
                this,
                [this, job, pid] {
                    if (m_jobs.isCurrent(job)) Q_EMIT spawned(job->generation, pid);
                },
                Qt::QueuedConnection);
        };
        job->result = run(plan, options);
        job->child.detach(); // reaped: its pid is no longer its own
        // Who else holds spawnlab's fds (a pipe's other end, a socket's peer):
        // the leak risks name them. Read after the run, off the GUI thread.
        HolderIndex::scan().addPeers(::getpid(), job->result.parentFds);
    });
    // The worker's finished() is delivered to this object's thread, queued.
    connect(job->thread, &QThread::finished, this, [this, job] { onThreadFinished(job); });
    job->thread->start();
    Q_EMIT started(job->generation);
    Q_EMIT runningChanged(true);
    return job->generation;
}

void RunController::kill()
{
    if (m_jobs.current()) m_jobs.current()->child.signal(SIGKILL);
}

void RunController::discard()
{
    const std::shared_ptr<Job> job = m_jobs.drop();
    if (!job) return;
    job->child.signal(SIGKILL);
    Q_EMIT runningChanged(false);
}

void RunController::onThreadFinished(const std::shared_ptr<Job> &job)
{
    if (!m_jobs.end(job)) { // discarded or superseded: stale
        Q_EMIT resultDropped(job->generation);
        return;
    }
    Q_EMIT runningChanged(false);
    Q_EMIT finished(job->generation, job->result);
}

} // namespace spawnlab
