// SPDX-License-Identifier: GPL-3.0-or-later
// What a run keeps of the child's output and exit, for every strategy: bytes
// exactly, bounded by capture_limit_bytes, counted beyond it; notes on input the
// child never took and on pipes a grandchild still holds; timed_out exactly when
// the deadline killed the child; an exit status that cannot be known is said to be.
#include "fd_actions.h"
#include "probe_run.h"

#include "spawnlab/launch.h"

#include <QFile>
#include <QTest>

#include <signal.h>

#include <algorithm>
#include <string>

using namespace spawnlab;
using namespace spawnlab::test;

namespace {

SpawnPlan shell(const std::string &script, Strategy strategy)
{
    SpawnPlan plan;
    plan.argv = {"/bin/sh", "-c", script};
    plan.strategy = strategy;
    plan.fds = {fdAction(1, FdActionKind::PipeOut)};
    return plan;
}

bool hasNote(const RunResult &r, const std::string &part)
{
    return std::any_of(r.notes.begin(), r.notes.end(),
                       [&](const std::string &n) { return n.find(part) != std::string::npos; });
}

std::string notesOf(const RunResult &r)
{
    std::string all;
    for (const auto &n : r.notes)
        all += n + "\n";
    return all;
}

// Peak resident set of this process so far, in KiB.
qint64 peakRssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:")) return line.mid(6).trimmed().split(' ').front().toLongLong();
    return -1;
}

// Sets SIGCHLD's disposition for the scope, then puts the old one back.
class SigchldDisposition
{
public:
    explicit SigchldDisposition(void (*handler)(int))
    {
        struct sigaction now {
        };
        now.sa_handler = handler;
        sigaction(SIGCHLD, &now, &saved_);
    }
    ~SigchldDisposition() { sigaction(SIGCHLD, &saved_, nullptr); }

private:
    struct sigaction saved_ {
    };
};

} // namespace

class TestCapture : public QObject
{
    Q_OBJECT

    ProbeFixture fixture;

private Q_SLOTS:
    // First, while this process is small: the peak RSS must not grow with
    // the output (the whole 100 MB kept took 1.6 GB before).
    void hugeOutputCostsBoundedMemory()
    {
        const qint64 before = peakRssKiB();
        QVERIFY(before > 0);
        RunResult r = run(shell("head -c 100000000 /dev/zero", Strategy::Fork));
        QVERIFY(r.exit && r.exit->exited && r.exit->code == 0);
        QCOMPARE(r.outputBytes.at(1), std::uint64_t(100000000));
        QCOMPARE(std::uint64_t(r.captured.at(1).size()), kDefaultCaptureLimitBytes);
        QVERIFY(r.outputBytes.at(1) > r.captured.at(1).size());
        const qint64 grew = peakRssKiB() - before;
        QVERIFY2(grew < 80 * 1024, qPrintable(QString("peak RSS grew by %1 KiB").arg(grew)));
    }

    void binaryBytesKeptExactly_data() { addStrategyRows(); }
    void binaryBytesKeptExactly()
    {
        std::string all;
        for (int round = 0; round < 300; ++round)
            for (int b = 0; b < 256; ++b)
                all += char(b);
        const QString path = fixture.path("bytes");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(all.data(), qint64(all.size())), qint64(all.size()));
        file.close();

        RunResult r = run(shell("cat '" + path.toStdString() + "'", strategyFromData()));
        QVERIFY(r.execOk());
        QVERIFY(r.captured.at(1) == all);
        QCOMPARE(r.outputBytes.at(1), std::uint64_t(all.size()));
        QCOMPARE(std::uint64_t(r.captured.at(1).size()), std::uint64_t(all.size()));
        QVERIFY(r.outputBytes.at(1) == r.captured.at(1).size());
    }

    // Beyond the limit the bytes are still read (the child never blocks on a
    // full pipe) and counted, and only the first ones are kept.
    void captureLimitKeepsTheFirstBytes_data() { addStrategyRows(); }
    void captureLimitKeepsTheFirstBytes()
    {
        SpawnPlan plan =
            shell("printf abc; head -c 1000000 /dev/zero; echo done >&2", strategyFromData());
        plan.fds.push_back(fdAction(2, FdActionKind::PipeOut));
        plan.captureLimitBytes = 3;
        RunResult r = run(plan);
        QVERIFY(r.exit && r.exit->exited);
        QCOMPARE(r.exit->code, 0);
        QCOMPARE(r.captured.at(1), std::string("abc"));
        QCOMPARE(r.outputBytes.at(1), std::uint64_t(1000003));
        QCOMPARE(std::uint64_t(r.captured.at(1).size()), std::uint64_t(3));
        QVERIFY(r.outputBytes.at(1) > r.captured.at(1).size());
        QCOMPARE(r.captured.at(2), std::string("don"));
        QCOMPARE(r.outputBytes.at(2), std::uint64_t(5));

        plan.captureLimitBytes = 0; // count only
        r = run(plan);
        QCOMPARE(r.captured.at(1), std::string());
        QCOMPARE(r.outputBytes.at(1), std::uint64_t(1000003));
    }

    void unreadInputIsNoted_data() { addStrategyRows(); }
    void unreadInputIsNoted()
    {
        SpawnPlan plan = shell("exit 0", strategyFromData());
        FdAction in;
        in.fd = 0;
        in.action = FdActionKind::PipeIn;
        in.input.assign(1000000, 'x'); // more than a pipe holds
        plan.fds = {in};
        RunResult r = run(plan);
        QVERIFY(r.exit && r.exit->exited);
        QVERIFY2(hasNote(r, "fd 0 (pipe_in): the child took"), notesOf(r).c_str());
        QVERIFY2(hasNote(r, "of 1000000 bytes"), notesOf(r).c_str());

        plan = shell("cat > /dev/null", strategyFromData());
        plan.fds = {in};
        r = run(plan);
        QVERIFY2(!hasNote(r, "pipe_in"), notesOf(r).c_str());
    }

    // The child exits while a background process it started keeps fd 1: the
    // run ends at the child's exit and says so.
    void grandchildHoldingThePipeIsNoted_data() { addStrategyRows(); }
    void grandchildHoldingThePipeIsNoted()
    {
        RunResult r = run(shell("sleep 60 & echo $!", strategyFromData()));
        const pid_t sleeper = pid_t(std::stol(r.captured.at(1)));
        QVERIFY(sleeper > 0);
        kill(sleeper, SIGKILL); // not ours to reap: it was reparented
        QVERIFY(r.exit && r.exit->exited && r.exit->code == 0);
        QVERIFY2(hasNote(r, "fd 1 (pipe_out) was still open after the child exited"),
                 notesOf(r).c_str());

        r = run(shell("echo alone", strategyFromData()));
        QVERIFY2(!hasNote(r, "still open"), notesOf(r).c_str());
    }

    // timed_out is true exactly when the deadline's SIGKILL ended the child:
    // with a 1 ms deadline some children exit first, some are killed.
    void timedOutExactlyWhenTheDeadlineKilled_data() { addStrategyRows(); }
    void timedOutExactlyWhenTheDeadlineKilled()
    {
        int killed = 0, exited = 0;
        for (int i = 0; i < 150; ++i) {
            SpawnPlan plan = shell(i % 2 ? "exit 0" : "exec sleep 10", strategyFromData());
            plan.fds.clear();
            plan.timeoutMs = 1;
            RunResult r = run(plan);
            QVERIFY(r.exit);
            const bool bySigkill = !r.exit->exited && r.exit->signal == SIGKILL;
            QVERIFY2(r.exit->timedOut == bySigkill,
                     qPrintable(QString("run %1: exited %2 code %3 signal %4 timed_out %5")
                                    .arg(i)
                                    .arg(r.exit->exited)
                                    .arg(r.exit->code)
                                    .arg(r.exit->signal)
                                    .arg(r.exit->timedOut)));
            // A child that exited by itself exec'd: no pre-exec timeout is claimed.
            if (r.exit->exited)
                QVERIFY2(r.exit->code == 0 && r.execOk() && !r.error,
                         qPrintable(QString("run %1: exit code %2 but %3")
                                        .arg(i)
                                        .arg(r.exit->code)
                                        .arg(r.error ? QString::fromStdString(r.error->message)
                                                     : QString("exec_ok false"))));
            (bySigkill ? killed : exited) += 1;
        }
        QVERIFY(killed >= 75); // every sleep is killed
    }

    // posix_spawn makes a child per PATH candidate; only the last exec's. The
    // pid told and the pidfd the waiter watches are that one's, so output is
    // read until that child exits (once they were a failed candidate's, and
    // the output was dropped as if the child had exited at once).
    void failedPathCandidatesDoNotEndTheRun_data() { addStrategyRows(); }
    void failedPathCandidatesDoNotEndTheRun()
    {
        // Enough failing candidates that posix_spawn's watchdog (it looks
        // every 10 ms) sees some of their children.
        std::string path;
        for (int i = 0; i < 300; ++i)
            path += "/nonexistent/dir" + std::to_string(i) + ":";
        path += "/bin:/usr/bin";
        for (int i = 0; i < 10; ++i) {
            SpawnPlan plan = shell("read line; echo \"got $line\"", strategyFromData());
            plan.argv.front() = "sh"; // searched on the PATH below
            plan.env.set = {{"PATH", path}};
            FdAction in;
            in.fd = 0;
            in.action = FdActionKind::PipeIn;
            in.input = "hello\n";
            plan.fds.push_back(in);
            pid_t told = -1;
            RunOptions options;
            options.onSpawned = [&told](pid_t pid, int) { told = pid; };
            const RunResult r = run(plan, options);
            QVERIFY2(r.execOk(),
                     qPrintable(r.error ? QString::fromStdString(r.error->message) : ""));
            QCOMPARE(r.captured.at(1), std::string("got hello\n"));
            QCOMPARE(told, r.pid);
            QVERIFY2(r.notes.size() <= 1, notesOf(r).c_str()); // posix_spawn's own note only
        }
    }

    void ignoredSigchldGivesUnknownExit_data() { addStrategyRows(); }
    void ignoredSigchldGivesUnknownExit()
    {
        SpawnPlan plan = shell("exit 3", strategyFromData());
        plan.fds.clear();
        {
            SigchldDisposition ignored(SIG_IGN);
            RunResult r = run(plan);
            QVERIFY(r.exit);
            QVERIFY2(r.exit->unknown.find("SIGCHLD is ignored") != std::string::npos,
                     r.exit->unknown.c_str());
            QVERIFY(!r.exit->exited && r.exit->code == 0 && r.exit->signal == 0);

            takeSigchldBack();
            r = run(plan);
            QVERIFY(r.exit && r.exit->unknown.empty());
            QVERIFY(r.exit->exited);
            QCOMPARE(r.exit->code, 3);
        }
    }
};

QTEST_GUILESS_MAIN(TestCapture)
#include "tst_capture.moc"
