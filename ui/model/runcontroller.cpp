#include "runcontroller.h"

#include "spawnlab/launch.h"

#include <QThread>

#include <csignal>
#include <mutex>
#include <sys/syscall.h>
#include <unistd.h>

namespace spawnlab {

// The worker writes pid/pidfd and the result; the GUI thread reads them. The
// pidfd (not the pid) is what kill() signals: once run() reaps the child its
// pid may belong to someone else, a pidfd never does.
struct RunController::Job {
    quint64 generation = 0;
    QThread *thread = nullptr;
    RunResult result;
    std::mutex mutex;
    pid_t pid = -1;
    int pidfd = -1;

    void killChild()
    {
        std::lock_guard lock(mutex);
        if (pidfd >= 0)
            syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0);
        else if (pid > 0)
            ::kill(pid, SIGKILL); // no pidfd (old kernel): the pid is still unreaped here
    }
};

RunController::RunController(QObject *parent) : QObject(parent) {}

RunController::~RunController()
{
    for (const auto &job : m_jobs)
        job->killChild();
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
        options.onSpawned = [this, job](pid_t pid) {
            {
                std::lock_guard lock(job->mutex);
                job->pid = pid;
                job->pidfd = int(syscall(SYS_pidfd_open, pid, 0)); // CLOEXEC by design
            }
            // Queued to this object's thread; dropped if the controller is gone.
            QMetaObject::invokeMethod(
                this,
                [this, job, pid] {
                    if (job == m_current) Q_EMIT spawned(job->generation, pid);
                },
                Qt::QueuedConnection);
        };
        job->result = run(plan, options);
        std::lock_guard lock(job->mutex);
        if (job->pidfd >= 0) close(job->pidfd);
        job->pidfd = -1;
        job->pid = -1;
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
    if (m_current) m_current->killChild();
}

void RunController::discard()
{
    if (!m_current) return;
    m_current->killChild();
    m_current.reset();
    Q_EMIT runningChanged(false);
}

qint64 RunController::childPid() const
{
    if (!m_current) return -1;
    std::lock_guard lock(m_current->mutex);
    return m_current->pid;
}

void RunController::onThreadFinished(const std::shared_ptr<Job> &job)
{
    m_jobs.removeOne(job);
    job->thread->deleteLater();
    if (job != m_current) return; // discarded or superseded: stale
    m_current.reset();
    Q_EMIT runningChanged(false);
    Q_EMIT finished(job->generation, job->result);
}

} // namespace spawnlab
