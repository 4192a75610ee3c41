// SPDX-License-Identifier: GPL-3.0-or-later
// every_step in the Timeline: a real vfork run of a swap of two fds; selecting a step shows the
// child's table right after it with the change marked, Previous / Next and the slider walk the
// moments and select their steps, and the Explain tab's links (selectStep) land there too.
#include "lab/stepfdsview.h"
#include "lab/timelineview.h"
#include "models/fdtablemodel.h"

#include "spawnlab/launch.h"

#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

using namespace spawnlab;

namespace {

// Two files at the parent's fds 40 and 41, swapped into the child (stdio
// will not do: under ctest stdout and stderr are one pipe).
RunResult swapRun(const QTemporaryDir &dir)
{
    for (int fd : {40, 41}) {
        const QByteArray path = dir.filePath(QString::number(fd)).toLocal8Bit();
        const int file = open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        dup3(file, fd, O_CLOEXEC);
        close(file);
    }
    SpawnPlan plan;
    plan.argv = {"true"};
    plan.strategy = Strategy::Vfork;
    plan.inspect = {InspectPoint::EveryStep};
    FdAction one, two;
    one.action = two.action = FdActionKind::Dup;
    one.fd = 40;
    one.from = 41;
    two.fd = 41;
    two.from = 40;
    plan.fds = {one, two};
    RunResult r = run(plan);
    close(40);
    close(41);
    return r;
}

// The timeline row of the trace step for plan entry `index` (a dup2 onto its fd).
int rowOfEntry(const RunResult &r, int index)
{
    for (std::size_t i = 0; i < r.steps.size(); ++i)
        if (r.steps[i].step == Step::Dup2 && r.steps[i].index == index) return int(i);
    return -1;
}

int changeOf(QAbstractItemModel *model, int fd)
{
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row, 0).data(FdTableModel::FdRole).toInt() == fd)
            return model->index(row, 0).data(FdTableModel::ChangeRole).toInt();
    return -2;
}

} // namespace

class TestStepFds : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void walkThroughASwap()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const RunResult r = swapRun(dir);
        QVERIFY2(r.execOk(), r.error ? r.error->message.c_str() : "no exit");
        QVERIFY(r.fdSteps.size() >= 4); // start, the moves, both entries, close_fds
        TimelineView timeline;
        timeline.resize(1200, 700);
        timeline.show();
        timeline.setResult(r);
        StepFdsView *fds = timeline.stepFds();
        QCOMPARE(fds->tableCount(), int(r.fdSteps.size()));
        QCOMPARE(fds->currentTable(), 0);
        QVERIFY(fds->titleLabel()->text().contains(QLatin1String("before the first fd step")));

        // The step that puts the parent's stderr on fd 1: its table, fd 1 marked changed.
        const int entry0 = rowOfEntry(r, 0);
        QVERIFY(entry0 > 0);
        timeline.stepTable()->selectRow(entry0);
        const FdStepTable &shown = r.fdSteps[std::size_t(fds->currentTable())];
        QVERIFY(shown.step == Step::Dup2 && shown.index == 0);
        QCOMPARE(shown.traceRow, entry0 + 1);
        QVERIFY2(fds->titleLabel()->text().contains(QLatin1String("after dup2 ")),
                 qPrintable(fds->titleLabel()->text()));
        QAbstractItemModel *model = fds->tableView()->model();
        QCOMPARE(changeOf(model, 40), int(FdChange::Changed));
        QCOMPARE(changeOf(model, 0), int(FdChange::Kept));

        // Next: the second entry's moment, and the timeline follows to its step.
        const auto buttons = fds->findChildren<QPushButton *>();
        QPushButton *next = nullptr, *previous = nullptr;
        for (QPushButton *b : buttons)
            (b->text().contains(QLatin1String("Next")) ? next : previous) = b;
        QVERIFY(next && previous);
        next->click();
        QCOMPARE(timeline.stepTable()->currentIndex().row(), rowOfEntry(r, 1));
        QCOMPARE(changeOf(model, 41), int(FdChange::Changed));
        previous->click();
        QCOMPARE(timeline.stepTable()->currentIndex().row(), entry0);

        // The slider's start: the row of the stop that took the first table.
        auto *slider = fds->findChild<QSlider *>(QStringLiteral("stepSlider"));
        QVERIFY(slider);
        slider->setValue(0);
        QCOMPARE(timeline.stepTable()->currentIndex().row(), r.fdSteps.front().traceRow);
        QVERIFY(!previous->isEnabled());

        // An Explain link to close_fds: the last table, what close_fds closed marked.
        timeline.selectStep(Step::CloseFds);
        QCOMPARE(fds->currentTable(), int(r.fdSteps.size()) - 1);
        QVERIFY(!next->isEnabled());
    }

    void withoutEveryStepTheViewSaysHow()
    {
        SpawnPlan plan;
        plan.argv = {"true"};
        const RunResult r = run(plan);
        TimelineView timeline;
        timeline.setResult(r);
        QCOMPARE(timeline.stepFds()->tableCount(), 0);
        QVERIFY(timeline.stepFds()->titleLabel()->text().contains(QLatin1String("every step")));
    }
};

QTEST_MAIN(TestStepFds)
#include "tst_stepfds.moc"
