// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/resultview.h"
#include "qs.h"

#include "models/steptimelinemodel.h"
#include "plan/capturedtext.h"

#include "spawnlab/names.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace spawnlab {
namespace {

QString fdName(int fd)
{
    switch (fd) {
    case 0:
        return QStringLiteral("stdin (fd 0)");
    case 1:
        return QStringLiteral("stdout (fd 1)");
    case 2:
        return QStringLiteral("stderr (fd 2)");
    default:
        return QStringLiteral("fd %1").arg(fd);
    }
}

QString us(double value)
{
    return value >= 10000 ? QStringLiteral("%1 ms").arg(value / 1000, 0, 'f', 2)
                          : QStringLiteral("%1 µs").arg(value, 0, 'f', 1);
}

QString capitalized(QString sentence)
{
    if (!sentence.isEmpty()) sentence[0] = sentence[0].toUpper();
    return sentence;
}

QString exitText(const ExitStatus &e)
{
    if (!e.unknown.empty()) return qs(e.unknown);
    QString text =
        e.exited
            ? QObject::tr("exited with code %1").arg(e.code)
            : QObject::tr("killed by %1 (signal %2)").arg(qs(signalName(e.signal))).arg(e.signal);
    if (e.timedOut) text += QObject::tr(" — spawnlab killed it when timeout_ms passed");
    if (e.exited && e.code == 127)
        text += QObject::tr(" (127: the child's own code for \"a setup step or exec failed\")");
    return text;
}

// A failed step names the step; a Spawn error is a sentence of its own: nothing
// ran, the child ended before exec (errno 0: how it ended), or it was stopped
// on the way (a timeout).
QString failureHeadline(const ChildError &error, pid_t pid)
{
    const QString message = qs(error.message);
    if (error.step != Step::Spawn)
        return QObject::tr("The child failed at step %1: %2")
            .arg(qs(stepName(error.step)), errnoSentence(error.err));
    if (pid < 0) return QObject::tr("Nothing ran: %1").arg(message);
    if (error.err == 0) return capitalized(message);
    return QObject::tr("The child did not reach exec: %1").arg(message);
}

} // namespace

ResultView::ResultView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    auto *banner = new QHBoxLayout;
    m_icon = new QLabel(this);
    m_headline = new QLabel(this);
    m_headline->setObjectName(QStringLiteral("resultHeadline"));
    m_headline->setWordWrap(true);
    QFont big = m_headline->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_headline->setFont(big);
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0); // a child has no progress to report: indeterminate
    m_busy->setMaximumWidth(120);
    m_kill = new QPushButton(tr("Kill"), this);
    m_kill->setObjectName(QStringLiteral("resultKill"));
    m_kill->setToolTip(
        tr("Send SIGKILL to the child (through its pidfd, so never to a reused pid)"));
    banner->addWidget(m_icon);
    banner->addWidget(m_headline, 1);
    banner->addWidget(m_busy);
    banner->addWidget(m_kill);
    layout->addLayout(banner);

    m_details = new QLabel(this);
    m_details->setObjectName(QStringLiteral("resultDetails"));
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::RichText);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    layout->addWidget(m_details);

    auto *outputBox = new QGroupBox(tr("Captured output (pipe_out fds)"), this);
    auto *outputLayout = new QVBoxLayout(outputBox);
    m_output = new QTabWidget(outputBox);
    m_output->setObjectName(QStringLiteral("capturedOutput"));
    outputLayout->addWidget(m_output);
    layout->addWidget(outputBox, 1);

    m_tick = new QTimer(this);
    m_tick->setInterval(100);
    connect(m_tick, &QTimer::timeout, this, &ResultView::updateElapsed);
    connect(m_kill, &QPushButton::clicked, this, &ResultView::killRequested);
    clear(tr("Press Run (Ctrl+R) to run the plan. Opening a plan never runs it."));
}

void ResultView::setHeadline(QStyle::StandardPixmap icon, const QString &text)
{
    const int size = style()->pixelMetric(QStyle::PM_LargeIconSize);
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(size, size));
    m_headline->setText(text);
}

void ResultView::clear(const QString &message)
{
    m_tick->stop();
    m_busy->hide();
    m_kill->hide();
    setHeadline(QStyle::SP_MessageBoxInformation, message);
    m_details->hide();
    m_errorText.clear();
    m_output->clear();
    m_output->parentWidget()->hide();
}

void ResultView::showRunning()
{
    clear(tr("Running…"));
    setHeadline(QStyle::SP_BrowserReload, tr("Running…"));
    m_runningPid = -1;
    m_elapsed.start();
    m_tick->start();
    m_busy->show();
    m_kill->show();
    m_kill->setEnabled(false); // until the child exists
}

void ResultView::setPid(qint64 pid)
{
    m_runningPid = pid;
    m_kill->setEnabled(true);
    updateElapsed();
}

void ResultView::updateElapsed()
{
    const double seconds = double(m_elapsed.elapsed()) / 1000.0;
    QString text = tr("Running for %1 s").arg(seconds, 0, 'f', 1);
    if (m_runningPid > 0) text += tr(" — child pid %1").arg(m_runningPid);
    if (seconds > 2) text += tr(". A child that hangs can be killed here.");
    m_headline->setText(text);
}

void ResultView::setResult(const RunResult &r)
{
    m_tick->stop();
    m_busy->hide();
    m_kill->hide();
    m_details->show();
    if (r.execOk()) {
        setHeadline(QStyle::SP_DialogApplyButton,
                    r.exit ? tr("exec succeeded — the program %1").arg(exitText(*r.exit))
                           : tr("exec succeeded"));
    } else if (r.error) {
        setHeadline(QStyle::SP_MessageBoxCritical, failureHeadline(*r.error, r.pid));
    } else {
        setHeadline(QStyle::SP_MessageBoxWarning, tr("exec was not confirmed"));
    }
    m_errorText = r.error ? QStringLiteral("%1: %2 — %3")
                                .arg(qs(stepName(r.error->step)), errnoSentence(r.error->err),
                                     qs(r.error->message))
                          : QString();
    m_details->setText(detailsHtml(r));
    showCaptured(r);
}

// The details table: the failed step, exit, pid, strategy, timings, cut
// output and notes.
QString ResultView::detailsHtml(const RunResult &r)
{
    auto row = [](const QString &name, const QString &html) {
        return QStringLiteral(
                   "<tr><td style='padding-right:12px' valign='top'><b>%1</b></td><td>%2</td></tr>")
            .arg(name.toHtmlEscaped(), html);
    };
    QString html = QStringLiteral("<table cellspacing='2'>");
    if (r.error) {
        QString text = QStringLiteral("<b>%1</b> — %2<br><tt>%3</tt>")
                           .arg(qs(stepName(r.error->step)).toHtmlEscaped(),
                                errnoSentence(r.error->err).toHtmlEscaped(),
                                qs(r.error->message).toHtmlEscaped());
        if (r.error->index >= 0) text += tr("<br>(plan entry %1)").arg(r.error->index);
        html += row(tr("Failed step"), text);
    }
    html +=
        row(tr("Exit"), (r.exit ? exitText(*r.exit) : tr("no child was started")).toHtmlEscaped());
    html += row(tr("Child pid"), r.pid > 0 ? QString::number(r.pid) : tr("—"));
    html += row(tr("Strategy"),
                QStringLiteral("<b>%1</b> — %2")
                    .arg(qs(strategyName(r.strategy)), qs(r.strategyReason).toHtmlEscaped()));
    const Timings &t = r.timings;
    html += row(tr("Timings"),
                tr("prepare %1 · spawn returned %2 · exec confirmed %3 · wait %4 · total %5")
                    .arg(us(t.prepareUs), us(t.spawnUs), us(t.execConfirmedUs), us(t.waitUs),
                         us(t.totalUs)));
    QStringList notes;
    for (const auto &n : r.notes)
        notes << qs(n).toHtmlEscaped();
    QStringList truncated;
    for (const auto &[fd, bytes] : r.outputBytes)
        if (const QString cut = captureSummary(bytes, keptBytes(r, fd)); !cut.isEmpty())
            truncated << fdName(fd) + QStringLiteral(": ") + cut;
    if (!truncated.isEmpty())
        html += row(tr("Output cut"), truncated.join(QStringLiteral("<br>")).toHtmlEscaped());
    if (!notes.isEmpty()) html += row(tr("Notes"), notes.join(QStringLiteral("<br>")));
    return html + QStringLiteral("</table>");
}

// One tab per captured fd, or a tab saying how to capture one.
void ResultView::showCaptured(const RunResult &r)
{
    m_output->clear();
    m_output->parentWidget()->show();
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (const auto &[fd, text] : r.captured) {
        auto *edit = new QPlainTextEdit(m_output);
        edit->setObjectName(QStringLiteral("captured%1").arg(fd));
        edit->setReadOnly(true);
        edit->setFont(mono);
        edit->setLineWrapMode(QPlainTextEdit::NoWrap);
        edit->setPlainText(spawnlab::capturedText(text));
        if (text.empty()) edit->setPlaceholderText(tr("(the child wrote nothing to this fd)"));
        m_output->addTab(edit, fdName(fd));
    }
    if (r.captured.empty()) {
        auto *none =
            new QLabel(tr("No fd was captured. Add a pipe_out fd under File descriptors to see "
                          "what the child writes."),
                       m_output);
        none->setWordWrap(true);
        none->setAlignment(Qt::AlignCenter);
        m_output->addTab(none, tr("nothing captured"));
    }
}

QString ResultView::headline() const
{
    return m_headline->text();
}

QString ResultView::errorText() const
{
    return m_errorText;
}

QString ResultView::capturedText(int fd) const
{
    auto *edit = m_output->findChild<QPlainTextEdit *>(QStringLiteral("captured%1").arg(fd));
    return edit ? edit->toPlainText() : QString();
}

} // namespace spawnlab
