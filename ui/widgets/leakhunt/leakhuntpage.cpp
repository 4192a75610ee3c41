// SPDX-License-Identifier: GPL-3.0-or-later
#include "leakhunt/leakhuntpage.h"

#include "explain/leakfix.h"
#include "lab/fdrowdelegate.h"
#include "leakhunt/processpicker.h"
#include "models/trace/findingmodel.h"
#include "models/trace/inheritedfdmodel.h"
#include "models/trace/tracetreemodel.h"
#include "plan/commandline.h"
#include "plan/tracereportjson.h"
#include "qs.h"
#include "rowtableview.h"
#include "run/tracecontroller.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace spawnlab {
namespace {

constexpr qint64 kOutputShown = 1 << 20; // the program's first MiB

// The tree's rows in bold where the model marks them (the process that made
// the selected fd).
class HighlightDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.data(TraceTreeModel::HighlightedRole).toBool()) option->font.setBold(true);
    }
};

QTableView *makeTable(QAbstractItemModel *model, QWidget *parent)
{
    return rowTableView(parent, model);
}

} // namespace

LeakHuntPage::LeakHuntPage(QWidget *parent)
    : QWidget(parent), m_controller(new TraceController(this)),
      m_treeModel(new TraceTreeModel(this)), m_inherited(new InheritedFdModel(this)),
      m_findings(new FindingModel(this)), m_tick(new QTimer(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(createStartRow());
    m_status = new QLabel(tr("Trace a command: every fd that crosses an exec in its process "
                             "tree, where it was made, and whether it leaked."),
                          this);
    m_status->setWordWrap(true);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("traceError"));
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_status);
    layout->addWidget(m_error);
    layout->addWidget(createResultPane(), 1);

    m_tick->setInterval(200);
    connect(m_tick, &QTimer::timeout, this, &LeakHuntPage::showStatus);
    connect(m_controller, &TraceController::progress, this,
            [this](quint64, std::shared_ptr<const TraceReport> report) { showReport(*report); });
    connect(m_controller, &TraceController::finished, this,
            [this](quint64, const TraceReport &report) { showReport(report); });
    connect(m_controller, &TraceController::runningChanged, this, [this](bool running) {
        m_start->setEnabled(!running);
        m_attach->setEnabled(!running);
        m_open->setEnabled(!running);
        m_stop->setEnabled(running);
        running ? m_tick->start() : m_tick->stop();
        showStatus();
        Q_EMIT runningChanged(running);
    });
}

QWidget *LeakHuntPage::createStartRow()
{
    auto *row = new QWidget(this);
    auto *rows = new QVBoxLayout(row);
    rows->setContentsMargins(0, 0, 0, 0);
    rows->addLayout(createCommandRow(row));
    rows->addLayout(createAttachRow(row));

    connect(m_start, &QPushButton::clicked, this, [this] { startCommand(); });
    connect(m_fromLab, &QPushButton::clicked, this, &LeakHuntPage::labCommandWanted);
    connect(m_command, &QLineEdit::returnPressed, this, [this] {
        if (!isRunning()) startCommand();
    });
    connect(m_attach, &QPushButton::clicked, this, &LeakHuntPage::attachToTypedPid);
    connect(m_stop, &QPushButton::clicked, this, &LeakHuntPage::stop);
    connect(m_copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(qs(traceReportText(m_report))); });
    connect(m_export, &QPushButton::clicked, this, &LeakHuntPage::exportDialog);
    connect(m_open, &QPushButton::clicked, this, &LeakHuntPage::openDialog);
    return row;
}

// Command, working directory, Lab's program, Stacks, Children, Start, Stop.
QHBoxLayout *LeakHuntPage::createCommandRow(QWidget *row)
{
    m_command = new QLineEdit(row);
    m_command->setPlaceholderText(tr("a command, e.g. make -j2  or  python3 server.py"));
    m_command->setToolTip(tr("Split as a shell splits it ('...', \"...\", \\); no expansion; "
                             "PATH is searched"));
    m_cwd = new QLineEdit(row);
    m_cwd->setPlaceholderText(tr("working directory (this one)"));
    m_stacks = new QCheckBox(tr("Stacks"), row);
    m_stacks->setToolTip(tr("Record the stack of the thread that made each fd that can leak "
                            "(elfutils; file:line with debug info)"));
    m_follow = new QCheckBox(tr("Children"), row);
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Follow the processes it starts. Off: only the program (or the "
                            "attached process) and its threads, and a launched program stops "
                            "at every call (its children would inherit the seccomp filter)"));
    m_fromLab = new QPushButton(tr("Lab's program"), row);
    m_fromLab->setToolTip(tr("Trace the program of the plan in the Lab"));
    m_start = new QPushButton(tr("Start"), row);
    m_stop = new QPushButton(tr("Stop"), row);
    m_stop->setEnabled(false);
    m_stop->setToolTip(
        tr("A launched tree is killed; an attached process is detached and runs on"));
    auto *line = new QHBoxLayout;
    line->addWidget(new QLabel(tr("Command:"), row));
    line->addWidget(m_command, 3);
    line->addWidget(m_cwd, 1);
    for (QWidget *w :
         std::initializer_list<QWidget *>{m_fromLab, m_stacks, m_follow, m_start, m_stop})
        line->addWidget(w);
    return line;
}

// A pid to attach to (typed or picked), and the report's Copy, Export, Open.
QHBoxLayout *LeakHuntPage::createAttachRow(QWidget *row)
{
    m_pid = new QLineEdit(row);
    m_pid->setPlaceholderText(tr("pid"));
    m_pid->setMaximumWidth(110);
    auto *pick = new QPushButton(tr("Pick…"), row);
    pick->setToolTip(tr("Choose the process from a list (pid, user, program, fds)"));
    m_attach = new QPushButton(tr("Attach to process"), row);
    m_attach->setToolTip(tr("Trace a running process and the children it starts from now on "
                            "(every system call stops: slower)"));
    m_copy = new QPushButton(tr("Copy as text"), row);
    m_export = new QPushButton(tr("Export JSON…"), row);
    m_open = new QPushButton(tr("Open…"), row);
    m_open->setToolTip(tr("Open a saved report (Export, or spawnlab-cli trace --out FILE)"));
    auto *line = new QHBoxLayout;
    line->addWidget(new QLabel(tr("or attach to pid:"), row));
    line->addWidget(m_pid);
    line->addWidget(pick);
    line->addWidget(m_attach);
    line->addStretch(1);
    line->addWidget(m_copy);
    line->addWidget(m_export);
    line->addWidget(m_open);
    connect(pick, &QPushButton::clicked, this, [this] {
        ProcessPicker picker(this);
        if (picker.exec() != QDialog::Accepted || !picker.chosenPid()) return;
        m_pid->setText(QString::number(picker.chosenPid()));
        attachTo(picker.chosenPid());
    });
    return line;
}

void LeakHuntPage::attachToTypedPid()
{
    bool ok = false;
    const qint64 pid = m_pid->text().trimmed().toLongLong(&ok);
    if (!ok || pid <= 0) {
        m_error->setText(tr("pid: \"%1\" is not a process id").arg(m_pid->text()));
        m_error->show();
        return;
    }
    attachTo(pid);
}

QWidget *LeakHuntPage::createResultPane()
{
    auto *split = new QSplitter(Qt::Horizontal, this);
    // Left: the tree, and below it the selected fd's whole record (as the
    // Lab's fd tooltips and the inspector show it) with its peers and stack.
    auto *left = new QSplitter(Qt::Vertical, split);
    m_tree = new QTreeView(left);
    m_tree->setModel(m_treeModel);
    m_tree->setItemDelegate(new HighlightDelegate(m_tree));
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(TraceTreeModel::Program, QHeaderView::Stretch);
    m_fdDetails = new QPlainTextEdit(left);
    m_fdDetails->setObjectName(QStringLiteral("fdDetails"));
    m_fdDetails->setReadOnly(true);
    m_fdDetails->setPlaceholderText(tr("Select an inherited fd: what it is, which other traced "
                                       "programs hold it, where it was made"));
    left->setStretchFactor(0, 3);
    left->setStretchFactor(1, 2);
    // Right: what the selected exec inherited, the findings, the output.
    auto *right = new QSplitter(Qt::Vertical, split);
    createInheritedPane(right);
    createFindingsPane(right);
    m_output = new QPlainTextEdit(right);
    m_output->setReadOnly(true);
    m_output->setPlaceholderText(tr("The traced program's output (stdout and stderr)"));
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 3);
    right->setStretchFactor(2, 1);

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &LeakHuntPage::showProcessAt);
    connect(m_inheritedView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &LeakHuntPage::showInheritedFdAt);
    connect(m_findingsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &LeakHuntPage::showFindingAt);
    return split;
}

void LeakHuntPage::createInheritedPane(QWidget *parent)
{
    auto *inherited = new QWidget(parent);
    auto *layout = new QVBoxLayout(inherited);
    layout->setContentsMargins(0, 0, 0, 0);
    m_inheritedTitle =
        new QLabel(tr("Select a process to see the fds its exec inherited."), inherited);
    m_inheritedView = makeTable(m_inherited, inherited);
    // Leaked rows tinted as the Lab tints its leak risks.
    m_inheritedView->setItemDelegate(
        new FdRowDelegate({-1, -1, InheritedFdModel::LeakRiskRole, -1}, m_inheritedView));
    layout->addWidget(m_inheritedTitle);
    layout->addWidget(m_inheritedView);
}

void LeakHuntPage::createFindingsPane(QWidget *parent)
{
    auto *findings = new QWidget(parent);
    auto *layout = new QVBoxLayout(findings);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Findings, most severe first:"), findings));
    m_findingsView = makeTable(m_findings, findings);
    m_findingsView->setWordWrap(true);
    layout->addWidget(m_findingsView, 3);
    m_explain = new QPlainTextEdit(findings);
    m_explain->setReadOnly(true);
    m_explain->setPlaceholderText(tr("Select a finding: why it leaked and what fixes it"));
    layout->addWidget(m_explain, 2);
}

void LeakHuntPage::showProcessAt(const QModelIndex &current)
{
    m_fdDetails->clear();
    if (!current.isValid()) {
        m_inherited->clear();
        return;
    }
    const qint64 pid = current.data(TraceTreeModel::PidRole).toLongLong();
    m_inherited->show(m_report, pid);
    m_inheritedTitle->setText(m_inherited->rowCount()
                                  ? tr("What pid %1's exec inherited (fds 3 and up):").arg(pid)
                                  : tr("pid %1 inherited no fd from 3 up at its exec.").arg(pid));
    m_inheritedView->resizeColumnsToContents();
    if (m_inherited->rowCount()) m_inheritedView->selectRow(0); // its record shown
}

// The process that made the selected inherited fd is marked in the tree.
void LeakHuntPage::showInheritedFdAt(const QModelIndex &current)
{
    m_treeModel->setHighlightedPid(current.data(InheritedFdModel::OriginPidRole).toLongLong());
    m_fdDetails->setPlainText(current.data(InheritedFdModel::DetailsRole).toString());
}

void LeakHuntPage::showFindingAt(const QModelIndex &current)
{
    selectProcess(current.data(FindingModel::PidRole).toLongLong(),
                  current.data(FindingModel::FdRole).toInt());
    const int row = current.row();
    m_explain->setPlainText(current.isValid() && row < int(m_report.findings.size())
                                ? explainFinding(m_report, m_report.findings[std::size_t(row)])
                                : QString());
}

void LeakHuntPage::startCommand(const QString &command)
{
    if (!command.isEmpty()) m_command->setText(command);
    QString problem;
    const QStringList words = splitCommandLine(m_command->text(), &problem);
    if (words.isEmpty()) {
        m_error->setText(problem.isEmpty()
                             ? tr("Command: type the program to trace and its arguments")
                             : tr("Command: %1").arg(problem));
        m_error->show();
        return;
    }
    TraceOptions options;
    for (const QString &w : words)
        options.argv.push_back(w.toStdString());
    options.cwd = m_cwd->text().trimmed().toStdString();
    if (m_outputDir.isValid()) {
        const QString output = m_outputDir.filePath(QStringLiteral("output"));
        QFile::remove(output);
        options.outputPath = output.toStdString();
    }
    begin(options);
}

void LeakHuntPage::setCommand(const std::vector<std::string> &argv, const std::string &cwd)
{
    QStringList words;
    for (const std::string &a : argv)
        words << qs(a);
    m_command->setText(joinCommandLine(words));
    m_cwd->setText(qs(cwd));
}

void LeakHuntPage::attachTo(qint64 pid)
{
    TraceOptions options;
    options.attachPid = pid_t(pid);
    begin(options);
}

void LeakHuntPage::begin(TraceOptions options)
{
    options.stacks = m_stacks->isChecked();
    options.followChildren = m_follow->isChecked();
    m_error->hide();
    m_output->clear();
    showReport(TraceReport{});
    m_elapsed.start();
    m_controller->start(options);
}

void LeakHuntPage::stop()
{
    m_controller->stop();
}

bool LeakHuntPage::isRunning() const
{
    return m_controller->isRunning();
}

void LeakHuntPage::showReport(const TraceReport &report)
{
    const qint64 selected = m_tree->currentIndex().data(TraceTreeModel::PidRole).toLongLong();
    m_report = report;
    m_treeModel->setReport(report);
    m_findings->setReport(report);
    m_tree->expandAll();
    m_tree->resizeColumnToContents(TraceTreeModel::Pid);
    m_findingsView->resizeColumnsToContents();
    m_findingsView->resizeRowsToContents();
    if (selected) selectProcess(selected);
    if (report.error && report.execs.empty()) {
        m_error->setText(qs(*report.error));
        m_error->show();
    }
    showStatus();
    showOutput();
}

void LeakHuntPage::showStatus()
{
    const TraceReport &r = m_report;
    int leaked = 0;
    for (const TracedExec &e : r.execs)
        for (const InheritedFd &in : e.inherited)
            leaked += in.verdict == FdVerdict::Leaked;
    const QString counts = tr("%n process(es)", nullptr, int(r.processes.size())) +
                           QStringLiteral(", ") + tr("%n exec(s)", nullptr, int(r.execs.size())) +
                           QStringLiteral(", ") + tr("%n leaked fd(s)", nullptr, leaked);
    if (isRunning()) {
        m_status->setText(tr("Tracing… %1 so far · %2 s")
                              .arg(counts)
                              .arg(double(m_elapsed.elapsed()) / 1000.0, 0, 'f', 1));
        return;
    }
    if (r.processes.empty()) return;
    QString text =
        tr("Traced %1 in %2 s: %3")
            .arg(counts)
            .arg(r.overhead.elapsedUs / 1e6, 0, 'f', 2)
            .arg(r.findings.empty() ? tr("no fd crossed an exec by mistake.")
                                    : tr("%n finding(s).", nullptr, int(r.findings.size())));
    for (const auto &note : r.notes)
        text += QStringLiteral(" ") + qs(note) + QStringLiteral(".");
    m_status->setText(text);
}

void LeakHuntPage::showOutput()
{
    QFile output(m_outputDir.filePath(QStringLiteral("output")));
    if (!output.open(QIODevice::ReadOnly)) return;
    const QByteArray bytes = output.read(kOutputShown);
    QString text = QString::fromUtf8(bytes);
    if (output.size() > kOutputShown)
        text += tr("\n[… %1 more bytes not shown]").arg(output.size() - kOutputShown);
    if (text != m_output->toPlainText()) m_output->setPlainText(text);
}

void LeakHuntPage::selectProcess(qint64 pid, int fd)
{
    const QModelIndex at = m_treeModel->indexOfPid(pid);
    if (!at.isValid()) return;
    m_tree->setCurrentIndex(at);
    if (fd < 0) return;
    for (int row = 0; row < m_inherited->rowCount(); ++row) {
        const QModelIndex cell = m_inherited->index(row, 0);
        if (cell.data(InheritedFdModel::FdRole).toInt() == fd) {
            m_inheritedView->selectRow(row);
            break;
        }
    }
}

bool LeakHuntPage::exportTo(const QString &path, QString *error) const
{
    QSaveFile file(path);
    const QByteArray json = QByteArray::fromStdString(traceReportJson(m_report));
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.commit()) {
        if (error) *error = tr("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool LeakHuntPage::openReport(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error) *error = tr("%1: %2").arg(path, file.errorString());
        return false;
    }
    QString problem;
    const std::optional<TraceReport> report = readTraceReport(file.readAll(), &problem);
    if (!report) {
        if (error) *error = tr("%1: %2").arg(path, problem);
        return false;
    }
    m_error->hide();
    m_output->clear();
    showReport(*report);
    return true;
}

void LeakHuntPage::openDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a leak hunt report"), {},
                                                      tr("JSON (*.json);;All files (*)"));
    if (path.isEmpty()) return;
    QString error;
    if (!openReport(path, &error)) {
        m_error->setText(error);
        m_error->show();
    }
}

void LeakHuntPage::exportDialog()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export the leak hunt report"), QStringLiteral("trace.json"), tr("JSON (*.json)"));
    if (path.isEmpty()) return;
    QString error;
    if (!exportTo(path, &error)) {
        m_error->setText(error);
        m_error->show();
    }
}

} // namespace spawnlab
