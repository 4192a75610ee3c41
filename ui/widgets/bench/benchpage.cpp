// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/benchpage.h"

#include "qs.h"

#include "bench/benchsetup.h"
#include "bench/closefdschart.h"
#include "bench/latencychart.h"
#include "bench/memorychart.h"
#include "bench/runtimeschart.h"
#include "bench/threadschart.h"
#include "run/benchcontroller.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace spawnlab {
namespace {

QString durationText(double seconds)
{
    const int s = int(std::lround(seconds));
    if (s < 60) return QObject::tr("%1 s").arg(s);
    if (s < 3600) return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QObject::tr("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60);
}

struct ExportKind {
    BenchPage::Export kind;
    const char *label;
    const char *filter;
    const char *suffix;
};

const ExportKind kExports[] = {
    {BenchPage::Export::ChartPng, "Chart shown as PNG…", "PNG images (*.png)", "png"},
    {BenchPage::Export::ChartPdf, "Chart shown as PDF…", "PDF documents (*.pdf)", "pdf"},
    {BenchPage::Export::Csv, "Points as CSV…", "CSV files (*.csv)", "csv"},
    {BenchPage::Export::Json, "Result as JSON…", "Benchmark results (*.json)", "json"},
};

} // namespace

BenchPage::BenchPage(QWidget *parent) : QWidget(parent)
{
    m_controller = new BenchController(this);
    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->addWidget(createSetupPane());
    m_split->addWidget(createChartsPane());
    m_split->setStretchFactor(0, 0);
    m_split->setStretchFactor(1, 1);
    m_split->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_split);

    connect(m_setup, &BenchSetup::runRequested, this, &BenchPage::run);
    connect(m_controller, &BenchController::pointAvailable, this, [this](const bench::Point &p) {
        m_result.points.push_back(p);
        showResult();
    });
    connect(m_controller, &BenchController::progress, this, &BenchPage::showProgress);
    connect(m_controller, &BenchController::noteAvailable, this,
            [this](const QString &note) { m_status->setText(note); });
    connect(m_controller, &BenchController::finished, this,
            [this](const BenchResult &r) { runEnded(r, tr("Done")); });
    connect(m_controller, &BenchController::cancelled, this,
            [this](const BenchResult &r) { runEnded(r, tr("Cancelled")); });
    connect(m_controller, &BenchController::failed, this, [this](const QString &message) {
        runEnded(m_controller->result(), tr("Failed"));
        m_status->setText(tr("The benchmark stopped: %1").arg(message));
    });
    connect(m_controller, &BenchController::runningChanged, this, [this](bool running) {
        m_setup->setRunning(running);
        m_cancel->setEnabled(running);
        Q_EMIT runningChanged(running);
    });
    showResult();
}

QWidget *BenchPage::createSetupPane()
{
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *pane = new QWidget(scroll);
    auto *layout = new QVBoxLayout(pane);
    m_setup = new BenchSetup(pane);
    layout->addWidget(m_setup);

    auto *files = new QHBoxLayout;
    auto *open =
        new QPushButton(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("Open…"), pane);
    open->setToolTip(tr("Show a saved result (spawnlab's JSON or spawnlab-cli bench output)"));
    connect(open, &QPushButton::clicked, this, [this] { openDialog(false); });
    auto *compare = new QPushButton(tr("Compare…"), pane);
    compare->setToolTip(tr("Draw a saved result dashed beside the current one"));
    connect(compare, &QPushButton::clicked, this, [this] { openDialog(true); });
    m_clearCompare = new QPushButton(tr("Clear"), pane);
    m_clearCompare->setToolTip(tr("Remove the comparison"));
    m_clearCompare->setEnabled(false); // nothing to clear yet
    connect(m_clearCompare, &QPushButton::clicked, this, &BenchPage::clearComparison);
    auto *exportButton = new QToolButton(pane);
    exportButton->setText(tr("Export"));
    exportButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(exportButton);
    for (const ExportKind &e : kExports)
        menu->addAction(tr(e.label), this, [this, kind = e.kind] { exportDialog(kind); });
    exportButton->setMenu(menu);
    files->addWidget(open);
    files->addWidget(compare);
    files->addWidget(m_clearCompare);
    files->addWidget(exportButton);
    layout->addLayout(files);
    scroll->setWidget(pane);
    scroll->setMinimumWidth(pane->sizeHint().width() + 24);
    return scroll;
}

QWidget *BenchPage::createChartsPane()
{
    auto *pane = new QWidget(this);
    auto *layout = new QVBoxLayout(pane);
    auto *bar = new QHBoxLayout;
    m_progress = new QProgressBar(pane);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("No benchmark running"));
    m_timeLeft = new QLabel(pane);
    m_timeLeft->setMinimumWidth(fontMetrics().horizontalAdvance(tr("about 59 min 59 s left")));
    m_cancel = new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), tr("Cancel"), pane);
    m_cancel->setEnabled(false);
    m_cancel->setToolTip(tr("Stop the worker after the sample under way; the points so far stay"));
    connect(m_cancel, &QPushButton::clicked, this, &BenchPage::cancel);
    bar->addWidget(m_progress, 1);
    bar->addWidget(m_timeLeft);
    bar->addWidget(m_cancel);
    layout->addLayout(bar);
    m_status = new QLabel(pane);
    m_status->setWordWrap(false);
    m_status->setMinimumWidth(1); // a long note is cut off, not widening the page
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    m_chartTabs = new QTabWidget(pane);
    m_latency = new LatencyChart(m_chartTabs);
    m_memory = new MemoryChart(m_chartTabs);
    m_threads = new ThreadsChart(m_chartTabs);
    m_runtimes = new RuntimesChart(m_chartTabs);
    m_closeFds = new CloseFdsChart(m_chartTabs);
    m_chartTabs->addTab(m_latency, tr("Latency against RSS"));
    m_chartTabs->addTab(m_memory, tr("Memory shapes"));
    m_chartTabs->addTab(m_threads, tr("Threads"));
    m_chartTabs->addTab(m_runtimes, tr("Runtimes"));
    m_chartTabs->addTab(m_closeFds, tr("close_fds"));
    layout->addWidget(m_chartTabs, 1);
    layout->addLayout(createViewOptions(pane));
    return pane;
}

QHBoxLayout *BenchPage::createViewOptions(QWidget *pane)
{
    auto *view = new QHBoxLayout;
    m_logRss = new QCheckBox(tr("Log RSS axis"), pane);
    m_logLatency = new QCheckBox(tr("Log latency axes"), pane);
    m_logLatency->setChecked(true);
    m_phase = new QComboBox(pane);
    m_phase->addItem(tr("Round trip: spawn → exec → exit → reaped"));
    m_phase->addItem(tr("Spawn → exec confirmed"));
    m_phase->addItem(tr("Spawn → the call returned"));
    m_phase->setToolTip(tr("What one sample's clock covers (raw_fork has no exec-confirmed "
                           "points: without an error pipe it cannot know; vfork and clone_vm "
                           "return only once the child has exec'd)"));
    connect(m_logRss, &QCheckBox::toggled, m_latency, &LatencyChart::setLogRss);
    connect(m_logLatency, &QCheckBox::toggled, this, [this](bool log) {
        for (BenchChart *chart : charts()) // the threads chart's rates stay linear
            chart->setLogLatency(log);
    });
    connect(m_phase, &QComboBox::currentIndexChanged, this, [this](int i) {
        const bench::Phase phase = bench::kPhases[i];
        m_latency->setPhase(phase);
        m_memory->setPhase(phase);
    });
    view->addWidget(m_logRss);
    view->addWidget(m_logLatency);
    view->addWidget(m_phase);
    view->addStretch(1);
    return view;
}

QList<BenchChart *> BenchPage::charts() const
{
    return {m_latency, m_memory, m_threads, m_runtimes, m_closeFds};
}

BenchChart *BenchPage::chartOf(const QString &series) const
{
    if (series == u"rss") return m_latency;
    if (series == u"memory") return m_memory;
    if (series == u"threads") return m_threads;
    if (series == u"runtimes") return m_runtimes;
    if (series == u"close_fds") return m_closeFds;
    return nullptr;
}

bool BenchPage::isRunning() const
{
    return m_controller->isRunning();
}

void BenchPage::run(const QString &series)
{
    // Disabled while a run is under way or while that series' setup has problems.
    const QPushButton *button = m_setup->runButton(series);
    if (!button || !button->isEnabled()) return;
    const BenchRequest request = m_setup->request(series);
    // The new run's series replaces the one on screen; the others stay.
    m_runSeries = request.series.toStdString();
    m_result.removeSeries(m_runSeries);
    if (BenchChart *chart = chartOf(series)) m_chartTabs->setCurrentWidget(chart);
    m_progress->setRange(0, 0); // indeterminate until the worker's first report
    m_timeLeft->clear();
    m_status->setText(
        tr("Starting the worker: spawnlab-cli bench %1").arg(request.arguments().join(u' ')));
    m_controller->start(request);
    showResult();
}

void BenchPage::cancel()
{
    if (!m_controller->isRunning()) return;
    m_controller->cancel();
    m_status->setText(tr("Cancelling: the worker stops after the sample under way…"));
}

void BenchPage::showProgress(int done, int total)
{
    const bool visits = m_runSeries == "rss" || m_runSeries == "memory";
    m_progress->setFormat(visits ? tr("%p% (%v of %m size visits)") : tr("%p% (%v of %m points)"));
    m_progress->setRange(0, total);
    m_progress->setValue(done);
    const double left = m_controller->secondsLeft();
    m_timeLeft->setText(left >= 0 ? tr("about %1 left").arg(durationText(left)) : QString());
    if (!m_controller->result().isEmpty()) {
        const bench::Point &p = m_controller->result().points.back();
        QString where = tr("at %1 MiB").arg(p.rssMb);
        if (p.series == "close_fds")
            where = tr("%1 with %2 open fds, RLIMIT_NOFILE %3")
                        .arg(qs(p.closeMethod))
                        .arg(p.openFds)
                        .arg(p.nofile);
        if (p.series == "memory") where += QLatin1Char(' ') + qs(p.shape);
        if (p.series == "runtimes") where = qs(p.api) + QLatin1Char(' ') + where;
        if (p.series == "threads")
            where = tr("with %1 threads (%2 spawns/s)")
                        .arg(p.threads)
                        .arg(p.spawnsPerSecond.median, 0, 'f', 0);
        m_status->setText(tr("%1 of %2 done; last: %3 %4, median %5 ms")
                              .arg(done)
                              .arg(total)
                              .arg(qs(p.strategy), where)
                              .arg(p.stats.median / 1000.0, 0, 'f', 3));
    }
}

void BenchPage::runEnded(const BenchResult &run, const QString &how)
{
    // Keep the run's description; notes of both series are kept.
    const std::vector<std::string> earlier = m_result.meta.notes;
    m_result.meta = run.meta;
    for (const std::string &n : earlier)
        if (std::find(m_result.meta.notes.begin(), m_result.meta.notes.end(), n) ==
            m_result.meta.notes.end())
            m_result.meta.notes.push_back(n);
    if (m_progress->maximum() == 0) m_progress->setRange(0, 1);
    m_progress->setFormat(tr("%1: %p%").arg(how));
    m_timeLeft->clear();
    if (how == tr("Done")) m_progress->setValue(m_progress->maximum()); // skipped work included
    QString text = tr("%1: %2 points in %3.")
                       .arg(how)
                       .arg(run.points.size())
                       .arg(durationText(m_controller->elapsedSeconds()));
    // Notes say what was skipped and why; one line here, all of them on hover.
    QStringList notes;
    for (const std::string &note : run.meta.notes)
        notes << qs(note);
    if (!notes.isEmpty())
        text +=
            QLatin1Char(' ') + (notes.size() == 1 ? notes.front()
                                                  : tr("%1 notes (hover to read), the first: %2")
                                                        .arg(notes.size())
                                                        .arg(notes.front()));
    m_status->setText(text);
    const QString where = tr("Measured on:\n") + environmentText(run.meta, true);
    m_status->setToolTip(
        notes.isEmpty() ? where : notes.join(QLatin1Char('\n')) + QStringLiteral("\n\n") + where);
    showResult();
}

void BenchPage::showResult()
{
    for (BenchChart *chart : charts())
        chart->setResult(m_result);
}

bool BenchPage::openResult(const QString &path, QString *error)
{
    BenchLoad load = loadBenchResultFile(path);
    if (!load.ok()) {
        if (error) *error = load.error;
        return false;
    }
    m_result = std::move(load.result);
    const QString where = environmentText(m_result.meta);
    m_status->setText(tr("Showing %1: %2 points measured on %3")
                          .arg(QFileInfo(path).fileName())
                          .arg(m_result.points.size())
                          .arg(where.isEmpty() ? tr("an unknown machine") : where));
    m_status->setToolTip(environmentText(m_result.meta, true));
    showResult();
    return true;
}

bool BenchPage::compareWith(const QString &path, QString *error)
{
    BenchLoad load = loadBenchResultFile(path);
    if (!load.ok()) {
        if (error) *error = load.error;
        return false;
    }
    setComparison(load.result, QFileInfo(path).completeBaseName());
    return true;
}

void BenchPage::clearComparison()
{
    setComparison({}, {});
}

// Every chart holds the comparison; the page only says whether there is one.
void BenchPage::setComparison(const BenchResult &result, const QString &name)
{
    for (BenchChart *chart : charts())
        chart->setComparison(result, name);
    m_clearCompare->setEnabled(!result.isEmpty());
}

bool BenchPage::exportTo(Export kind, const QString &path, QString *error) const
{
    switch (kind) {
    case Export::ChartPng:
        return static_cast<BenchChart *>(m_chartTabs->currentWidget())->exportPng(path, error);
    case Export::ChartPdf:
        return static_cast<BenchChart *>(m_chartTabs->currentWidget())->exportPdf(path, error);
    case Export::Csv:
        return writeFileAtomically(path, benchResultCsv(m_result), error);
    case Export::Json:
        return writeFileAtomically(path, benchResultJson(m_result), error);
    }
    return false;
}

void BenchPage::exportDialog(Export kind)
{
    const ExportKind *e = nullptr;
    for (const ExportKind &candidate : kExports)
        if (candidate.kind == kind) e = &candidate;
    QString path = QFileDialog::getSaveFileName(
        this, tr(e->label).remove(QStringLiteral("…")),
        QStringLiteral("spawnlab-bench.") + QLatin1String(e->suffix), tr(e->filter));
    if (path.isEmpty()) return;
    QString error;
    if (!exportTo(kind, path, &error))
        QMessageBox::critical(this, tr("Cannot export"), error);
    else
        m_status->setText(tr("Saved %1").arg(path));
}

void BenchPage::openDialog(bool compare)
{
    const QString path = QFileDialog::getOpenFileName(
        this, compare ? tr("Compare with a saved result") : tr("Open a saved result"), QString(),
        tr("Benchmark results (*.json *.jsonl);;All files (*)"));
    if (path.isEmpty()) return;
    QString error;
    if (!(compare ? compareWith(path, &error) : openResult(path, &error)))
        QMessageBox::critical(this, tr("Cannot open the result"), error);
}

void BenchPage::saveSettings(QSettings &s) const
{
    m_setup->saveSettings(s);
    s.setValue(QStringLiteral("logRss"), m_logRss->isChecked());
    s.setValue(QStringLiteral("logLatency"), m_logLatency->isChecked());
    s.setValue(QStringLiteral("splitter"), m_split->saveState());
    s.setValue(QStringLiteral("chartTab"), m_chartTabs->currentIndex());
}

void BenchPage::restoreSettings(const QSettings &s)
{
    m_setup->restoreSettings(s);
    m_logRss->setChecked(s.value(QStringLiteral("logRss"), false).toBool());
    m_logLatency->setChecked(s.value(QStringLiteral("logLatency"), true).toBool());
    m_split->restoreState(s.value(QStringLiteral("splitter")).toByteArray());
    m_chartTabs->setCurrentIndex(s.value(QStringLiteral("chartTab"), 0).toInt());
}

} // namespace spawnlab
