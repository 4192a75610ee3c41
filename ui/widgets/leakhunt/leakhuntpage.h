// SPDX-License-Identifier: GPL-3.0-or-later
// The Leak hunt page: a command (or a pid to attach to) traced by the leak
// hunter. The process tree grows while it runs; selecting a process shows
// what its exec(s) inherited, fd by fd, with verdict and origin; the findings
// list says what leaked, most severe first. The traced program's output
// appears below. Copy as text and Export give the CLI's report formats.
#pragma once

#include "spawnlab/trace.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QWidget>

class QCheckBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QModelIndex;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTimer;
class QTreeView;

namespace spawnlab {

class FindingModel;
class InheritedFdModel;
class TraceController;
class TraceTreeModel;

class LeakHuntPage : public QWidget
{
    Q_OBJECT
public:
    explicit LeakHuntPage(QWidget *parent = nullptr);

    // Starts tracing the command line in the Command field (or `command`).
    void startCommand(const QString &command = {});
    void attachTo(qint64 pid);
    void stop();
    // The command line (quoted as a shell reads it) and working directory
    // fields, from a plan's argv and cwd.
    void setCommand(const std::vector<std::string> &argv, const std::string &cwd);
    bool exportTo(const QString &path, QString *error) const;
    // A saved report (`spawnlab-cli trace --out`, Export) replaces what is
    // shown; false with `error` set if it cannot be read.
    bool openReport(const QString &path, QString *error);

    bool isRunning() const;
    const TraceReport &report() const { return m_report; }
    TraceController *controller() const { return m_controller; }
    QLineEdit *commandEdit() const { return m_command; }
    QCheckBox *followBox() const { return m_follow; }
    QTreeView *treeView() const { return m_tree; }
    QTableView *inheritedView() const { return m_inheritedView; }
    QTableView *findingsView() const { return m_findingsView; }
    QLabel *statusLabel() const { return m_status; }
    QLabel *errorLabel() const { return m_error; }
    QPlainTextEdit *outputView() const { return m_output; }
    QPlainTextEdit *explainView() const { return m_explain; }
    QPlainTextEdit *fdDetailsView() const { return m_fdDetails; }
    QPushButton *startButton() const { return m_start; }
    QPushButton *stopButton() const { return m_stop; }

Q_SIGNALS:
    void runningChanged(bool running);
    // "Lab's program" was pressed: the window answers with setCommand().
    void labCommandWanted();

private:
    QWidget *createStartRow();
    QHBoxLayout *createCommandRow(QWidget *row);
    QHBoxLayout *createAttachRow(QWidget *row);
    QWidget *createResultPane();
    void createInheritedPane(QWidget *parent);
    void createFindingsPane(QWidget *parent);
    void attachToTypedPid();
    void showProcessAt(const QModelIndex &current);
    void showInheritedFdAt(const QModelIndex &current);
    void showFindingAt(const QModelIndex &current);
    void begin(TraceOptions options); // with the page's Stacks and Children choices
    void showReport(const TraceReport &report);
    void showStatus();
    void showOutput();
    void selectProcess(qint64 pid, int fd = -1);
    void exportDialog();
    void openDialog();

    TraceController *m_controller = nullptr;
    TraceTreeModel *m_treeModel = nullptr;
    InheritedFdModel *m_inherited = nullptr;
    FindingModel *m_findings = nullptr;
    TraceReport m_report;
    QElapsedTimer m_elapsed;
    QTimer *m_tick = nullptr;
    QTemporaryDir m_outputDir;

    QLineEdit *m_command = nullptr;
    QLineEdit *m_cwd = nullptr;
    QLineEdit *m_pid = nullptr;
    QCheckBox *m_stacks = nullptr;
    QCheckBox *m_follow = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_fromLab = nullptr;
    QPushButton *m_attach = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_open = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_inheritedTitle = nullptr;
    QTreeView *m_tree = nullptr;
    QTableView *m_inheritedView = nullptr;
    QTableView *m_findingsView = nullptr;
    QPlainTextEdit *m_output = nullptr;
    QPlainTextEdit *m_explain = nullptr;
    QPlainTextEdit *m_fdDetails = nullptr;
};

} // namespace spawnlab
