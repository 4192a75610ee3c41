// SPDX-License-Identifier: GPL-3.0-or-later
// The Benchmark page: the setup on the left; on the right the progress of the
// worker (indeterminate until its first report, then a fraction and the time
// left, with Cancel), the latency-against-RSS chart over the close_fds chart,
// axis and phase choices, and Open / Compare / Export. A run streams its
// points into the charts as the worker finishes them.
#pragma once

#include "plan/benchresult.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSettings;
class QSplitter;

namespace spawnlab {

class BenchController;
class BenchSetup;
class CloseFdsChart;
class LatencyChart;

class BenchPage : public QWidget
{
    Q_OBJECT
public:
    enum class Export { LatencyPng, LatencyPdf, CloseFdsPng, CloseFdsPdf, Csv, Json };

    explicit BenchPage(QWidget *parent = nullptr);

    void runRss();
    void runCloseFds();
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
    void start(const class BenchRequest &request);
    void showResult();
    void showProgress(int done, int total);
    void runEnded(const BenchResult &result, const QString &how);
    void exportDialog(Export kind);
    void openDialog(bool compare);
    void setComparison(const BenchResult &result, const QString &name);

    BenchController *m_controller = nullptr;
    BenchSetup *m_setup = nullptr;
    LatencyChart *m_latency = nullptr;
    CloseFdsChart *m_closeFds = nullptr;
    QSplitter *m_split = nullptr;
    QSplitter *m_charts = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_timeLeft = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_clearCompare = nullptr;
    QCheckBox *m_logRss = nullptr;
    QCheckBox *m_logLatency = nullptr;
    QComboBox *m_phase = nullptr;
    BenchResult m_result;    // what the charts show: both series
    std::string m_runSeries; // of the run under way
    QString m_resultName;    // file it came from, if any
};

} // namespace spawnlab
