// SPDX-License-Identifier: GPL-3.0-or-later
#include "plan/resulttext.h"

#include "plan/capturedtext.h"
#include "plan/commandline.h"
#include "qs.h"

#include "spawnlab/fddiff.h"
#include "spawnlab/json_text.h"
#include "spawnlab/names.h"

#include <QStringList>

#include <algorithm>

namespace spawnlab {
namespace {

QString us(double value)
{
    return QStringLiteral("%1 µs").arg(value, 0, 'f', 1);
}

// Paths and arguments from the plan or the system, one line each whatever
// bytes they hold (terminalText, as lsof writes names).
QString shown(const std::string &text)
{
    return qs(terminalText(text));
}

QString indented(const QString &text)
{
    QStringList lines = text.split(u'\n');
    if (!lines.isEmpty() && lines.last().isEmpty()) lines.removeLast();
    for (QString &line : lines)
        line.prepend(QStringLiteral("  "));
    return lines.join(u'\n');
}

void addSteps(QStringList &out, const RunResult &r)
{
    if (r.steps.empty()) return;
    out << QStringLiteral("steps:");
    for (const TraceStep &s : r.steps) {
        QString line = QStringLiteral("  %1  %2").arg(us(s.tUs), 10).arg(qs(stepName(s.step)), -10);
        if (!s.arg.empty()) line += u' ' + shown(s.arg);
        if (s.err) line += QStringLiteral("  ") + qs(errnoName(s.err));
        out << line.trimmed().prepend(QStringLiteral("  "));
    }
}

// every_step: the first table whole, then what each fd step changed.
void addStepTables(QStringList &out, const RunResult &r)
{
    if (r.fdSteps.empty()) return;
    out << QStringLiteral("fd table at every step:");
    QStringList first;
    for (const FdEntry &e : r.fdSteps.front().fds)
        first << QStringLiteral("%1 %2").arg(e.fd).arg(shown(fdDescription(e)));
    out << QStringLiteral("  start: ") + first.join(QStringLiteral(", "));
    for (std::size_t i = 1; i < r.fdSteps.size(); ++i) {
        const FdStepTable &t = r.fdSteps[i];
        QStringList changes;
        for (const FdDiffRow &row : diffFdTables(r.fdSteps[i - 1].fds, t.fds)) {
            if (row.change == FdChange::Kept) continue;
            QString text = QStringLiteral("%1 %2").arg(row.fd).arg(qs(fdChangeName(row.change)));
            if (row.after) text += QStringLiteral(" (%1)").arg(shown(fdDescription(*row.after)));
            changes << text;
        }
        const QString step = t.step ? qs(stepName(*t.step)) : QStringLiteral("?");
        out << QStringLiteral("  %1%2: %3")
                   .arg(step, t.arg.empty() ? QString() : u' ' + shown(t.arg),
                        changes.isEmpty() ? QStringLiteral("no change")
                                          : changes.join(QStringLiteral(", ")));
    }
}

void addCaptured(QStringList &out, const RunResult &r)
{
    for (const auto &[fd, bytes] : r.captured) {
        const auto written = r.outputBytes.find(fd);
        const std::uint64_t total = written == r.outputBytes.end() ? bytes.size() : written->second;
        out << QStringLiteral("fd %1 captured (%2 bytes):").arg(fd).arg(total);
        if (!bytes.empty()) out << indented(capturedText(bytes));
        const QString summary = captureSummary(total, bytes.size());
        if (!summary.isEmpty()) out << QStringLiteral("  (") + summary + u')';
    }
}

// The parent's fds a child inherits by mistake: none with close_fds (only
// pass_fds and the plan's targets cross, on purpose), else every fd >= 3
// without CLOEXEC that the plan does not hand over.
void addLeaks(QStringList &out, const SpawnPlan &plan, const RunResult &r)
{
    if (plan.closeFds || r.pid <= 0) return;
    QStringList leaks;
    const std::vector<int> handedOver = handedOverFds(plan);
    for (const FdEntry &e : r.parentFds) {
        if (std::count(handedOver.begin(), handedOver.end(), e.fd)) continue;
        if (auto risk = leakRisk(e))
            leaks << QStringLiteral("  fd %1: %2").arg(e.fd).arg(shown(*risk));
    }
    if (!leaks.isEmpty()) out << QStringLiteral("leaks (close_fds is off):") << leaks;
}

} // namespace

QString resultText(const SpawnPlan &plan, const RunResult &r)
{
    QStringList words;
    for (const std::string &a : plan.argv)
        words << shown(a);
    QStringList out{QStringLiteral("command: ") + joinCommandLine(words)};
    out << QStringLiteral("strategy: %1 (%2)")
               .arg(qs(strategyName(r.strategy)), qs(r.strategyReason));
    if (r.pid > 0) out << QStringLiteral("pid: %1").arg(r.pid);
    addSteps(out, r);
    addStepTables(out, r);
    if (r.error) {
        QString line = QStringLiteral("error: the %1 step failed: %2")
                           .arg(qs(stepName(r.error->step)), shown(r.error->message));
        if (!r.error->field.empty())
            line += QStringLiteral(" (plan field %1)").arg(qs(r.error->field));
        out << line;
    }
    out << QStringLiteral("exit: ") +
               (r.exit ? qs(exitStatusText(*r.exit)) : QStringLiteral("none: nothing was started"));
    addCaptured(out, r);
    addLeaks(out, plan, r);
    for (const std::string &n : r.notes)
        out << QStringLiteral("note: ") + shown(n);
    const Timings &t = r.timings;
    out << QStringLiteral("timings: prepare %1, spawn %2, exec confirmed %3, wait %4, total %5")
               .arg(us(t.prepareUs), us(t.spawnUs), us(t.execConfirmedUs), us(t.waitUs),
                    us(t.totalUs));
    return out.join(u'\n') + u'\n';
}

} // namespace spawnlab
