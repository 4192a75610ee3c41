// SPDX-License-Identifier: GPL-3.0-or-later
// The Benchmark page: the setup on the left; on the right the progress of the
// worker (indeterminate until its first report, then a fraction and the time
// left, with Cancel), one chart per series in tabs (latency against RSS,
// memory shapes, threads, runtimes, close_fds), axis and phase choices, and Open /
// Compare / Export. A run streams its points into its chart, brought to the
// front, as the worker finishes them.
#pragma once

#include "plan/benchresult.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QSettings;
class QSplitter;
class QTabWidget;

namespace spawnlab {

class BenchChart;
class BenchController;
class BenchSetup;
class CloseFdsChart;
class LatencyChart;
class MemoryChart;
class RuntimesChart;
class ThreadsChart;

class BenchPage : public QWidget
{
    Q_OBJECT
public:
    // ChartPng and ChartPdf: the chart whose tab is shown.
    enum class Export { ChartPng, ChartPdf, Csv, Json };

    explicit BenchPage(QWidget *parent = nullptr);

    // Starts the series (of bench::knownSeries()) as the setup describes it,
    // unless its Run button is disabled (a run under way, a field's problem).
    void run(const QString &series);
    void runRss() { run(QStringLiteral("rss")); }
    void cancel();
    // A saved result (JSON report or jsonl) replaces what is shown; false with
    // `error` set if it cannot be read.
    bool openResult(const QString &path, QString *error);
    // A saved result drawn dashed beside the current one.
    bool compareWith(const QString &path, QString *error);
    void clearComparison();
    bool exportTo(Export kind, const QString &path, QString *error) const;

    const BenchResult &result() const { return m_result; }
    bool isRunning() const;
    BenchController *controller() const { return m_controller; }
    BenchSetup *setup() const { return m_setup; }
    LatencyChart *latencyChart() const { return m_latency; }
    CloseFdsChart *closeFdsChart() const { return m_closeFds; }
    MemoryChart *memoryChart() const { return m_memory; }
    ThreadsChart *threadsChart() const { return m_threads; }
    RuntimesChart *runtimesChart() const { return m_runtimes; }
    // The tabs of the charts, and the chart of a series (nullptr if none).
    QTabWidget *chartTabs() const { return m_chartTabs; }
    BenchChart *chartOf(const QString &series) const;
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *statusLabel() const { return m_status; }
    QLabel *timeLeftLabel() const { return m_timeLeft; }
    QCheckBox *logRssBox() const { return m_logRss; }

    void saveSettings(QSettings &settings) const;
    void restoreSettings(const QSettings &settings);

Q_SIGNALS:
    void runningChanged(bool running);

private:
    QWidget *createSetupPane();
    QWidget *createChartsPane();
    QHBoxLayout *createViewOptions(QWidget *pane);
    QList<BenchChart *> charts() const;
    void showResult();
    void showProgress(int done, int total);
    void runEnded(const BenchResult &result, const QString &how);
    void exportDialog(Export kind);
    void openDialog(bool compare);
    void setComparison(const BenchResult &result, const QString &name);

    BenchController *m_controller = nullptr;
    BenchSetup *m_setup = nullptr;
    LatencyChart *m_latency = nullptr;
    MemoryChart *m_memory = nullptr;
    ThreadsChart *m_threads = nullptr;
    RuntimesChart *m_runtimes = nullptr;
    CloseFdsChart *m_closeFds = nullptr;
    QSplitter *m_split = nullptr;
    QTabWidget *m_chartTabs = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_timeLeft = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_clearCompare = nullptr;
    QCheckBox *m_logRss = nullptr;
    QCheckBox *m_logLatency = nullptr;
    QComboBox *m_phase = nullptr;
    BenchResult m_result;    // what the charts show: every series
    std::string m_runSeries; // of the run under way
    QString m_resultName;    // file it came from, if any
};

} // namespace spawnlab
