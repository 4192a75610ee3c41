// SPDX-License-Identifier: GPL-3.0-or-later
// inspect every_step: the child's fd table before its first fd step and after
// each, under fork, vfork and clone_vm, for a swap and a three-cycle of the
// parent's fds. Each table is checked against the plan: a plan entry's step
// puts its source on its target, nothing the plan still needs is ever lost
// on the way, and the last table is the plan's permutation.
#include "spawnlab/launch.h"
#include "spawnlab/names.h"

#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <optional>

using namespace spawnlab;

Q_DECLARE_METATYPE(spawnlab::Strategy)

namespace {

constexpr int kFirstFd = 40; // the permuted fds: 40, 41, 42

struct Object {
    dev_t device;
    ino_t inode;
};

std::optional<Object> objectAt(const FdTable &table, int fd)
{
    for (const FdEntry &e : table)
        if (e.fd == fd) return Object{dev_t(e.device), ino_t(e.inode)};
    return std::nullopt;
}

bool holds(const FdTable &table, const Object &o)
{
    for (const FdEntry &e : table)
        if (dev_t(e.device) == o.device && ino_t(e.inode) == o.inode) return true;
    return false;
}

QString describe(const FdStepTable &t)
{
    QString s = t.step ? QString::fromLatin1(stepName(*t.step).data()) : QStringLiteral("start");
    s += QStringLiteral("[%1]:").arg(t.index);
    for (const FdEntry &e : t.fds)
        s += QStringLiteral(" %1=%2").arg(e.fd).arg(QString::fromStdString(e.target));
    return s;
}

} // namespace

class TestEveryStep : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tablesFollowThePlan_data()
    {
        QTest::addColumn<Strategy>("strategy");
        QTest::addColumn<QList<int>>("sources"); // child fd 40 + i gets the parent's sources[i]
        for (Strategy s : {Strategy::Fork, Strategy::Vfork, Strategy::CloneVm}) {
            const char *name = strategyName(s).data();
            QTest::addRow("swap %s", name) << s << QList<int>{41, 40};
            QTest::addRow("cycle %s", name) << s << QList<int>{41, 42, 40};
        }
    }

    void tablesFollowThePlan()
    {
        QFETCH(Strategy, strategy);
        QFETCH(QList<int>, sources);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // The parent's fds 40, 41 (42): one file each, so each object is known by its inode.
        std::vector<Object> parent;
        for (int i = 0; i < int(sources.size()); ++i) {
            const QByteArray path = dir.filePath(QString::number(i)).toLocal8Bit();
            const int fd = open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
            QVERIFY(fd >= 0);
            QCOMPARE(dup3(fd, kFirstFd + i, O_CLOEXEC), kFirstFd + i);
            close(fd);
            struct stat st {
            };
            QVERIFY(fstat(kFirstFd + i, &st) == 0);
            parent.push_back({st.st_dev, st.st_ino});
        }
        auto closeThem = qScopeGuard([&] {
            for (int i = 0; i < int(sources.size()); ++i)
                close(kFirstFd + i);
        });

        SpawnPlan plan;
        plan.argv = {"true"};
        plan.strategy = strategy;
        plan.inspect = {InspectPoint::EveryStep};
        for (int i = 0; i < int(sources.size()); ++i) {
            FdAction dup;
            dup.action = FdActionKind::Dup;
            dup.fd = kFirstFd + i;
            dup.from = sources[i];
            plan.fds.push_back(dup);
        }
        const RunResult r = run(plan);
        QVERIFY2(r.execOk(), r.error ? r.error->message.c_str() : "no exit");
        QCOMPARE(r.strategy, strategy);
        QString all;
        for (const FdStepTable &t : r.fdSteps)
            all += describe(t) + u'\n';
        // One table before the fd steps and one after each fd step the trace shows.
        const auto fdStepCount =
            std::count_if(r.steps.begin(), r.steps.end(), [](const TraceStep &s) {
                return s.step >= Step::Open && s.step <= Step::CloseFds;
            });
        QVERIFY(fdStepCount >= qsizetype(plan.fds.size()) + 1); // each entry, close_fds
        QVERIFY2(qsizetype(r.fdSteps.size()) == fdStepCount + 1, qPrintable(all));

        // The start: what the child was given, before any fd step.
        QVERIFY2(!r.fdSteps.front().step, qPrintable(all));
        for (int i = 0; i < int(sources.size()); ++i) {
            const auto o = objectAt(r.fdSteps.front().fds, kFirstFd + i);
            QVERIFY2(o && o->inode == parent[std::size_t(i)].inode, qPrintable(all));
        }
        QList<int> entriesSeen;
        for (const FdStepTable &t : r.fdSteps) {
            // Nothing is lost on the way: every source object is held somewhere.
            for (const Object &o : parent)
                QVERIFY2(holds(t.fds, o), qPrintable(all));
            if (t.step != Step::Dup2 || t.index < 0) continue; // the start, a move out of the way
            // A plan entry's step puts the parent's source on its target.
            const FdAction &entry = plan.fds[std::size_t(t.index)];
            const auto got = objectAt(t.fds, entry.fd);
            const Object &want = parent[std::size_t(entry.from - kFirstFd)];
            QVERIFY2(got && got->inode == want.inode, qPrintable(all));
            entriesSeen << t.index;
        }
        QCOMPARE(entriesSeen.size(), sources.size()); // each entry once, in plan order
        for (int i = 0; i < int(entriesSeen.size()); ++i)
            QCOMPARE(entriesSeen[i], i);
        // The last: after close_fds, exactly the plan's permutation above stdio.
        const FdStepTable &last = r.fdSteps.back();
        QVERIFY2(last.step == Step::CloseFds, qPrintable(all));
        for (int i = 0; i < int(sources.size()); ++i) {
            const auto o = objectAt(last.fds, kFirstFd + i);
            QVERIFY2(o && o->inode == parent[std::size_t(sources[i] - kFirstFd)].inode,
                     qPrintable(all));
        }
        for (const FdEntry &e : last.fds)
            QVERIFY2(e.fd < kFirstFd + int(sources.size()), qPrintable(all));
    }

    void withoutEveryStepNoTables()
    {
        SpawnPlan plan;
        plan.argv = {"true"};
        plan.inspect = {InspectPoint::AfterCloseFds};
        const RunResult r = run(plan);
        QVERIFY(r.execOk());
        QVERIFY(r.fdSteps.empty());
        QVERIFY(r.childFds.count(InspectPoint::AfterCloseFds));
    }
};

QTEST_GUILESS_MAIN(TestEveryStep)
#include "tst_every_step.moc"
