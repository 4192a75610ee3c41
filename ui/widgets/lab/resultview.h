// SPDX-License-Identifier: GPL-3.0-or-later
// The outcome of a run: exec succeeded, or the failing step with its errno
// name and sentence; the exit status or signal; captured output per fd; the
// strategy and why; timings. While a run is going: how long, and a Kill button.
#pragma once

#include "spawnlab/result.h"

#include <QElapsedTimer>
#include <QStyle>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTimer;

namespace spawnlab {

class ResultView : public QWidget
{
    Q_OBJECT
public:
    explicit ResultView(QWidget *parent = nullptr);

    void showRunning();
    void setPid(qint64 pid);
    void setResult(const RunResult &result);
    void clear(const QString &message);

    QString headline() const; // what the banner says (tests read it)
    QString errorText() const;
    QString capturedText(int fd) const;

Q_SIGNALS:
    void killRequested();

private:
    void setHeadline(QStyle::StandardPixmap icon, const QString &text);
    static QString detailsHtml(const RunResult &r);
    void showCaptured(const RunResult &r);
    void updateElapsed();

    QLabel *m_icon = nullptr;
    QLabel *m_headline = nullptr;
    QProgressBar *m_busy = nullptr;
    QPushButton *m_kill = nullptr;
    // One rich-text label: a form of word-wrapped labels loses lines to
    // height-for-width, a single label's document does not.
    QLabel *m_details = nullptr;
    QString m_errorText;
    QTabWidget *m_output = nullptr;
    QTimer *m_tick = nullptr;
    QElapsedTimer m_elapsed;
    qint64 m_runningPid = -1;
};

} // namespace spawnlab
