// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/trace/inheritedfdmodel.h"

#include "models/fdtablemodel.h"
#include "qs.h"

#include "spawnlab/json_text.h"

#include <QStringList>

namespace spawnlab {
namespace {

QString carriedText(const std::vector<FdCarry> &carried)
{
    QStringList steps;
    for (const FdCarry &c : carried)
        steps << QStringLiteral("%1 → %2").arg(qs(c.how)).arg(c.pid);
    return steps.join(QStringLiteral(", "));
}

} // namespace

// Where the fd was made, and the call that made it inheritable later, if any.
QString originText(const InheritedFd &in)
{
    const FdOrigin &o = *in.origin;
    if (!o.known) return qs(o.unknownWhy);
    const QString made =
        InheritedFdModel::tr("%1 in pid %2 (%3)").arg(qs(o.call)).arg(o.pid).arg(qsBaseName(o.exe));
    return in.madeInheritableBy.empty() ? made
                                        : InheritedFdModel::tr("%1, then made inheritable by %2")
                                              .arg(made, qs(in.madeInheritableBy));
}

InheritedFdModel::InheritedFdModel(QObject *parent)
    : TableModel({{tr("Program"), tr("The program that was exec'd and got the fd")},
                  {tr("fd")},
                  {tr("What")},
                  {tr("Verdict")},
                  {tr("Held by"), tr("Other traced programs that got the same pipe, socket "
                                     "or open file, or its other end, at their exec")},
                  {tr("Made by"), tr("The call that made the open file, and where")},
                  {tr("Carried by"), tr("The forks that carried it to this process")},
                  {tr("Why")}},
                 parent)
{
}

void InheritedFdModel::show(const TraceReport &report, qint64 pid)
{
    beginResetModel();
    m_rows.clear();
    for (std::size_t i = 0; i < report.execs.size(); ++i) {
        const TracedExec &e = report.execs[i];
        if (e.pid != pid) continue;
        const std::string program = e.argv.empty() ? e.exe : e.argv.front();
        for (const InheritedFd &in : e.inherited) {
            Row row{program, e.pid, in};
            row.fd.entry.peers = tracePeers(report, i, in.fd);
            m_rows.push_back(std::move(row));
        }
    }
    endResetModel();
}

void InheritedFdModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

QString InheritedFdModel::details(const Row &row) const
{
    const InheritedFd &in = row.fd;
    QStringList lines = fdEntryRecord(in.entry);
    if (in.origin) lines << tr("made by %1").arg(originText(in));
    if (!in.carriedBy.empty()) lines << tr("carried by %1").arg(carriedText(in.carriedBy));
    lines << tr("%1: %2").arg(qs(verdictName(in.verdict)), qs(in.why));
    if (in.origin && !in.origin->stack.empty()) {
        lines << tr("made at:");
        for (const auto &frame : in.origin->stack)
            lines << QStringLiteral("  ") + qs(frame);
    }
    return lines.join(u'\n');
}

QVariant InheritedFdModel::roleData(int r, int, int role) const
{
    const Row &row = m_rows[std::size_t(r)];
    const InheritedFd &in = row.fd;
    const bool leaked = in.verdict == FdVerdict::Leaked;
    switch (role) {
    case FdRole:
        return in.fd;
    case LeakedRole:
        return leaked;
    case OriginPidRole:
        return qint64(in.origin && in.origin->known ? in.origin->pid : 0);
    case LeakRiskRole:
        return leaked ? qs(in.why) : QString();
    case DetailsRole:
    case Qt::ToolTipRole:
        return details(row);
    default:
        return {};
    }
}

QVariant InheritedFdModel::cell(int r, int column, bool) const
{
    const Row &row = m_rows[std::size_t(r)];
    const InheritedFd &in = row.fd;
    switch (Column(column)) {
    case Program:
        return qsBaseName(row.program);
    case Fd:
        return in.fd;
    case What:
        return qs(terminalText(fdDescription(in.entry)));
    case Verdict:
        return qs(verdictName(in.verdict));
    case HeldBy: {
        const QString held = fdHeldByText(in.entry, row.pid);
        return held.isEmpty() ? QVariant() : held;
    }
    case MadeBy:
        return in.origin ? originText(in) : QString();
    case CarriedBy:
        return carriedText(in.carriedBy);
    case Why:
        return qs(in.why);
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace spawnlab
