// SPDX-License-Identifier: GPL-3.0-or-later
// planFdShuffle, the one plan of the fd shuffle that the child, posix_spawn and
// every code export follow: which sources are copied away first, which fds are
// targets, what close_fds keeps, and the order of the moves.
#include "fd_actions.h"
#include "spawnlab/fd_shuffle.h"

#include <QTest>

using namespace spawnlab;
using namespace spawnlab::test;

namespace {

// "CopyAway 0", "Dup2 fds[1]: 1 -> 0", ...: the moves as one can read them.
QStringList moves(const FdShuffle &s)
{
    QStringList out;
    for (const FdMove &m : s.moves) {
        switch (m.kind) {
        case FdMoveKind::CopyAway:
            out << QStringLiteral("CopyAway %1").arg(m.fd);
            break;
        case FdMoveKind::Dup2:
            out << QStringLiteral("Dup2 fds[%1]: %2 -> %3")
                       .arg(m.planIndex)
                       .arg(s.sources[std::size_t(m.source)])
                       .arg(m.fd);
            break;
        case FdMoveKind::Inherit:
            out << QString(m.passFd ? "Inherit pass_fds[%1]: %2" : "Inherit fds[%1]: %2")
                       .arg(m.planIndex)
                       .arg(m.fd);
            break;
        case FdMoveKind::Open:
            out << QStringLiteral("Open fds[%1] -> %2").arg(m.planIndex).arg(m.fd);
            break;
        case FdMoveKind::Close:
            out << QStringLiteral("Close %1").arg(m.fd);
            break;
        }
    }
    return out;
}

} // namespace

class TestFdShuffle : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void swapCopiesBothSourcesAwayFirst()
    {
        SpawnPlan plan;
        plan.fds = {dupFrom(0, 1), dupFrom(1, 0)};
        const FdShuffle s = planFdShuffle(plan);
        QCOMPARE(s.targets, (std::vector<int>{0, 1}));
        QCOMPARE(moves(s), (QStringList{"CopyAway 1", "CopyAway 0", "Dup2 fds[0]: 1 -> 0",
                                        "Dup2 fds[1]: 0 -> 1"}));
        QVERIFY(s.kept.empty());
    }

    void dupOntoItselfOnlyClearsCloexec()
    {
        SpawnPlan plan;
        plan.fds = {dupFrom(5, 5), dupFrom(6, 5)};
        plan.passFds = {9, 2};
        const FdShuffle s = planFdShuffle(plan);
        QCOMPARE(s.targets, std::vector<int>{6});
        QVERIFY(!s.overwrites(5));
        QCOMPARE(moves(s), (QStringList{"Inherit fds[0]: 5", "Dup2 fds[1]: 5 -> 6",
                                        "Inherit pass_fds[0]: 9", "Inherit pass_fds[1]: 2"}));
        QCOMPARE(s.kept, (std::vector<int>{5, 6, 9}));
        QVERIFY(s.keeps(9) && !s.keeps(2));
    }

    void closeIsATargetButNotKept()
    {
        SpawnPlan plan;
        FdAction open = fdAction(7, FdActionKind::Open);
        open.path = "/dev/null";
        plan.fds = {fdAction(4, FdActionKind::Close), dupFrom(8, 4), open};
        const FdShuffle s = planFdShuffle(plan);
        QCOMPARE(s.targets, (std::vector<int>{4, 7, 8}));
        // fds[1] reads fd 4 as it was before fds[0] closed it.
        QCOMPARE(moves(s),
                 (QStringList{"CopyAway 4", "Close 4", "Dup2 fds[1]: 4 -> 8", "Open fds[2] -> 7"}));
        QCOMPARE(s.kept, (std::vector<int>{7, 8}));
    }

    void sourcesTheCallerOpened()
    {
        SpawnPlan plan;
        plan.fds = {fdAction(1, FdActionKind::PipeOut), fdAction(3, FdActionKind::Null),
                    dupFrom(4, 3)};
        // Without the parent's fds (a code export), null and pipes read -1.
        FdShuffle s = planFdShuffle(plan);
        QCOMPARE(s.sources, (std::vector<int>{-1, -1, 3}));
        QCOMPARE(moves(s).first(), QStringLiteral("CopyAway 3"));
        // The core's pipe end landed on 1 and /dev/null on 4: the pipe is a
        // dup onto itself, and /dev/null (on fds[2]'s target) and fd 3 (on
        // fds[1]'s) are copied away before anything is placed.
        s = planFdShuffle(plan, {1, 4, 3});
        QCOMPARE(s.targets, (std::vector<int>{3, 4}));
        QCOMPARE(moves(s), (QStringList{"CopyAway 4", "CopyAway 3", "Inherit fds[0]: 1",
                                        "Dup2 fds[1]: 4 -> 3", "Dup2 fds[2]: 3 -> 4"}));
        QCOMPARE(s.kept, (std::vector<int>{3, 4}));
    }
};

QTEST_APPLESS_MAIN(TestFdShuffle)
#include "tst_fd_shuffle.moc"
