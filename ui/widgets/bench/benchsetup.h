// SPDX-License-Identifier: GPL-3.0-or-later
// What the benchmark page will measure: the RSS series (strategies, ballast
// sizes, runs, passes, THP), the memory series (those plus the shapes), the
// threads series (those strategies, thread counts, windows), the runtimes
// series (Python, Go, Node at those sizes and runs), the close_fds
// series (strategy, methods, open fds, RLIMIT_NOFILE values) and the target
// program, each series with its Run button.
// Every field is checked as it is edited; a problem names the field and why,
// and that series' Run stays disabled until it is fixed.
#pragma once

#include "plan/planfile.h"
#include "run/benchcontroller.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QPushButton;
class QSettings;
class QSpinBox;

namespace spawnlab {

class ProblemLabel;

class BenchSetup : public QWidget
{
    Q_OBJECT
public:
    explicit BenchSetup(QWidget *parent = nullptr);

    BenchRequest rssRequest() const;
    BenchRequest memoryRequest() const;
    BenchRequest threadsRequest() const;
    BenchRequest runtimesRequest() const;
    BenchRequest closeFdsRequest() const;
    // The request of a series of bench::knownSeries() the setup has, by name.
    BenchRequest request(const QString &series) const;
    // Field paths "rss.sizes", "close_fds.nofile", "target", ... with sentences.
    QList<PlanIssue> problems() const;
    // While a benchmark runs, neither series can start.
    void setRunning(bool running);

    void saveSettings(QSettings &settings) const;
    void restoreSettings(const QSettings &settings);

    QLineEdit *sizesEdit() const { return m_sizes; }
    QSpinBox *rssRunsBox() const { return m_rssRuns; }
    QSpinBox *passesBox() const { return m_passes; }
    QPushButton *runRssButton() const { return m_runRss; }
    QPushButton *runCloseFdsButton() const { return m_runCloseFds; }
    // The Run button of `series`; nullptr for a series without one.
    QPushButton *runButton(const QString &series) const;
    QLineEdit *threadsEdit() const { return m_threads; }
    QCheckBox *shapeBox(const QString &name) const;
    QCheckBox *runtimeBox(const QString &name) const;
    QCheckBox *strategyBox(const QString &name) const;

Q_SIGNALS:
    // A Run button was clicked: the series' name.
    void runRequested(const QString &series);

private:
    QWidget *createRssGroup();
    QWidget *createMemoryGroup();
    QWidget *createThreadsGroup();
    QWidget *createRuntimesGroup();
    QWidget *createCloseFdsGroup();
    QPushButton *runButtonFor(const QString &series, const QString &text, QWidget *parent);
    void updateState();

    QList<QCheckBox *> m_strategies;
    QLineEdit *m_sizes = nullptr;
    QSpinBox *m_rssRuns = nullptr;
    QSpinBox *m_passes = nullptr;
    QComboBox *m_thp = nullptr;
    QPushButton *m_runRss = nullptr;
    QList<QCheckBox *> m_shapes;
    QSpinBox *m_vmas = nullptr;
    QPushButton *m_runMemory = nullptr;
    QLineEdit *m_threads = nullptr;
    QSpinBox *m_windows = nullptr;
    QDoubleSpinBox *m_windowSeconds = nullptr;
    QPushButton *m_runThreads = nullptr;
    QList<QCheckBox *> m_runtimes;
    QPushButton *m_runRuntimes = nullptr;
    QComboBox *m_closeStrategy = nullptr;
    QList<QCheckBox *> m_methods;
    QLineEdit *m_openFds = nullptr;
    QLineEdit *m_nofile = nullptr;
    QSpinBox *m_closeRuns = nullptr;
    QPushButton *m_runCloseFds = nullptr;
    QLineEdit *m_target = nullptr;
    bool m_running = false;
};

// "0,256,1024" -> numbers >= min; a problem sentence otherwise.
std::optional<QList<qint64>> parseNumberList(const QString &text, qint64 min, QString *problem);

} // namespace spawnlab
