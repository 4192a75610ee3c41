// SPDX-License-Identifier: GPL-3.0-or-later
#include "screenshots.h"

#include "editor/planeditor.h"
#include "lab/fdtablesview.h"
#include "lab/timelineview.h"
#include "leakhunt/leakhuntpage.h"
#include "mainwindow.h"
#include "models/fdtablemodel.h"
#include "models/steptimelinemodel.h"
#include "run/runcontroller.h"
#include "run/tracecontroller.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QTableView>
#include <QTimer>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <memory>

extern char **environ;

namespace spawnlab {
namespace {

// A `sleep` that holds a pipe's write end while spawnlab keeps the read end
// inheritable: the fd tables then show a leak risk whose other end another
// process holds (Held elsewhere). Killed and reaped when the shots are done.
struct PipeHolder {
    pid_t pid = -1;
    int readEnd = -1;

    PipeHolder()
    {
        // Both ends CLOEXEC while sleep starts, so it gets only the write end
        // (as its stdout); then spawnlab's read end becomes inheritable.
        int ends[2];
        if (::pipe2(ends, O_CLOEXEC) != 0) return;
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, ends[1], STDOUT_FILENO);
        char sleep[] = "sleep", seconds[] = "600";
        char *argv[] = {sleep, seconds, nullptr};
        if (posix_spawnp(&pid, "sleep", &actions, nullptr, argv, environ) != 0) pid = -1;
        posix_spawn_file_actions_destroy(&actions);
        ::close(ends[1]);
        readEnd = ends[0];
        if (::fcntl(readEnd, F_SETFD, 0) != 0) { // no leak to show: shoot without it
            ::close(readEnd);
            readEnd = -1;
        }
    }
    ~PipeHolder()
    {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
        if (readEnd >= 0) ::close(readEnd);
    }
};

// One step after another, each once the event loop has laid out the last.
class Sequence
{
public:
    Sequence(MainWindow *window, const QString &directory) : m_window(window), m_dir(directory) {}

    void shoot(const QString &name)
    {
        QApplication::processEvents();
        const QString path = m_dir.filePath(name + QStringLiteral(".png"));
        if (!m_window->grab().save(path)) {
            qWarning("spawnlab: cannot write %s", qPrintable(path));
            m_failed = true;
        }
    }

    // Opens `plan`, shows editor `section` (shot `editorShot` if not empty),
    // runs it and shoots each page with `prefix`; then calls `next`.
    void runExample(const QString &plan, int section, const QString &editorShot,
                    const QString &prefix, std::function<void()> next)
    {
        m_window->openPlan(plan);
        m_window->planEditor()->showSection(section);
        m_window->showPage(MainWindow::ResultPage);
        QTimer::singleShot(300, m_window, [=, this] {
            if (!editorShot.isEmpty()) shoot(editorShot);
            auto connection = std::make_shared<QMetaObject::Connection>();
            *connection = QObject::connect(m_window->runController(), &RunController::finished,
                                           m_window, [=, this] {
                                               QObject::disconnect(*connection);
                                               QTimer::singleShot(300, m_window, [=, this] {
                                                   shootPages(prefix);
                                                   next();
                                               });
                                           });
            m_window->runPlan();
        });
    }

    void shootPages(const QString &prefix)
    {
        m_window->showPage(MainWindow::ResultPage);
        shoot(prefix + QStringLiteral("result"));
        m_window->showPage(MainWindow::FdTablesPage);
        // Select the pipe whose other end sleep holds (else the first leaking
        // fd): its open file lights up in every table, its holders below.
        FdTableModel *parent = m_window->fdTablesView()->stageModel(0);
        int selected = parent->rowOfFd(m_holder.readEnd);
        for (int row = 0; row < parent->rowCount() && selected < 0; ++row)
            if (!parent->index(row, 0).data(FdTableModel::LeakRiskRole).toString().isEmpty())
                selected = row;
        if (selected >= 0) m_window->fdTablesView()->selectFd(0, parent->entry(selected).fd);
        shoot(prefix + QStringLiteral("fd-tables"));
        if (prefix == u"closed-") {
            // Four stages side by side: show them with the editor hidden (View > Plan editor, F9).
            auto *editor = m_window->findChild<QAction *>(QStringLiteral("showEditorAction"));
            editor->setChecked(false);
            shoot(prefix + QStringLiteral("fd-tables-wide"));
            editor->setChecked(true);
        }
        m_window->showPage(MainWindow::TimelinePage);
        shoot(prefix + QStringLiteral("timeline"));
        if (prefix.isEmpty()) {
            m_window->showPage(MainWindow::ExplainPage);
            shoot(QStringLiteral("explain"));
            m_window->showPage(MainWindow::CodePage);
            shoot(QStringLiteral("code"));
        }
    }

    // A real trace of a program whose grandchild keeps a pipe's write end: the
    // pipe is handed to sh on purpose, and sh passes it on to a background sleep.
    void huntLeak(std::function<void()> next)
    {
        m_window->showMode(MainWindow::LeakHuntMode);
        LeakHuntPage *page = m_window->leakHuntPage();
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection =
            QObject::connect(page->controller(), &TraceController::finished, m_window, [=, this] {
                QObject::disconnect(*connection);
                QTimer::singleShot(300, m_window, [=, this] {
                    page->findingsView()->selectRow(0);
                    shoot(QStringLiteral("leak-hunt"));
                    next();
                });
            });
        page->startCommand(QStringLiteral(
            "python3 -c \"import os, subprocess; r, w = os.pipe(); os.set_inheritable(w, True); "
            "subprocess.run(['sh', '-c', 'sleep 0.2 & echo started'], close_fds=False)\""));
    }

    // inspect every_step: the swap example, the Timeline on the step that
    // puts the parent's stdout on fd 0, its table beside it with the change.
    void stepThroughSwap(std::function<void()> next)
    {
        m_window->openPlan(QStringLiteral(":/plans/swap_step_by_step.json"));
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = QObject::connect(
            m_window->runController(), &RunController::finished, m_window, [=, this] {
                QObject::disconnect(*connection);
                QTimer::singleShot(300, m_window, [=, this] {
                    m_window->showPage(MainWindow::TimelinePage);
                    TimelineView *timeline = m_window->timelineView();
                    const auto *model = timeline->model();
                    for (int row = 0; row < model->rowCount(); ++row)
                        if (Step(model->index(row, 0).data(StepTimelineModel::StepRole).toInt()) ==
                                Step::Dup2 &&
                            model->index(row, StepTimelineModel::Argument)
                                .data()
                                .toString()
                                .endsWith(QLatin1String("-> 0"))) {
                            timeline->stepTable()->selectRow(row);
                            break;
                        }
                    shoot(QStringLiteral("timeline-steps"));
                    next();
                });
            });
        m_window->runPlan();
    }

    bool failed() const { return m_failed; }

private:
    MainWindow *m_window;
    QDir m_dir;
    bool m_failed = false;
    PipeHolder m_holder;
};

} // namespace

void takeScreenshots(MainWindow *window, const QString &directory)
{
    QDir().mkpath(directory);
    window->resize(1440, 900); // the same pictures whatever layout was remembered
    auto sequence = std::make_shared<Sequence>(window, directory);
    // If a run never finishes, give up rather than hang.
    QTimer::singleShot(60000, qApp, [] {
        qWarning("spawnlab: screenshots timed out");
        QApplication::exit(1);
    });
    QTimer::singleShot(500, window, [window, sequence] {
        window->planEditor()->showSection(1);
        sequence->shoot(QStringLiteral("plan-editor-environment"));
        window->planEditor()->showSection(4);
        sequence->shoot(QStringLiteral("plan-editor-signals"));
        sequence->runExample(QStringLiteral(":/plans/fd_leak.json"), 2,
                             QStringLiteral("plan-editor"), QString(), [window, sequence] {
                                 sequence->runExample(
                                     QStringLiteral(":/plans/fd_leak_closed.json"), 2, QString(),
                                     QStringLiteral("closed-"), [window, sequence] {
                                         sequence->runExample(
                                             QStringLiteral(":/plans/failing_chdir.json"), 0,
                                             QStringLiteral("plan-editor-program"),
                                             QStringLiteral("failing-"), [sequence] {
                                                 sequence->huntLeak([sequence] {
                                                     sequence->stepThroughSwap([sequence] {
                                                         QApplication::exit(sequence->failed() ? 1
                                                                                               : 0);
                                                     });
                                                 });
                                             });
                                     });
                             });
        Q_UNUSED(window);
    });
}

} // namespace spawnlab
