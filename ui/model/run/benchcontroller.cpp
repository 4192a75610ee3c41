// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/benchcontroller.h"

#include "qs.h"

#include "run/childhandle.h"

#include "spawnlab/launch.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QThread>

#include <atomic>
#include <csignal>
#include <map>

namespace spawnlab {
namespace {

// The worker's plan: stdin /dev/null, stdout and stderr captured, nothing else inherited.
SpawnPlan workerPlan(const QString &program, const QStringList &arguments)
{
    SpawnPlan plan;
    plan.argv.push_back(program.toStdString());
    plan.argv.push_back("bench");
    for (const QString &a : arguments)
        plan.argv.push_back(a.toStdString());
    FdAction in, out, err;
    in.fd = 0;
    in.action = FdActionKind::Null;
    out.fd = 1;
    out.action = FdActionKind::PipeOut;
    err.fd = 2;
    err.action = FdActionKind::PipeOut;
    plan.fds = {in, out, err};
    return plan;
}

} // namespace

QStringList BenchRequest::arguments() const
{
    QStringList a{QStringLiteral("--series"), series};
    if (!strategies.isEmpty()) a << QStringLiteral("--strategies") << strategies.join(u',');
    if (walksSizes()) {
        if (!sizesMb.isEmpty()) a << QStringLiteral("--sizes-mb") << qsNumberList(sizesMb);
        if (series == u"rss" || series == u"memory")
            a << QStringLiteral("--passes") << QString::number(passes);
        if (series != u"runtimes") a << QStringLiteral("--thp") << thp;
        if (series == u"runtimes" && !runtimes.isEmpty())
            a << QStringLiteral("--runtimes") << runtimes.join(u',');
        if (series == u"memory") {
            if (!shapes.isEmpty()) a << QStringLiteral("--shapes") << shapes.join(u',');
            if (vmas > 0) a << QStringLiteral("--vmas") << QString::number(vmas);
        }
        if (series == u"threads") {
            if (!threads.isEmpty()) a << QStringLiteral("--threads") << qsNumberList(threads);
            if (windowSeconds > 0)
                a << QStringLiteral("--seconds") << QString::number(windowSeconds);
        }
    } else {
        if (!closeMethods.isEmpty())
            a << QStringLiteral("--close-methods") << closeMethods.join(u',');
        if (!openFds.isEmpty()) a << QStringLiteral("--open-fds") << qsNumberList(openFds);
        if (!nofile.isEmpty()) a << QStringLiteral("--nofile") << qsNumberList(nofile);
    }
    if (runs > 0) a << QStringLiteral("--runs") << QString::number(runs);
    if (warmup >= 0) a << QStringLiteral("--warmup") << QString::number(warmup);
    if (!target.isEmpty()) a << QStringLiteral("--target") << target;
    return a << QStringLiteral("--format") << QStringLiteral("jsonl");
}

// The worker thread attaches the worker process and writes the result; the
// GUI thread signals it through the handle.
struct BenchController::Job {
    quint64 generation = 0;
    QThread *thread = nullptr;
    RunResult result;
    ChildHandle worker;
    std::atomic<bool> cancelRequested{false};
    std::map<int, QByteArray> partial; // worker thread only: each fd's unfinished line

    // SIGINT asks the worker to stop after its sample (its points so far stay);
    // one asked for before the worker exists is sent once it does.
    void cancel()
    {
        cancelRequested = true;
        worker.signal(SIGINT);
    }
};

BenchController::BenchController(QObject *parent)
    : QObject(parent),
      m_worker(
          QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("spawnlab-cli")))
{
}

BenchController::~BenchController()
{
    m_jobs.stopAll([](Job &job) { job.worker.signal(SIGKILL); });
}

quint64 BenchController::start(const BenchRequest &request)
{
    if (const std::shared_ptr<Job> old = m_jobs.drop()) old->worker.signal(SIGKILL);
    const std::shared_ptr<Job> job = m_jobs.begin();
    m_result = {}; // the worker's first line says what runs and where
    m_errors.clear();
    m_done = m_total = 0;
    m_clock.start();

    const SpawnPlan plan = workerPlan(m_worker, request.arguments());
    job->thread = QThread::create([this, job, plan] {
        RunOptions options;
        options.snapshotParent = false;
        // A cancel asked for before this is sent by attach.
        options.onSpawned = [job](pid_t pid, int pidfd) { job->worker.attach(pid, pidfd); };
        options.onOutput = [this, job](int fd, std::string_view chunk) {
            QByteArray &buffer = job->partial[fd];
            buffer.append(chunk.data(), qsizetype(chunk.size()));
            qsizetype newline;
            while ((newline = buffer.indexOf('\n')) >= 0) {
                const QByteArray line = buffer.left(newline);
                buffer.remove(0, newline + 1);
                // Queued to this object's thread; dropped there if the run is stale.
                QMetaObject::invokeMethod(
                    this, [this, job, fd, line] { takeLine(job, fd, line); }, Qt::QueuedConnection);
            }
        };
        job->result = run(plan, options);
        job->worker.detach();
    });
    connect(job->thread, &QThread::finished, this, [this, job] { workerEnded(job); });
    job->thread->start();
    Q_EMIT started(job->generation);
    Q_EMIT runningChanged(true);
    return job->generation;
}

void BenchController::cancel()
{
    if (m_jobs.current()) m_jobs.current()->cancel();
}

double BenchController::secondsLeft() const
{
    if (!m_jobs.current() || m_done <= 0 || m_total <= 0) return -1;
    const double elapsed = double(m_clock.elapsed()) / 1000.0;
    return elapsed / m_done * (m_total - m_done);
}

void BenchController::takeLine(const std::shared_ptr<Job> &job, int fd, const QByteArray &line)
{
    if (!m_jobs.isCurrent(job)) return; // cancelled or superseded
    if (fd == 2) return takeErrorLine(QString::fromUtf8(line));
    QJsonParseError parse{};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &parse);
    if (doc.isObject() && doc.object().contains(QLatin1String("spawnlab_bench"))) {
        // The run's metadata, first: notes already read from stderr stay after its own.
        std::vector<std::string> notes = std::move(m_result.meta.notes);
        m_result.meta = metaFromJson(doc.object());
        m_result.meta.notes.insert(m_result.meta.notes.end(), notes.begin(), notes.end());
        return;
    }
    // The notes line repeats what stderr's "note: " lines said as they came.
    if (doc.isObject() && isNotesLine(doc.object())) return;
    QString error;
    auto point = doc.isObject() ? pointFromJson(doc.object(), QStringLiteral("point"), &error)
                                : std::nullopt;
    if (!point) {
        m_errors << tr("the worker printed a line that is not a point (%1): %2")
                        .arg(error.isEmpty() ? parse.errorString() : error,
                             QString::fromUtf8(line.left(200)));
        return;
    }
    m_result.points.push_back(*point);
    Q_EMIT pointAvailable(*point);
}

// stderr: "progress: 3/8", "bench: <doing>", "note: <skipped>", "[3/12] vfork at 1024 MiB: ..."
// (for people; the point itself comes on stdout), "spawnlab-cli: bench:
// <error>" and the usage text that follows an error.
void BenchController::takeErrorLine(const QString &line)
{
    static const QRegularExpression progressLine(QStringLiteral(R"(^progress: (\d+)/(\d+)$)"));
    static const QRegularExpression pointLine(QStringLiteral(R"(^\[\d+/\d+\] )"));
    if (pointLine.match(line).hasMatch()) return;
    if (const auto m = progressLine.match(line); m.hasMatch()) {
        m_done = m.captured(1).toInt();
        m_total = m.captured(2).toInt();
        Q_EMIT progress(m_done, m_total);
    } else if (line.startsWith(QLatin1String("bench: "))) {
        Q_EMIT noteAvailable(line.mid(7)); // what the worker is doing now
    } else if (line.startsWith(QLatin1String("note: "))) {
        const QString note = line.mid(6); // what was skipped and why: kept with the result
        m_result.meta.notes.push_back(note.toStdString());
        Q_EMIT noteAvailable(note);
    } else if (!line.trimmed().isEmpty()) {
        m_errors << line;
    }
}

void BenchController::workerEnded(const std::shared_ptr<Job> &job)
{
    if (!m_jobs.end(job)) return; // superseded
    // Lines queued before the thread finished were delivered first (same queue).
    Q_EMIT runningChanged(false);
    const RunResult &r = job->result;
    if (!r.execOk()) {
        Q_EMIT failed(tr("could not start the benchmark worker %1: %2")
                          .arg(m_worker, qs(r.error ? r.error->message : std::string("unknown"))));
        return;
    }
    const bool exitedZero = r.exit && r.exit->exited && r.exit->code == 0;
    if (job->cancelRequested) {
        Q_EMIT cancelled(m_result);
    } else if (exitedZero && m_errors.isEmpty()) {
        Q_EMIT finished(m_result);
    } else {
        QString why = m_errors.isEmpty() ? QString() : m_errors.first();
        why.remove(QRegularExpression(QStringLiteral("^spawnlab-cli: bench: ")));
        if (why.isEmpty() && r.exit)
            why = r.exit->exited ? tr("the worker exited with code %1").arg(r.exit->code)
                                 : tr("the worker was killed by signal %1").arg(r.exit->signal);
        Q_EMIT failed(why);
    }
}

} // namespace spawnlab
