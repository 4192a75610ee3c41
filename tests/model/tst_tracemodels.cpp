// SPDX-License-Identifier: GPL-3.0-or-later
// The leak hunt's models over a real trace (the leaking helper that hands a
// pipe to sleep through posix_spawnp), each under QAbstractItemModelTester,
// and the TraceController with real tracees: a report, a stop.
#include "helper_copies.h"

#include "models/trace/findingmodel.h"
#include "models/trace/inheritedfdmodel.h"
#include "models/trace/tracetreemodel.h"
#include "plan/commandline.h"
#include "plan/tracereportjson.h"
#include "run/tracecontroller.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include <signal.h>

using namespace spawnlab;

namespace {

TraceReport traceHelper(const char *name)
{
    TraceOptions options;
    options.argv = {test::helperPath(QString::fromLatin1(name)).toStdString()};
    return Tracer(options).run();
}

TraceReport leakReport()
{
    return traceHelper("spawnlab-leak-pipe-spawn");
}

const TracedExec *execOf(const TraceReport &report, const std::string &program)
{
    for (const TracedExec &e : report.execs)
        if (!e.argv.empty() && e.argv.front() == program) return &e;
    return nullptr;
}

} // namespace

class TraceModelsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void treeHasTheForkUnderItsParent()
    {
        const TraceReport report = leakReport();
        QVERIFY(!report.error);
        TraceTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setReport(report);
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex root = model.index(0, 0);
        QCOMPARE(root.data(TraceTreeModel::PidRole).toLongLong(), qint64(report.processes[0].pid));
        QCOMPARE(model.rowCount(root), 1);
        const QModelIndex sleep = model.index(0, TraceTreeModel::Program, root);
        QCOMPARE(sleep.data().toString(), QStringLiteral("sleep 0"));
        QCOMPARE(sleep.data(TraceTreeModel::LeaksRole).toInt(), 2);
        QCOMPARE(model.index(0, TraceTreeModel::Ended, root).data().toString(),
                 QStringLiteral("exited 0"));
        QCOMPARE(model.parent(sleep), model.index(0, 0));
        QCOMPARE(model.indexOfPid(report.processes[1].pid).row(), 0);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void inheritedFdsOfAnExec()
    {
        const TraceReport report = leakReport();
        InheritedFdModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.show(report, report.processes[1].pid);
        QCOMPARE(model.rowCount(), 2);
        for (int row = 0; row < 2; ++row) {
            QVERIFY(model.index(row, 0).data(InheritedFdModel::LeakedRole).toBool());
            QCOMPARE(model.index(row, InheritedFdModel::Verdict).data().toString(),
                     QStringLiteral("leaked"));
            QVERIFY(model.index(row, InheritedFdModel::MadeBy)
                        .data()
                        .toString()
                        .startsWith(QLatin1String("pipe2(")));
            // The maker is named by its file name (its exe is a full path).
            QVERIFY(model.index(row, InheritedFdModel::MadeBy)
                        .data()
                        .toString()
                        .endsWith(QLatin1String(" (spawnlab-leak-pipe-spawn)")));
            QCOMPARE(model.index(row, InheritedFdModel::CarriedBy).data().toString(),
                     QStringLiteral("vfork → %1").arg(report.processes[1].pid));
            QCOMPARE(model.index(row, 0).data(InheritedFdModel::OriginPidRole).toLongLong(),
                     qint64(report.processes[0].pid));
        }
        model.show(report, report.processes[0].pid); // the helper got only 0-2
        QCOMPARE(model.rowCount(), 0);
        // A close-on-exec fd made inheritable later: both calls are named.
        TraceReport cleared = report;
        for (TracedExec &exec : cleared.execs)
            for (InheritedFd &in : exec.inherited)
                in.madeInheritableBy = "ioctl(4, FIONCLEX) = 0 in pid 7";
        model.show(cleared, cleared.processes[1].pid);
        QVERIFY(model.index(0, InheritedFdModel::MadeBy)
                    .data()
                    .toString()
                    .endsWith(QLatin1String("), then made inheritable by ioctl(4, FIONCLEX) = 0 "
                                            "in pid 7")));
    }

    void heldByNamesTheOtherTracedProgram()
    {
        // The helper's sh hands its pipe end to a background sleep: at
        // sleep's exec the same pipe is in sh, which the model names.
        const TraceReport report = traceHelper("spawnlab-leak-grandchild-pipe");
        QVERIFY(!report.error);
        const TracedExec *sleep = execOf(report, "sleep");
        const TracedExec *sh = execOf(report, "sh");
        QVERIFY(sleep && sh);
        InheritedFdModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.show(report, sleep->pid);
        QVERIFY(model.rowCount() > 0);
        for (int row = 0; row < model.rowCount(); ++row) {
            const int fd = model.index(row, 0).data(InheritedFdModel::FdRole).toInt();
            QCOMPARE(model.index(row, InheritedFdModel::HeldBy).data().toString(),
                     QStringLiteral("sh (%1)").arg(sh->pid));
            const QString details =
                model.index(row, 0).data(InheritedFdModel::DetailsRole).toString();
            QVERIFY2(details.startsWith(QStringLiteral("fd %1: pipe:[").arg(fd)),
                     qPrintable(details));
            QVERIFY2(details.contains(QStringLiteral("held by sh (pid %1) fd %2, w — same pipe")
                                          .arg(sh->pid)
                                          .arg(fd)),
                     qPrintable(details));
            QVERIFY2(details.contains(QLatin1String("leaked: ")), qPrintable(details));
            QCOMPARE(model.index(row, 0).data(InheritedFdModel::LeakRiskRole).toString().isEmpty(),
                     false);
        }
        model.show(report, sh->pid); // sh's peer is sleep, exec'd after it: sh names it too
        QVERIFY(model.rowCount() > 0);
        QCOMPARE(model.index(0, InheritedFdModel::HeldBy).data().toString(),
                 QStringLiteral("sleep (%1)").arg(sleep->pid));
    }

    void findingsMostSevereFirst()
    {
        const TraceReport report = leakReport();
        FindingModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setReport(report);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, FindingModel::SeverityColumn).data().toString(),
                 QStringLiteral("high"));
        QCOMPARE(model.index(0, 0).data(FindingModel::FdRole).toInt(), 4);
        QCOMPARE(model.index(0, 0).data(FindingModel::PidRole).toLongLong(),
                 qint64(report.processes[1].pid));
        QVERIFY(model.index(0, FindingModel::Finding)
                    .data()
                    .toString()
                    .contains(QLatin1String("sees no EOF")));
        QVERIFY(model.text().startsWith(QLatin1String("HIGH  sleep (pid ")));
    }

    void commandLinesSplitAsAShellDoes()
    {
        // sh -c 'echo "hi"; exit 3' "a \"b\" \$c" d\ e ''
        const QString line = QStringLiteral("sh -c 'echo \"hi\"; exit 3' \"a \\\"b\\\" \\$c\" "
                                            "d\\ e ''");
        const QStringList words = splitCommandLine(line);
        QCOMPARE(words,
                 (QStringList{QStringLiteral("sh"), QStringLiteral("-c"),
                              QStringLiteral("echo \"hi\"; exit 3"), QStringLiteral("a \"b\" $c"),
                              QStringLiteral("d e"), QString()}));
        QCOMPARE(splitCommandLine(joinCommandLine(words)), words);
        QCOMPARE(joinCommandLine({QStringLiteral("it's"), QStringLiteral("/bin/ls")}),
                 QStringLiteral("'it'\\''s' /bin/ls"));
        QString error;
        QVERIFY(splitCommandLine(QStringLiteral("echo 'open"), &error).isEmpty());
        QCOMPARE(error, QStringLiteral("a ' is not closed"));
        QVERIFY(splitCommandLine(QStringLiteral("echo \"open"), &error).isEmpty());
        QVERIFY(splitCommandLine(QStringLiteral("echo \\"), &error).isEmpty());
        QCOMPARE(error, QStringLiteral("the line ends with a \\"));
        QVERIFY(splitCommandLine(QStringLiteral("   ")).isEmpty());
    }

    void savedReportsReadBack()
    {
        const TraceReport report = leakReport();
        const QByteArray json = QByteArray::fromStdString(traceReportJson(report));
        QString error;
        const std::optional<TraceReport> back = readTraceReport(json, &error);
        QVERIFY2(back, qPrintable(error));
        // Everything the report says survives the round trip.
        if (traceReportJson(*back) != traceReportJson(report)) { // show where they part
            const std::string a = traceReportJson(*back), b = traceReportJson(report);
            std::size_t at = 0;
            while (at < a.size() && at < b.size() && a[at] == b[at])
                ++at;
            QFAIL(qPrintable(
                QString::fromStdString("read back: ..." + a.substr(at ? at - 40 : 0, 120) +
                                       "\nwritten: ..." + b.substr(at ? at - 40 : 0, 120))));
        }
        QCOMPARE(back->execs.back().inherited.front().entry.kind, FdKind::Pipe);
        QVERIFY(!readTraceReport("{", &error));
        QVERIFY(error.startsWith(QLatin1String("not JSON")));
        QVERIFY(!readTraceReport("[1]", &error));
        QVERIFY(!readTraceReport("{\"processes\": [], \"execs\": 3}", &error));
        QCOMPARE(error, QStringLiteral("execs: not a list"));
        QVERIFY(!readTraceReport(
            "{\"processes\": [], \"execs\": [], \"findings\": [{\"exec\": 4}]}", &error));
        QCOMPARE(error, QStringLiteral("findings[0].exec: no exec 4 in the report"));
    }

    void controllerDeliversTheReport()
    {
        TraceController controller;
        QSignalSpy started(&controller, &TraceController::started);
        QSignalSpy finished(&controller, &TraceController::finished);
        TraceOptions options;
        options.argv = {test::helperPath(QStringLiteral("spawnlab-leak-pipe-spawn")).toStdString()};
        const quint64 generation = controller.start(options);
        QVERIFY(controller.isRunning());
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(0).toULongLong(), generation);
        const auto report = finished.first().at(1).value<TraceReport>();
        QCOMPARE(int(report.findings.size()), 2);
        QCOMPARE(started.size(), 1);
        QVERIFY(!controller.isRunning());
    }

    void progressShowsTheTreeWhileItRuns()
    {
        // Both execs come within a few ms, then nothing for 30 s: the live
        // report must still reach the sleep.
        TraceController controller;
        QSignalSpy progress(&controller, &TraceController::progress);
        QSignalSpy finished(&controller, &TraceController::finished);
        TraceOptions options;
        options.argv = {"sh", "-c", "sleep 30; exit 0"};
        controller.start(options);
        bool sawSleep = false;
        while (!sawSleep && finished.isEmpty() && progress.wait(30000)) {
            const auto snapshot =
                progress.takeLast().at(1).value<std::shared_ptr<const TraceReport>>();
            sawSleep = std::any_of(
                snapshot->execs.begin(), snapshot->execs.end(),
                [](const TracedExec &e) { return !e.argv.empty() && e.argv.front() == "sleep"; });
        }
        QVERIFY(sawSleep);
        QVERIFY(controller.isRunning());
        controller.stop();
        QVERIFY(finished.wait(30000));
    }

    void controllerStopKillsTheTree()
    {
        TraceController controller;
        QSignalSpy started(&controller, &TraceController::started);
        QSignalSpy finished(&controller, &TraceController::finished);
        TraceOptions options;
        options.argv = {"sleep", "30"};
        controller.start(options);
        QVERIFY(started.wait(30000));
        controller.stop();
        QVERIFY(finished.wait(30000));
        const auto report = finished.first().at(1).value<TraceReport>();
        QVERIFY(report.exit && report.exit->signal == SIGKILL);
    }

    void destroyingTheControllerEndsTheTrace()
    {
        pid_t pid = 0;
        {
            TraceController controller;
            QSignalSpy started(&controller, &TraceController::started);
            TraceOptions options;
            options.argv = {"sleep", "30"};
            controller.start(options);
            QVERIFY(started.wait(30000));
            pid = pid_t(started.first().at(1).toLongLong());
        }                             // quitting while tracing
        QCOMPARE(::kill(pid, 0), -1); // killed and reaped
    }
};

QTEST_GUILESS_MAIN(TraceModelsTest)
#include "tst_tracemodels.moc"
