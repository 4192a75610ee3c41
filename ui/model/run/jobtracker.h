// SPDX-License-Identifier: GPL-3.0-or-later
// The worker threads a controller has started and which of them is current.
// Each job gets a generation (as hotspot numbers its parser runs): a job that
// is no longer current when it ends was discarded or superseded, and its
// result is dropped. Used by the run, bench and trace controllers, on their
// thread.
#pragma once

#include <QList>
#include <QThread>

#include <memory>
#include <utility>

namespace spawnlab {

// Job: a struct with `quint64 generation` and `QThread *thread`.
template <typename Job> class JobTracker
{
public:
    // A new job, current from now on, with the next generation.
    std::shared_ptr<Job> begin()
    {
        auto job = std::make_shared<Job>();
        job->generation = ++m_generation;
        m_current = job;
        m_jobs.append(job);
        return job;
    }

    const std::shared_ptr<Job> &current() const { return m_current; }
    bool isCurrent(const std::shared_ptr<Job> &job) const { return job && job == m_current; }
    quint64 generation() const { return m_generation; }

    // Forgets the current job, if any, and returns it: its result will be dropped.
    std::shared_ptr<Job> drop() { return std::exchange(m_current, nullptr); }

    // The job's thread finished: forgets it. True when it was still current,
    // so its result counts.
    bool end(const std::shared_ptr<Job> &job)
    {
        m_jobs.removeOne(job);
        job->thread->deleteLater();
        if (job != m_current) return false;
        m_current.reset();
        return true;
    }

    // For the controller's destructor: `stop` every job not yet ended, then
    // wait for their threads.
    template <typename Stop> void stopAll(Stop stop)
    {
        for (const auto &job : m_jobs)
            stop(*job);
        for (const auto &job : m_jobs) {
            job->thread->wait();
            delete job->thread;
        }
        m_jobs.clear();
    }

private:
    quint64 m_generation = 0;
    std::shared_ptr<Job> m_current;
    QList<std::shared_ptr<Job>> m_jobs; // every thread not yet ended
};

} // namespace spawnlab
