// SPDX-License-Identifier: GPL-3.0-or-later
// Eight threads spawn concurrently, across all strategies and varied plans,
// while other threads churn malloc/free and open/close inheritable fds. Every
// child must get exactly the table its plan says (close_fds keeps the churned
// fds out), no spawn may hang, and nothing may leak: no fd, no zombie.
#include "helper_copies.h"
#include "probe_run.h"

#include "spawnlab/launch.h"
#include "spawnlab/names.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

using namespace spawnlab;
using namespace spawnlab::test;

namespace {

constexpr int kSpawnerThreads = 8;
constexpr int kTimeoutMs = 20000; // a spawn that takes this long counts as hung

int spawnsPerThread()
{
    int total = qEnvironmentVariableIntValue("SPAWNLAB_STRESS_SPAWNS");
    return std::max(1, (total > 0 ? total : 400) / kSpawnerThreads);
}

// The child's fds as the probe reported them.
std::set<int> reportedFds(const QString &path)
{
    QFile file(path);
    std::set<int> fds;
    if (!file.open(QIODevice::ReadOnly)) return fds;
    const QJsonObject table = QJsonDocument::fromJson(file.readAll()).object()["fds"].toObject();
    for (const QString &key : table.keys())
        fds.insert(key.toInt());
    return fds;
}

struct Tally {
    std::mutex lock;
    QStringList problems;
    void add(const QString &p)
    {
        std::lock_guard<std::mutex> guard(lock);
        if (problems.size() < 20) problems << p;
    }
};

// One spawner: plan variations by iteration, checked against the child's report.
void spawnLoop(int thread, const std::string &probe, const QString &dir, int keptFd, Tally &tally)
{
    const Strategy strategies[] = {Strategy::Fork, Strategy::Vfork, Strategy::CloneVm,
                                   Strategy::PosixSpawn};
    const QString report = dir + QString("/report-%1.json").arg(thread);
    for (int i = 0; i < spawnsPerThread(); ++i) {
        SpawnPlan plan;
        plan.argv = {probe, report.toStdString()};
        plan.strategy = strategies[(i + thread) % 4];
        plan.timeoutMs = kTimeoutMs;
        std::set<int> expected{0, 1, 2};
        FdAction null;
        null.fd = 1;
        plan.fds.push_back(null);
        if (i % 3 == 1) { // a dup to a high number, from this thread's own fd
            FdAction dup;
            dup.fd = 9 + thread;
            dup.action = FdActionKind::Dup;
            dup.from = keptFd;
            plan.fds.push_back(dup);
            expected.insert(dup.fd);
        }
        if (i % 3 == 2) {
            plan.passFds = {keptFd};
            expected.insert(keptFd);
        }
        if (i % 5 == 4) plan.closeMethod = i % 2 ? CloseMethod::Proc : CloseMethod::CloseRange;
        if (plan.strategy == Strategy::PosixSpawn) plan.closeMethod = CloseMethod::Auto;
        QFile::remove(report);
        RunResult r = run(plan);
        const QString what = QString("thread %1 spawn %2 (%3)")
                                 .arg(thread)
                                 .arg(i)
                                 .arg(strategyName(plan.strategy).data());
        if (!r.execOk())
            tally.add(what + ": " + QString::fromStdString(r.error ? r.error->message : "?"));
        else if (!r.exit || r.exit->timedOut)
            tally.add(what + ": hung, killed after timeout_ms");
        else if (reportedFds(report) != expected)
            tally.add(what + ": the child's fds differ from the plan's");
    }
}

// Churn: inheritable fds appear and vanish all the time, as in a real program
// whose other threads open files while one of them spawns.
void fdChurn(const std::atomic<bool> &stop)
{
    while (!stop.load()) {
        int fds[2];
        int null = open("/dev/null", O_RDONLY); // no O_CLOEXEC, on purpose
        if (pipe(fds) == 0) {
            close(fds[0]);
            close(fds[1]);
        }
        if (null >= 0) close(null);
    }
}

void mallocChurn(const std::atomic<bool> &stop)
{
    std::mt19937 random(42);
    std::vector<std::unique_ptr<char[]>> blocks(64);
    while (!stop.load()) {
        auto &b = blocks[random() % blocks.size()];
        b.reset(random() % 2 ? new char[1 + random() % 65536] : nullptr);
    }
}

} // namespace

class TestThreadStress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void concurrentSpawnsUnderChurn()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string probe = test::helperPath("spawnlab-probe").toStdString(); // copied now
        const int fdsBefore = openFdCount();
        std::vector<int> keptFds;
        for (int t = 0; t < kSpawnerThreads; ++t)
            keptFds.push_back(open("/dev/null", O_RDONLY | O_CLOEXEC));

        Tally tally;
        std::atomic<bool> stop{false};
        std::vector<std::thread> churners;
        churners.emplace_back(fdChurn, std::cref(stop));
        churners.emplace_back(fdChurn, std::cref(stop));
        churners.emplace_back(mallocChurn, std::cref(stop));
        std::vector<std::thread> spawners;
        for (int t = 0; t < kSpawnerThreads; ++t)
            spawners.emplace_back(spawnLoop, t, std::cref(probe), dir.path(), keptFds[t],
                                  std::ref(tally));
        for (auto &t : spawners)
            t.join();
        stop = true;
        for (auto &t : churners)
            t.join();
        for (int fd : keptFds)
            close(fd);

        QVERIFY2(tally.problems.isEmpty(), qPrintable(tally.problems.join("\n")));
        QCOMPARE(openFdCount(), fdsBefore);
        siginfo_t info{};
        const bool zombie =
            waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid != 0;
        QVERIFY(!zombie);
    }
};

QTEST_GUILESS_MAIN(TestThreadStress)
#include "tst_thread_stress.moc"
