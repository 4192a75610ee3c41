// SPDX-License-Identifier: GPL-3.0-or-later
// The Leak hunt page with real traces, offscreen: a leaking helper's tree,
// findings and inherited fds; a finding selecting its process and fd; the
// program's output in its pane; Export; a command that cannot run.
#include "helper_copies.h"

#include "leakhunt/leakhuntpage.h"
#include "leakhunt/processpicker.h"
#include "mainwindow.h"
#include "models/trace/findingmodel.h"
#include "models/trace/inheritedfdmodel.h"
#include "models/trace/processlistmodel.h"
#include "models/trace/tracetreemodel.h"
#include "run/tracecontroller.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

#include <signal.h>
#include <unistd.h>

using namespace spawnlab;

namespace {

// Starts `command` on the page and waits for the trace to end (runningChanged
// said true as it started, and says false when it ends).
bool traceOnPage(LeakHuntPage &page, const QString &command)
{
    QSignalSpy running(&page, &LeakHuntPage::runningChanged);
    page.startCommand(command);
    return page.isRunning() && running.wait(30000) && !page.isRunning();
}

} // namespace

class LeakHuntPageTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void leakingProgramOnThePage()
    {
        LeakHuntPage page;
        page.resize(1280, 800);
        page.show();
        // Nothing cut at 1280×800: the window's smallest size leaves room for the tabs.
        QVERIFY2(page.minimumSizeHint().width() <= 1200,
                 qPrintable(QString::number(page.minimumSizeHint().width())));
        const QString leak = test::helperPath(QStringLiteral("spawnlab-leak-pipe-spawn"));
        QVERIFY(traceOnPage(page, leak));
        QVERIFY2(page.errorLabel()->isHidden(), qPrintable(page.errorLabel()->text()));
        QAbstractItemModel *tree = page.treeView()->model();
        QCOMPARE(tree->rowCount(), 1);
        QCOMPARE(tree->rowCount(tree->index(0, 0)), 1);
        QVERIFY(page.statusLabel()->text().contains(QLatin1String("2 finding(s)")));
        QCOMPARE(page.findingsView()->model()->rowCount(), 2);
        // Selecting the worst finding shows the sleep's inherited fds, its fd selected.
        page.findingsView()->selectRow(0);
        const qint64 sleep = page.report().processes.at(1).pid;
        QCOMPARE(page.treeView()->currentIndex().data(TraceTreeModel::PidRole).toLongLong(), sleep);
        QCOMPARE(page.inheritedView()->model()->rowCount(), 2);
        const QModelIndexList selected = page.inheritedView()->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().data(InheritedFdModel::FdRole).toInt(), 4);
        // Its whole record beside the tree: the pipe, the verdict, the call that made it.
        const QString details = page.fdDetailsView()->toPlainText();
        QVERIFY2(details.startsWith(QLatin1String("fd 4: pipe:[")), qPrintable(details));
        QVERIFY2(details.contains(QLatin1String("made by pipe2(")), qPrintable(details));
        // The process that made it (the helper itself) is marked in the tree.
        const auto *treeModel = qobject_cast<TraceTreeModel *>(page.treeView()->model());
        QCOMPARE(treeModel->highlightedPid(), qint64(page.report().processes.at(0).pid));
        QVERIFY(tree->index(0, 0).data(TraceTreeModel::HighlightedRole).toBool());
        // ... and the explanation: the fix in C, where the pipe was made.
        const QString explained = page.explainView()->toPlainText();
        QVERIFY2(explained.contains(QLatin1String("pipe2(fds, O_CLOEXEC)")), qPrintable(explained));

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("report.json"));
        QString error;
        QVERIFY2(page.exportTo(path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(json[u"findings"].toArray().size(), 2);
        QVERIFY(!page.exportTo(QStringLiteral("/nonexistent/dir/report.json"), &error));
        QVERIFY(error.contains(QLatin1String("/nonexistent/dir/report.json")));

        // The exported report opens on another page as it was.
        LeakHuntPage other;
        QVERIFY2(other.openReport(path, &error), qPrintable(error));
        QCOMPARE(other.findingsView()->model()->rowCount(), 2);
        QCOMPARE(other.treeView()->model()->rowCount(other.treeView()->model()->index(0, 0)), 1);
        QCOMPARE(QString::fromStdString(traceReportJson(other.report())),
                 QString::fromStdString(traceReportJson(page.report())));
        QVERIFY(!other.openReport(dir.filePath(QStringLiteral("missing.json")), &error));
        QFile junk(dir.filePath(QStringLiteral("junk.json")));
        QVERIFY(junk.open(QIODevice::WriteOnly) && junk.write("{\"spawnlab_plan\": 1}") > 0);
        junk.close();
        QVERIFY(!other.openReport(junk.fileName(), &error));
        QVERIFY2(error.contains(QLatin1String("not a leak hunt report")), qPrintable(error));
    }

    void programOutputIsShown()
    {
        LeakHuntPage page;
        QVERIFY(traceOnPage(page, QStringLiteral("sh -c 'echo hello; echo oops >&2'")));
        QCOMPARE(page.outputView()->toPlainText(), QStringLiteral("hello\noops\n"));
        QVERIFY(page.statusLabel()->text().contains(QLatin1String("no fd crossed an exec")));
    }

    void childrenUncheckedTracesOnlyTheProgram()
    {
        LeakHuntPage page;
        page.followBox()->setChecked(false);
        QVERIFY(traceOnPage(page, test::helperPath(QStringLiteral("spawnlab-leak-pipe-spawn"))));
        QCOMPARE(page.report().processes.size(), std::size_t(1));
        QCOMPARE(page.findingsView()->model()->rowCount(), 0);
        QVERIFY2(page.statusLabel()->text().contains(QLatin1String("not followed")),
                 qPrintable(page.statusLabel()->text()));
    }

    void aCommandThatCannotRun()
    {
        LeakHuntPage page;
        QVERIFY(traceOnPage(page, QStringLiteral("/nonexistent/prog --flag")));
        QVERIFY(!page.errorLabel()->isHidden());
        QVERIFY2(page.errorLabel()->text().contains(QLatin1String("/nonexistent/prog")),
                 qPrintable(page.errorLabel()->text()));
        page.startCommand(QStringLiteral("   "));
        QVERIFY(page.errorLabel()->text().startsWith(QLatin1String("Command:")));
        QVERIFY(!page.isRunning());
    }

    void stopKillsALaunchedProgram()
    {
        LeakHuntPage page;
        QSignalSpy started(page.controller(), &TraceController::started);
        QSignalSpy running(&page, &LeakHuntPage::runningChanged);
        page.startCommand(QStringLiteral("sleep 30"));
        QVERIFY(page.stopButton()->isEnabled());
        QVERIFY(!page.startButton()->isEnabled());
        QVERIFY(started.wait(30000));
        page.stopButton()->click();
        QVERIFY(running.wait(30000));
        QVERIFY(!page.isRunning());
        QVERIFY(page.report().exit && page.report().exit->signal == SIGKILL);
    }

    void pickerFindsThisProcess()
    {
        ProcessPicker picker;
        QAbstractItemModelTester tester(picker.table()->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(picker.table()->model()->rowCount() > 1);
        picker.filterEdit()->setText(QStringLiteral("tst_leakhuntpage"));
        QAbstractItemModel *rows = picker.table()->model();
        int self = -1; // a wrapper (timeout, gdb) may match too
        for (int row = 0; row < rows->rowCount(); ++row)
            if (rows->index(row, 0).data(ProcessListModel::PidRole).toLongLong() == ::getpid())
                self = row;
        QVERIFY(self >= 0);
        picker.table()->selectRow(self);
        QCOMPARE(picker.chosenPid(), qint64(::getpid()));
        QVERIFY(rows->index(self, ProcessListModel::Fds).data().toInt() >= 3);
        picker.filterEdit()->setText(QStringLiteral("no process is called this"));
        QCOMPARE(picker.table()->model()->rowCount(), 0);
        QCOMPARE(picker.chosenPid(), qint64(0));
    }

    void labPlanFillsTheCommand()
    {
        MainWindow window;
        window.openPlan(QStringLiteral(":/plans/failing_chdir.json"));
        window.showMode(MainWindow::LeakHuntMode);
        LeakHuntPage *page = window.leakHuntPage();
        QVERIFY(page->isVisibleTo(&window));
        for (QPushButton *b : page->findChildren<QPushButton *>())
            if (b->text() == u"Lab's program") b->click();
        QVERIFY2(!page->commandEdit()->text().isEmpty(), "the Lab's plan has a program");
        QCOMPARE(page->commandEdit()->text(), QStringLiteral("pwd"));
    }
};

QTEST_MAIN(LeakHuntPageTest)
#include "tst_leakhuntpage.moc"
