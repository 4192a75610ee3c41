// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the benchmark in a worker process, `spawnlab-cli bench --format jsonl`,
// spawned through spawnlab's own core: the process whose RSS the ballast grows
// is the worker, never the GUI. Its stdout (one point per line) and stderr
// (progress "progress: 3/8", notes "bench: ...", errors) are read as they arrive
// and turned into typed signals on this object's thread. Each run has a
// generation: lines from a run that was since cancelled or superseded are dropped.
#pragma once

#include "plan/benchresult.h"
#include "run/jobtracker.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>

#include <memory>

namespace spawnlab {

// What to measure: the options of `spawnlab-cli bench`. Empty lists and
// negative counts leave the CLI's default.
struct BenchRequest {
    QString series = QStringLiteral("rss"); // of bench::knownSeries()
    QStringList strategies;
    QList<quint64> sizesMb; // threads: the one ballast held
    int runs = -1;          // threads: windows per point
    int warmup = -1;
    int passes = 1;
    QString thp = QStringLiteral("default");
    QString target;     // empty: spawnlab-noop; "floor": spawnlab-noop-floor
    QStringList shapes; // memory
    int vmas = -1;      // memory: mappings of the vmas shape
    QList<int> threads; // threads
    double windowSeconds = -1;
    QStringList runtimes; // runtimes: of bench::knownRuntimes()
    QStringList closeMethods;
    QList<qint64> openFds;
    QList<qint64> nofile;

    // rss, memory, threads and runtimes hold a ballast of the sizes given.
    bool walksSizes() const { return series != u"close_fds"; }
    QStringList arguments() const; // after "bench", with --format jsonl
};

class BenchController : public QObject
{
    Q_OBJECT
public:
    explicit BenchController(QObject *parent = nullptr);
    // Kills a running worker and waits for it.
    ~BenchController() override;

    // spawnlab-cli beside this program unless set.
    void setWorkerProgram(const QString &path) { m_worker = path; }

    // Starts a worker for `request` (cancelling one still running) and returns
    // its generation.
    quint64 start(const BenchRequest &request);
    // Asks the worker to stop (SIGINT): it finishes the sample under way and
    // exits; the points so far are kept and cancelled() follows.
    void cancel();

    bool isRunning() const { return m_jobs.current() != nullptr; }
    quint64 generation() const { return m_jobs.generation(); }
    const BenchResult &result() const { return m_result; } // of the current or last run
    // Seconds until the current run ends, from the pace of the work so far; -1 before the first
    // report.
    double secondsLeft() const;
    double elapsedSeconds() const { return double(m_clock.elapsed()) / 1000.0; } // of the last run

    struct Job; // shared with the worker thread

Q_SIGNALS:
    void started(quint64 generation);
    void pointAvailable(const spawnlab::bench::Point &point);
    void progress(int done, int total);
    void noteAvailable(const QString &note);
    void finished(const spawnlab::BenchResult &result);
    // Cancelled by the user: `result` holds the points measured before.
    void cancelled(const spawnlab::BenchResult &result);
    // The worker could not start or stopped on an error; `message` says why.
    void failed(const QString &message);
    void runningChanged(bool running);

private:
    void takeLine(const std::shared_ptr<Job> &job, int fd, const QByteArray &line);
    void takeErrorLine(const QString &line);
    void workerEnded(const std::shared_ptr<Job> &job);

    QString m_worker;
    JobTracker<Job> m_jobs;
    BenchResult m_result;
    QStringList m_errors; // "spawnlab-cli: ..." and usage lines of the current run
    int m_done = 0, m_total = 0;
    QElapsedTimer m_clock;
};

} // namespace spawnlab
